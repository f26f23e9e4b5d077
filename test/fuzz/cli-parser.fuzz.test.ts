// Fuzzing the CLI parser with fast-check (issue 9, proof 3): random argv arrays — every command, its flags
// and values, unicode, `--`, repeated options and options whose value is missing — through `runCli` in-process
// (the program entry the real bin calls) against a copy of examples/demo. Each input exits 0, 1 or 2 with our
// own error output: no internal error (a non-AppError thrown by our code), no stack trace, no hang (each case
// runs under a time bound) and no file written outside the case's temporary workspace.
//
// Safety of the fuzz itself: random tokens never contain "/" nor end in ".." (only the curated relative paths
// below have a "/", and none climbs out), so no input names a path outside the workspace; `exec` and `shell`
// run only /usr/bin/true or /usr/bin/false, because their PATH is an empty folder (any other command name
// fails with ENOENT). Confirmations are answered "no". A real argv cannot hold NUL, so tokens never contain
// one (stdin and prompted values may).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryKeychain } from '../../src/main/keychain/memory-keychain';
import type { CliContext } from '../../src/cli/context';
import { runCli } from '../../src/cli/program';
import type * as errors from '../../src/shared/errors';
import { REPO_ROOT } from '../support/paths';

// runCli formats every failure it reports through formatError; recording what it formats tells our own
// AppErrors from the INTERNAL wrapper runCli puts around anything else that escaped a command.
const formatted = vi.hoisted(() => [] as errors.AppError[]);
vi.mock('../../src/shared/errors', async (importOriginal) => {
  const actual = await importOriginal<typeof errors>();
  return {
    ...actual,
    formatError: (e: errors.AppError): string => {
      formatted.push(e);
      return actual.formatError(e);
    },
  };
});

const NUM_RUNS = 300;
/** Per case; a command on the demo takes tens of milliseconds. */
const CASE_TIMEOUT_MS = 5_000;

/** A value given on stdin or at the prompt; no case reads one back (the seeded values are others). */
const CANARY = 'FUZZ-CANARY-5e1d';
const TRUE_BIN = '/usr/bin/true';
const FALSE_BIN = '/usr/bin/false';

const STACKS = ['plat-ue2-dev', 'plat-ue2-prod', 'acme-plat-dev', 'dev'];
const COMPONENTS = ['api', 'worker', 'worker-base', 'nope'];
const SECRETS = [
  'DB_PASSWORD',
  'STRIPE_API_KEY',
  'DATADOG_API_KEY',
  'QUEUE_TOKEN',
  'SLACK_WEBHOOK_URL',
  'GRAFANA_ADMIN_PASSWORD',
  'X',
];
const PROVIDERS = ['demo-sops', 'other'];
const STORES = ['keychain', 'legacy', 'nope'];
const FORMATS = ['table', 'json', 'yaml', 'csv', 'tsv', 'env', 'text', 'xml', ''];
/** Relative paths inside the workspace: existing files and folders, new files, missing folders, stdin. */
const FILES = [
  '.env',
  'out.env',
  'secrets/out.json',
  'atmos.yaml',
  'stacks',
  'stacks/orgs/acme/plat/dev/us-east-2.yaml',
  'secrets/plat-ue2-dev.enc.yaml',
  '.sops.yaml',
  'missing/dir/out.env',
  '-',
  '.',
  '',
];

/** Random tokens: printable, full unicode and option-looking; never "/" or ".." (see the header) nor NUL. */
const randomToken = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.constantFrom('-', '--', '-x', '--bogus', '=', ' ', '\t', 'é', '🔑', '-yf', '-rs', '--no-yes', '-h'),
  )
  .filter((t) => !t.includes('/') && !t.includes('\0') && !t.endsWith('..'));

function known(values: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: randomToken });
}

interface Opt {
  readonly flags: readonly string[];
  /** Absent for boolean flags. */
  readonly value?: fc.Arbitrary<string>;
}

interface CommandSpec {
  readonly path: readonly string[];
  readonly options: readonly Opt[];
  readonly positionals: fc.Arbitrary<string[]>;
  /** What follows `--` (exec's command): only the safe binaries or a random argument after them. */
  readonly tail?: fc.Arbitrary<string[]>;
}

