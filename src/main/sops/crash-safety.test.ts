// Proof 1 (issue 9), crash safety: a child process runs a sequence of real writes (SOPS sets, deletes and a
// create, .sops.yaml recipient updates, pull outputs) and is SIGKILLed at every crash point of the write path
// in turn (deterministic: the k-th point between two system calls; each child starts from a snapshot of the
// folder as the earlier steps left it, and runs the one step it is killed in). After each kill every file is whole and
// either its state before or after the step that was running: SOPS files decrypt with their MAC verified,
// .sops.yaml parses. Temp files left behind are ours, 0600, and hold no SOPS plaintext; the next write recovers
// the dead holder's lock at once and sweeps them, leaving no temp or lock file at all.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ageGroup, newAgeKey, type TestAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { isTempName, setCrashPointHook, writeFileAtomic, writePrivateFileAtomic } from '../files';
import { bundleChild } from '../files/testing/bundle-child';
import { AgeKeySource } from './keysources/age';
import { parseSopsConfig } from './sops-config';
import { createSopsFile, openSopsFile, setSopsValue } from './sops-file';
import { crashFiles, runCrashStep, type CrashStep } from './testing/crash-plan';
import { toPlain } from './tree';

const run = promisify(execFile);
/** The proof must cover at least this many kill points (issue 9). */
const MIN_KILL_POINTS = 200;
const PARALLEL = 2;
const PATH_REGEX = '^secrets/.*\\.enc\\.yaml$';

type Plain = Readonly<Record<string, string>>;

interface World {
  readonly sops: Plain;
  readonly created: Plain | undefined;
  readonly recipients: readonly string[];
  readonly pull: string;
}

let child: string;
/** snapshots[i]: the folder as it is before plan step i. */
let snapshots: string[];
let a: TestAgeKey;
let plan: CrashStep[];
/** worlds[i]: every file's state before plan step i (worlds[plan.length]: after the last). */
let worlds: World[];
/** For each kill point (1-based k at index k-1): the plan step and the crash point within it. */
let killPoints: { readonly step: number; readonly local: number }[];

function apply(w: World, s: CrashStep): World {
  switch (s.op) {
    case 'set':
      return { ...w, sops: { ...w.sops, [s.key]: s.value } };
    case 'delete': {
      const { [s.key]: _gone, ...rest } = w.sops;
      return { ...w, sops: rest };
    }
    case 'create':
      return { ...w, created: s.content };
    case 'recipients':
      return { ...w, recipients: [...w.recipients, s.pathRegex === PATH_REGEX ? recipientOf(s.keyText) : ''] };
    case 'pull':
      return { ...w, pull: s.content };
    default: {
      const never: never = s;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}

const recipientsByIdentity = new Map<string, string>();
function recipientOf(identity: string): string {
  const r = recipientsByIdentity.get(identity);
  if (!r) throw new Error('unknown test identity');
  return r;
}

async function runChild(dir: string, step: number, killAt: number): Promise<{ killed: boolean; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [child, dir, String(step), String(killAt)]);
    return { killed: false, stdout };
  } catch (e) {
    const err = e as { signal?: string; stderr?: string };
    if (err.signal === 'SIGKILL') return { killed: true, stdout: '' };
    throw new Error(`crash child failed: ${err.stderr ?? String(e)}`, { cause: e });
  }
}

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'crash-proof-'));
  child = await bundleChild(resolve(import.meta.dirname, 'testing/crash-child.ts'), root, 'crash-child');
  const [ka, kb, kc] = await Promise.all([newAgeKey(), newAgeKey(), newAgeKey()]);
  a = ka;
  for (const k of [ka, kb, kc]) recipientsByIdentity.set(k.identity, k.recipient);
  const canary = (n: number): string => `crash-canary-${String(n).padStart(2, '0')}-5e1f`;
  const sets = (from: number, to: number): CrashStep[] =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ op: 'set', key: `K${from + i}`, value: canary(from + i) }));
  plan = [
    ...sets(1, 8),
    { op: 'recipients', keyText: kb.identity, pathRegex: PATH_REGEX },
    { op: 'pull', content: `K1=${canary(1)}\n` },
    ...sets(9, 16),
    { op: 'delete', key: 'K3' },
    { op: 'create', content: { NEW: canary(90) }, recipient: ka.recipient },
    { op: 'recipients', keyText: kc.identity, pathRegex: PATH_REGEX },
    { op: 'delete', key: 'K10' },
    { op: 'pull', content: `K1=${canary(1)}\nK2=${canary(2)}\n` },
    { op: 'set', key: 'K1', value: canary(91) },
  ];

  const template = join(root, 'step-0');
  const files = crashFiles(template);
  mkdirSync(join(template, 'secrets'), { recursive: true });
  writeFileSync(join(template, 'keys.txt'), `${ka.identity}\n`, { mode: 0o600 });
  writeFileSync(join(template, 'plan.json'), JSON.stringify(plan));
  writeFileSync(files.config, `creation_rules:\n  - path_regex: ${PATH_REGEX}\n    age: ${ka.recipient}\n`);
  writeFileSync(files.pull, 'K0=before\n', { mode: 0o600 });
  const keySources = { age: new AgeKeySource({ identities: [ka.identity] }) };
  await createSopsFile(files.sops, { BASE: canary(0) }, { keySources, keyGroups: [ageGroup(ka)] });

  worlds = [{ sops: { BASE: canary(0) }, created: undefined, recipients: [ka.recipient], pull: 'K0=before\n' }];
  for (const s of plan) worlds.push(apply(worlds[worlds.length - 1]!, s));

  // Run the plan step by step in-process, counting each step's crash points and snapshotting the folder.
  snapshots = [template];
  killPoints = [];
  let count = 0;
  setCrashPointHook(() => count++);
  try {
    for (const [i, s] of plan.entries()) {
      const next = join(root, `step-${i + 1}`);
      cpSync(snapshots[i]!, next, { recursive: true });
      count = 0;
      await runCrashStep(next, s, keySources);
      for (let local = 1; local <= count; local++) killPoints.push({ step: i, local });
      snapshots.push(next);
    }
  } finally {
    setCrashPointHook(undefined);
  }
  await expectWorld(snapshots[plan.length]!, [worlds[plan.length]!]);
}, 60_000);

