/**
 * A tf.Optimizer that steps a gradstep optimizer: tfjs computes the gradients, gradstep applies them.
 *
 * Each tfjs variable becomes one gradstep Param (named after the variable), created the first time a
 * gradient for it arrives. Variables first seen together share one gradstep optimizer (a "cohort");
 * a variable seen later gets a cohort of its own, so its step count starts at 1 as a param added to a
 * PyTorch optimizer does (PyTorch counts steps per param; gradstep per optimizer). A cohort only steps
 * when every one of its variables has a gradient: a call that leaves some out (a frozen layer,
 * `minimize` with a smaller varList) first splits the cohort in two, moving the state, so the
 * variables left out are not touched at all, as with tfjs's own optimizers.
 *
 * This module reaches gradstep through the package name ('gradstep', external in the build), never
 * through relative imports of its classes: the params it creates must come from the same copy of
 * gradstep as the user's optimizer classes (and its init()), whichever entry the user loaded.
 */
import { engine, Optimizer as TfOptimizer, scalar, serialization, tensor, tidy, type NamedTensorMap, type Tensor, type Variable } from '@tensorflow/tfjs-core';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, clipGradNorm, getBackend, Lion, NAdam, param, RAdam, RMSprop, SGD } from 'gradstep';
import type { BackendName, EncodedBuffer, Optimizer, OptimizerStateDict, Param, ParamGroupInput, SchedulableGroup, StateEncoding } from 'gradstep';
import { checkOptionNames, describe } from '../validate.js';

/** tfjs's NamedTensor (tfjs-core exports the type only from a deep path). */
export interface NamedTensor {
  /** The variable's name (in applyGradients), or the weight's (`iter`, `<variable>/<buffer>`) in getWeights and setWeights. */
  name: string;
  /** The variable's gradient (in applyGradients), or the weight's value in getWeights and setWeights. */
  tensor: Tensor;
}

/** The parameter groups the adapter hands to the factory: `{ params, ...options }`, one per non-empty group. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each optimizer class has its own options type
export type ParamGroupsInput = ParamGroupInput<any>[];

/** Builds the gradstep optimizer over the params (as parameter groups) the adapter gives it. */
export type OptimizerFactory = (params: ParamGroupsInput) => Optimizer<object>;

/**
 * A group as `paramGroups` shows it: its options by name (lr, betas, weightDecay, …), each assignable
 * between steps; what gradstep's schedulers need from a group.
 */
export type TfjsParamGroup = SchedulableGroup & Record<string, unknown>;

/** A parameter group chosen by variable name: the first rule whose `match` matches a name takes it. */
export type GroupRule = {
  /** Tested against each variable's name (g and y flags ignored); the rule's other keys are the group's optimizer options. */
  match: RegExp;
} & Record<string, unknown>;

export interface GradstepOptimizerOptions {
  /**
   * Parameter groups by variable name, e.g. `[{ match: /bias|norm/i, weightDecay: 0 }]`: a variable
   * goes to the first rule whose `match` matches its name, else to the default group (the factory's
   * options). `paramGroups[i]` is rule i; the last one is the default group.
   */
  groups?: readonly GroupRule[];
  /** Scale all the gradients of a step together so that their total 2-norm is at most this (gradstep's clipGradNorm). */
  clipGradNorm?: number;
  /** The backend of the params; default: getBackend() when the first variable is seen. */
  backend?: BackendName;
}

/** One variable's optimizer state, keyed by the variable's name in a TfjsOptimizerStateDict. */
export interface TfjsVariableState {
  /** Its index in `paramGroups`. */
  group: number;
  /** The steps its optimizer took (the t of bias corrections). */
  step: number;
  /** The variable's shape. */
  shape: number[];
  /** Running per-group scalars some optimizers keep (NAdam's μ product). */
  groupState?: number[];
  /** Each state buffer, base64 of float32 bytes or a Float32Array, as in gradstep's state dicts. */
  buffers: Record<string, EncodedBuffer>;
}

