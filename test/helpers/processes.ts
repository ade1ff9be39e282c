// Child processes of the cross-process tests: app processes (test/fixtures/app-process.ts) and race workers
// (test/fixtures/race-worker.ts), each on a store given as a path or URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A running app process. */
export interface AppProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Start an app process on `store` (writes slowed by `delayMs`) and resolve once it listens.
 * @example
 * const app = await startAppProcess('redis://127.0.0.1:6379?prefix=t:', 30);
 */
export function startAppProcess(store: string, delayMs = 0, fixture = 'app-process.ts'): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', fixture), store, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve({ url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child, stop });
    });
    child.once('exit', (code) => reject(new Error(`app process exited with ${code}`)));
  });
}

/** What a race worker reports: logins admitted and refused per round. */
export interface RaceResult {
  tag: string;
  results: Array<{ ok: number; refused: number }>;
}

/**
 * Start a race worker (`<store> <reject|evict-oldest> <rounds> <logins per round> <tag>`); it logs users in when told "go".
 * @example
 * const worker = await startRaceWorker([url, 'reject', '30', '12', 'A']); worker.go(); await worker.result;
 */
export function startRaceWorker(args: string[]): Promise<{ go(): void; result: Promise<RaceResult> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'race-worker.ts'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  return new Promise((resolveReady, rejectReady) => {
    const result = new Promise<RaceResult>((resolve, reject) => {
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.split('\n').find((line) => line.startsWith('{'))!) as RaceResult) : reject(new Error(`worker exited with ${code}`))));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready')) resolveReady({ go: () => child.stdin!.write('go\n'), result });
    });
    child.on('error', rejectReady);
    child.on('exit', (code) => rejectReady(new Error(`worker exited with ${code} before it was ready`)));
  });
}
