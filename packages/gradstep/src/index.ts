/**
 * gradstep: optimizers with PyTorch's semantics as fused WebAssembly SIMD kernels, and a pure
 * TypeScript backend that produces the same bits.
 *
 * Everything but `init`, which each entry (src/entries/: node, browser, inline) defines with its own
 * way of finding the .wasm.
 */

export type { BackendName } from './backend.js';
export { getBackend, setBackend } from './backends.js';
export { Param, param, type ParamOptions } from './param.js';
export { Optimizer, type OptimizerStateDict, type ParamGroup, type ParamGroupInput } from './optimizer.js';
export { SGD, type SgdOptions } from './optimizers/sgd.js';
export { Adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { Adadelta, type AdadeltaOptions } from './optimizers/adadelta.js';
export { RMSprop, type RmspropOptions } from './optimizers/rmsprop.js';
export { Adam, AdamW, type AdamOptions } from './optimizers/adam.js';
export { Adamax, type AdamaxOptions } from './optimizers/adamax.js';
export { NAdam, type NadamOptions } from './optimizers/nadam.js';
export { RAdam, type RadamOptions } from './optimizers/radam.js';
export { Lion, type LionOptions } from './optimizers/lion.js';
export { runtimeHasWasmSimd, wasmSimd, type InitOptions, type WasmSource } from './wasm-backend.js';
export { memoryStats, type MemoryStats } from './memory-stats.js';
export { bandwidthProbe } from './bandwidth-probe.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip-grad.js';
export * from './model-selection/index.js';
export { crossValidate, type CrossValidateOptions, type CrossValidateResult } from './evaluation/cross-validate.js';
export { learningCurve, type LearningCurveOptions, type LearningCurveResult } from './evaluation/learning-curve.js';
export { validationCurve, type ValidationCurveOptions, type ValidationCurveResult } from './evaluation/validation-curve.js';
export { biasVariance, type BiasVarianceOptions, type BiasVarianceMseOptions, type BiasVarianceZeroOneOptions, type BiasVarianceResult, type BiasVarianceLoss } from './evaluation/bias-variance.js';
export { DecisionTreeClassifier, DecisionTreeRegressor, type DecisionTreeOptions, type DecisionTreeClassifierOptions, type TreeStructure } from './ensembles/decision-tree.js';
export { DecisionStumpClassifier, DecisionStumpRegressor } from './ensembles/decision-stump.js';
export { bagging, type BaggingRegressionOptions, type BaggingClassificationOptions, type BaggingRegressor, type BaggingClassifier, type BaggingMemberInfo } from './ensembles/bagging.js';
export { adaBoost, type AdaBoostOptions, type AdaBoostClassifier } from './ensembles/ada-boost.js';
export { adaBoostRegressor, type AdaBoostRegressorOptions, type AdaBoostRegressor, type AdaBoostR2Loss } from './ensembles/ada-boost-regressor.js';
export { gradientBoosting, type GradientBoostingOptions, type GradientBoostingRegressor } from './ensembles/gradient-boosting.js';
export type { FeatureRows } from './ensembles/training-data.js';
export type { LabelPredictor, NumberPredictor, WeightedClassifierLearner, ResampledRegressorLearner } from './ensembles/weak-learner.js';
export * from './schedulers/index.js';