/** Plain data, like gradstep's OptimizerStateDict, but keyed by variable name. */
export interface TfjsOptimizerStateDict {
  /** Marks the dict as a GradstepOptimizer's: loadStateDict refuses any other format. */
  format: 'gradstep.tfjs';
  /** The version of this format: 1. */
  version: 1;
  /** The gradstep optimizer class, e.g. 'AdamW'. */
  optimizer: string;
  /** applyGradients calls so far (tfjs's `iterations`). */
  iterations: number;
  /** Each group's options (paramGroups order). */
  groups: {
    /** The group's options by name (lr, betas, weightDecay, …), as paramGroups shows them. */
    options: Record<string, unknown>;
  }[];
  /** Each variable's state, keyed by the tfjs variable's name: every variable seen so far (or loaded). */
  variables: Record<string, TfjsVariableState>;
}

/** The optimizers getConfig() can name and fromConfig() can rebuild. */
const OPTIMIZER_CLASSES: Record<string, new (params: ParamGroupsInput, options?: object) => Optimizer<object>> = {
  SGD,
  Adagrad,
  Adadelta,
  RMSprop,
  Adam,
  AdamW,
  Adamax,
  NAdam,
  RAdam,
  Lion,
};

interface Cohort {
  optimizer: Optimizer<object>;
  /** The variables' names, in the optimizer's param order. */
  names: string[];
  /** The adapter group of each of the optimizer's groups. */
  groups: number[];
  /** The value of `optionsVersion` the optimizer's group options were last copied at. */
  syncedVersion: number;
}

interface Tracked {
  cohort: Cohort;
  param: Param;
  group: number;
  shape: number[];
  /** False for state loaded (loadStateDict, setWeights) under a name no step has used yet. */
  claimed: boolean;
}

/** A variable's state on its way into a cohort; `saved` absent for a variable never stepped. */
interface Entry {
  name: string;
  group: number;
  shape: number[];
  saved?: { step: number; groupState?: number[]; buffers: Record<string, EncodedBuffer> };
}

const OWNER = 'GradstepOptimizer';

/** Symbol.dispose where the runtime has it, for `using` (as gradstep's params and optimizers). */
const disposeSymbol: typeof Symbol.dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');

/**
 * A `tf.Optimizer` whose steps are a gradstep optimizer's: pass it to `model.compile({ optimizer })`,
 * or call `minimize` / `applyGradients`. It reads each gradient once (`dataSync`), steps gradstep
 * (wasm SIMD or TypeScript, PyTorch's semantics) and writes each variable back with `assign`.
 *
 * ```ts
 * const optimizer = new GradstepOptimizer((params) => new AdamW(params, { lr: 1e-3 }), { groups: [{ match: /bias/, weightDecay: 0 }] });
 * model.compile({ optimizer, loss: 'categoricalCrossentropy' });
 * ```
 *
 * Owns wasm memory: call `dispose()` when done.
 */
export class GradstepOptimizer extends TfOptimizer {
  /** The name tfjs's serialization registers the class under (registerClass), for saving and loading with a model. */
  static className = 'GradstepOptimizer';

  /**
   * The parameter groups as schedulers see them (PyTorch's param_groups without params): one per
   * `groups` rule, then the default group. Assigning an option (`paramGroups[0].lr = 1e-4`) is
   * validated as gradstep does and reaches every variable of the group from the next step on. Pass
   * the GradstepOptimizer itself to a gradstep scheduler: `new StepLR(optimizer, { stepSize: 10 })`.
   */
  readonly paramGroups: readonly TfjsParamGroup[];
  /** The total gradient norm before clipping at the last step (with the `clipGradNorm` option), else undefined. */
  lastGradNorm: number | undefined = undefined;

  private readonly factory: OptimizerFactory;
  private readonly rules: readonly RegExp[];
  private readonly maxGradNorm: number | undefined;
  private backend: BackendName | undefined;
  /** Holds each group's current options, over one length-1 param per group on the js backend. */
  private template: Optimizer<object> | null;
  private readonly optimizerName: string;
  private readonly optionKeys: readonly string[][];
  private optionsVersion = 0;
  private readonly tracked = new Map<string, Tracked>();

