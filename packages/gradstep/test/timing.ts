// For the tests of reported durations (fit, score, refit, search times): work that takes a known
// least time, and the check that each reported time lies between that and the whole call's.
import { expect } from 'vitest';

/** Spins until `ms` milliseconds have passed (a sleep would yield, and the time would be the scheduler's). */
export function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Runs `call`, then checks that every time it reports lies between its `least` ms and the call's own duration. */
export async function expectTimesWithinCall<T>(call: () => Promise<T>, times: (result: T) => { values: ArrayLike<number>; least: number }[]): Promise<T> {
  const started = performance.now();
  const result = await call();
  const elapsed = performance.now() - started;
  for (const { values, least } of times(result)) {
    expect(values.length).toBeGreaterThan(0);
    for (const t of Array.from(values)) {
      expect(t).toBeGreaterThanOrEqual(least);
      expect(t).toBeLessThanOrEqual(elapsed);
    }
  }
  return result;
}
