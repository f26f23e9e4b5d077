// The spawned-CLI-against-an-emulator int tests of every store backend share one shape: a temporary workspace whose
// atmos.yaml points a store at an emulator, a `dev` stack declaring secrets, the built `atmos-secret` run as a real
// process in it with a clean environment, and everything removed afterwards. storeCliSuite() does that once; a
// test file keeps only its store's options, its declarations and what its backend does. The checks every
// backend passes alike (expectRoundTrip, expectVerifyDown, expectMissingGet) are here too, over the `dev` stack's
// `api` component with DB_PASSWORD and API_KEY declared in the store.
import { afterAll, beforeAll, expect } from 'vitest';
import { runCliProcess, type CliRun } from './cli';
import { removeWrittenWorkspaces, writeWorkspace } from './secrets-workspace';

export interface StoreCliSuiteOptions<E extends { stop(): Promise<void> }> {
  /** Starts the emulator (once, before the file's tests). */
  readonly start: () => Promise<E>;
  /** The workspace's files (relative path -> content), given the started emulator. */
  readonly files: (emu: E) => Readonly<Record<string, string>>;
  /** Variables every run sets (over the process environment), e.g. a token. */
  readonly env?: (emu: E, dir: string) => NodeJS.ProcessEnv;
  /** Host variables every run drops (before `env` is applied), so the host's credentials never reach the CLI. */
  readonly unset?: readonly string[];
}

export interface CliOptions {
  readonly stdin?: string;
  /** Variables of this run only, over the suite's. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface VerifyRow {
  readonly secret: string;
  readonly status: string;
}

export interface ListVerifyRun {
  readonly code: number;
  readonly rows: VerifyRow[];
  readonly stderr: string;
  /** stdout and stderr together, to check that no value reached either. */
  readonly output: string;
}

export interface StoreCliSuite<E> {
  /** The started emulator (after beforeAll). */
  readonly emu: E;
  /** The workspace folder (after beforeAll). */
  readonly dir: string;
  /** Runs `atmos-secret --base-path <dir> ...args` in the workspace. */
  cli(args: readonly string[], o?: CliOptions): Promise<CliRun>;
  /** `list -s dev -c api --verify --format json`, its rows parsed. */
  listVerify(): Promise<ListVerifyRun>;
}

/**
 * Registers beforeAll (start the emulator, write the workspace) and afterAll (stop it, remove the workspace) in
 * the calling test file, and returns the suite's handles. ATMOS_STACK and ATMOS_COMPONENT are always emptied so
 * the caller's shell cannot pick the stack.
 */
export function storeCliSuite<E extends { stop(): Promise<void> }>(o: StoreCliSuiteOptions<E>): StoreCliSuite<E> {
  let emu: E | undefined;
  let dir: string | undefined;
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('storeCliSuite: used before its beforeAll ran');
    return v;
  };

  beforeAll(async () => {
    emu = await o.start();
    dir = writeWorkspace(o.files(emu));
  });
  afterAll(async () => {
    await emu?.stop();
    removeWrittenWorkspaces();
  });

  const suite: StoreCliSuite<E> = {
    get emu() {
      return started(emu);
    },
    get dir() {
      return started(dir);
    },
    cli(args, c = {}) {
      const d = started(dir);
      const host: NodeJS.ProcessEnv = { ...process.env };
      for (const k of o.unset ?? []) delete host[k];
      const env = { ...host, ...o.env?.(started(emu), d), ATMOS_STACK: '', ATMOS_COMPONENT: '', ...c.env };
      return runCliProcess(['--base-path', d, ...args], { cwd: d, stdin: c.stdin, env });
    },
    async listVerify() {
      const run = await suite.cli(['list', '-s', 'dev', '-c', 'api', '--verify', '--format', 'json']);
      return {
        code: run.code,
        rows: JSON.parse(run.stdout) as VerifyRow[],
        stderr: run.stderr,
        output: run.stdout + run.stderr,
      };
    },
  };
  return suite;
}