  /**
   * @param factory builds the gradstep optimizer from parameter groups, e.g.
   *   `(params) => new AdamW(params, { lr: 1e-3, weightDecay: 0.01 })`. It is called once now (over
   *   placeholder params, to read and check the options) and again for each set of variables seen.
   */
  constructor(factory: OptimizerFactory, options?: GradstepOptimizerOptions) {
    super();
    if (typeof factory !== 'function') throw new TypeError(`${OWNER}: factory must be a function (params) => gradstep optimizer, got ${describe(factory)}`);
    const given = checkOptionNames(OWNER, options, ['groups', 'clipGradNorm', 'backend']) as GradstepOptimizerOptions;
    const rules = given.groups ?? [];
    if (!Array.isArray(rules)) throw new TypeError(`${OWNER}: groups must be an array of { match: RegExp, ...options }, got ${describe(rules)}`);
    // Copies without the g and y flags: test() on those advances lastIndex (and the user's regex).
    this.rules = rules.map((rule: unknown, i) => {
      const match = (rule as { match?: unknown } | null)?.match;
      if (!(match instanceof RegExp)) throw new TypeError(`${OWNER}: groups[${i}].match must be a RegExp, got ${describe(match)}`);
      return new RegExp(match.source, match.flags.replace(/[gy]/g, ''));
    });
    if (given.clipGradNorm !== undefined && (typeof given.clipGradNorm !== 'number' || !(given.clipGradNorm >= 0))) {
      throw new RangeError(`${OWNER}: clipGradNorm must be a number >= 0 (Infinity allowed), got ${describe(given.clipGradNorm)}`);
    }
    this.maxGradNorm = given.clipGradNorm;
    if (given.backend !== undefined && given.backend !== 'wasm' && given.backend !== 'js') {
      throw new TypeError(`${OWNER}: backend must be 'wasm' or 'js', got ${describe(given.backend)}`);
    }
    this.backend = given.backend;
    this.factory = factory;

    const placeholders = this.rules.map(() => 0).concat(0).map(() => param(1, { backend: 'js' }));
    const overrides = rules.map(({ match: _match, ...groupOptions }) => groupOptions);
    const inputs = placeholders.map((p, g) => ({ ...(overrides[g] ?? {}), params: [p] }));
    let template: Optimizer<object>;
    try {
      template = this.callFactory(inputs);
    } catch (error) {
      placeholders.forEach((p) => p.dispose());
      throw error;
    }
    this.template = template;
    this.optimizerName = template.stateDict().optimizer;
    this.optionKeys = template.paramGroups.map((group) => Object.keys(group).filter((key) => key !== 'params'));
    this.paramGroups = template.paramGroups.map((_, g) => this.groupView(g));
  }

  /** The gradstep optimizer class the factory builds, e.g. 'AdamW'. */
  get optimizerClass(): string {
    return this.optimizerName;
  }

  /** The names of the variables this optimizer keeps state for, in the order first seen. */
  get variableNames(): string[] {
    return [...this.tracked.keys()];
  }

  /** Whether dispose() was called (the params and the optimizer state are freed and the optimizer unusable). */
  get disposed(): boolean {
    return this.template === null;
  }

