/** The recipe task module of the browser entry: what each module Web Worker imports to run a recipe (recipes/recipe.ts). */
import { recipeTaskFunctions } from '../recipes/recipe.js';
import { init } from './browser.js';

export const { setup, fit, score, dispose } = recipeTaskFunctions(() => init());
