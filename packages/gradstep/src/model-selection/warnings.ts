/**
 * Warnings of the model-selection functions: cases where scikit-learn emits a `UserWarning` and
 * goes on (a class smaller than k in stratifiedKFold). They go to one replaceable handler rather
 * than straight to the console, so that applications and tests can collect, silence or rethrow them.
 */

/** Receives every warning; `message` starts with the function's name, e.g. `"stratifiedKFold: …"`. */
export type WarningHandler = (message: string) => void;

const shownMessages = new Set<string>();

/**
 * Prints each distinct message once per process with `console.warn`, as Python's default warning
 * filter shows a warning once per location: a loop of cross-validations does not flood the console.
 */
const defaultWarningHandler: WarningHandler = (message) => {
  if (shownMessages.has(message)) return;
  shownMessages.add(message);
  console.warn(`gradstep: ${message}`);
};

let currentHandler: WarningHandler = defaultWarningHandler;

/**
 * Replaces the warning handler and returns the previous one (to restore it later). A custom handler
 * gets every warning, one per call of the function that warns (never one per fold). `undefined`
 * restores the default handler, which prints each distinct message once with `console.warn`. To
 * silence warnings pass `() => {}`; to make them errors, a handler that throws.
 */
export function setWarningHandler(handler: WarningHandler | undefined): WarningHandler {
  if (handler !== undefined && typeof handler !== 'function') {
    throw new TypeError(`setWarningHandler: handler must be a function or undefined, got ${typeof handler}`);
  }
  const previous = currentHandler;
  currentHandler = handler ?? defaultWarningHandler;
  return previous;
}

/** Sends one warning to the current handler. */
export function warn(message: string): void {
  currentHandler(message);
}
