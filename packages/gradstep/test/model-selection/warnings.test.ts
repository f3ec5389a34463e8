// The warning hook: the default prints each distinct message once; a custom handler gets every one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stratifiedKFold } from '../../src/model-selection/stratified-k-fold.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';

afterEach(() => {
  setWarningHandler(undefined);
  vi.restoreAllMocks();
});

describe('warnings', () => {
  it('by default, console.warn once per distinct message, however many calls warn', () => {
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (let i = 0; i < 5; i++) stratifiedKFold([0, 0, 0, 1, 1], { k: 3 });
    expect(consoleWarn).toHaveBeenCalledTimes(1);
    expect(consoleWarn).toHaveBeenCalledWith('gradstep: stratifiedKFold: the least populated class in labels has only 2 members, which is less than k=3');
    stratifiedKFold([0, 0, 0, 0, 1], { k: 3 });
    expect(consoleWarn).toHaveBeenCalledTimes(2);
  });

  it('a custom handler gets every warning; setWarningHandler returns the previous handler', () => {
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const received: string[] = [];
    const handler = (message: string) => received.push(message);
    const previous = setWarningHandler(handler);
    stratifiedKFold([0, 0, 0, 1, 1], { k: 3 });
    stratifiedKFold([0, 0, 0, 1, 1], { k: 3, shuffle: true, seed: 0 });
    expect(received.length).toBe(2);
    expect(setWarningHandler(previous)).toBe(handler);
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it('a throwing handler turns warnings into errors', () => {
    setWarningHandler((message) => {
      throw new Error(message);
    });
    expect(() => stratifiedKFold([0, 0, 0, 1, 1], { k: 3 })).toThrow(/least populated class/);
    expect(() => stratifiedKFold([0, 0, 0, 1, 1, 1], { k: 3 })).not.toThrow();
  });

  it('rejects a handler that is not a function', () => {
    expect(() => setWarningHandler('log' as never)).toThrow(new TypeError('setWarningHandler: handler must be a function or undefined, got string'));
  });
});
