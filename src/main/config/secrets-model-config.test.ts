// Workspace.secretsModelConfig: what `list` merges of each component. In a static stack only the declarations,
// providers and SECRETS_MODEL_SECTIONS are merged, each to the value the full merge gives it; a dynamic stack's
// component is merged and evaluated whole.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { atmosYamlByStage, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import { AppError } from '../../shared/errors';
import { Merger } from './merge';
import { loadWorkspace, SECRETS_MODEL_SECTIONS, type Workspace } from './index';

afterAll(() => removeWrittenWorkspaces());
afterEach(() => vi.restoreAllMocks());

const ATMOS_YAML = atmosYamlByStage('stores:', '  kc: { kind: keychain, options: { service: atmos-secrets-smc } }');

/** A static stack whose components get `auth` from every layer the full merge reads it from. */
const STATIC_STACK = [
  'vars: { stage: dev, region: eu }',
  'env: { STACK_ENV: "1" }',
  'settings: { list_merge_strategy: append }',
  'auth: { identities: { stack-wide: { default: true } }, chain: [stack] }',
  'terraform:',
  '  auth: { chain: [type] }',
  'secrets: { vars: { STACK_TOKEN: { store: kc } } }',
  'overrides:',
  '  auth: { chain: [overrides] }',
  'components:',
  '  terraform:',
  '    base:',
  '      metadata: { type: abstract }',
  '      auth: { identity: base-id, chain: [base] }',
  '      vars: { from_base: true }',
  '    api:',
  '      metadata: { inherits: [base] }',
  '      vars: { own: true }',
  '      env: { OWN: "1" }',
  '      secrets: { vars: { API_KEY: { store: kc } } }',
  '    web:',
  '      auth: { identity: web-id, chain: [web] }',
  '      vars: { own: true }',
  '      secrets: { vars: { WEB_KEY: { store: kc } } }',
  '    plain:',
  '      vars: { own: true }',
  '',
].join('\n');

async function load(files: Record<string, string>): Promise<Workspace> {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS_YAML, ...files });
  return loadWorkspace({ cwd: dir, configPath: dir, env: {} });
}

/** Every value Merger.merge is handed while `f` runs, as destination or source. */
function mergedValues(f: () => unknown): Set<unknown> {
  const seen = new Set<unknown>();
  const real = Merger.prototype.merge;
  const spy = vi.spyOn(Merger.prototype, 'merge').mockImplementation(function (this: Merger, dst, src) {
    seen.add(dst);
    seen.add(src);
    return real.call(this, dst, src);
  });
  try {
    f();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

describe('Workspace.secretsModelConfig', () => {
  it('names auth as the one section the secrets model reads', () => {
    expect(SECRETS_MODEL_SECTIONS).toEqual(['auth']);
  });

  it('in a static stack merges auth and the declarations, never vars or env', async () => {
    const ws = await load({ 'stacks/dev.yaml': STATIC_STACK });
    const ownVars = ws.ownComponentConfig('dev', 'terraform', 'api')?.['vars'];
    const ownEnv = ws.ownComponentConfig('dev', 'terraform', 'api')?.['env'];
    expect(ownVars).toEqual({ own: true });
    expect(ownEnv).toEqual({ OWN: '1' });

    let model: ReturnType<Workspace['secretsModelConfig']> | undefined;
    const seenByModel = mergedValues(() => (model = ws.secretsModelConfig('dev', 'api', 'terraform')));
    expect(seenByModel.has(ownVars)).toBe(false);
    expect(seenByModel.has(ownEnv)).toBe(false);
    expect(model?.dynamic).toBe(false);
    expect(Object.keys(model?.sections ?? {})).toEqual(['auth']);
    expect(Object.keys(model?.secretDeclarations ?? {}).sort()).toEqual(['API_KEY', 'STACK_TOKEN']);

    // The same spy sees them in the full merge: the check above can fail.
    const seenByFull = mergedValues(() => ws.componentConfig('dev', 'api', 'terraform'));
    expect(seenByFull.has(ownVars)).toBe(true);
    expect(seenByFull.has(ownEnv)).toBe(true);
  });

  it('gives each component the auth, declarations and providers the full merge gives it', async () => {
    const ws = await load({ 'stacks/dev.yaml': STATIC_STACK });
    for (const name of ['api', 'web', 'plain', 'base']) {
      const model = ws.secretsModelConfig('dev', name, 'terraform');
      // Merged first, then the full one: the model's merge must not lean on a cached full merge.
      const full = ws.componentConfig('dev', name, 'terraform');
      expect(model).not.toBe(full);
      expect(model.sections).toEqual({ auth: full.sections['auth'] });
      expect(model.secretDeclarations).toBe(full.secretDeclarations);
      expect(model.secretProviders).toBe(full.secretProviders);
      expect([model.stack, model.component, model.type, model.abstract]).toEqual([
        full.stack,
        full.component,
        full.type,
        full.abstract,
      ]);
    }
    // Spelt out for one: stack, type, base, overrides in that order, lists appended (the stack's strategy).
    expect(ws.componentConfig('dev', 'api', 'terraform').sections['auth']).toEqual({
      identities: { 'stack-wide': { default: true } },
      identity: 'base-id',
      chain: ['stack', 'type', 'base', 'overrides'],
    });
    expect(ws.secretsModelConfig('dev', 'web', 'terraform').sections.auth).toMatchObject({
      identity: 'web-id',
      chain: ['stack', 'type', 'web', 'overrides'],
    });
  });

  it('never changes the prefix its components share', async () => {
    const ws = await load({ 'stacks/dev.yaml': STATIC_STACK });
    const web = ws.secretsModelConfig('dev', 'web', 'terraform');
    const plain = ws.secretsModelConfig('dev', 'plain', 'terraform');
    expect(plain.sections.auth).toEqual({
      identities: { 'stack-wide': { default: true } },
      chain: ['stack', 'type', 'overrides'],
    });
    expect(web.sections.auth).not.toBe(plain.sections.auth);
  });

  it('hands out a full merge it already holds', async () => {
    const ws = await load({ 'stacks/dev.yaml': STATIC_STACK });
    const full = ws.componentConfig('dev', 'api');
    expect(ws.secretsModelConfig('dev', 'api')).toBe(full);
  });

  it('in a dynamic stack is the whole evaluated configuration', async () => {
    const ws = await load({
      'stacks/dev.yaml': [
        'vars: { stage: dev }',
        'components:',
        '  terraform:',
        '    api:',
        '      vars: { name: "api-{{ .vars.stage }}" }',
        '      auth: { identity: "{{ .vars.stage }}-id" }',
        '      secrets: { vars: { API_KEY: { store: kc } } }',
        '',
      ].join('\n'),
    });
    const model = ws.secretsModelConfig('dev', 'api');
    expect(model.dynamic).toBe(true);
    expect(model).toBe(ws.componentConfig('dev', 'api'));
    expect(model.sections).toMatchObject({ vars: { name: 'api-dev' }, auth: { identity: 'dev-id' } });
  });

  it('fails for an unknown component as componentConfig does', async () => {
    const ws = await load({ 'stacks/dev.yaml': STATIC_STACK });
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('NOT_FOUND');
        return (e as AppError).message;
      }
      throw new Error('expected NOT_FOUND');
    };
    expect(message(() => ws.secretsModelConfig('dev', 'nope'))).toBe(message(() => ws.componentConfig('dev', 'nope')));
    expect(message(() => ws.secretsModelConfig('dev', 'api', 'helmfile'))).toBe(
      message(() => ws.componentConfig('dev', 'api', 'helmfile')),
    );
  });
});
