// `!secret` resolution: masked without backend calls, values with path/default/raw, the exact errors, and the
// refusal of `!store` on a secret store.
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkspace, MASK, SecretRef, StoreRef } from '../../config';
import { AppError } from '../../../shared/errors';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { applyModifiers, assertSecretsDeclared, resolveReferences, type ResolveContext } from './references';

const loc = { file: 'stacks/dev.yaml', line: 4 };
const ref = (name: string, o: { path?: string; def?: string; raw?: boolean } = {}) =>
  new SecretRef(name, loc, o.path, o.def, o.raw ?? false);

function ctx(values: Record<string, string> | undefined, calls: string[] = []): ResolveContext {
  return {
    isDeclared: (n) => ['A', 'J', 'MISSING'].includes(n),
    isSecretStore: (s) => (s === 'vault' ? true : s === 'plain' ? false : undefined),
    ...(values
      ? {
          value: async (n: string) => {
            calls.push(n);
            return values[n];
          },
        }
      : {}),
  };
}

describe('resolveReferences', () => {
  it('masks without calling any backend, and keeps unchanged data shared', async () => {
    const shared = { keep: { x: 1 } };
    const input = { vars: { a: ref('A'), list: [ref('J'), 'plain'] }, shared };
    const out = (await resolveReferences(input, ctx(undefined))) as typeof input;
    expect(out.vars).toEqual({ a: MASK, list: [MASK, 'plain'] });
    expect(out.shared).toBe(shared);
  });

  it('a misspelt name fails even when masked, with the exact message and location', async () => {
    const e: AppError | undefined = await resolveReferences({ a: ref('TYPO') }, ctx(undefined)).then(
      () => undefined,
      (x: unknown) => x as AppError,
    );
    expect(e?.message).toBe('secret is not declared: "TYPO" (declare it under the component\'s secrets.vars)');
    expect(e?.location).toEqual(loc);
  });

  it('refuses !store and !store.get on a secret store; leaves a plain store reference as written', async () => {
    const onSecret = new StoreRef('store', 'vault', 'k', loc, 'dev', 'app');
    const e: AppError | undefined = await resolveReferences({ a: onSecret }, ctx(undefined)).then(
      () => undefined,
      (x: unknown) => x as AppError,
    );
    expect(e?.message).toBe('store "vault" is a secret store; use !secret instead of !store');
    const plain = new StoreRef('store.get', 'plain', 'k', loc);
    expect(await resolveReferences({ a: plain }, ctx(undefined))).toEqual({ a: '!store.get plain k' });
  });

  it('reads each name once; decodes JSON objects, selects with | path, keeps | raw', async () => {
    const calls: string[] = [];
    const json = JSON.stringify({ host: 'h', nested: { port: 5 } });
    const out = await resolveReferences(
      {
        a: ref('A'),
        b: ref('A'),
        j: ref('J'),
        host: ref('J', { path: '.host' }),
        port: ref('J', { path: '.nested.port' }),
        raw: ref('J', { raw: true }),
        none: ref('J', { path: '.absent', def: 'd' }),
      },
      ctx({ A: 'plain', J: json }, calls),
    );
    expect(out).toEqual({
      a: 'plain',
      b: 'plain',
      j: { host: 'h', nested: { port: 5 } },
      host: 'h',
      port: 5,
      raw: json,
      none: 'd',
    });
    expect(calls.sort()).toEqual(['A', 'J']);
  });

  it('a declared secret with no value: | default, else the exact error', async () => {
    expect(await resolveReferences({ a: ref('MISSING', { def: 'fallback' }) }, ctx({}))).toEqual({ a: 'fallback' });
    const e: AppError | undefined = await resolveReferences({ a: ref('MISSING') }, ctx({})).then(
      () => undefined,
      (x: unknown) => x as AppError,
    );
    expect(e?.code).toBe('SECRET_NOT_FOUND');
    expect(e?.message).toBe('secret is not initialized in its backend: "MISSING"');
  });

  it('| path on a value that is not JSON fails without quoting the value', () => {
    expect(() => applyModifiers(ref('A', { path: '.x' }), 'CANARY-not-json')).toThrow('secret "A" is not JSON');
    try {
      applyModifiers(ref('A', { path: '.x' }), 'CANARY-not-json');
    } catch (e) {
      expect(String((e as AppError).message)).not.toContain('CANARY');
    }
    expect(applyModifiers(ref('A'), '42')).toBe('42');
  });
});

describe('assertSecretsDeclared', () => {
  afterAll(() => removeWrittenWorkspaces());

  it('does not walk a component whose files hold no YAML function (no !secret can be there)', () => {
    const sections: Record<string, unknown> = {};
    Object.defineProperty(sections, 'vars', {
      enumerable: true,
      get: () => {
        throw new Error('walked a static component');
      },
    });
    expect(() =>
      assertSecretsDeclared({ stack: 'dev', component: 'app', sections, secretDeclarations: {}, dynamic: false }),
    ).not.toThrow();
    expect(() =>
      assertSecretsDeclared({ stack: 'dev', component: 'app', sections, secretDeclarations: {}, dynamic: true }),
    ).toThrow('walked a static component');
  });

  it('an undeclared !secret in an !include-d file marks the component dynamic and fails', async () => {
    const dir = writeWorkspace({
      'atmos.yaml':
        'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.stage }}"\nstores:\n  kc:\n    kind: keychain\n    options: { service: atmos-secrets-ref }\n',
      'stacks/dev.yaml': [
        'vars: { stage: dev }',
        'components:',
        '  terraform:',
        '    app:',
        '      secrets:',
        '        vars:',
        '          API_KEY: { store: kc }',
        '      env: !include ../fragments/env.yaml',
        '',
      ].join('\n'),
      'fragments/env.yaml': 'KEY: !secret API_KEY\nTYPO: !secret API_KYE\n',
    });
    const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
    const config = ws.componentConfig('dev', 'app');
    expect(config.dynamic).toBe(true);
    const e = (() => {
      try {
        assertSecretsDeclared(config);
        return undefined;
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toContain('"API_KYE"');
  });
});
