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
export type { StateEncoding, EncodedBuffer } from './state-dict.js';
export { SGD, type SgdOptions } from './optimizers/sgd.js';
export { Adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { Adadelta, type AdadeltaOptions } from './optimizers/adadelta.js';
export { RMSprop, type RmspropOptions } from './optimizers/rmsprop.js';
export { Adam, AdamW, type AdamOptions } from './optimizers/adam.js';
export { Adamax, type AdamaxOptions } from './optimizers/adamax.js';
export { NAdam, type NadamOptions } from './optimizers/nadam.js';
export { RAdam, type RadamOptions } from './optimizers/radam.js';
export { Lion, type LionOptions } from './optimizers/lion.js';
export { runtimeHasWasmSimd, wasmSimd, type InitOptions, type WasmSource } from './wasm-loader.js';
export { memoryStats, type MemoryStats } from './memory-stats.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  tensorToFloat32,
  SAFETENSORS_MAX_HEADER_SIZE,
  type SafetensorsDtype,
  type Tensor,
  type TensorData,
  type Float32Source,
  type SafetensorsContents,
} from './safetensors.js';
export {
  exportModelState,
  importModelState,
  saveTorchCheckpoint,
  loadTorchCheckpoint,
  type NamedParam,
  type NamedParamSource,
  type TorchCheckpointParts,
  type CheckpointScheduler,
} from './checkpoints/torch.js';
export { bandwidthProbe } from './bandwidth-probe.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip-grad.js';
export * from './model-selection/index.js';
export { crossValidate, type CrossValidateOptions, type CrossValidateResult, type CrossValidateTaskFields, type CrossValidateTaskOptions } from './evaluation/cross-validate.js';
export type { TaskOrRecipe } from './evaluation/task-jobs.js';
export { learningCurve, type LearningCurveOptions, type LearningCurveResult, type LearningCurveTaskFields, type LearningCurveTaskOptions } from './evaluation/learning-curve.js';
export { validationCurve, type ValidationCurveOptions, type ValidationCurveResult, type ValidationCurveTaskFields, type ValidationCurveTaskOptions } from './evaluation/validation-curve.js';
export {
  gridSearch,
  randomSearch,
  nestedCrossValidate,
  rankMeans,
  type SearchOptions,
  type GridSearchOptions,
  type RandomSearchOptions,
  type SearchResult,
  type SearchResults,
  type ScoreFunction,
  type SearchFitFunction,
  type ErrorScore,
  type InnerSearchData,
  type NestedCrossValidateOptions,
  type NestedCrossValidateResult,
  type SearchTaskOptions,
  type SearchTaskFields,
  type RandomSearchTaskFields,
  type GridSearchTaskOptions,
  type RandomSearchTaskOptions,
} from './evaluation/search.js';
export { createWorkerPool, liveWorkerCount, MAX_WORKERS, type TaskModule, type WorkerPool, type WorkerPoolOptions, type Workers } from './parallel/pool.js';
export { servePoolWorker } from './parallel/serve-pool-worker.js';
export {
  parameterGrid,
  parameterGridSize,
  parameterSampler,
  uniform,
  logUniform,
  integers,
  MAX_GRID_CANDIDATES,
  type ParameterValues,
  type ParameterGridSpec,
  type GridCandidate,
  type CandidateOf,
  type ParameterDistributionsSpec,
  type SampledCandidate,
  type SampledCandidateOf,
  type ParameterSamplerOptions,
  type Distribution,
  type UniformDistribution,
  type LogUniformDistribution,
  type IntegersDistribution,
} from './evaluation/parameter-grid.js';
export * from './metrics/index.js';
export { biasVariance, type BiasVarianceOptions, type BiasVarianceRecipeOptions, type BiasVarianceMseOptions, type BiasVarianceZeroOneOptions, type BiasVarianceResult, type BiasVarianceLoss } from './evaluation/bias-variance.js';
export {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  type DecisionTreeOptions,
  type DecisionTreeClassifierOptions,
  type DecisionTreeOptionsInUse,
  type TreeStructure,
  type MaxFeatures,
  type ClassWeight,
  type ClassificationCriterion,
  type RegressionCriterion,
} from './ensembles/decision-tree.js';
export { DecisionStumpClassifier, DecisionStumpRegressor, type DecisionStumpClassifierOptions, type DecisionStumpOptions } from './ensembles/decision-stump.js';
export { bagging, type BaggingRegressionOptions, type BaggingClassificationOptions, type BaggingRegressor, type BaggingClassifier, type BaggingMemberInfo } from './ensembles/bagging.js';
export type { BaggingRecipeOptions } from './ensembles/bagging-recipe.js';
export { adaBoost, type AdaBoostOptions, type AdaBoostClassifier } from './ensembles/ada-boost.js';
export { adaBoostRegressor, type AdaBoostRegressorOptions, type AdaBoostRegressor, type AdaBoostR2Loss } from './ensembles/ada-boost-regressor.js';
export { RandomForestClassifier, RandomForestRegressor, type RandomForestOptions, type RandomForestClassifierOptions, type ForestFitAsyncOptions } from './ensembles/random-forest.js';
export { gradientBoosting, type GradientBoostingOptions, type GradientBoostingRegressor } from './ensembles/gradient-boosting.js';
export { gradientBoostingClassifier, type GradientBoostingClassifierOptions, type GradientBoostingClassifier } from './ensembles/gradient-boosting-classifier.js';
export type { FeatureRows } from './ensembles/training-data.js';
export { permutationImportance, type PermutationImportanceOptions, type PermutationImportance, type PermutableModel } from './evaluation/permutation-importance.js';
export type { LabelPredictor, NumberPredictor, WeightedClassifierLearner, ResampledRegressorLearner } from './ensembles/weak-learner.js';
export * from './schedulers/index.js';
export type { Model, Evaluation } from './models/model.js';
export type { Activation } from './models/activations.js';
export type { OutputLoss } from './models/output-losses.js';
export type { WeightInit } from './models/weight-init.js';
export { DenseNetwork } from './models/dense-network.js';
export { LinearRegression, type LinearRegressionOptions } from './models/linear-regression.js';
export { LogisticRegression, type LogisticRegressionOptions } from './models/logistic-regression.js';
export { SoftmaxRegression, type SoftmaxRegressionOptions } from './models/softmax-regression.js';
export { MLP, type MlpOptions } from './models/mlp.js';
export {
  fit,
  fitAsync,
  type FitOptions,
  type FitAsyncOptions,
  type FitResult,
  type EpochRecord,
  type EarlyStoppingOptions,
  type TrainingData,
  type SteppingOptimizer,
  type FitScheduler,
  type FitCallbacks,
  type TrainBeginLogs,
  type BatchBeginLogs,
  type BatchEndLogs,
  type CheckpointSave,
  type CheckpointOptions,
  type ClipGradNormFitOptions,
} from './training/fit.js';
export { sharpness, type SharpnessOptions, type SharpnessResult } from './training/sharpness.js';
export type { Dataset } from './data/dataset.js';
export { parseCsv, datasetFromRows, type CsvOptions, type RowsOptions } from './data/csv-dataset.js';
export { Standardizer, fitStandardizer } from './data/standardizer.js';
export { toRowArrays, fromRowArrays } from './data/feature-rows.js';
export { makeMoons, type MoonsOptions } from './data/moons.js';
export { makeSpirals, type SpiralsOptions } from './data/spirals.js';
export { makeNoisyRegression, type NoisyRegressionOptions, type NoisyRegressionDataset } from './data/noisy-regression.js';
export { polynomialFeatures } from './data/polynomial-features.js';
export { standardNormal } from './data/normal-random.js';
export { trainRecipe, type ModelRecipe, type OptimizerRecipe, type Recipe, type RecipeData } from './recipes/recipe.js';
