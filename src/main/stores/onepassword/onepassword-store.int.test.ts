// The 1Password store against both backends: Connect through the loopback Connect emulator (the real
// `@1password/connect` client, unmodified) and the service account through the in-memory SDK fake (the SDK's
// protocol runs in WASM with no endpoint override). The same contract runs on both: the shared conformance suite,
// then 1Password's own rules (item and field creation, the last field deleting the item, sections, the personal
// vaults refused before any call, each missing part its own error, 429 with the server's wait and no retry,
// one read per item per batch).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '@1password/sdk';
import type { SourceLocation } from '../../../shared/errors';
import { MemoryKeychain } from '../../keychain/memory-keychain';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import { rejection } from '../../../../test/support/rejection';
import { start, type ConnectEmulator } from '../../../../test/support/emulators/onepassword-connect';
import { SdkFake } from '../../../../test/support/emulators/onepassword-connect/sdk-fake';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError } from '../store-errors';
import {
  connectBackend,
  onePasswordStoreFactory,
  OpSecretNotFoundError,
  OpThrottledError,
  OpVaultNotVisibleError,
  OP_MAX_VALUE_BYTES,
  sdkBackend,
  type OnePasswordSecretStore,
  type OpConnectors,
} from './index';

/** What a contract test may look at behind the store, in each backend's own terms made alike. */
interface Harness {
  readonly label: string;
  /** `location`: where atmos.yaml configures the store (undefined: nowhere known). */
  make(options?: Record<string, unknown>, location?: SourceLocation): OnePasswordSecretStore;
  /** Backend calls so far. */
  calls(): number;
  /** Item reads (Connect: GET item; SDK: items.getAll). */
  itemReads(): number;
  /** The stored item: its category and fields (type, label, section label), as the backend holds it. */
  stored(title: string): { category: string; fields: { type: string; label: string; section?: string }[] } | undefined;
  expected: { category: string; concealed: string };
  throttle(): void;
  refuseToken(): void;
}

let emu: ConnectEmulator;
beforeAll(async () => {
  emu = await start({ vaults: ['Infra', 'Private', 'Listed', 'Listedx'], outOfScope: ['Secret Ops'] });
});
afterAll(async () => {
  await emu.stop();
});

const connectHarness: Harness = {
  label: 'Connect (emulator)',
  make: (options = {}, location) =>
    onePasswordStoreFactory({ env: {}, makeKeychain: () => new MemoryKeychain() })(
      parseStoreConfig(
        'op',
        {
          type: 'onepassword',
          options: { mode: 'connect', connect_host: emu.url, connect_token: emu.token, ...options },
        },
        location,
      ),
    ) as OnePasswordSecretStore,
  calls: () => emu.calls(),
  itemReads: () => emu.calls('getItem'),
  stored: (title) => {
    const item = emu.item('Infra', title);
    if (!item) return undefined;
    return {
      category: item.category,
      fields: item.fields.map((f) => ({
        type: f.type,
        label: f.label ?? '',
        ...(f.section ? { section: item.sections.find((s) => s.id === f.section?.id)?.label ?? '?' } : {}),
      })),
    };
  },
  expected: { category: 'API_CREDENTIAL', concealed: 'CONCEALED' },
  throttle: () => emu.fail({ status: 429, retryAfterSeconds: 7 }),
  refuseToken: () => undefined,
};

const fake = new SdkFake(['Infra', 'Private', 'Listed', 'Listedx']);
const sdkConnectors: OpConnectors = {
  connect: () => Promise.reject(new Error('not used')),
  serviceAccount: async () => sdkBackend(fake, sdk),
};
const sdkHarness: Harness = {
  label: 'service account (SDK fake)',
  make: (options = {}, location) =>
    onePasswordStoreFactory({ env: {}, makeKeychain: () => new MemoryKeychain(), connectors: sdkConnectors })(
      parseStoreConfig(
        'op',
        {
          type: 'onepassword',
          options: { mode: 'service-account', token: 'ops_fake', ...options },
        },
        location,
      ),
    ) as OnePasswordSecretStore,
  calls: () => fake.calls(),
  itemReads: () => fake.calls('items.getAll'),
  stored: (title) => {
    const item = fake.itemsOf('Infra').find((i) => i.title === title);
    if (!item) return undefined;
    return {
      category: item.category,
      fields: item.fields.map((f) => ({
        type: f.fieldType,
        label: f.title,
        ...(f.sectionId ? { section: item.sections.find((s) => s.id === f.sectionId)?.title ?? '?' } : {}),
      })),
    };
  },
  expected: { category: 'ApiCredentials', concealed: 'Concealed' },
  throttle: () => fake.throttleNext(),
  refuseToken: () => fake.failNext(new sdk.AuthExpiredError('service account token expired')),
};

