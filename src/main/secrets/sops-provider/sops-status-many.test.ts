// SopsSecretBackend.statusMany: `list` reads each SOPS file's key names once per batch, not once per row, with
// the same answers as `status` and errors kept per row (a file outside the base path, a file without metadata).
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace } from '../../config';
import { listSopsKeys, setSopsValue, type SopsKeyListing } from '../../sops';
import { ageGroup, ageSources, newAgeKey } from '../../../../test/support/fixtures/sops/age-keys';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { SecretsIndex } from '../model/secrets-index';
import { StoreCatalog } from '../model/store-catalog';
import type { SopsCoordinate } from '../model/coordinates';
import { SopsSecretBackend } from './sops-backend';

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
secrets:
  providers:
    files:
      kind: sops/age
      spec:
        file: "secrets/{{ .atmos_stack }}.enc.yaml"
        age_recipients: __RECIPIENT__
`;
// Four secrets per stack, all in the stack's one file.
const STACK = (stage: string): string => `vars: {stage: ${stage}}
secrets:
  vars:
    A: {sops: files}
    B: {sops: files}
components:
  terraform:
    app:
      secrets:
        vars:
          C: {sops: files}
          D: {sops: files}
`;

async function setup(): Promise<{
  dir: string;
  backend: SopsSecretBackend;
  reads: string[];
  coordinates: (stack: string) => SopsCoordinate[];
}> {
  const key = await newAgeKey();
  const dir = writeWorkspace({
    'atmos.yaml': ATMOS.replace('__RECIPIENT__', key.recipient),
    'stacks/dev.yaml': STACK('dev'),
    'stacks/prod.yaml': STACK('prod'),
    'stacks/qa.yaml': STACK('qa'),
    'secrets/.keep': '',
  });
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const keySources = ageSources(key);
  const createWith = { keyGroups: [ageGroup(key)] };
  await setSopsValue(join(dir, 'secrets/dev.enc.yaml'), ['A'], 'a', { keySources, createWith });
  await setSopsValue(join(dir, 'secrets/dev.enc.yaml'), ['D'], 'd', { keySources });
  await setSopsValue(join(dir, 'secrets/prod.enc.yaml'), ['B'], 'b', { keySources, createWith });
  const reads: string[] = [];
  const stores = StoreCatalog.fromWorkspace(ws);
  const backend = new SopsSecretBackend({
    stores,
    basePath: ws.basePath,
    keychain: (s) => new MemoryKeychains().get(s),
    env: {},
    listKeys: (file: string): Promise<SopsKeyListing> => {
      reads.push(file);
      return listSopsKeys(file);
    },
  });
  const index = new SecretsIndex(ws, stores);
  const coordinates = (stack: string): SopsCoordinate[] =>
    index.component(stack, 'app').secrets.map((s) => {
      if (s.coordinate.kind !== 'sops') throw new Error(`expected a SOPS coordinate for ${s.name}`);
      return s.coordinate;
    });
  return { dir, backend, reads, coordinates };
}

function statuses(results: Awaited<ReturnType<SopsSecretBackend['statusMany']>>): string[] {
  return results.map((r) => (r.ok ? r.status : `error ${r.error.code}`));
}

describe('SopsSecretBackend.statusMany', () => {
  it('reads each file once for all of its rows and answers as status does', async () => {
    const { dir, backend, reads, coordinates } = await setup();
    const cs = [...coordinates('dev'), ...coordinates('prod'), ...coordinates('qa')];
    expect(cs.map((c) => `${c.keyPath}@${c.file}`)).toEqual([
      'A@secrets/dev.enc.yaml',
      'B@secrets/dev.enc.yaml',
      'C@secrets/dev.enc.yaml',
      'D@secrets/dev.enc.yaml',
      'A@secrets/prod.enc.yaml',
      'B@secrets/prod.enc.yaml',
      'C@secrets/prod.enc.yaml',
      'D@secrets/prod.enc.yaml',
      'A@secrets/qa.enc.yaml',
      'B@secrets/qa.enc.yaml',
      'C@secrets/qa.enc.yaml',
      'D@secrets/qa.enc.yaml',
    ]);
    const many = statuses(await backend.statusMany(cs));
    expect(many).toEqual([
      'initialized',
      'missing',
      'missing',
      'initialized',
      'missing',
      'initialized',
      'missing',
      'missing',
      'missing',
      'missing',
      'missing',
      'missing',
    ]);
    // One read per file (qa's does not exist: one attempt), not one per row.
    expect(reads.map((f) => f.slice(dir.length + 1))).toEqual([
      'secrets/dev.enc.yaml',
      'secrets/prod.enc.yaml',
      'secrets/qa.enc.yaml',
    ]);
    reads.length = 0;
    const one: string[] = [];
    for (const c of cs) one.push(await backend.status(c));
    expect(one).toEqual(many);
    expect(reads).toHaveLength(cs.length);
  });

  it('a file without sops metadata is an error on each of its rows only, read once', async () => {
    const { dir, backend, reads, coordinates } = await setup();
    writeFileSync(join(dir, 'secrets/prod.enc.yaml'), 'A: plain\nB: text\n');
    const results = await backend.statusMany([...coordinates('prod'), ...coordinates('dev')]);
    expect(statuses(results)).toEqual([
      'error SOPS',
      'error SOPS',
      'error SOPS',
      'error SOPS',
      'initialized',
      'missing',
      'missing',
      'initialized',
    ]);
    const first = results[0];
    expect(first?.ok === false ? first.error.message : '').toContain('secrets/prod.enc.yaml has no sops metadata');
    expect(reads.map((f) => f.slice(dir.length + 1))).toEqual(['secrets/prod.enc.yaml', 'secrets/dev.enc.yaml']);
  });

  it('a coordinate outside the base path fails its own row and is never read', async () => {
    const { backend, reads, coordinates } = await setup();
    const [inside, ...rest] = coordinates('dev');
    if (!inside) throw new Error('no coordinate');
    const outside: SopsCoordinate = { ...inside, absoluteFile: '/etc/outside.enc.yaml' };
    expect(statuses(await backend.statusMany([outside, inside, ...rest]))).toEqual([
      'error CONFIG',
      'initialized',
      'missing',
      'missing',
      'initialized',
    ]);
    expect(reads.some((f) => f === '/etc/outside.enc.yaml')).toBe(false);
  });
});

describe('SopsSecretBackend.statusSession', () => {
  it('reads each file once across the batches of one session, with the answers of statusMany', async () => {
    const { dir, backend, reads, coordinates } = await setup();
    const session = backend.statusSession();
    const dev = statuses(await session.statusMany(coordinates('dev')));
    const devAgain = statuses(await session.statusMany(coordinates('dev')));
    const prod = statuses(await session.statusMany(coordinates('prod')));
    expect(dev).toEqual(['initialized', 'missing', 'missing', 'initialized']);
    expect(devAgain).toEqual(dev);
    expect(prod).toEqual(['missing', 'initialized', 'missing', 'missing']);
    expect(reads).toEqual([join(dir, 'secrets/dev.enc.yaml'), join(dir, 'secrets/prod.enc.yaml')]);
    // A new session reads again: nothing outlives the operation that opened it.
    await backend.statusSession().statusMany(coordinates('dev'));
    expect(reads).toHaveLength(3);
  });
});
