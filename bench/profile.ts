// `npm run build && npx tsx bench/profile.ts [variant …]`: CPU-profile variant servers (on dist/) under load; prints where each request's time goes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuMicros, measure, REPO_ROOT, signIn, startServer, type RunningServer } from './harness.js';
import type { ChildMessage, ParentMessage } from './server-child.js';
import { isVariantName, VARIANTS, type VariantName } from './variants/index.js';

const USAGE = `usage: npm run build && npx tsx bench/profile.ts [${VARIANTS.join('|')} …] [--duration 10] [--warmup 3] [--connections 10] [--top 25] [--interval 250] [--sessions 0]
  Profiles only the measured window, inside the server child; default variants: sessionwarden bare.`;

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    top: { type: 'string', default: '25' },
    interval: { type: 'string', default: '250' },
    sessions: { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});
const variants = (positionals.length > 0 ? positionals : ['sessionwarden', 'bare']).filter((name): name is VariantName => {
  if (isVariantName(name)) return true;
  console.error(`unknown variant ${JSON.stringify(name)}\n${USAGE}`);
  process.exit(2);
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const settings = {
  duration: Number(flags.duration),
  warmup: Number(flags.warmup),
  connections: Number(flags.connections),
  top: Number(flags.top),
  intervalUs: Number(flags.interval),
  sessions: Number(flags.sessions),
};
for (const [name, value] of Object.entries(settings)) {
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} takes a whole number\n${USAGE}`);
    process.exit(2);
  }
}

/** The parts of a V8 `.cpuprofile` read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Frame {
  name: string;
  /** Repository-relative file, `node:…`, or '' for V8 builtins and pseudo-frames. */
  file: string;
  line: number;
}

const REPO_URL = pathToFileURL(REPO_ROOT).href.replace(/\/?$/, '/');

function frameOf(callFrame: CpuProfile['nodes'][number]['callFrame']): Frame {
  const bare = callFrame.url.replace(/[?#].*$/, '');
  let file: string;
  if (bare.startsWith(REPO_URL)) file = decodeURIComponent(bare.slice(REPO_URL.length));
  else if (bare.startsWith('node:') || bare === '') file = bare;
  // Never print where this machine keeps files: outside the repository only the file name is shown.
  else file = `…/${bare.split('/').pop() ?? ''}`;
  return { name: callFrame.functionName || '(anonymous)', file, line: callFrame.lineNumber + 1 };
}

/** Which part of the stack a sample is charged to: a dist/ or bench/ file, an npm package, or what the runtime did. */
function ownerOf(frame: Frame): string | null {
  if (frame.file.startsWith('dist/') || frame.file.startsWith('bench/')) return frame.file;
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.file);
  if (pkg) return `npm ${pkg[1]}`;
  return null;
}

function label(frame: Frame): string {
  if (!frame.file) return frame.name;
  return `${frame.name}  ${frame.file}:${frame.line}`;
}

function summarise(profile: CpuProfile, requests: number, variant: VariantName, cpuPerRequest: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // V8 reports the gap before the next sample; each sample owns the time until the next one.
  const selfUs = new Map<number, number>();
  let clock = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (clock += delta));
  profile.samples.forEach((id, index) => {
    const next = stamps[index + 1] ?? profile.endTime;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, next - stamps[index]!));
  });

  const perRequest = (us: number) => (requests > 0 ? us / requests : 0);
  const total = [...selfUs.values()].reduce((sum, us) => sum + us, 0);
  const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((sum, [, us]) => sum + us, 0);
  const busy = total - idle;

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const leaf = frameOf(byId.get(id)!.callFrame);
    if (leaf.name === '(idle)') continue;
    // Native and builtin frames have no file: name their caller, so better-sqlite3's `get` reads as the store's.
    const callerId = parent.get(id);
    const leafLabel = leaf.file === '' && !leaf.name.startsWith('(') && callerId !== undefined ? `${leaf.name} ← ${label(frameOf(byId.get(callerId)!.callFrame))}` : label(leaf);
    self.set(leafLabel, (self.get(leafLabel) ?? 0) + us);
    // Walk up once: charge every distinct dist/ function on the stack (recursion counted once), and the innermost owner.
    const seen = new Set<string>();
    let owner: string | null = null;
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const frame = frameOf(byId.get(cursor)!.callFrame);
      owner ??= ownerOf(frame);
      if (frame.file.startsWith('dist/')) {
        const key = label(frame);
        if (!seen.has(key)) {
          seen.add(key);
          inclusive.set(key, (inclusive.get(key) ?? 0) + us);
        }
      }
    }
    const bucket = owner ?? (leaf.name.startsWith('(') ? leaf.name : 'node:http/net and V8 (no app or package frame)');
    owners.set(bucket, (owners.get(bucket) ?? 0) + us);
  }

  const rows = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => `| ${perRequest(us).toFixed(2)} | ${((us / busy) * 100).toFixed(1)} % | \`${name.replace(/\|/g, '\\|')}\` |`)
      .join('\n');

  console.log(`\n## ${variant}: ${requests.toLocaleString('en-US')} requests in ${(total / 1e6).toFixed(1)} s profiled`);
  console.log(
    `Sampled busy ${perRequest(busy).toFixed(1)} µs per request (${((busy / total) * 100).toFixed(0)} % of the window), idle ${perRequest(idle).toFixed(1)} µs; ` +
      `the process's own CPU time was ${cpuPerRequest.toFixed(1)} µs per request.`,
  );
  console.log('(Sampling is wall-clock: on a busy machine, time spent descheduled is charged to the code that ran last.)\n');
  console.log('### Where the busy time goes (each sample charged to its innermost dist/ file or npm package)\n');
  console.log(`| µs/request | share | owner |\n|---:|---:|---|\n${rows(owners, 20)}`);
  console.log(`\n### Top ${settings.top} functions by self time\n`);
  console.log(`| µs/request | share | function |\n|---:|---:|---|\n${rows(self, settings.top)}`);
  if (inclusive.size > 0) {
    console.log('\n### dist/ functions, inclusive (self + everything they call)\n');
    console.log(`| µs/request | share | function |\n|---:|---:|---|\n${rows(inclusive, settings.top)}`);
  }
}