  /**
   * One step over the variables named in `variableGradients` (the array or the map form): each
   * variable's value and gradient are read, clipped together (`clipGradNorm`), stepped by gradstep,
   * and assigned back. Variables without a gradient (absent or null) are left untouched.
   */
  applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    this.alive();
    const gradients = namedGradients(variableGradients);
    const variables = gradients.map(({ name, tensor: grad }) => {
      const variable = engine().registeredVariables[name] as Variable | undefined;
      if (variable === undefined) throw new Error(`${OWNER}.applyGradients: no tfjs variable is named ${JSON.stringify(name)}`);
      if (variable.dtype !== 'float32') throw new TypeError(`${OWNER}.applyGradients: variable ${JSON.stringify(name)} is ${variable.dtype}; gradstep optimizes float32 variables`);
      if (grad.size !== variable.size) {
        throw new RangeError(`${OWNER}.applyGradients: the gradient of ${JSON.stringify(name)} has ${grad.size} values, the variable ${variable.size}`);
      }
      return variable;
    });
    if (gradients.length > 0) {
      this.track(variables);
      const params = gradients.map(({ name }) => this.tracked.get(name)!.param);
      gradients.forEach(({ tensor: grad }, i) => {
        // Read afresh every step: the weights may have been set since (model.setWeights, loading).
        params[i].value.set(variables[i].dataSync() as Float32Array);
        params[i].grad.set(grad.dataSync() as Float32Array);
      });
      if (this.maxGradNorm !== undefined) this.lastGradNorm = clipGradNorm(params, this.maxGradNorm);
      for (const cohort of new Set(gradients.map(({ name }) => this.tracked.get(name)!.cohort))) {
        this.syncOptions(cohort);
        cohort.optimizer.step();
      }
      tidy(() => {
        // A copy: the cpu backend keeps the array it is given, and a view of wasm memory changes next step.
        variables.forEach((variable, i) => variable.assign(tensor(params[i].value.slice(), variable.shape, 'float32')));
      });
    }
    this.incrementIterations();
  }

  /**
   * The state of every variable seen, keyed by variable name, with each group's options. `encoding`
   * as in gradstep: 'base64' (default; JSON-safe) or 'float32' (Float32Array copies).
   */
  stateDict(options?: { encoding?: StateEncoding }): TfjsOptimizerStateDict {
    const template = this.alive();
    const encoding = options?.encoding;
    const variables: Record<string, TfjsVariableState> = {};
    const records = new Map<string, TfjsVariableState>();
    for (const cohort of this.cohorts()) for (const entry of this.entriesOf(cohort, encoding)) records.set(entry.name, stateOf(entry));
    for (const name of this.tracked.keys()) Object.defineProperty(variables, name, { value: records.get(name), enumerable: true, writable: true, configurable: true });
    return {
      format: 'gradstep.tfjs',
      version: 1,
      optimizer: this.optimizerName,
      iterations: this.iterations,
      groups: template.stateDict().groups.map((group) => ({ options: group.options })),
      variables,
    };
  }

  /**
   * Restores a state dict from stateDict() of an optimizer of the same class with the same number of
   * groups: each group's options, tfjs's `iterations`, and every variable's state (variables not yet
   * seen start from it when their first gradient arrives). A refused dict changes nothing.
   */
  loadStateDict(dict: TfjsOptimizerStateDict): void {
    const template = this.alive();
    const where = `${OWNER}.loadStateDict(dict)`;
    if (dict === null || typeof dict !== 'object' || dict.format !== 'gradstep.tfjs' || dict.version !== 1) {
      throw new TypeError(`${where}: not a gradstep.tfjs state dict (format ${describe(dict?.format)}, version ${describe(dict?.version)})`);
    }
    if (dict.optimizer !== this.optimizerName) throw new TypeError(`${where}: the dict holds the state of ${describe(dict.optimizer)}, not of ${this.optimizerName}`);
    if (!Number.isSafeInteger(dict.iterations) || dict.iterations < 0) throw new RangeError(`${where}: dict.iterations must be an integer >= 0, got ${describe(dict.iterations)}`);
    if (!Array.isArray(dict.groups) || dict.groups.length !== this.paramGroups.length) {
      throw new RangeError(`${where}: the dict has ${describe(Array.isArray(dict.groups) ? dict.groups.length : dict.groups)} groups, this optimizer has ${this.paramGroups.length}`);
    }
    if (dict.variables === null || typeof dict.variables !== 'object') throw new TypeError(`${where}: dict.variables must be an object, got ${describe(dict.variables)}`);
    const entries = Object.entries(dict.variables).map(([name, state]): Entry => {
      if (state === null || typeof state !== 'object') throw new TypeError(`${where}: dict.variables[${JSON.stringify(name)}] must be an object, got ${describe(state)}`);
      const { group, step, shape, groupState, buffers } = state;
      if (!Number.isInteger(group) || group < 0 || group >= this.paramGroups.length) {
        throw new RangeError(`${where}: dict.variables[${JSON.stringify(name)}].group must be a group index from 0 to ${this.paramGroups.length - 1}, got ${describe(group)}`);
      }
      if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
        throw new TypeError(`${where}: dict.variables[${JSON.stringify(name)}].shape must be an array of sizes, got ${describe(shape)}`);
      }
      // step, groupState and buffers are checked by the gradstep optimizer that loads them.
      return { name, group, shape: [...shape], saved: { step, groupState, buffers } };
    });
    // The new template first (it checks the options), then the cohorts; only then drop the old ones.
    const templateDict = template.stateDict();
    templateDict.groups.forEach((group, g) => (group.options = dict.groups[g]?.options));
    const next = this.callFactory(template.params.map((_, g) => ({ ...plainOptions(template.paramGroups[g] as unknown as Record<string, unknown>, this.optionKeys[g]), params: [param(1, { backend: 'js' })] })));
    let cohorts: Cohort[];
    try {
      next.loadStateDict(templateDict);
      cohorts = this.buildCohorts(entries, next);
    } catch (error) {
      disposeOptimizer(next);
      throw error;
    }
    for (const cohort of this.cohorts()) disposeCohort(cohort);
    this.tracked.clear();
    disposeOptimizer(template);
    this.template = next;
    this.optionsVersion++;
    for (const cohort of cohorts) this.adopt(cohort, entries);
    this.iterations_ = dict.iterations;
  }

  /**
   * tfjs's Optimizer contract (used by `model.save(…, { includeOptimizer: true })` and loading):
   * `iter`, then per variable `<name>/step` and `<name>/<buffer>` (e.g. `dense/kernel/expAvg`), and
   * `<name>/groupState` where the optimizer keeps one. The caller owns the tensors.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const dict = this.stateDict({ encoding: 'float32' });
    const weights: NamedTensor[] = [await this.saveIterations()];
    for (const [name, state] of Object.entries(dict.variables)) {
      weights.push({ name: `${name}/step`, tensor: scalar(state.step, 'int32') });
      // The variable's shape on its own: an optimizer without buffers (SGD without momentum) has no
      // buffer tensor to carry it, and setWeights needs it to match the variable again.
      weights.push({ name: `${name}/shape`, tensor: tensor(state.shape, [state.shape.length], 'int32') });
      if (state.groupState !== undefined) weights.push({ name: `${name}/groupState`, tensor: tensor(state.groupState, [state.groupState.length], 'float32') });
      for (const [buffer, values] of Object.entries(state.buffers)) weights.push({ name: `${name}/${buffer}`, tensor: tensor(values as Float32Array, state.shape, 'float32') });
    }
    return weights;
  }

  /**
   * Loads what getWeights() returned (through a saved model or not). Group options are kept; each
   * variable goes to the group it is in here, or that its name chooses. Does not dispose the tensors.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    this.alive();
    if (!Array.isArray(weightValues) || weightValues.length === 0 || weightValues[0]?.name !== 'iter') {
      throw new TypeError(`${OWNER}.setWeights: weightValues must be what getWeights() returns ('iter' first), got ${describe(weightValues)}`);
    }
    const current = this.stateDict();
    const variables: Record<string, TfjsVariableState> = {};
    for (const { name: key, tensor: values } of weightValues.slice(1)) {
      const slash = key.lastIndexOf('/');
      const [name, part] = [key.slice(0, slash), key.slice(slash + 1)];
      if (slash <= 0 || part === '') throw new TypeError(`${OWNER}.setWeights: ${JSON.stringify(key)} is not a weight getWeights() names (<variable>/<buffer>)`);
      if (!Object.hasOwn(variables, name)) {
        const group = this.tracked.get(name)?.group ?? this.groupFor(name);
        Object.defineProperty(variables, name, { value: { group, step: 0, shape: [], buffers: {} }, enumerable: true, writable: true, configurable: true });
      }
      const state = variables[name];
      const data = (await values.data()) as Float32Array;
      if (part === 'step') state.step = data[0];
      else if (part === 'shape') state.shape = Array.from(data);
      else if (part === 'groupState') state.groupState = Array.from(data);
      else {
        state.shape = [...values.shape];
        state.buffers[part] = Float32Array.from(data);
      }
    }
    const iterations = (await weightValues[0].tensor.data())[0];
    this.loadStateDict({ ...current, iterations, variables });
  }

  /** The options that rebuild this optimizer with fromConfig (see the class documentation for the limits). */
  getConfig(): serialization.ConfigDict {
    const template = this.alive();
    const groups = template.stateDict().groups.map((group) => group.options as serialization.ConfigDict);
    return {
      optimizer: this.optimizerName,
      defaults: groups[groups.length - 1],
      // Patterns as base64: tfjs-layers camel-cases every string with an underscore when it loads a
      // training config (convertPythonicToTs), which would change a pattern such as /layer_norm/.
      groups: this.rules.map((rule, g) => ({ ...groups[g], matchBase64: toBase64(rule.source), matchFlags: rule.flags })),
      ...(this.maxGradNorm !== undefined ? { clipGradNorm: Number.isFinite(this.maxGradNorm) ? this.maxGradNorm : 'Infinity' } : {}),
      ...(this.backend !== undefined ? { backend: this.backend } : {}),
    };
  }

  /**
   * Rebuilds from getConfig(): `new <class>(params, options)` with the gradstep class getConfig named
   * (one of gradstep's optimizers) and each group's options as they were; state comes separately
   * (setWeights, loadStateDict). A factory that did more than construct a gradstep optimizer class
   * with fixed options is not reproduced.
   */
  static override fromConfig<T extends serialization.Serializable>(cls: serialization.SerializableConstructor<T>, config: serialization.ConfigDict): T {
    const name = config.optimizer as string;
    const OptimizerClass = Object.hasOwn(OPTIMIZER_CLASSES, name) ? OPTIMIZER_CLASSES[name] : undefined;
    if (OptimizerClass === undefined) throw new TypeError(`${OWNER}.fromConfig: config.optimizer must name a gradstep optimizer (${Object.keys(OPTIMIZER_CLASSES).join(', ')}), got ${describe(name)}`);
    const defaults = config.defaults as Record<string, unknown>;
    const groups = ((config.groups ?? []) as Record<string, unknown>[]).map(({ matchBase64, matchFlags, ...options }) => ({
      ...options,
      match: new RegExp(fromBase64(matchBase64 as string), matchFlags as string),
    }));
    const clip = config.clipGradNorm === 'Infinity' ? Infinity : (config.clipGradNorm as number | undefined);
    const options: GradstepOptimizerOptions = { groups, ...(clip !== undefined ? { clipGradNorm: clip } : {}), ...(config.backend !== undefined ? { backend: config.backend as BackendName } : {}) };
    return new (cls as unknown as new (factory: OptimizerFactory, options: GradstepOptimizerOptions) => T)((params) => new OptimizerClass(params, defaults), options);
  }

  /** Frees every param and optimizer state this optimizer created. Using it afterwards throws; a second call does nothing. */
  override dispose(): void {
    if (this.template === null) return;
    for (const cohort of this.cohorts()) disposeCohort(cohort);
    this.tracked.clear();
    disposeOptimizer(this.template);
    this.template = null;
    super.dispose();
  }

  /** dispose(), for `using optimizer = new GradstepOptimizer(…)`. */
  [disposeSymbol](): void {
    this.dispose();
  }

  private alive(): Optimizer<object> {
    if (this.template === null) throw new Error(`${OWNER}: this optimizer was disposed`);
    return this.template;
  }

  private callFactory(inputs: ParamGroupsInput): Optimizer<object> {
    const optimizer = this.factory(inputs);
    const expected = inputs.flatMap((group) => group.params);
    const given = (optimizer as { params?: unknown } | null)?.params;
    if (!Array.isArray(given) || typeof (optimizer as { step?: unknown }).step !== 'function') {
      throw new TypeError(`${OWNER}: the factory must return a gradstep optimizer, got ${describe(optimizer)}`);
    }
    if (given.length !== expected.length || !given.every((p, i) => p === expected[i]) || optimizer.paramGroups.length !== inputs.length) {
      throw new TypeError(`${OWNER}: the factory must build its optimizer over the parameter groups it is given, as they are ((params) => new AdamW(params, options))`);
    }
    return optimizer;
  }

  private groupView(g: number): TfjsParamGroup {
    const view: Record<string, unknown> = {};
    for (const key of this.optionKeys[g]) {
      Object.defineProperty(view, key, {
        enumerable: true,
        get: () => (this.alive().paramGroups[g] as unknown as Record<string, unknown>)[key],
        set: (value: unknown) => {
          (this.alive().paramGroups[g] as unknown as Record<string, unknown>)[key] = value;
          this.optionsVersion++;
        },
      });
    }
    return Object.seal(view) as TfjsParamGroup;
  }

  private groupFor(name: string): number {
    const rule = this.rules.findIndex((match) => match.test(name));
    return rule >= 0 ? rule : this.rules.length;
  }

  private cohorts(): Set<Cohort> {
    return new Set([...this.tracked.values()].map((t) => t.cohort));
  }

  /** Makes every variable of this step belong to a cohort whose variables all step now. */
  private track(variables: Variable[]): void {
    const stepping = new Set(variables.map((v) => v.name));
    for (const variable of variables) {
      const known = this.tracked.get(variable.name);
      if (known !== undefined && sizeOf(known.shape) !== variable.size) {
        throw new RangeError(
          `${OWNER}.applyGradients: variable ${JSON.stringify(variable.name)} has ${variable.size} values, its optimizer state is for ${sizeOf(known.shape)} (shape [${known.shape.join(', ')}])`,
        );
      }
    }
    this.claimLoadedState(variables);
    for (const cohort of this.cohorts()) {
      const inside = cohort.names.filter((name) => stepping.has(name));
      if (inside.length === 0 || inside.length === cohort.names.length) continue;
      const entries = this.entriesOf(cohort, 'float32');
      const next = this.buildCohorts(entries, this.alive(), (entry) => (stepping.has(entry.name) ? 'in' : 'out'));
      disposeCohort(cohort);
      for (const built of next) this.adopt(built, entries);
    }
    const fresh = variables.filter((v) => !this.tracked.has(v.name));
    if (fresh.length > 0) {
      const entries = fresh.map((v): Entry => ({ name: v.name, group: this.groupFor(v.name), shape: [...v.shape] }));
      for (const cohort of this.buildCohorts(entries, this.alive())) this.adopt(cohort, entries);
    }
    for (const name of stepping) this.tracked.get(name)!.claimed = true;
  }

  /**
   * Loaded state whose names no variable has: tfjs-layers renames the variables of a loaded model
   * when their names are taken in the process (`dense_Dense1/kernel` becomes `dense_Dense1/kernel_1`),
   * so a model loaded next to another one steps variables the saved state does not name. When a step
   * brings exactly as many variables without state as there are unclaimed loaded variables, and their
   * shapes agree in order, they are matched in order (tfjs's own optimizers match saved weights by
   * position only); otherwise the new variables start fresh and the loaded state stays unclaimed.
   */
  private claimLoadedState(variables: readonly Variable[]): void {
    const fresh = variables.filter((v) => !this.tracked.has(v.name));
    const unclaimed = [...this.tracked].filter(([, t]) => !t.claimed);
    if (fresh.length === 0 || fresh.length !== unclaimed.length) return;
    if (!fresh.every((v, i) => sameShape(v.shape, unclaimed[i][1].shape))) return;
    unclaimed.forEach(([name, tracked], i) => {
      const cohort = tracked.cohort;
      cohort.names[cohort.names.indexOf(name)] = fresh[i].name;
      this.tracked.delete(name);
      this.tracked.set(fresh[i].name, tracked);
    });
  }

  /** Records the cohort's variables, in the entries' order (variableNames lists them as first seen). */
  private adopt(cohort: Cohort, entries: readonly Entry[]): void {
    for (const entry of entries) {
      const i = cohort.names.indexOf(entry.name);
      const claimed = this.tracked.get(entry.name)?.claimed ?? entry.saved === undefined;
      if (i >= 0) this.tracked.set(entry.name, { cohort, param: cohort.optimizer.params[i], group: entry.group, shape: entry.shape, claimed });
    }
  }

  /**
   * Cohorts for the entries: one per step count and group state (and `part`), each optimizer built by
   * the factory over params named after the variables and loaded with their saved state. Either all
   * are built or none (and nothing is left allocated).
   */
  private buildCohorts(entries: readonly Entry[], template: Optimizer<object>, part: (entry: Entry) => string = () => ''): Cohort[] {
    const partitions = new Map<string, Entry[]>();
    for (const entry of entries) {
      const key = JSON.stringify([part(entry), entry.saved?.step ?? 0, entry.saved?.groupState ?? null]);
      partitions.set(key, [...(partitions.get(key) ?? []), entry]);
    }
    const built: Cohort[] = [];
    try {
      for (const members of partitions.values()) built.push(this.buildCohort(members, template));
    } catch (error) {
      built.forEach(disposeCohort);
      throw error;
    }
    return built;
  }

  private buildCohort(members: readonly Entry[], template: Optimizer<object>): Cohort {
    const backend = (this.backend ??= getBackend());
    const groups = [...new Set(members.map((e) => e.group))].sort((a, b) => a - b);
    const ordered = groups.flatMap((g) => members.filter((e) => e.group === g));
    const params: Param[] = [];
    let optimizer: Optimizer<object> | undefined;
    try {
      for (const entry of ordered) params.push(param(sizeOf(entry.shape), { backend, name: entry.name }));
      let position = 0;
      const options = groups.map((g) => plainOptions(template.paramGroups[g] as unknown as Record<string, unknown>, this.optionKeys[g]));
      optimizer = this.callFactory(groups.map((g, i) => ({ ...options[i], params: ordered.filter((e) => e.group === g).map(() => params[position++]) })));
      const saved = ordered[0].saved;
      if (saved !== undefined) {
        position = 0;
        const dict: OptimizerStateDict = {
          format: 'gradstep.optimizer',
          version: 1,
          optimizer: this.optimizerName,
          step: saved.step,
          groups: groups.map((g, i) => ({
            options: options[i],
            params: ordered.filter((e) => e.group === g).map(() => position++),
            ...(saved.groupState !== undefined ? { state: saved.groupState } : {}),
          })),
          state: ordered.map((e, i) => ({ length: params[i].length, buffers: e.saved!.buffers })),
        };
        optimizer.loadStateDict(dict);
      }
    } catch (error) {
      if (optimizer !== undefined) optimizer.dispose();
      params.forEach((p) => p.dispose());
      throw error;
    }
    return { optimizer, names: ordered.map((e) => e.name), groups, syncedVersion: this.optionsVersion };
  }

  /** Each variable of the cohort with its saved state. */
  private entriesOf(cohort: Cohort, encoding: StateEncoding | undefined): Entry[] {
    const dict = cohort.optimizer.stateDict(encoding === undefined ? undefined : { encoding });
    return dict.groups.flatMap((group, gi) =>
      group.params.map((index): Entry => {
        const name = cohort.names[index];
        return {
          name,
          group: cohort.groups[gi],
          shape: [...this.tracked.get(name)!.shape],
          saved: { step: dict.step, ...(group.state !== undefined ? { groupState: group.state } : {}), buffers: dict.state[index].buffers },
        };
      }),
    );
  }

  /** Copies each group's options (changed through paramGroups, by a scheduler) into the cohort's optimizer. */
  private syncOptions(cohort: Cohort): void {
    if (cohort.syncedVersion === this.optionsVersion) return;
    const template = this.alive();
    cohort.groups.forEach((g, gi) => {
      const from = template.paramGroups[g] as unknown as Record<string, unknown>;
      const to = cohort.optimizer.paramGroups[gi] as unknown as Record<string, unknown>;
      for (const key of this.optionKeys[g]) if (!sameOption(from[key], to[key])) to[key] = from[key];
    });
    cohort.syncedVersion = this.optionsVersion;
  }
}