async function sopsState(file: string): Promise<Plain | undefined> {
  let f;
  try {
    f = await openSopsFile(file, { keySources: { age: new AgeKeySource({ identities: [a.identity] }) } });
  } catch (e) {
    if ((e as { code?: string }).code === 'NOT_FOUND') return undefined;
    throw e;
  }
  return toPlain(f.documents[0]!) as Plain;
}

/** Every file is whole and in one of `allowed` worlds' state (each file on its own). */
async function expectWorld(dir: string, allowed: readonly World[]): Promise<void> {
  const files = crashFiles(dir);
  expect(allowed).toContainEqual(expect.objectContaining({ sops: await sopsState(files.sops) }));
  expect(allowed).toContainEqual(expect.objectContaining({ created: await sopsState(files.created) }));
  const config = parseSopsConfig(readFileSync(files.config, 'utf8'), files.config);
  const recipients = config.rules[0]?.keyGroups[0]?.map((k) => (k.type === 'age' ? k.recipient : k.type));
  expect(allowed).toContainEqual(expect.objectContaining({ recipients }));
  expect(allowed).toContainEqual(expect.objectContaining({ pull: readFileSync(files.pull, 'utf8') }));
}

const KNOWN = new Set(['keys.txt', 'plan.json', '.sops.yaml', 'out.env', 'secrets']);

/** Names in `dir` and `dir/secrets` other than the files themselves. */
function leftovers(dir: string): string[] {
  return [
    ...readdirSync(dir).filter((n) => !KNOWN.has(n)),
    ...readdirSync(join(dir, 'secrets'))
      .filter((n) => n !== 'app.enc.yaml' && n !== 'new.enc.yaml')
      .map((n) => `secrets/${n}`),
  ];
}

const SOPS_CANARY = /crash-canary-\d\d-5e1f/;

async function checkKillPoint(k: number): Promise<void> {
  const { step, local } = killPoints[k - 1]!;
  const dir = mkdtempSync(join(tmpdir(), `crash-${k}-`));
  cpSync(snapshots[step]!, dir, { recursive: true });
  const { killed } = await runChild(dir, step, local);
  expect(killed, `kill point ${k} (step ${step}, point ${local})`).toBe(true);
  await expectWorld(dir, [worlds[step]!, worlds[step + 1]!]);

  // What a kill may leave: our temp files (0600, no SOPS plaintext) and the dead writer's lock.
  for (const name of leftovers(dir)) {
    const base = name.slice(name.lastIndexOf('/') + 1);
    expect(isTempName(base) || base.endsWith('.atmos-lock'), `${name} after kill ${k}`).toBe(true);
    const path = join(dir, name);
    // Temps are 0600 until the final mode is set just before publishing (.sops.yaml is 0644, no secrets).
    const finalMode = base.startsWith('..sops.yaml.') ? [0o600, 0o644] : [0o600];
    expect(finalMode).toContain(statSync(path).mode & 0o777);
    const isPullTemp = base.startsWith('.out.env.');
    expect(!isPullTemp && SOPS_CANARY.test(readFileSync(path, 'utf8')), `plaintext in ${name}`).toBe(false);
  }

  // The next write of each file recovers the lock at once (its holder is dead) and sweeps the temps.
  const files = crashFiles(dir);
  const keySources = { age: new AgeKeySource({ identities: [a.identity] }) };
  await setSopsValue(files.sops, ['RECOVERED'], 'yes', { keySources });
  if ((await sopsState(files.created)) !== undefined)
    await setSopsValue(files.created, ['RECOVERED'], 'yes', { keySources });
  else await writeFileAtomic(files.created, 'placeholder', { waitMs: 5_000 });
  await writeFileAtomic(files.config, readFileSync(files.config), { waitMs: 5_000 });
  await writePrivateFileAtomic(files.pull, 'recovered\n');
  expect(leftovers(dir), `after recovery from kill ${k}`).toEqual([]);
}

describe('crash safety of every file write (SIGKILL at each crash point)', () => {
  it(`has at least ${MIN_KILL_POINTS} kill points across the write path`, () => {
    expect(killPoints.length).toBeGreaterThanOrEqual(MIN_KILL_POINTS);
    // Every step of the plan has crash points, so every kind of write is killed somewhere.
    expect(new Set(killPoints.map((p) => p.step)).size).toBe(plan.length);
  });

  it('leaves every file whole (old or new, decrypting, MAC verified) at every kill point', async () => {
    const points = Array.from({ length: killPoints.length }, (_, i) => i + 1);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < points.length) await checkKillPoint(points[next++]!);
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    console.info(`crash proof: ${points.length} kill points`);
  }, 180_000);
});
