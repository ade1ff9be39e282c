// A controllable clock for tests: time moves only when a test says so (pass `now` to createWarden).

/** A fake clock whose `now` can be passed to createWarden. */
export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

/**
 * Make a clock starting at a fixed instant.
 * @example
 * const clock = fakeClock(); clock.advance(31 * 60_000);
 */
export function fakeClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

/** Durations in ms, for readable tests. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