function ask(server: RunningServer, message: ParentMessage, expect: ChildMessage['type']): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      const reply = raw as ChildMessage;
      if (reply.type === 'failed') {
        server.child.off('message', onMessage);
        reject(new Error(reply.message));
      } else if (reply.type === expect) {
        server.child.off('message', onMessage);
        resolve();
      }
    };
    server.child.on('message', onMessage);
    server.child.send(message);
  });
}

const workDir = mkdtempSync(join(tmpdir(), 'sessionwarden-profile-'));
try {
  console.log(`# CPU profiles: ${settings.connections} connections, ${settings.duration} s profiled after ${settings.warmup} s warm-up, sampling every ${settings.intervalUs} µs; Node ${process.version}`);
  for (const variant of variants) {
    const server = await startServer(variant, { sessions: settings.sessions });
    try {
      const cookie = await signIn(server.url);
      if (settings.warmup > 0) await measure(server.url, cookie, { seconds: settings.warmup, connections: settings.connections });
      const file = join(workDir, `${variant}.cpuprofile`);
      await ask(server, { type: 'profile-start', intervalUs: settings.intervalUs }, 'profile-started');
      const cpuBefore = await cpuMicros(server);
      const run = await measure(server.url, cookie, { seconds: settings.duration, connections: settings.connections });
      const cpuPerRequest = ((await cpuMicros(server)) - cpuBefore) / run.requests;
      await ask(server, { type: 'profile-stop', file }, 'profile-written');
      console.log(`\n${variant}: ${Math.round(run.requestsPerSecond).toLocaleString('en-US')} req/s while profiled (p99 ${run.p99Ms} ms)`);
      summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, run.requests, variant, cpuPerRequest);
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
