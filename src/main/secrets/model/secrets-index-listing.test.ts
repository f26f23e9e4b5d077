// SecretsIndex.listed, what `list` asks for each component: in a static stack only what the secrets model reads
// is merged, with the same secrets and coordinates as the full component (identities from a base's or the
// stack's `auth` included); in a dynamic stack the whole component, so a misspelt `!secret` still fails `list`.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors';
import {
  atmosYamlByStage,
  memoryService,
  removeWrittenWorkspaces,
  writeWorkspace,
} from '../../../../test/support/secrets-workspace';
import { loadWorkspace, Merger } from '../../config';
import { coordinateOf } from './coordinates';
import { SecretsIndex } from './secrets-index';
import { StoreCatalog } from './store-catalog';

afterAll(() => removeWrittenWorkspaces());
afterEach(() => vi.restoreAllMocks());

const ATMOS_YAML = atmosYamlByStage(
  'stores:',
  '  kc: { kind: keychain, options: { service: atmos-secrets-sil } }',
  'secrets:',
  '  providers:',
  '    team: { kind: sops/age, spec: { file: "secrets/{{ .atmos_stack }}.enc.yaml" } }',
);

/** Identities from the stack's `auth` (a default identity), a base's `auth.identity`, the component's own. */
const STATIC_STACK = [
  'vars: { stage: dev }',
  'auth: { identities: { stack-role: { default: true }, other: {} } }',
  'components:',
  '  terraform:',
  '    base:',
  '      metadata: { type: abstract }',
  '      auth: { identity: base-role }',
  '    api:',
  '      metadata: { inherits: [base] }',
  '      vars: { marker: api-vars }',
  '      secrets: { vars: { API_KEY: { store: kc }, API_FILE: { sops: team } } }',
  '    web:',
  '      vars: { marker: web-vars }',
  '      secrets: { vars: { WEB_KEY: { store: kc } } }',
  '    own:',
  '      auth: { identity: own-role }',
  '      secrets: { vars: { OWN_KEY: { store: kc } } }',
  '',
].join('\n');

describe('SecretsIndex.listed', () => {
  it('gives the coordinates, identities included, that the full component gives', async () => {
    const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, 'stacks/dev.yaml': STATIC_STACK });
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const listing = new SecretsIndex(ws, StoreCatalog.fromWorkspace(ws));
    const full = new SecretsIndex(ws, StoreCatalog.fromWorkspace(ws));
    const identities: Record<string, unknown> = {};
    for (const name of ['api', 'web', 'own']) {
      const listed = listing.listed('dev', name, 'terraform');
      expect(listed.config.dynamic).toBe(false);
      expect(Object.keys(listed.config.sections)).toEqual(['auth']);
      const whole = full.component('dev', name, 'terraform');
      expect(listed.secrets).toEqual(whole.secrets);
      expect(listed.broken).toEqual([]);
      expect(whole.broken).toEqual([]);
      for (const s of listed.secrets) identities[`${name}/${s.name}`] = s.coordinate.identity;
    }
    expect(identities).toEqual({
      'api/API_FILE': { name: 'base-role', source: 'component' },
      'api/API_KEY': { name: 'base-role', source: 'component' },
      'web/WEB_KEY': { name: 'stack-role', source: 'component' },
      'own/OWN_KEY': { name: 'own-role', source: 'component' },
    });
  });

  it('hands out a component the index already keeps', async () => {
    const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, 'stacks/dev.yaml': STATIC_STACK });
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const index = new SecretsIndex(ws, StoreCatalog.fromWorkspace(ws));
    const kept = index.component('dev', 'web', 'terraform');
    expect(index.listed('dev', 'web', 'terraform')).toBe(kept);
    expect(index.listed('dev', 'api', 'terraform')).not.toBe(index.listed('dev', 'api', 'terraform'));
  });
});