const stackOpt: Opt = { flags: ['-s', '--stack'], value: known(STACKS) };
const realTarget = fc.constantFrom<string[][]>(
  [],
  [['-s', 'plat-ue2-dev']],
  [
    ['-s', 'plat-ue2-dev'],
    ['-c', 'api'],
  ],
  [
    ['--stack', 'plat-ue2-prod'],
    ['--component', 'worker'],
  ],
);
const target: readonly Opt[] = [
  stackOpt,
  { flags: ['-c', '--component'], value: known(COMPONENTS) },
  { flags: ['-i', '--identity'], value: known(['admin', '']) },
];
const confirmOpts: readonly Opt[] = [{ flags: ['-y', '--yes'] }, { flags: ['-f', '--force'] }];
const format: Opt = { flags: ['--format'], value: known(FORMATS) };
const file = known(FILES);
const secretArg = fc.oneof(
  known(SECRETS),
  fc.tuple(known(SECRETS), randomToken).map(([n, v]) => `${n}=${v}`),
);
const none = fc.constant<string[]>([]);
const optional = (a: fc.Arbitrary<string>): fc.Arbitrary<string[]> => fc.array(a, { maxLength: 2 });
const safeTail: fc.Arbitrary<string[]> = fc.oneof(
  fc.constant<string[]>([TRUE_BIN]),
  fc.constant<string[]>([FALSE_BIN]),
  fc.tuple(fc.constantFrom(TRUE_BIN, FALSE_BIN), fc.array(randomToken, { maxLength: 3 })).map(([c, a]) => [c, ...a]),
  none,
);

const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['describe', 'stacks'],
    options: [stackOpt, { flags: ['--format'], value: known(['yaml', 'json', 'xml']) }],
    positionals: none,
  },
  { path: ['describe', 'component'], options: [stackOpt, format], positionals: optional(known(COMPONENTS)) },
  { path: ['describe'], options: [], positionals: optional(randomToken) },
  {
    path: ['keychain', 'list'],
    options: [{ flags: ['--service'], value: known(['atmos-secrets', 'x']) }, format],
    positionals: none,
  },
  { path: ['set'], options: [...target, ...confirmOpts, { flags: ['--stdin'] }], positionals: optional(secretArg) },
  { path: ['add'], options: [...target, { flags: ['--stdin'] }], positionals: optional(secretArg) },
  {
    path: ['get'],
    options: [
      ...target,
      format,
      { flags: ['-r', '--raw'] },
      { flags: ['--path'], value: known(['.host', '.a.b', '[0]', '.']) },
    ],
    positionals: optional(known(SECRETS)),
  },
  {
    path: ['delete'],
    options: [...target, ...confirmOpts, { flags: ['--all'] }, { flags: ['--include-shared'] }],
    positionals: optional(known(SECRETS)),
  },
  { path: ['rm'], options: [...target, ...confirmOpts], positionals: optional(known(SECRETS)) },
  { path: ['unset'], options: [...target, { flags: ['--all'] }], positionals: optional(known(SECRETS)) },
  { path: ['list'], options: [...target, format, { flags: ['--verify'] }], positionals: none },
  { path: ['validate'], options: [...target, format], positionals: none },
  {
    path: ['init'],
    options: [
      ...target,
      ...confirmOpts,
      { flags: ['--all'] },
      { flags: ['--input'], value: file },
      { flags: ['--input-format'], value: known(['env', 'json', 'yaml']) },
      { flags: ['--overwrite'] },
      { flags: ['--dry-run'] },
      { flags: ['--strict'] },
      format,
    ],
    positionals: none,
  },
  { path: ['pull'], options: [...target, format, { flags: ['-o', '--output'], value: file }], positionals: none },
  {
    path: ['push'],
    options: [...target, ...confirmOpts, format, { flags: ['--input'], value: file }],
    positionals: none,
  },
  {
    path: ['import'],
    options: [
      ...target,
      ...confirmOpts,
      { flags: ['--from-store'], value: known(STORES) },
      { flags: ['--from-stack'], value: known(['atmos', ...STACKS]) },
      { flags: ['--from-component'], value: known(['shared', ...COMPONENTS]) },
      { flags: ['--from-key'], value: known(['client_secret', ...SECRETS]) },
      { flags: ['--dry-run'] },
      { flags: ['--list'] },
      format,
    ],
    positionals: optional(known(SECRETS)),
  },
  { path: ['exec'], options: [...target, { flags: ['--component-env'] }], positionals: none, tail: safeTail },
  {
    path: ['shell'],
    options: [
      ...target,
      { flags: ['--component-env'] },
      { flags: ['--shell'], value: fc.oneof(fc.constantFrom(TRUE_BIN, FALSE_BIN), randomToken) },
    ],
    positionals: none,
    tail: fc.array(randomToken, { maxLength: 2 }),
  },
  { path: ['keygen'], options: [{ flags: ['-f', '--force'] }], positionals: optional(known(PROVIDERS)) },
  {
    path: ['sops', 'updatekeys'],
    options: [...confirmOpts, { flags: ['--dry-run'] }],
    positionals: optional(known(PROVIDERS)),
  },
  {
    path: ['sops', 'rotate'],
    options: [...confirmOpts, { flags: ['--dry-run'] }],
    positionals: optional(known(PROVIDERS)),
  },
  { path: ['sops'], options: [], positionals: optional(randomToken) },
  { path: ['help'], options: [], positionals: optional(fc.constantFrom('set', 'sops', 'nope')) },
  { path: [], options: [], positionals: optional(randomToken) },
];

