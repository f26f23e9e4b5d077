// Proof 2 (issue 9), concurrency: N `atmos-secret set` processes (the built CLI) and in-process service calls
// (the app's path) set DIFFERENT keys of one SOPS file at the same moment, against the real OS keychain, from
// three starting states: nothing (no key, no file), a key but no file, and both. Every reported success must
// be in the file afterwards, the keychain must hold exactly one age key, .sops.yaml must name exactly that
// key, and the file must be encrypted to it and decrypt (MAC verified) with it.
import { identityToRecipient } from 'age-encryption';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../../../../test/support/cli';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { loadWorkspace } from '../../config';
import { KeytarKeychain } from '../../keychain/keytar-keychain';
import { createAgeKeySource, openSopsFile, parseAgeKeyList, parseSopsConfig, toPlain } from '../../sops';
import { createSecretsService } from '../compose';
import { ageKeyAccount } from './sops-keys';

/** CLI processes per round. */
const N = 8;
/** In-process service calls per round (the app's path), racing the processes. */
const M = 4;
const NAMES = Array.from({ length: N + M }, (_, i) => `K${i}`);

const keychains: KeytarKeychain[] = [];
afterAll(async () => {
  for (const k of keychains) for (const a of await k.list()) await k.delete(a);
  removeWrittenWorkspaces();
});

const ATMOS = (service: string): string => `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
stores:
  kc:
    kind: keychain
    options: {prefix: proof, service: ${service}}
secrets:
  providers:
    vault:
      kind: sops/age
      spec:
        file: "vault/{{ .atmos_stack }}.enc.yaml"
        age_key: {store: kc}
`;
const STACK = `vars: {stage: dev}
secrets:
  vars:
${[...NAMES, 'SEED'].map((n) => `    ${n}: {sops: vault}`).join('\n')}
components:
  terraform:
    app: {}
`;

type Start = 'nothing' | 'a key, no file' | 'a key and the file';

async function round(start: Start): Promise<void> {
  const service = `atmos-secrets-test-proof2-${randomUUID().slice(0, 8)}`;
  const keychain = new KeytarKeychain(service);
  keychains.push(keychain);
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS(service), 'stacks/dev.yaml': STACK });
  const env = {
    ...process.env,
    ATMOS_STACK: '',
    ATMOS_COMPONENT: '',
    SOPS_AGE_KEY: '',
    SOPS_AGE_KEY_FILE: '',
    XDG_CONFIG_HOME: join(dir, 'xdg'),
  };
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const svc = createSecretsService(ws, {
    keychain: (s) => new KeytarKeychain(s),
    env: { XDG_CONFIG_HOME: join(dir, 'xdg') },
    remember: () => undefined,
    confirm: async () => true,
  });
  const file = join(dir, 'vault/dev.enc.yaml');
  const expected: Record<string, string> = {};
  if (start !== 'nothing') {
    await svc.set({ stack: 'dev', name: 'SEED', value: 'seed-value' });
    if (start === 'a key, no file') rmSync(file);
    else expected['SEED'] = 'seed-value';
  }

  const value = (i: number): string => `proof2-${start.replace(/\W/g, '')}-${i}`;
  const processes = NAMES.slice(0, N).map((name, i) =>
    runCliProcess(['set', name, '-s', 'dev', '--stdin', '--yes', '--base-path', dir], {
      cwd: dir,
      env,
      stdin: value(i),
    }).then((r) => ({ name, i, ok: r.code === 0, detail: r.stderr })),
  );
  const inProcess = NAMES.slice(N).map((name, j) =>
    svc.set({ stack: 'dev', name, value: value(N + j) }).then(
      () => ({ name, i: N + j, ok: true, detail: '' }),
      (e: unknown) => ({ name, i: N + j, ok: false, detail: String(e) }),
    ),
  );
  const results = await Promise.all([...processes, ...inProcess]);
  // Queued writers wait for the lock instead of failing: every writer reports success.
  expect(results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`)).toEqual([]);
  for (const r of results) expected[r.name] = value(r.i);

  const identities = parseAgeKeyList((await keychain.get(ageKeyAccount('proof', 'vault'))) ?? '');
  expect(identities).toHaveLength(1);
  const recipient = await identityToRecipient(identities[0]!);
  const configFile = join(dir, '.sops.yaml');
  expect(parseSopsConfig(readFileSync(configFile, 'utf8'), configFile).rules.map((r) => r.keyGroups)).toEqual([
    [[{ type: 'age', recipient }]],
  ]);
  const f = await openSopsFile(file, { keySources: { age: createAgeKeySource({ ageKey: identities[0]! }) } });
  expect(f.metadata.keyGroups.map((g) => g.map((k) => ('recipient' in k ? k.recipient : k.type)))).toEqual([
    [recipient],
  ]);
  expect(toPlain(f.documents[0]!)).toEqual(expected);
}

describe(`Proof 2: ${N} CLI processes and ${M} in-process sets of different keys of one SOPS file`, () => {
  it.each<Start>(['nothing', 'a key, no file', 'a key and the file'])(
    'from %s: every reported success is there, one key in the keychain',
    round,
    120_000,
  );
});
