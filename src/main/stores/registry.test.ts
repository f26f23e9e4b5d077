// Tests for the stores section and registry: kinds and legacy types, secret rules, lazy creation, refusals.
import { describe, expect, it } from 'vitest';
import { AppError, formatError } from '../../shared/errors';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { builtInStoreFactories } from './factories';
import { MemorySecretStore } from './memory/memory-store';
import {
  StoreFactoryTable,
  StoreRegistry,
  assertStoreFunctionAllowed,
  parseStoreConfig,
  parseStoreConfigs,
  parseStoreRecords,
  storeFunctionOnSecretStoreError,
} from './registry';
import { LEGACY_STORE_TYPES, STORE_KINDS, type StoreKind } from './store-kinds';

function configError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a CONFIG error');
}

const at = { file: '/repo/atmos.yaml', line: 12 };

describe('parseStoreConfig', () => {
  it.each<[string, StoreKind]>([
    ['aws-ssm-parameter-store', 'aws/ssm'],
    ['aws-secrets-manager', 'aws/asm'],
    ['hashicorp-vault', 'hashicorp/vault'],
    ['azure-key-vault', 'azure/keyvault'],
    ['google-secret-manager', 'gcp/secretmanager'],
    ['google/secretmanager', 'gcp/secretmanager'],
    ['gcp-secret-manager', 'gcp/secretmanager'],
    ['gsm', 'gcp/secretmanager'],
    ['onepassword', 'onepassword'],
    ['1password', 'onepassword'],
    ['keychain', 'keychain'],
    ['keyring', 'keychain'],
    ['redis', 'redis'],
    ['artifactory', 'artifactory'],
  ])('maps legacy type %s to kind %s', (type, kind) => {
    expect(parseStoreConfig('s', { type }).kind).toBe(kind);
  });

  it.each(STORE_KINDS.map((k) => [k]))('accepts kind %s', (kind) => {
    expect(parseStoreConfig('s', { kind }).kind).toBe(kind);
  });

  it('covers every legacy type in the table', () => {
    expect(Object.keys(LEGACY_STORE_TYPES)).toHaveLength(14);
  });

  it('lets kind win over type, as Atmos', () => {
    expect(parseStoreConfig('s', { kind: 'aws/asm', type: 'aws-ssm-parameter-store' }).kind).toBe('aws/asm');
  });

  it('maps an alias given in kind, as Atmos', () => {
    expect(parseStoreConfig('s', { kind: 'hashicorp-vault' }).kind).toBe('hashicorp/vault');
  });

  it('reads secret, identity and options', () => {
    const c = parseStoreConfig(
      'ssm',
      { kind: 'aws/ssm', secret: true, identity: 'aws/prod', options: { region: 'us-east-1', prefix: '/atmos' } },
      at,
    );
    expect(c).toEqual({
      name: 'ssm',
      kind: 'aws/ssm',
      secret: true,
      identity: 'aws/prod',
      options: { region: 'us-east-1', prefix: '/atmos' },
      location: at,
    });
  });

  it('is not a secret store unless marked, except keychain and onepassword, which always are', () => {
    expect(parseStoreConfig('s', { kind: 'aws/ssm' }).secret).toBe(false);
    expect(parseStoreConfig('s', { kind: 'keychain' }).secret).toBe(true);
    expect(parseStoreConfig('s', { type: 'onepassword', secret: false }).secret).toBe(true);
  });

  it('treats `options:` with nothing under it as no options', () => {
    expect(parseStoreConfig('s', { kind: 'keychain', options: null }).options).toEqual({});
  });

  it.each([['redis'], ['artifactory']])(
    'refuses secret: true on plaintext %s, naming the store, file and line',
    (type) => {
      const e = configError(() => parseStoreConfig('cache', { type, secret: true }, at));
      expect(e.code).toBe('CONFIG');
      expect(e.message).toBe(`store "cache" (${type}) cannot be a secret store: ${type} keeps values in plaintext`);
      expect(formatError(e)).toContain('/repo/atmos.yaml:12: store "cache"');
    },
  );

  it('refuses an unknown kind, listing the valid ones', () => {
    const e = configError(() => parseStoreConfig('x', { kind: 'aws/parameter-store' }, at));
    expect(e.message).toMatch(
      /^store "x" has unknown kind "aws\/parameter-store"; valid kinds: aws\/ssm, aws\/asm, hashicorp\/vault, azure\/keyvault, gcp\/secretmanager, onepassword, keychain, redis, artifactory/,
    );
    expect(e.location).toEqual(at);
  });

  it('refuses an unknown legacy type, naming the field', () => {
    expect(configError(() => parseStoreConfig('x', { type: 'etcd' })).message).toMatch(/has unknown type "etcd"/);
  });

  it('refuses a store with neither kind nor type', () => {
    expect(configError(() => parseStoreConfig('x', { options: {} })).message).toMatch(
      /^store "x" needs a kind; valid kinds:/,
    );
  });

  it('says why an Atmos kind this app lacks is unsupported', () => {
    expect(configError(() => parseStoreConfig('gha', { kind: 'github/actions' })).message).toMatch(
      /does not support: GitHub Actions/,
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['unknown field', { kind: 'keychain', secrte: true }, /unknown field\(s\) secrte/],
    ['secret not a boolean', { kind: 'aws/ssm', secret: 'yes' }, /secret: /],
    ['prefix not a string', { kind: 'aws/ssm', options: { prefix: 3 } }, /options\.prefix/],
    ['record not a mapping', 'keychain', /store "x" is invalid/],
  ])('refuses a malformed record: %s', (_label, raw, message) => {
    expect(configError(() => parseStoreConfig('x', raw)).message).toMatch(message);
  });
});

describe('parseStoreConfigs', () => {
  it('collects one error per bad store, with locations, and keeps the good ones', () => {
    const { configs, errors } = parseStoreConfigs(
      { good: { kind: 'keychain' }, cache: { type: 'redis', secret: true }, odd: { kind: 'nope' } },
      (name) => ({ file: 'atmos.yaml', line: name.length }),
    );
    expect(configs.map((c) => c.name)).toEqual(['good']);
    expect(errors.map((e) => [e.location?.line, e.message.slice(0, 13)])).toEqual([
      [5, 'store "cache"'],
      [3, 'store "odd" h'],
    ]);
  });

  it("reads the config loader's located records", () => {
    const { configs, errors } = parseStoreRecords({
      kc: { raw: { type: 'keychain' }, location: { file: 'atmos.yaml', line: 3 } },
      cache: { raw: { type: 'redis', secret: true }, location: { file: 'atmos.yaml', line: 9 } },
    });
    expect(configs.map((c) => [c.name, c.kind, c.location?.line])).toEqual([['kc', 'keychain', 3]]);
    expect(errors.map((e) => formatError(e))).toEqual([
      'atmos.yaml:9: store "cache" (redis) cannot be a secret store: redis keeps values in plaintext\n  hint: Remove `secret: true`, or use an encrypting backend (aws/ssm, aws/asm, hashicorp/vault, azure/keyvault, gcp/secretmanager, onepassword, keychain).',
    ]);
    expect(() =>
      StoreRegistry.fromRecords({ cache: { raw: { type: 'redis', secret: true } } }, new StoreFactoryTable()),
    ).toThrow(/plaintext/);
    expect(StoreRegistry.fromRecords({ kc: { raw: { type: 'keychain' } } }, new StoreFactoryTable()).names()).toEqual([
      'kc',
    ]);
  });

  it('accepts a missing or empty stores section', () => {
    expect(parseStoreConfigs(undefined)).toEqual({ configs: [], errors: [] });
    expect(parseStoreConfigs(null)).toEqual({ configs: [], errors: [] });
  });

  it('refuses a stores section that is not a mapping', () => {
    expect(parseStoreConfigs(['a']).errors[0]?.message).toMatch(/must be a mapping/);
  });
});

describe('!store on a secret store', () => {
  it('is refused with the exact message', () => {
    const e = storeFunctionOnSecretStoreError('app-secrets', at);
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('store "app-secrets" is a secret store; use !secret instead of !store');
    expect(() =>
      assertStoreFunctionAllowed(parseStoreConfig('app-secrets', { kind: 'aws/ssm', secret: true })),
    ).toThrow('store "app-secrets" is a secret store; use !secret instead of !store');
    expect(() => assertStoreFunctionAllowed(parseStoreConfig('kc', { kind: 'keychain' }))).toThrow(
      /use !secret instead of !store/,
    );
  });

  it('is allowed on a plain store', () => {
    expect(() => assertStoreFunctionAllowed(parseStoreConfig('outputs', { kind: 'aws/ssm' }))).not.toThrow();
  });
});

describe('StoreRegistry', () => {
  const section = {
    kc: { kind: 'keychain' },
    ssm: { kind: 'aws/ssm', secret: true, options: { region: 'us-east-1' } },
    outputs: { kind: 'aws/ssm' },
    cache: { type: 'redis' },
  };

  it('creates each store lazily, once, through its kind factory', () => {
    let made = 0;
    const factories = new StoreFactoryTable().register('keychain', (config) => {
      made++;
      return new MemorySecretStore({ name: config.name });
    });
    const registry = StoreRegistry.fromSection(section, factories);
    expect(made).toBe(0);
    const first = registry.secretStore('kc');
    expect(registry.secretStore('kc')).toBe(first);
    expect(made).toBe(1);
    expect(registry.names()).toEqual(['cache', 'kc', 'outputs', 'ssm']);
    expect(registry.list().map((c) => [c.name, c.kind, c.secret])).toEqual([
      ['cache', 'redis', false],
      ['kc', 'keychain', true],
      ['outputs', 'aws/ssm', false],
      ['ssm', 'aws/ssm', true],
    ]);
  });

  it('says a kind without an adapter is not available in this build yet, instead of pretending', () => {
    // A build whose table has only the keychain (every other kind here has an adapter in the full build).
    const registry = StoreRegistry.fromSection(
      section,
      new StoreFactoryTable().register('keychain', () => new MemorySecretStore({ name: 'kc' })),
    );
    expect(registry.isAvailable('kc')).toBe(true);
    expect(registry.isAvailable('ssm')).toBe(false);
    const e = configError(() => registry.secretStore('ssm'));
    expect(e.message).toBe('store "ssm" uses kind "aws/ssm", whose backend is not available in this build yet');
    expect(e.hint).toMatch(/Available kinds: keychain/);
  });

  it('refuses !secret through a store that is not a secret store', () => {
    const registry = StoreRegistry.fromSection(section, builtInStoreFactories());
    expect(configError(() => registry.secretStore('outputs')).message).toBe(
      'store "outputs" is not a secret store, so !secret cannot use it',
    );
    expect(configError(() => registry.secretStore('cache')).message).toMatch(/is not a secret store/);
  });

  it('names the configured stores when asked for an unknown one', () => {
    const registry = StoreRegistry.fromSection(section, builtInStoreFactories());
    expect(configError(() => registry.secretStore('nope')).message).toBe(
      'store "nope" is not configured; configured stores: cache, kc, outputs, ssm',
    );
  });

  it('throws the first configuration error from the section', () => {
    expect(() =>
      StoreRegistry.fromSection({ cache: { type: 'redis', secret: true } }, new StoreFactoryTable()),
    ).toThrow(/cannot be a secret store/);
  });

  it('refuses two factories for one kind', () => {
    const table = new StoreFactoryTable().register('keychain', () => new MemorySecretStore());
    expect(() => table.register('keychain', () => new MemorySecretStore())).toThrow(/already registered/);
  });

  it('builds a working keychain store from atmos.yaml settings', async () => {
    const keychain = new MemoryKeychain('atmos-secrets');
    const registry = StoreRegistry.fromSection(
      section,
      builtInStoreFactories({ keychain: { makeKeychain: () => keychain } }),
    );
    const store = registry.secretStore('kc');
    await store.set({ name: 'K', scope: 'global' }, 'v');
    expect(await keychain.list()).toEqual(['atmos/K']);
  });
});
