// `npm run bench`: authenticated GET /me on every variant (built dist/, plain Node), interleaved rounds; writes bench/results.md.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { cpuMicros, measure, median, signIn, startServer, type Measurement, type RunningServer } from './harness.js';
import { BARE_OF, BASELINE, FLOOR_OF, isVariantName, TARGETS, VARIANT_TABLE, VARIANTS, type BenchFramework, type VariantName } from './variants/index.js';

/** Rounds, warm-up and measured seconds without flags: a run of every variant stays within minutes. */
const DEFAULTS = { full: { rounds: 3, warmup: 1, duration: 3 }, quick: { rounds: 2, warmup: 1, duration: 3 } } as const;

/** For the time estimate: a run takes a little longer than its load (autocannon's start, the CPU query; assumed 5 %), a server about 1 s to start (seen on 2 cores). */
const RUN_OVERHEAD = 1.05;
const START_SECONDS = 1;

/** How long measuring `servers` servers takes, in whole minutes (rounded up), with empty stores. */
function estimateMinutes(servers: number, { rounds, warmup, duration }: { rounds: number; warmup: number; duration: number }): number {
  return Math.ceil((servers * START_SECONDS + servers * rounds * (warmup + duration) * RUN_OVERHEAD) / 60);
}

/** The variant names per framework, wrapped, for the usage text. */
function variantList(indent: string): string {
  const lines: string[] = [];
  for (const framework of Object.keys(BARE_OF) as BenchFramework[]) {
    let line = `${indent}${framework}:`;
    for (const name of VARIANTS.filter((variant) => VARIANT_TABLE[variant].framework === framework)) {
      if (line.length + name.length > 116) {
        lines.push(`${line}`);
        line = `${indent}  `;
      }
      line += ` ${name}`;
    }
    lines.push(line);
  }
  return lines.join('\n');
}

const USAGE = `usage: npm run bench -- [--quick] [--duration ${DEFAULTS.full.duration}] [--warmup ${DEFAULTS.full.warmup}] [--rounds ${DEFAULTS.full.rounds}] [--connections 10] [--100k] [--only a,b] [--strict]
  --quick          a shorter run: ${DEFAULTS.quick.rounds} rounds of ${DEFAULTS.quick.warmup} s warm-up + ${DEFAULTS.quick.duration} s measured (explicit flags still win)
  --duration N     measured seconds per run (default ${DEFAULTS.full.duration})
  --warmup N       unmeasured seconds before each run (default ${DEFAULTS.full.warmup})
  --rounds N       interleaved rounds: every variant once per round (default ${DEFAULTS.full.rounds})
  --connections N  autocannon connections (default 10)
  --100k           also measure each store holding 100,000 other sessions (about twice as long, plus the filling)
  --only a,b       measure only these variants (bare Express and each chosen row's own bare framework are always in)
  --no-write       print the table without overwriting bench/results.md
  --strict         exit with status 1 when a target fails
variants (${VARIANTS.length}; a run of all of them takes about ${estimateMinutes(VARIANTS.length, DEFAULTS.full)} min on 2 cores, ${estimateMinutes(VARIANTS.length, DEFAULTS.quick)} with --quick):
${variantList('  ')}`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string', default: '10' },
    '100k': { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) usageError(`--${name} takes a whole number >= ${min}`);
  return value;
}

function selectedVariants(list: string | undefined): VariantName[] {
  if (list === undefined) return [...VARIANTS];
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) if (!isVariantName(name)) usageError(`unknown variant ${JSON.stringify(name)}`);
  // Bare Express is the yardstick of the Express rows, and each row's own bare framework of its ratio: always in.
  const bares = new Set<VariantName>([BASELINE, ...names.map((name) => BARE_OF[VARIANT_TABLE[name as VariantName].framework])]);
  return VARIANTS.filter((variant) => bares.has(variant) || names.includes(variant));
}

const defaults = flags.quick ? DEFAULTS.quick : DEFAULTS.full;
const settings = {
  duration: wholeNumber('duration', flags.duration ?? String(defaults.duration), 1),
  warmup: wholeNumber('warmup', flags.warmup ?? String(defaults.warmup), 0),
  rounds: wholeNumber('rounds', flags.rounds ?? String(defaults.rounds), 1),
  connections: wholeNumber('connections', flags.connections, 1),
  populated: flags['100k'] ? 100_000 : 0,
  variants: selectedVariants(flags.only),
};

