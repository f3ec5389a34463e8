/** The recipe task module of the browser entry: what each module Web Worker imports to run gradstep's built-in work (recipes/builtin-task.ts). */
import { builtinTaskFunctions } from '../recipes/builtin-task.js';
import { init } from './browser.js';

export const { setup, fit, score, dispose } = builtinTaskFunctions(() => init());
