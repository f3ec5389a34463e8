/** Shared by the test files that check error messages. */
import { expect } from 'vitest';

/** `call` throws a `type` whose message is `message` exactly (a string) or matches it (a RegExp). */
export function expectError(call: () => unknown, type: typeof TypeError | typeof RangeError, message: RegExp | string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${type.name}: ${message}`).toBeInstanceOf(type);
  if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
  else expect((thrown as Error).message).toMatch(message);
}