const GLOBALS: readonly Opt[] = [
  { flags: ['--base-path'], value: known(['.', 'stacks', 'nope', '']) },
  { flags: ['--config'], value: known(['atmos.yaml', '.', 'nope.yaml', 'stacks']) },
  { flags: ['--trust'] },
];

/** Help and version end parsing early, so they come rarely (else they would hide most commands). */
const earlyExit = fc.oneof(
  { weight: 12, arbitrary: fc.constant<string[][]>([]) },
  { weight: 1, arbitrary: fc.constantFrom([['--help']], [['-h']], [['-v']], [['--version']]) },
);

/** One option as the person might type it: `--flag value`, `--flag=value`, `-fvalue`, or the value missing. */
function renderOption(o: Opt): fc.Arbitrary<string[]> {
  const flag = fc.constantFrom(...o.flags);
  if (!o.value) return flag.map((f) => [f]);
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(flag, o.value).map(([f, v]) => [f, v]) },
    { weight: 1, arbitrary: fc.tuple(flag, o.value).map(([f, v]) => [f.startsWith('--') ? `${f}=${v}` : `${f}${v}`]) },
    { weight: 1, arbitrary: flag.map((f) => [f]) },
  );
}

function chosenOptions(opts: readonly Opt[]): fc.Arbitrary<string[][]> {
  if (opts.length === 0) return fc.constant([]);
  // Repeats allowed: the same option twice (with different values) is one of the cases.
  return fc.array(fc.constantFrom(...opts).chain(renderOption), { maxLength: 5 });
}

type Edit =
  | { readonly kind: 'drop' | 'dup'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly token: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), token: randomToken }),
);

function applyEdits(argv: readonly string[], edits: readonly Edit[]): string[] {
  const out = [...argv];
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + (e.kind === 'insert' ? 1 : 0));
    switch (e.kind) {
      case 'drop':
        out.splice(at, 1);
        break;
      case 'dup':
        if (out[at] !== undefined) out.splice(at, 0, out[at] as string);
        break;
      case 'insert':
        out.splice(at, 0, e.token);
        break;
      default: {
        const never: never = e;
        throw new Error(`unexpected edit ${String(never)}`);
      }
    }
  }
  return out;
}