/** One measured run, with the server child's CPU time per request. */
interface Run extends Measurement {
  cpuMicrosPerRequest: number;
}

/** One server under test: a variant, empty or pre-populated, and its figures per round. */
interface Subject {
  server: RunningServer;
  cookie: string;
  runs: Run[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const subjects: Subject[] = [];
const loadBefore = loadavg()[0] ?? 0;

async function main(): Promise<void> {
  const plan: { variant: VariantName; sessions: number }[] = settings.variants.map((variant) => ({ variant, sessions: 0 }));
  if (settings.populated > 0) {
    for (const variant of settings.variants) if (VARIANT_TABLE[variant].hasStore) plan.push({ variant, sessions: settings.populated });
  }
  log(`starting ${plan.length} servers${settings.populated ? ` (filling stores with ${settings.populated.toLocaleString('en-US')} sessions)` : ''}…`);
  const started = Date.now();
  for (const { variant, sessions } of plan) {
    const subject: Subject = { server: await startServer(variant, { sessions }), cookie: '', runs: [] };
    // Listed before signing in, so a failed sign-in still stops this server (its IPC channel would keep us alive).
    subjects.push(subject);
    subject.cookie = await signIn(subject.server.url);
  }
  log(`servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const loadSeconds = subjects.length * settings.rounds * (settings.warmup + settings.duration) * RUN_OVERHEAD;
  log(`measuring ${subjects.length} servers × ${settings.rounds} rounds × (${settings.warmup} + ${settings.duration}) s: about ${Math.ceil(loadSeconds / 60)} min`);

  for (let round = 1; round <= settings.rounds; round += 1) {
    for (const subject of subjects) {
      const { server, cookie } = subject;
      if (settings.warmup > 0) await measure(server.url, cookie, { seconds: settings.warmup, connections: settings.connections });
      const cpuBefore = await cpuMicros(server);
      const measured = await measure(server.url, cookie, { seconds: settings.duration, connections: settings.connections });
      const run = { ...measured, cpuMicrosPerRequest: ((await cpuMicros(server)) - cpuBefore) / measured.requests };
      subject.runs.push(run);
      log(
        `round ${round}/${settings.rounds}  ${nameOf(subject).padEnd(62)} ${formatInteger(run.requestsPerSecond).padStart(7)} req/s  ` +
          `p99 ${run.p99Ms} ms  server CPU ${run.cpuMicrosPerRequest.toFixed(0)} µs/req`,
      );
    }
  }
  await stopAll();
  report();
}

function nameOf(subject: Subject): string {
  const label = VARIANT_TABLE[subject.server.variant].label;
  return subject.server.sessions > 0 ? `${label} (${subject.server.sessions.toLocaleString('en-US')} sessions)` : label;
}

function find(variant: VariantName, sessions: number): Subject | undefined {
  return subjects.find((candidate) => candidate.server.variant === variant && candidate.server.sessions === sessions);
}

/** The median over rounds of a/b, each pair measured in the same round (so a slower machine moment cancels out). */
function ratio(a: Subject, b: Subject): number {
  return median(a.runs.map((run, round) => run.requestsPerSecond / b.runs[round]!.requestsPerSecond));
}

function requestsPerSecondOf(subject: Subject): number {
  return median(subject.runs.map((run) => run.requestsPerSecond));
}

function cpuOf(subject: Subject): number {
  return median(subject.runs.map((run) => run.cpuMicrosPerRequest));
}

function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatPercent(value: number): string {
  const percent = Math.round((value - 1) * 100);
  return `${percent >= 0 ? '+' : '−'}${Math.abs(percent)} %`;
}

function formatThousands(value: number): string {
  return value % 1000 === 0 ? `${value / 1000}k` : value.toLocaleString('en-US');
}

function report(): void {
  const bare = find(BASELINE, 0)!;
  const floor = find('floor', 0);
  const bareOf = (variant: VariantName) => find(BARE_OF[VARIANT_TABLE[variant].framework], 0)!;
  const floorOf = (variant: VariantName) => find(FLOOR_OF[VARIANT_TABLE[variant].framework], 0);
  const filledLabel = `${formatThousands(settings.populated)} sessions`;

  const header = ['variant', 'req/s', 'p99 ms', '× bare (own framework)', '× floor (own framework)', 'server CPU µs/req'];
  if (settings.populated > 0) header.push(`${filledLabel}: req/s`, `${filledLabel}: change`);
  // Grouped by framework (bare, floor and store rows of one framework together), in the table's order within each.
  const frameworks = Object.keys(BARE_OF) as BenchFramework[];
  const grouped = [...settings.variants].sort((a, b) => frameworks.indexOf(VARIANT_TABLE[a].framework) - frameworks.indexOf(VARIANT_TABLE[b].framework));
  const rows = grouped.map((variant) => {
    const subject = find(variant, 0)!;
    const row = [
      variant === 'sessionwarden' ? `**${VARIANT_TABLE[variant].label}**` : VARIANT_TABLE[variant].label,
      formatInteger(requestsPerSecondOf(subject)),
      String(median(subject.runs.map((run) => run.p99Ms))),
      ratio(subject, bareOf(variant)).toFixed(2),
      floorOf(variant) === undefined || !VARIANT_TABLE[variant].hasStore ? '–' : ratio(subject, floorOf(variant)!).toFixed(2),
      cpuOf(subject).toFixed(0),
    ];
    if (settings.populated > 0) {
      const filled = find(variant, settings.populated);
      row.push(filled ? formatInteger(requestsPerSecondOf(filled)) : '–', filled ? formatPercent(ratio(filled, subject)) : '–');
    }
    return row;
  });
  const align = header.map((_, column) => (column === 0 ? '---' : '---:'));
  const table = [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

  const cpuList = cpus();
  const environment =
    `Node ${process.version}, ${cpuList.length} CPUs (${cpuList[0]?.model.trim() ?? 'unknown model'}), ${new Date().toISOString().slice(0, 10)}; ` +
    `every server a plain Node process on the built dist/; ` +
    `autocannon 9 with ${settings.connections} connections on the same machine, ${settings.warmup} s warm-up + ${settings.duration} s measured, ` +
    `median of ${settings.rounds} interleaved round${settings.rounds === 1 ? '' : 's'}; ratios are per-round medians; ` +
    `server CPU is the server process's user + system time per request. ` +
    `1-minute load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after (this benchmark alone keeps about 2 busy).`;

  const targets: { label: string; pass: boolean }[] = [];
  for (const sessions of settings.populated > 0 ? [0, settings.populated] : [0]) {
    for (const target of TARGETS) {
      const mine = find(target.variant, sessions);
      const theirs = find(target.against, sessions);
      if (mine === undefined || theirs === undefined) continue;
      const measured = ratio(mine, theirs);
      const prefix = sessions > 0 ? `with ${filledLabel}: ` : '';
      targets.push({
        label: `${prefix}${target.variant} ≥ ${target.atLeast.toFixed(2)}× ${target.against} (measured ${measured.toFixed(2)}×)`,
        pass: measured >= target.atLeast,
      });
    }
  }
  const lines: string[] = [];
  const ours = find('sessionwarden', 0);
  if (ours !== undefined && floor !== undefined) {
    lines.push(
      `- Server CPU per request: bare Express ${cpuOf(bare).toFixed(0)} µs, the floor ${cpuOf(floor).toFixed(0)} µs, ` +
        `sessionwarden ${cpuOf(ours).toFixed(0)} µs (${(cpuOf(ours) - cpuOf(floor)).toFixed(0)} µs over the floor).`,
    );
  }
  const summary = [...targets.map(({ label, pass }) => `- ${pass ? 'PASS' : 'FAIL'}: ${label}`), ...lines].join('\n');

  const markdown = `Authenticated \`GET /me\` (reads the session, answers the user id as JSON). ${environment}\n\n${table}\n\n${summary}\n`;
  console.log(`\n${markdown}`);
  if (!flags['no-write']) {
    writeFileSync(new URL('./results.md', import.meta.url), markdown);
    log('(written to bench/results.md)');
  }
  if (flags.strict && targets.some((target) => !target.pass)) process.exitCode = 1;
}

async function stopAll(): Promise<void> {
  await Promise.all(subjects.map((subject) => subject.server.stop()));
}

main().catch(async (error: unknown) => {
  console.error(`benchmark failed: ${(error as Error)?.message ?? String(error)}`);
  await stopAll().catch((stopError: unknown) => console.error('stopping the servers failed:', stopError));
  process.exitCode = 1;
});
