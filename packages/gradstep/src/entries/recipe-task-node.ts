/** The recipe task module of the Node entry: what each worker_threads worker imports to run gradstep's built-in work (recipes/builtin-task.ts). */
import { builtinTaskFunctions } from '../recipes/builtin-task.js';
import { init } from './node.js';

export const { setup, fit, score, dispose } = builtinTaskFunctions(() => init());