const referenceFor = (p: SecretPath): string =>
  `op://Infra/${p.scope}-${p.stack ?? 'none'}-${p.component ?? 'none'}/${p.name}`;

let seq = 0;
const inst = (name: string, reference: string): SecretPath => ({
  name,
  scope: 'instance',
  stack: 'plat-ue2-dev',
  component: 'app',
  reference,
});
const unique = (base: string): string => `${base}-${++seq}`;

for (const h of [connectHarness, sdkHarness]) {
  runStoreConformance(`onepassword over ${h.label}`, () => h.make(), {
    declared: { versions: false, getMany: true, statusMany: true, maxValueBytes: OP_MAX_VALUE_BYTES },
    referenceFor,
    refusedPaths: [
      { name: 'NO_REF', scope: 'global' },
      { name: 'BAD_REF', scope: 'global', reference: 'op://Infra/only-item' },
      { name: 'BAD_TEMPLATE', scope: 'global', reference: 'op://{{ .atmos_stack }}/i/f' },
    ],
    backendCalls: undefined,
    // The "prefix" of a 1Password store is its vault; the listing gives items, references name their fields.
    listing: {
      storeWithPrefix: (vault) => h.make({ vault }),
      pageSize: 3,
      lastChanged: true,
      segments: false,
      prefixes: ['Listed', 'Listedx'],
      referenceFor: (vault, p) => `op://${vault}/${p.scope}-${p.stack ?? 'none'}-${p.component ?? 'none'}/${p.name}`,
    },
  });

  describe(`onepassword specifics over ${h.label}`, () => {
    it('creates a missing item as an API Credential holding the value in a concealed field', async () => {
      const store = h.make();
      const title = unique('postgres');
      await store.set(inst('DB_PASSWORD', `op://Infra/${title}/password`), 'hunter2');
      expect(h.stored(title)).toEqual({
        category: h.expected.category,
        fields: [{ type: h.expected.concealed, label: 'password' }],
      });
      expect(await store.get(inst('DB_PASSWORD', `op://Infra/${title}/password`))).toBe('hunter2');
    });

    it('adds a field to an existing item, overwrites it, and deletes the item with its last field', async () => {
      const store = h.make();
      const title = unique('shared');
      const user = inst('DB_USER', `op://Infra/${title}/username`);
      const pass = inst('DB_PASSWORD', `op://Infra/${title}/password`);
      await store.set(user, 'app');
      await store.set(pass, 'p1');
      await store.set(pass, 'p2');
      expect(h.stored(title)?.fields.map((f) => f.label)).toEqual(['username', 'password']);
      expect(await store.get(pass)).toBe('p2');
      expect(await store.delete(user)).toBe(true);
      expect(h.stored(title)?.fields.map((f) => f.label)).toEqual(['password']);
      expect(await store.status(user)).toBe('missing');
      expect(await store.delete(pass)).toBe(true);
      expect(h.stored(title)).toBeUndefined();
      expect(await store.delete(pass)).toBe(false);
    });

    it('writes a field in a section, creating the section, and reads it back by section', async () => {
      const store = h.make();
      const title = unique('sectioned');
      await store.set(inst('A', `op://Infra/${title}/prod/token`), 'in-prod');
      await store.set(inst('B', `op://Infra/${title}/stage/token`), 'in-stage');
      expect(h.stored(title)?.fields).toEqual([
        { type: h.expected.concealed, label: 'token', section: 'prod' },
        { type: h.expected.concealed, label: 'token', section: 'stage' },
      ]);
      expect(await store.get(inst('A', `op://Infra/${title}/prod/token`))).toBe('in-prod');
      expect(await store.get(inst('B', `op://Infra/${title}/stage/token`))).toBe('in-stage');
      const twoFields = await rejection(store.get(inst('C', `op://Infra/${title}/token`)));
      expect(twoFields.code).toBe('CONFIG');
      expect(twoFields.message).toContain('2 fields named "token"');
    });

    it('names what is missing: the item, the section or the field, with the secret and the reference', async () => {
      const store = h.make();
      const title = unique('partial');
      await store.set(inst('X', `op://Infra/${title}/present`), 'v');
      const cases: [string, 'item' | 'section' | 'field', string][] = [
        [`op://Infra/${unique('absent')}/f`, 'item', 'has no item'],
        [`op://Infra/${title}/nosuch/present`, 'section', 'has no section "nosuch"'],
        [`op://Infra/${title}/absent`, 'field', 'has no field "absent"'],
      ];
      for (const [reference, missing, text] of cases) {
        const e = await rejection(store.get(inst('MISSING_PART', reference)));
        expect(e).toBeInstanceOf(OpSecretNotFoundError);
        expect(e).toBeInstanceOf(SecretNotFoundError);
        expect((e as OpSecretNotFoundError).missing).toBe(missing);
        expect(e.message).toContain('"MISSING_PART"');
        expect(e.message).toContain(reference);
        expect(e.message).toContain(text);
      }
    });

    it.each(['Private', 'Personal', 'employee'])(
      'refuses to write to the built-in %s vault before any call, saying to use a shared vault',
      async (vault) => {
        const store = h.make();
        const before = h.calls();
        for (const attempt of [
          store.set(inst('K', `op://${vault}/item/f`), 'v'),
          store.delete(inst('K', `op://${vault}/item/f`)),
        ]) {
          const e = await rejection(attempt);
          expect(e.code).toBe('CONFIG');
          expect(e.message).toContain('"K"');
          expect(e.message).toContain(`op://${vault}/item/f`);
          expect(e.hint).toContain('shared, named vault');
        }
        expect(h.calls()).toBe(before);
      },
    );

    it('expands vault-relative references with the store vault option', async () => {
      const store = h.make({ vault: 'Infra' });
      const title = unique('relative');
      await store.set(inst('R', `${title}/key`), 'rel');
      expect(store.locate(inst('R', `${title}/key`))).toBe(`op://Infra/${title}/key`);
      expect(h.stored(title)?.fields.map((f) => f.label)).toEqual(['key']);
    });

    it('a vault the token cannot see is its own error naming the secret, the reference and the vault', async () => {
      const store = h.make();
      const e = await rejection(store.get(inst('HIDDEN', 'op://Secret Ops/item/f')));
      expect(e).toBeInstanceOf(OpVaultNotVisibleError);
      expect(e.code).toBe('AUTH');
      expect(e.message).toContain('"HIDDEN"');
      expect(e.message).toContain('op://Secret Ops/item/f');
      expect(e.message).toContain('vault "Secret Ops"');
    });

    it('errors about what a reference names point at the declaring file and line, not the store in atmos.yaml', async () => {
      const storeAt: SourceLocation = { file: 'atmos.yaml', line: 7 };
      const declared: SourceLocation = { file: 'stacks/catalog/apps.yaml', line: 12 };
      const store = h.make({}, storeAt);
      const title = unique('sourced');
      await store.set(inst('X', `op://Infra/${title}/present`), 'v');
      const at = (name: string, reference: string): SecretPath => ({ ...inst(name, reference), source: declared });
      const attempts: [() => Promise<unknown>, string][] = [
        [() => store.get(at('GONE', `op://Infra/${unique('absent')}/f`)), 'has no item'],
        [() => store.get(at('GONE', `op://Infra/${title}/nosuch/present`)), 'has no section'],
        [() => store.get(at('GONE', `op://Infra/${title}/absent`)), 'has no field'],
        [() => store.get(at('GONE', 'op://Secret Ops/item/f')), 'cannot see'],
        [() => store.set(at('GONE', 'op://Private/item/f'), 'v'), 'built-in "Private" vault'],
      ];
      for (const [attempt, text] of attempts) {
        const e = await rejection(attempt());
        expect(e.message).toContain(text);
        expect(e.message).toContain('(declared at stacks/catalog/apps.yaml:12)');
        expect(e.location).toEqual(declared);
      }
      // A path without its declaration (the connection test, a listing): the store's own place, as before.
      const bare = await rejection(store.set(inst('BARE', 'op://Private/item/f'), 'v'));
      expect(bare.location).toEqual(storeAt);
      expect(bare.message).not.toContain('declared at');
      const missing = await rejection(store.get(inst('BARE', `op://Infra/${unique('absent')}/f`)));
      expect(missing.location).toBeUndefined();
    });

    it('a 429 is one clear error with the wait, and is not retried', async () => {
      const store = h.make();
      await store.get(inst('WARM', 'op://Infra/warm/f')).catch(() => undefined); // vault listing cached
      h.throttle();
      const before = h.calls();
      const e = await rejection(store.get(inst('SLOW', 'op://Infra/any/f')));
      expect(e).toBeInstanceOf(OpThrottledError);
      expect(e).toBeInstanceOf(StoreThrottledError);
      expect(e.code).toBe('THROTTLED');
      expect(e.message).toContain('"SLOW"');
      expect(e.message).toContain('op://Infra/any/f');
      expect(h.calls() - before).toBe(1);
    });

    it('getMany and statusMany read each item once per batch', async () => {
      const store = h.make();
      const a = unique('batch-a');
      const b = unique('batch-b');
      await store.set(inst('A1', `op://Infra/${a}/one`), '1');
      await store.set(inst('A2', `op://Infra/${a}/two`), '2');
      await store.set(inst('B1', `op://Infra/${b}/one`), '3');
      const paths = [
        inst('A1', `op://Infra/${a}/one`),
        inst('A2', `op://Infra/${a}/two`),
        inst('A3', `op://Infra/${a}/three`),
        inst('B1', `op://Infra/${b}/one`),
        inst('C1', `op://Infra/${unique('batch-c')}/one`),
      ];
      const before = h.itemReads();
      const results = await store.getMany(paths);
      expect(results.map((r) => (r.found ? r.value : null))).toEqual(['1', '2', null, '3', null]);
      const reads = h.itemReads() - before;
      expect(reads).toBe(h === sdkHarness ? 1 : 2);
      expect(await store.statusMany(paths)).toEqual([
        'initialized',
        'initialized',
        'missing',
        'initialized',
        'missing',
      ]);
    });
  });
}

