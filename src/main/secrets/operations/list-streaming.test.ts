// `list` over an estate holds one stack at a time: each component's secrets (and merged configuration) are
// computed once for the listing and not kept by the secrets index, and a stack's rows are written (and let go)
// once its statuses are in. `!secret` names are checked before a stack's rows are written, so a misspelt one
// fails the listing before any row of its stack goes out.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { loadWorkspace } from '../../config';
import { SecretsIndex } from '../model/secrets-index';
import { StoreCatalog } from '../model/store-catalog';

afterAll(() => removeWrittenWorkspaces());
afterEach(() => vi.restoreAllMocks());

const ATMOS_YAML =
  'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.stage }}"\nstores:\n  kc:\n    kind: keychain\n    options: { service: atmos-secrets-lst }\n';

function stackFile(stage: string, env: string): string {
  return [
    `vars: { stage: ${stage} }`,
    'components:',
    '  terraform:',
    '    api:',
    '      secrets: { vars: { API_KEY: { store: kc } } }',
    `      env: { KEY: ${env} }`,
    '    web:',
    '      secrets: { vars: { WEB_KEY: { store: kc } } }',
    '',
  ].join('\n');
}

describe('list (streamed) over many components', () => {
  it('takes each component once without keeping it in the index', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS_YAML,
      'stacks/a.yaml': stackFile('a', '!secret API_KEY'),
      'stacks/b.yaml': stackFile('b', 'plain'),
    });
    const { svc } = await memoryService(dir);
    const kept = vi.spyOn(SecretsIndex.prototype, 'component');
    const once = vi.spyOn(SecretsIndex.prototype, 'listed');
    const rows: string[] = [];
    const summary = await svc.streamList({}, (r) => void rows.push(`${r.stack}/${r.component}/${r.secret}`));
    expect(rows).toEqual(['a/api/API_KEY', 'a/web/WEB_KEY', 'b/api/API_KEY', 'b/web/WEB_KEY']);
    expect(summary.rows).toBe(4);
    expect(once).toHaveBeenCalledTimes(4);
    expect(kept).not.toHaveBeenCalled();
  });

  it('lists the keychain once for every stack, a global secret shared by components and stacks', async () => {
    const shared = (stage: string): string =>
      [
        `vars: { stage: ${stage} }`,
        'components:',
        '  terraform:',
        ...['api', 'web'].flatMap((c) => [
          `    ${c}:`,
          '      secrets:',
          '        vars:',
          '          OWN: { store: kc }',
          '          EVERYWHERE: { store: kc, scope: global }',
        ]),
        '',
      ].join('\n');
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS_YAML,
      'stacks/a.yaml': shared('a'),
      'stacks/b.yaml': shared('b'),
    });
    const { svc, keychains } = await memoryService(dir);
    const kc = keychains.get('atmos-secrets-lst');
    await kc.set('atmos/K', 'x'); // an account no row names
    await kc.set('atmos/EVERYWHERE', '"v"');
    await kc.set('atmos/a/web/OWN', '"v"');
    const listings = vi.spyOn(kc, 'list');
    const reads = vi.spyOn(kc, 'get');
    const progress: string[] = [];
    const rows: string[] = [];
    await svc.streamList(
      { onProgress: (p) => void progress.push(`${p.done}/${p.total} ${p.label ?? ''}`) },
      (r) => void rows.push(`${r.stack}/${r.component}/${r.secret}=${r.status}`),
    );
    // Two stacks, one listing of the keychain's service for both, no read of any value.
    expect(listings).toHaveBeenCalledTimes(1);
    expect(reads).not.toHaveBeenCalled();
    expect(progress).toEqual(['1/2 a', '2/2 b']);
    expect(rows).toEqual([
      'a/api/EVERYWHERE=initialized',
      'a/api/OWN=missing',
      'a/web/EVERYWHERE=initialized',
      'a/web/OWN=initialized',
      'b/api/EVERYWHERE=initialized',
      'b/api/OWN=missing',
      'b/web/EVERYWHERE=initialized',
      'b/web/OWN=missing',
    ]);
  });

  it('a misspelt !secret fails the listing before any row of its stack is written', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS_YAML,
      'stacks/a.yaml': stackFile('a', '!secret API_KYE'),
      'stacks/b.yaml': stackFile('b', 'plain'),
    });
    const { svc } = await memoryService(dir);
    const rows: string[] = [];
    const e: unknown = await svc
      .streamList({}, (r) => void rows.push(r.secret))
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('CONFIG');
    expect((e as AppError).message).toContain('"API_KYE"');
    expect(rows).toEqual([]);
    await expect(svc.list({ stack: 'b' })).resolves.toHaveLength(2);
  });

  it('streams the stacks before the one with a misspelt !secret, and none of its rows or any after it', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS_YAML,
      'stacks/a.yaml': stackFile('a', 'plain'),
      'stacks/b.yaml': stackFile('b', '!secret API_KYE'),
      'stacks/c.yaml': stackFile('c', 'plain'),
    });
    const { svc } = await memoryService(dir);
    const rows: string[] = [];
    await expect(svc.streamList({}, (r) => void rows.push(`${r.stack}/${r.secret}`))).rejects.toThrow(/"API_KYE"/);
    expect(rows).toEqual(['a/API_KEY', 'a/WEB_KEY']);
  });
});

describe('SecretsIndex.componentOnce', () => {
  it('computes a component without keeping it, and hands out one already kept', async () => {
    const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, 'stacks/a.yaml': stackFile('a', 'plain') });
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const index = new SecretsIndex(ws, StoreCatalog.fromWorkspace(ws));
    const first = index.componentOnce('a', 'api');
    expect(first.secrets.map((s) => s.name)).toEqual(['API_KEY']);
    expect(index.componentOnce('a', 'api')).not.toBe(first);
    const kept = index.component('a', 'api');
    expect(index.componentOnce('a', 'api')).toBe(kept);
  });
});