/** A whole argv: command path, its options and arguments shuffled with some globals, `--` and a tail, then edits. */
const argvArb: fc.Arbitrary<string[]> = fc.constantFrom(...COMMANDS).chain((spec) =>
  fc
    .record({
      words: fc
        .tuple(
          chosenOptions(spec.options),
          spec.positionals,
          fc.array(fc.constantFrom(...GLOBALS).chain(renderOption), { maxLength: 2 }),
          earlyExit,
          // Most commands need a stack: a real one (and component) often, so inputs get past the first check.
          spec.options.includes(stackOpt) ? realTarget : fc.constant<string[][]>([]),
        )
        .chain(([opts, pos, globals, early, real]) => {
          const all = [...opts, ...pos.map((p) => [p]), ...globals, ...early, ...real];
          return fc.shuffledSubarray(all, { minLength: all.length });
        }),
      dashDash: fc.boolean(),
      tail: spec.tail ?? optional(randomToken),
      edits: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Edit[]>([]) },
        { weight: 2, arbitrary: fc.array(edit, { maxLength: 3 }) },
      ),
    })
    .map(({ words, dashDash, tail, edits }) => {
      const body = [...spec.path, ...words.flat()];
      const argv = dashDash || spec.tail ? [...body, '--', ...tail] : body;
      // exec and shell keep their command words intact: an edit could make a random token the command,
      // which the empty PATH turns into ENOENT anyway, but the safe binaries stay the only thing ever run.
      return spec.tail ? argv : applyEdits(argv, edits);
    }),
);

/** Standard input (and the prompt's answer); the big one prints as its size, not its 200 KB. */
interface Stdin {
  readonly text: string;
  [fc.toStringMethod](): string;
}
function stdin(text: string, label = JSON.stringify(text)): Stdin {
  return { text, [fc.toStringMethod]: () => label };
}
const stdinArb: fc.Arbitrary<Stdin> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .oneof(
        fc.constant(''),
        fc.constant(`${CANARY}\n`),
        fc.constant(`DB_PASSWORD=${CANARY}\n${CANARY}\n`),
        fc.constant(`{"DB_PASSWORD":"${CANARY}",`),
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.constant('DB_PASSWORD=a\nSTRIPE_API_KEY=b\n'),
        fc.constant('{"DB_PASSWORD":"a","UNDECLARED":"b"}'),
        fc.constant('with\0nul'),
      )
      .map((t) => stdin(t)),
  },
  { weight: 1, arbitrary: fc.constant(stdin('x'.repeat(200 * 1024), '"x" * 200 KiB')) },
);

/** Memory keychains by service, cloneable so every case starts from the same seeded state. */
class Keychains {
  readonly byService = new Map<string, MemoryKeychain>();

  get(service = 'atmos-secrets'): MemoryKeychain {
    let k = this.byService.get(service);
    if (!k) {
      k = new MemoryKeychain(service);
      this.byService.set(service, k);
    }
    return k;
  }

  async clone(): Promise<Keychains> {
    const copy = new Keychains();
    for (const [service, k] of this.byService)
      for (const account of await k.list()) await copy.get(service).set(account, (await k.get(account)) ?? '');
    return copy;
  }
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function context(
  cwd: string,
  home: string,
  bin: string,
  keychains: Keychains,
  stdin: string,
  interactive: boolean,
): {
  ctx: CliContext;
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive },
    // An empty PATH folder: exec/shell can only run the absolute safe binaries (see the header).
    env: { PATH: bin, HOME: home },
    cwd,
    keychain: (service) => keychains.get(service),
    readStdin: async () => stdin,
    promptSecret: async () => stdin,
    confirm: async () => false,
  };
  return { ctx, out, err };
}

async function run(argv: readonly string[], ctx: ReturnType<typeof context>): Promise<Run> {
  const code = await runCli(argv, ctx.ctx, '0.0.0-fuzz');
  return { code, stdout: ctx.out.join(''), stderr: ctx.err.join('') };
}

/**
 * A RAM disk where there is one: each case copies and deletes a workspace, which costs ~70 ms on a busy disk
 * (ext4 here) and well under 1 ms on tmpfs, so the property stays a few seconds long.
 */