describe('SecretsIndex stack-wide coordinates', () => {
  it("are made once per stack, declaration and identity, each what the component's own would be", async () => {
    const stackFile = (stage: string): string =>
      [
        // Imported by both stacks: the loader shares the declarations between them.
        'import: [catalog/shared]',
        `vars: { stage: ${stage} }`,
        'components:',
        '  terraform:',
        '    a: { vars: {} }',
        '    b: { vars: {} }',
        '    c: { auth: { identity: c-role } }',
        '',
      ].join('\n');
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS_YAML,
      'stacks/dev.yaml': stackFile('dev'),
      'stacks/prod.yaml': stackFile('prod'),
      'stacks/catalog/shared.yaml':
        'secrets: { vars: { STACK_TOKEN: { store: kc }, EVERYWHERE: { store: kc, scope: global } } }\n',
    });
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const index = new SecretsIndex(ws, StoreCatalog.fromWorkspace(ws));
    const stores = StoreCatalog.fromWorkspace(ws);
    const coordinates = (stack: string, component: string) =>
      Object.fromEntries(index.listed(stack, component).secrets.map((s) => [s.name, s.coordinate]));
    const dev = { a: coordinates('dev', 'a'), b: coordinates('dev', 'b'), c: coordinates('dev', 'c') };
    const prod = coordinates('prod', 'a');
    // Same stack and identity: one object; another identity: its own.
    expect(dev.b['STACK_TOKEN']).toBe(dev.a['STACK_TOKEN']);
    expect(dev.b['EVERYWHERE']).toBe(dev.a['EVERYWHERE']);
    expect(dev.c['STACK_TOKEN']).not.toBe(dev.a['STACK_TOKEN']);
    expect(dev.c['STACK_TOKEN']?.identity).toEqual({ name: 'c-role', source: 'component' });
    expect(dev.a['STACK_TOKEN']?.identity).toEqual({ name: undefined, source: 'default' });
    expect(index.listed('prod', 'a').secrets[0]?.declaration).toBe(index.listed('dev', 'a').secrets[0]?.declaration);
    expect(prod['STACK_TOKEN']?.key).not.toBe(dev.a['STACK_TOKEN']?.key);
    // Each is exactly what coordinateOf gives that component.
    for (const [stack, component, got] of [
      ['dev', 'a', dev.a],
      ['dev', 'b', dev.b],
      ['dev', 'c', dev.c],
      ['prod', 'a', prod],
    ] as const) {
      const config = ws.componentConfig(stack, component);
      for (const s of index.component(stack, component).secrets) {
        const fresh = coordinateOf(s.declaration, config, { stores, basePath: ws.basePath });
        expect(got[s.name], `${stack}/${component}/${s.name}`).toEqual(fresh);
      }
    }
  });
});

describe('list over the listing merge', () => {
  it('merges no component vars of a static stack', async () => {
    const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, 'stacks/dev.yaml': STATIC_STACK });
    const { svc } = await memoryService(dir);
    const listed = vi.spyOn(SecretsIndex.prototype, 'listed');
    const merged: unknown[] = [];
    const real = Merger.prototype.merge;
    vi.spyOn(Merger.prototype, 'merge').mockImplementation(function (this: Merger, dst, src) {
      merged.push(src);
      return real.call(this, dst, src);
    });
    const rows: string[] = [];
    await svc.streamList({}, (r) => void rows.push(`${r.component}/${r.secret}`));
    expect(rows).toEqual(['api/API_FILE', 'api/API_KEY', 'own/OWN_KEY', 'web/WEB_KEY']);
    expect(listed).toHaveBeenCalledTimes(3);
    const marker = (v: unknown): boolean =>
      typeof v === 'object' && v !== null && String((v as Record<string, unknown>)['marker']).endsWith('-vars');
    expect(merged.filter(marker)).toEqual([]);
    // The full merge does merge them: the filter above finds what it looks for.
    merged.length = 0;
    svc.component('dev', 'web');
    expect(merged.filter(marker)).not.toEqual([]);
  });

  it('still fails on a misspelt !secret in a dynamic stack, in its own file or an imported one', async () => {
    for (const [where, files] of [
      ['own file', { 'stacks/dev.yaml': STATIC_STACK.replace('marker: web-vars', 'token: !secret WEB_KYE') }],
      [
        'imported file',
        {
          'stacks/dev.yaml': `import: [catalog/web]\n${STATIC_STACK}`,
          'stacks/catalog/web.yaml': 'components:\n  terraform:\n    web:\n      env: { TOKEN: !secret WEB_KYE }\n',
        },
      ],
    ] as const) {
      const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, ...files });
      const { svc } = await memoryService(dir);
      const rows: string[] = [];
      const e: unknown = await svc
        .streamList({}, (r) => void rows.push(r.secret))
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      expect(e, where).toBeInstanceOf(AppError);
      expect((e as AppError).code, where).toBe('CONFIG');
      expect((e as AppError).message, where).toBe(
        'secret is not declared: "WEB_KYE" (declare it under the component\'s secrets.vars)',
      );
      expect(rows, where).toEqual([]);
    }
  });
});