describe('onepassword credentials failures', () => {
  it('Connect: a wrong token is a StoreAuthError naming the secret, the reference and where the token came from', async () => {
    const store = connectHarness.make({ connect_token: 'wrong' });
    const e = await rejection(store.get(inst('DB', 'op://Infra/x/f')));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.message).toContain('"DB"');
    expect(e.message).toContain('op://Infra/x/f');
    expect(e.message).toContain('options.connect_token');
    expect(e.message).not.toContain('wrong');
  });

  it('service account: an expired token is a StoreAuthError', async () => {
    const store = sdkHarness.make();
    sdkHarness.refuseToken();
    const e = await rejection(store.get(inst('DB', 'op://Infra/x/f')));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.message).toContain('"DB"');
    expect(e.message).toContain('options.token');
  });

  it('Connect: the 429 error carries the Retry-After the server sent', async () => {
    const store = connectHarness.make();
    emu.fail({ status: 429, retryAfterSeconds: 42 }, 'listVaults');
    const e = await rejection(store.get(inst('DB', 'op://Infra/x/f')));
    expect(e).toBeInstanceOf(OpThrottledError);
    expect((e as OpThrottledError).retryAfterMs).toBe(42_000);
    expect(e.message).toContain('the server asked to wait 42 s');
  });

  it('Connect over the real client: no trailing-slash surprises in what it sends', async () => {
    const backend = await connectBackend({ host: emu.url, token: emu.token, timeoutMs: 5000 });
    const vault = emu.vault('Infra');
    expect(await backend.getItem(vault.id, 'does not exist')).toBeUndefined();
    const paths = emu.requests.slice(-1).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(paths).toEqual([`GET /v1/vaults/${vault.id}/items/ 200`]);
  });
});
