/**
 * gradstep/tfjs: gradstep's optimizers inside TensorFlow.js training (model.fit, minimize). A separate
 * entry so that the main entries never load @tensorflow/tfjs-core (an optional peer dependency).
 */
export {
  GradstepOptimizer,
  type GradstepOptimizerOptions,
  type GroupRule,
  type NamedTensor,
  type OptimizerFactory,
  type ParamGroupsInput,
  type TfjsOptimizerStateDict,
  type TfjsParamGroup,
  type TfjsVariableState,
} from './gradstep-optimizer.js';
export { schedulerCallback, type SchedulerCallback, type SchedulerCallbackOptions, type SteppableScheduler } from './scheduler-callback.js';