/** What the store CLI checks need of a suite. */
export type StoreCliRunner = Pick<StoreCliSuite<unknown>, 'cli' | 'listVerify'>;

/**
 * set --stdin, get --raw, list --verify and delete --yes of DB_PASSWORD (API_KEY never set), with the value in no
 * output; `backend.afterSet` and `backend.afterDelete` check what the backend holds at those points.
 */
export async function expectRoundTrip(
  t: StoreCliRunner,
  canary: string,
  backend: { afterSet(): void; afterDelete(): void },
): Promise<void> {
  const set = await t.cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: `${canary}\n` });
  expect(set.code, set.stderr).toBe(0);
  expect(set.stdout + set.stderr).not.toContain(canary);
  backend.afterSet();

  const get = await t.cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
  expect(get.code, get.stderr).toBe(0);
  expect(get.stdout).toBe(canary);

  const listed = await t.listVerify();
  expect(listed.code).toBe(0);
  expect(listed.rows.map((r) => [r.secret, r.status]).sort()).toEqual([
    ['API_KEY', 'missing'],
    ['DB_PASSWORD', 'initialized'],
  ]);
  expect(listed.output).not.toContain(canary);

  const del = await t.cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
  expect(del.code, del.stderr).toBe(0);
  expect(del.stdout + del.stderr).not.toContain(canary);
  backend.afterDelete();
  const after = await t.listVerify();
  expect(after.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
}

/**
 * With the backend down (`faults.inject`, cleared afterwards whatever happens), list --verify exits 1 with every
 * row `error`, never `missing`, and stderr says why (`why`).
 */
export async function expectVerifyDown(
  t: StoreCliRunner,
  faults: { inject(): void; clear(): void },
  why: RegExp,
): Promise<void> {
  faults.inject();
  try {
    const down = await t.listVerify();
    expect(down.code).toBe(1);
    expect(down.rows.map((r) => r.status)).toEqual(['error', 'error']);
    expect(down.stderr).toMatch(why);
  } finally {
    faults.clear();
  }
}

/** get of API_KEY, never set: exit 1 naming the secret and how to set it. */
export async function expectMissingGet(t: StoreCliRunner): Promise<void> {
  const run = await t.cli(['get', 'API_KEY', '-s', 'dev', '-c', 'api']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('secret is not initialized in its backend: "API_KEY"');
  expect(run.stderr).toContain('atmos-secret set API_KEY -s dev -c api');
}

/** `history --format json` as the CLI prints it: what the history checks read. */
export interface HistoryJson {
  readonly supported: boolean;
  readonly versions: readonly { readonly version: string; readonly current: boolean; readonly stages?: string[] }[];
}

/**
 * Sets DB_PASSWORD twice (`${canary}-1`, `${canary}-2`), then `history` as JSON (supported; `check.versions`
 * checks the versions) and as a table (`check.table`, by default a row marked current `yes`), with the value in no
 * output. `check.afterSets` checks what the backend holds after the two sets.
 */
export async function expectHistory(
  t: StoreCliRunner,
  canary: string,
  check: {
    afterSets?(): void;
    versions(versions: HistoryJson['versions']): void;
    table?(stdout: string): void;
  },
): Promise<void> {
  for (const v of ['1', '2']) {
    const set = await t.cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], {
      stdin: `${canary}-${v}\n`,
    });
    expect(set.code, set.stderr).toBe(0);
  }
  check.afterSets?.();

  const run = await t.cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json']);
  expect(run.code, run.stderr).toBe(0);
  const h = JSON.parse(run.stdout) as HistoryJson;
  expect(h.supported).toBe(true);
  check.versions(h.versions);
  const table = await t.cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
  expect(table.code, table.stderr).toBe(0);
  const checkTable = check.table ?? ((stdout: string) => expect(stdout).toMatch(/\byes\b/));
  checkTable(table.stdout);
  expect(run.stdout + run.stderr + table.stdout + table.stderr).not.toContain(canary);
}
