// The demo's settings, read from the environment once (seconds for durations, a SQLite path or a store URL).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo's resolved settings. */
export interface DemoConfig {
  /** The framework serving the demo (SESSIONWARDEN_FRAMEWORK). */
  framework: 'express' | 'fastify' | 'hono';
  port: number;
  /** A SQLite file path or a store URL (postgres://…), as `--store` takes it. */
  store: string;
  /** Processes serving the demo (node:cluster workers on one store); 1 runs it in this process. */
  workers: number;
  idleTimeoutSeconds: number;
  absoluteTimeoutSeconds: number;
  warnBeforeSeconds: number;
  maxSessions: number | null;
  lockSeconds: number | null;
  onExceed: 'evict-oldest' | 'reject';
  /** The read cache's size (SESSIONWARDEN_CACHE), or null: no cache. */
  cacheEntries: number | null;
}

const projectRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * Read the demo's environment variables; a malformed value stops the demo with a message naming the variable.
 * @example
 * const config = readDemoConfig(process.env);
 */
export function readDemoConfig(env: Record<string, string | undefined>): DemoConfig {
  const onExceed = env.SESSIONWARDEN_ON_EXCEED ?? 'evict-oldest';
  if (onExceed !== 'evict-oldest' && onExceed !== 'reject') throw new Error("SESSIONWARDEN_ON_EXCEED must be 'evict-oldest' or 'reject'");
  const framework = env.SESSIONWARDEN_FRAMEWORK || 'express';
  if (framework !== 'express' && framework !== 'fastify' && framework !== 'hono') throw new Error("SESSIONWARDEN_FRAMEWORK must be 'express', 'fastify' or 'hono'");
  return {
    framework,
    port: int(env, 'PORT', 3000, 0, 65_535),
    store: env.SESSIONWARDEN_STORE || join(projectRoot, 'data', 'demo.sqlite'),
    workers: int(env, 'SESSIONWARDEN_WORKERS', 1, 1, 64),
    idleTimeoutSeconds: int(env, 'SESSIONWARDEN_IDLE_TIMEOUT', 300, 1),
    absoluteTimeoutSeconds: int(env, 'SESSIONWARDEN_ABSOLUTE_TIMEOUT', 3600, 1),
    warnBeforeSeconds: int(env, 'SESSIONWARDEN_WARN_BEFORE', 60, 1),
    maxSessions: optionalInt(env, 'SESSIONWARDEN_MAX_SESSIONS', 1, 1000),
    lockSeconds: optionalInt(env, 'SESSIONWARDEN_LOCK_SECONDS', 0),
    onExceed,
    cacheEntries: optionalInt(env, 'SESSIONWARDEN_CACHE', 1, 10_000_000),
  };
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max = 31_536_000): number {
  const value = optionalInt(env, name, min, max);
  return value ?? fallback;
}

/** Seconds are capped at a year: longer is a typo, and it keeps every value a safe integer. */
function optionalInt(env: Record<string, string | undefined>, name: string, min: number, max = 31_536_000): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw.slice(0, 40))})`);
  return value;
}
