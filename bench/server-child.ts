// One variant server in its own process: `node bench/.build/server-child.mjs <variant> <port> [--sessions N]` (bundled by build-child.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVariantName, VARIANT_TABLE, VARIANTS } from './variants/index.js';

/** What the child tells its parent over IPC. */
export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'profile-started' }
  | { type: 'profile-written'; file: string }
  | { type: 'cpu'; micros: number };

/** What the parent may ask: stop, the CPU time used so far, or a CPU profile of a window of the run (a .cpuprofile file). */
export type ParentMessage = 'stop' | 'cpu' | { type: 'profile-start'; intervalUs: number } | { type: 'profile-stop'; file: string };

const [variant = '', portText = '0', ...rest] = process.argv.slice(2);
if (!isVariantName(variant)) {
  console.error(`usage: server-child.mjs <${VARIANTS.join('|')}> <port> [--sessions N]`);
  process.exit(2);
}
const sessionsFlag = rest.indexOf('--sessions');
const sessions = sessionsFlag >= 0 ? Number(rest[sessionsFlag + 1]) : 0;
const port = Number(portText);
if (!Number.isInteger(sessions) || sessions < 0 || !Number.isInteger(port) || port < 0) {
  console.error('server-child.mjs: <port> and --sessions take whole numbers');
  process.exit(2);
}

function report(message: ChildMessage): void {
  if (process.send) process.send(message);
  else console.log(JSON.stringify(message));
}

function describe(error: unknown): string {
  return (error as Error)?.stack ?? String(error);
}

/** The in-process V8 profiler, so a profile covers only the measured window (not start-up or warm-up). */
let profiler: Session | null = null;

async function startProfile(intervalUs: number): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  profiler = session;
  report({ type: 'profile-started' });
}

async function stopProfile(file: string): Promise<void> {
  const session = profiler;
  if (session === null) throw new Error('profile-stop without profile-start');
  profiler = null;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  report({ type: 'profile-written', file });
}

// What is measured is what users run: the package's built files under plain Node.
const loader = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].find((flag) => /tsx|ts-node/.test(flag));
const resolved = import.meta.resolve('sessionwarden');
if (loader !== undefined || !resolved.endsWith('/dist/index.js')) {
  report({ type: 'failed', message: `the server must run dist/ under plain Node (loader: ${loader ?? 'none'}; sessionwarden resolves to …${resolved.slice(-24)})` });
  process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), `sessionwarden-bench-${variant}-`));
try {
  const server = await VARIANT_TABLE[variant].start({ dataDir, sessions });
  report({ type: 'listening', port: await server.listen(port) });
  let stopping = false;
  // A normal exit (not a signal's default action) so that `--cpu-prof`, when given, gets to write its profile.
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server
      .close()
      .catch((error: unknown) => console.error('closing the server failed:', error))
      .finally(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
  };
  process.on('message', (raw) => {
    const message = raw as ParentMessage;
    if (message === 'stop') stop();
    else if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      report({ type: 'cpu', micros: user + system });
    } else if (message.type === 'profile-start') startProfile(message.intervalUs).catch((error: unknown) => report({ type: 'failed', message: describe(error) }));
    else if (message.type === 'profile-stop') stopProfile(message.file).catch((error: unknown) => report({ type: 'failed', message: describe(error) }));
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  rmSync(dataDir, { recursive: true, force: true });
  report({ type: 'failed', message: describe(error) });
  process.exit(1);
}
