/**
 * Collects gradstep's warnings during each test: installs a handler before it (through the
 * `setWarningHandler` of the module instance under test: src/ or the built package) and puts the
 * previous one back after it. The returned array is emptied before each test.
 */
import { afterEach, beforeEach } from 'vitest';

type Handler = (message: string) => void;

export function captureWarnings(setWarningHandler: (handler: Handler) => Handler): string[] {
  const warnings: string[] = [];
  let previous: Handler;
  beforeEach(() => {
    warnings.length = 0;
    previous = setWarningHandler((message) => warnings.push(message));
  });
  afterEach(() => {
    setWarningHandler(previous);
  });
  return warnings;
}
