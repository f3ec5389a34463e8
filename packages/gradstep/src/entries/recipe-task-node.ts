/** The recipe task module of the Node entry: what each worker_threads worker imports to run a recipe (recipes/recipe.ts). */
import { recipeTaskFunctions } from '../recipes/recipe.js';
import { init } from './node.js';

export const { setup, fit, score, dispose } = recipeTaskFunctions(() => init());
