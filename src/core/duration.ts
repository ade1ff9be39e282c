// Named durations ('30m', { minutes: 30 }, or milliseconds) turned into total milliseconds.
import { SessionConfigError } from './errors.js';

/**
 * A duration: milliseconds as a number, a string such as `'90s'`, `'30m'`, `'12h'`, `'7d'`, or an object of units.
 * @example
 * const idle: Duration = { minutes: 30 };
 */
export type Duration =
  | number
  | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`
  | { days?: number; hours?: number; minutes?: number; seconds?: number; milliseconds?: number };

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Convert a duration to total milliseconds, throwing a SessionConfigError naming `option` when it is malformed.
 * @example
 * toMilliseconds('30m', 'idleTimeout') // 1_800_000
 */
export function toMilliseconds(value: Duration, option: string): number {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
    if (!match) throw new SessionConfigError(`${option} must be milliseconds or a string like '90s', '30m', '12h' or '7d' (got ${JSON.stringify(value)})`);
    ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  } else if (value !== null && typeof value === 'object') {
    const { days = 0, hours = 0, minutes = 0, seconds = 0, milliseconds = 0, ...rest } = value;
    if (Object.keys(rest).length > 0) throw new SessionConfigError(`${option} has unknown units: ${Object.keys(rest).join(', ')}`);
    ms = days * unitMs.d + hours * unitMs.h + minutes * unitMs.m + seconds * unitMs.s + milliseconds;
  } else {
    throw new SessionConfigError(`${option} must be a duration such as '30m' or { minutes: 30 }`);
  }
  if (!Number.isFinite(ms) || ms < 0) throw new SessionConfigError(`${option} must be a finite, non-negative duration`);
  return Math.round(ms);
}