serialization.registerClass(GradstepOptimizer);

/** The gradients of a call, in its order, without null entries (variables that get no gradient). */
function namedGradients(variableGradients: NamedTensorMap | NamedTensor[]): { name: string; tensor: Tensor }[] {
  const where = `${OWNER}.applyGradients`;
  if (variableGradients === null || typeof variableGradients !== 'object') {
    throw new TypeError(`${where}: variableGradients must be an array of { name, tensor } or an object of tensors by name, got ${describe(variableGradients)}`);
  }
  const list = Array.isArray(variableGradients)
    ? variableGradients.map((entry, i) => {
        if (entry === null || typeof entry !== 'object' || typeof entry.name !== 'string') {
          throw new TypeError(`${where}: variableGradients[${i}] must be { name, tensor }, got ${describe(entry)}`);
        }
        return { name: entry.name, tensor: entry.tensor };
      })
    : Object.entries(variableGradients).map(([name, grad]) => ({ name, tensor: grad }));
  const seen = new Set<string>();
  for (const { name } of list) {
    if (seen.has(name)) throw new TypeError(`${where}: variable ${JSON.stringify(name)} has two gradients`);
    seen.add(name);
  }
  return list.filter((entry) => entry.tensor != null);
}

function stateOf(entry: Entry): TfjsVariableState {
  const saved = entry.saved!;
  return { group: entry.group, step: saved.step, shape: entry.shape, ...(saved.groupState !== undefined ? { groupState: saved.groupState } : {}), buffers: saved.buffers };
}

/** A group's current options, arrays copied (group views hand out frozen ones). */
function plainOptions(group: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, Array.isArray(group[key]) ? [...(group[key] as unknown[])] : group[key]]));
}

function sameOption(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return Object.is(a, b);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function disposeOptimizer(optimizer: Optimizer<object>): void {
  const params = optimizer.params;
  optimizer.dispose();
  for (const p of params) p.dispose();
}

function disposeCohort(cohort: Cohort): void {
  disposeOptimizer(cohort.optimizer);
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
}
