// One log line per kind of failure per interval: a full disk must not turn every failed request into a log flood.

/** A rate-limited line writer: `write(kind, line)` writes at most one line per kind per interval. */
export interface RateLimitedLog {
  /** Write `line` unless a line of this `kind` was written less than the interval ago; returns whether it was written. */
  write(kind: string, line: string): boolean;
}

/**
 * A writer that lets one line per `kind` through every `intervalMs`, noting how many it held back since the last one.
 * Memory is bounded by the number of kinds (a few error codes), never by the number of failures.
 * @example
 * const log = rateLimitedLog((line) => console.error(line), 60_000); log.write('STORE_WRITE_FAILED', 'store write failed');
 */
export function rateLimitedLog(sink: (line: string) => void, intervalMs = 60_000, now: () => number = Date.now): RateLimitedLog {
  const kinds = new Map<string, { at: number; held: number }>();
  return {
    write(kind: string, line: string): boolean {
      const at = now();
      const seen = kinds.get(kind);
      if (seen !== undefined && at - seen.at < intervalMs) {
        seen.held += 1;
        return false;
      }
      if (kinds.size >= 64 && seen === undefined) kinds.clear();
      const held = seen?.held ?? 0;
      kinds.set(kind, { at, held: 0 });
      // One line: newlines in a message (a stack, a crafted value) cannot start lines of their own.
      const flat = line.replace(/[\r\n\u2028\u2029]+/g, ' ');
      sink(held > 0 ? `${flat} (${held} more like this since the last line)` : flat);
      return true;
    },
  };
}