function scratchBase(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

let suiteDir = '';
let template = '';
const seeded = new Keychains();
const saved = { cwd: process.cwd(), HOME: process.env['HOME'], TMPDIR: process.env['TMPDIR'] };

beforeAll(async () => {
  // exec and shell run these; without them the fuzz would only ever see ENOENT there.
  expect([TRUE_BIN, FALSE_BIN].filter((b) => !existsSync(b))).toEqual([]);
  suiteDir = realpathSync(mkdtempSync(join(scratchBase(), 'atmos-cli-fuzz-')));
  template = join(suiteDir, 'template');
  cpSync(join(REPO_ROOT, 'examples/demo'), template, { recursive: true });
  // Seed values so get, pull, exec and delete have something to find: a keychain secret and a SOPS one (which
  // makes the age key, .sops.yaml and an encrypted file).
  const bin = join(suiteDir, 'bin');
  mkdirSync(bin);
  for (const [args, value] of [
    [['set', 'DB_PASSWORD', '-s', 'plat-ue2-dev', '-c', 'api', '--stdin'], 'seeded-db'],
    [['set', 'QUEUE_TOKEN', '-s', 'plat-ue2-dev', '-c', 'worker', '--stdin'], 'seeded-queue'],
    [['init', '-s', 'plat-ue2-dev', '--input', '-', '--yes'], 'GRAFANA_ADMIN_PASSWORD=seeded-sops\n'],
  ] as const) {
    const r = await run(args, context(template, suiteDir, bin, seeded, value, false));
    expect(r.code, r.stderr).toBe(0);
  }
  expect(readdirSync(join(template, 'secrets')).length).toBeGreaterThan(0);
});

afterAll(() => {
  process.chdir(saved.cwd);
  for (const k of ['HOME', 'TMPDIR'] as const) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(suiteDir, { recursive: true, force: true });
});

/** A fresh case folder: the seeded workspace, and empty HOME, TMPDIR, process cwd and PATH folders. */
interface CaseDirs {
  readonly root: string;
  readonly ws: string;
  readonly home: string;
  readonly tmp: string;
  readonly cwd: string;
  readonly bin: string;
}

let cases = 0;

function caseFolder(): CaseDirs {
  const root = join(suiteDir, `case-${cases++}`);
  const dirs = {
    root,
    ws: join(root, 'ws'),
    home: join(root, 'home'),
    tmp: join(root, 'tmp'),
    cwd: join(root, 'cwd'),
    bin: join(root, 'bin'),
  };
  cpSync(template, dirs.ws, { recursive: true });
  for (const d of [dirs.home, dirs.tmp, dirs.cwd, dirs.bin]) mkdirSync(d);
  return dirs;
}

interface CaseResult extends Run {
  /** What runCli formatted for stderr: the errors it reported. */
  readonly reported: readonly errors.AppError[];
  /** Entries of the case folder other than its five, and of HOME, TMPDIR, the process cwd and PATH. */
  readonly strayFiles: readonly string[];
  /** The case's workspace (deleted by the time the result is read). */
  readonly ws: string;
}

/** Runs one argv on a fresh copy of the seeded workspace and reports what it wrote outside the workspace. */
async function runCase(argv: readonly string[], input: string, interactive: boolean): Promise<CaseResult> {
  const dirs = caseFolder();
  const keychains = await seeded.clone();
  // Anything written to the home folder, the temp folder or the process's cwd lands in an empty folder that
  // is checked afterwards, instead of the real ones.
  process.env['HOME'] = dirs.home;
  process.env['TMPDIR'] = dirs.tmp;
  process.chdir(dirs.cwd);
  formatted.length = 0;
  try {
    const r = await run(argv, context(dirs.ws, dirs.home, dirs.bin, keychains, input, interactive));
    const stray = [
      ...readdirSync(dirs.root).filter((e) => !['bin', 'cwd', 'home', 'tmp', 'ws'].includes(e)),
      ...[dirs.home, dirs.tmp, dirs.cwd, dirs.bin].flatMap((d) => readdirSync(d).map((e) => join(d, e))),
    ];
    return { ...r, reported: [...formatted], strayFiles: stray, ws: dirs.ws };
  } finally {
    process.chdir(saved.cwd);
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

/** Lines that only a stack trace or Node's own error printing would put on stderr. */
const TRACE = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$|node:internal|\bfile:\/\//m;

/** Inputs every run tries first: values on stdin that parsers could quote back in an error, and past finds. */
const EXAMPLES: [string[], Stdin, boolean][] = [
  [
    ['push', '-s', 'plat-ue2-dev', '-c', 'api', '--input', '-', '--yes'],
    stdin(`DB_PASSWORD=${CANARY}\n${CANARY}\n`),
    false,
  ],
  [
    ['push', '-s', 'plat-ue2-dev', '-c', 'api', '--input=-', '--format', 'json', '-y'],
    stdin(`{"DB_PASSWORD":"${CANARY}",`),
    false,
  ],
  [['init', '-s', 'plat-ue2-dev', '--input', '-', '--yes'], stdin(`X=${CANARY}\n${CANARY}`), false],
  [['set', 'DB_PASSWORD', '-s', 'plat-ue2-dev', '-c', 'api', '--stdin'], stdin(`${CANARY}\0`), false],
  [['set', 'DB_PASSWORD', '-s', 'plat-ue2-dev', '-c', 'api'], stdin(CANARY), true],
  [['pull', '-s', 'plat-ue2-dev', '-o', '.'], stdin(''), false],
];

/** fast-check's seed: fixed so CI runs are repeatable; CLI_FUZZ_SEED explores others. */
const SEED = Number(process.env['CLI_FUZZ_SEED'] ?? 92_026);

describe('CLI parser fuzz', () => {
  it(
    `${NUM_RUNS} random argv arrays exit 0, 1 or 2 with our own errors, under ${CASE_TIMEOUT_MS} ms each, writing only in the workspace`,
    { timeout: 600_000 },
    async () => {
      const seen = new Map<number, number>();
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(argvArb, stdinArb, fc.boolean(), async (argv, input, interactive) => {
          runs++;
          const r = await runCase(argv, input.text, interactive);
          seen.set(r.code, (seen.get(r.code) ?? 0) + 1);
          expect([0, 1, 2], `exit code of ${JSON.stringify(argv)}`).toContain(r.code);
          expect(r.stderr, 'no stack trace').not.toMatch(TRACE);
          // Every failure runCli printed is one of our own AppErrors, never its INTERNAL wrapper of a stray error,
          // and reached stderr in our form.
          expect(r.reported.map((e) => e.code)).not.toContain('INTERNAL');
          expect(
            r.reported.every((e) => r.stderr.includes(`atmos-secret: `) && r.stderr.includes(firstLine(e.message))),
          ).toBe(true);
          // A failure says why; only exec passing on /usr/bin/false's exit code is silent.
          const mayBeSilent = r.code === 0 || argv.includes(FALSE_BIN);
          expect(mayBeSilent || r.stderr.trim() !== '', 'a failure explains itself').toBe(true);
          expect(r.strayFiles, 'nothing written outside the workspace').toEqual([]);
          // A value read from stdin or the prompt is never printed back, not even by an error about its input.
          expect(r.stdout + r.stderr).not.toContain(CANARY);
        }),
        { numRuns: NUM_RUNS, timeout: CASE_TIMEOUT_MS, markInterruptAsFailure: true, seed: SEED, examples: EXAMPLES },
      );
      expect(runs).toBeGreaterThanOrEqual(NUM_RUNS);
      // The inputs reached every outcome, so the property was not vacuous.
      expect([...seen.keys()].sort()).toEqual([0, 1, 2]);
    },
  );
});

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

// Counterexamples the fuzz found (CLI_FUZZ_SEED 1, 12 and 19): `pull --output` naming a folder (`.`, the empty
// string, `stacks`) or a file in a missing folder failed with Node's raw error, reported as INTERNAL (e.g.
// "EISDIR: illegal operation on a directory, rename '/tmp/.ws.1a2b.tmp' -> '/tmp/ws'"), and for `.` the
// plaintext temp file was created in the workspace's parent folder. Fixed in 2bf0ec3 (pull writes through
// src/main/files and refuses a folder first); these failed before it.
describe('pull --output into a folder or a missing folder', () => {
  for (const output of ['.', '', 'stacks', 'missing/dir/out.env']) {
    it(`--output ${JSON.stringify(output)} is refused with our own error naming it, nothing written`, async () => {
      const r = await runCase(['pull', '-s', 'plat-ue2-dev', '-c', 'api', `--output=${output}`], '', false);
      expect([1, 2]).toContain(r.code);
      expect(r.reported.map((e) => e.code)).not.toContain('INTERNAL');
      // Named as given, as resolved, or (for the empty value) by its option.
      const names = [JSON.stringify(output), resolve(r.ws, output), ...(output === '' ? ['--output'] : [])];
      expect(
        names.some((n) => firstLine(r.stderr).includes(n)),
        r.stderr,
      ).toBe(true);
      expect(r.stderr).not.toMatch(/\bE[A-Z]+: /);
      expect(r.strayFiles).toEqual([]);
    });
  }
});
