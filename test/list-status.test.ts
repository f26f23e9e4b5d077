// `list` at scale (issue 8): keychain status for a whole listing is one listing of the service, not one read per
// secret; an unreachable backend is one problem per store with the number of rows it affects; rows stream out in
// the order the array form has.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/shared/errors';
import { loadWorkspace } from '../src/main/config';
import { SecretsService, sopsBackendFor } from '../src/main/secrets';
import type { ListRow } from '../src/main/secrets/operations/list';
import { StoreFactoryTable } from '../src/main/stores';
import { MemorySecretStore } from '../src/main/stores/memory';
import { CountingKeychain } from './support/keychain';
import { copySecretsFixture, memoryService, MemoryKeychains, type FixtureCopy } from './support/secrets-workspace';

let fx: FixtureCopy | undefined;
afterEach(() => fx?.cleanup());

/** One CountingKeychain per service, shared by every store of that service. */
class CountingKeychains extends MemoryKeychains {
  readonly counting = new Map<string, CountingKeychain>();

  override get(service = 'atmos-secrets'): CountingKeychain {
    let k = this.counting.get(service);
    if (!k) {
      k = new CountingKeychain(service);
      this.counting.set(service, k);
    }
    return k;
  }
}

/** A keychain whose Secret Service does not answer: every call fails as KeytarKeychain reports it. */
class UnreachableKeychain extends CountingKeychain {
  private refuse(): never {
    throw new AppError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not reachable; could not list its entries.');
  }
  override async get(account: string): Promise<string | null> {
    await super.get(account);
    return this.refuse();
  }
  override async list(): Promise<string[]> {
    await super.list();
    return this.refuse();
  }
}

class UnreachableKeychains extends CountingKeychains {
  override get(service = 'atmos-secrets'): CountingKeychain {
    let k = this.counting.get(service);
    if (!k) {
      k = new UnreachableKeychain(service);
      this.counting.set(service, k);
    }
    return k;
  }
}

async function setup(keychains: CountingKeychains) {
  fx = copySecretsFixture('basic', 'list-status');
  const { svc } = await memoryService(fx.dir, { keychains });
  return { svc, keychain: keychains.get(fx.service) };
}

describe('list status in batches', () => {
  it('checks every keychain status of a whole listing with one listing of the service, never one read per secret', async () => {
    const { svc, keychain } = await setup(new CountingKeychains());
    await keychain.set('fx/dev/api/DB_PASSWORD', JSON.stringify('x'));
    await keychain.set('fx/SHARED_KEY', JSON.stringify('y'));
    const before = { ...keychain.calls };
    const rows = await svc.list();
    const kcRows = rows.filter((r) => r.provider === 'store:kc');
    expect(kcRows.length).toBeGreaterThan(10);
    expect(keychain.calls.list - before.list).toBe(1);
    expect(keychain.calls.get - before.get).toBe(0);
    expect(rows.filter((r) => r.status === 'initialized').map((r) => `${r.stack}/${r.component}/${r.secret}`)).toEqual([
      'dev/api/DB_PASSWORD',
      'dev/api/SHARED_KEY',
      'dev/worker/SHARED_KEY',
      'prod/api/SHARED_KEY',
      'prod/worker/SHARED_KEY',
    ]);
    expect(kcRows.filter((r) => r.status === 'missing')).toHaveLength(kcRows.length - 5);
  });

  it('validate checks required secrets with the same one listing', async () => {
    const { svc, keychain } = await setup(new CountingKeychains());
    const before = { ...keychain.calls };
    const report = await svc.validate();
    expect(report.ok).toBe(false);
    expect(keychain.calls.list - before.list).toBe(1);
    expect(keychain.calls.get - before.get).toBe(0);
  });

  it('falls back to one status per secret for a store without statusMany, each coordinate once', async () => {
    fx = copySecretsFixture('basic', 'list-status');
    const workspace = await loadWorkspace({ cwd: fx.dir, configPath: fx.dir, env: {} });
    const store = new MemorySecretStore({ name: 'kc', statusMany: false });
    const svc = new SecretsService({
      workspace,
      factories: new StoreFactoryTable().register('keychain', () => store),
      sops: sopsBackendFor(workspace, { keychain: (s) => new CountingKeychain(s), env: {} }),
      remember: () => undefined,
    });
    const rows = await svc.list();
    const unique = new Set(
      rows
        .filter((r) => r.provider === 'store:kc')
        .map((r) => (r.scope === 'global' ? r.secret : `${r.stack}/${r.component}/${r.secret}`)),
    );
    expect(store.calls.exists).toBe(unique.size);
    expect(store.calls.statusMany).toBe(0);
  });
});

describe('an unreachable backend is reported once per store', () => {
  it('marks every row of the store `error` and says why once, with the number of rows', async () => {
    const keychains = new UnreachableKeychains();
    const { svc, keychain } = await setup(keychains);
    const rows = await svc.list();
    const kcRows = rows.filter((r) => r.provider === 'store:kc');
    expect(kcRows.map((r) => r.status)).toEqual(kcRows.map(() => 'error'));
    const explained = rows.filter((r) => r.detail);
    expect(explained.map((r) => r.detail)).toEqual([
      `The OS keychain is not reachable; could not list its entries. (and ${kcRows.length - 1} more rows)`,
    ]);
    // One attempt for the whole listing, not one per row.
    expect(keychain.calls.list + keychain.calls.get).toBe(1);
  });

  it('streams the same rows in the same order, and returns the problem once with its row count', async () => {
    const keychains = new UnreachableKeychains();
    const { svc } = await setup(keychains);
    const listed = await svc.list();
    const streamed: ListRow[] = [];
    const summary = await svc.streamList({}, (row) => {
      streamed.push(row);
    });
    expect(streamed.map((r) => `${r.stack}/${r.component}/${r.secret}:${r.status}`)).toEqual(
      listed.map((r) => `${r.stack}/${r.component}/${r.secret}:${r.status}`),
    );
    expect(streamed.filter((r) => r.detail)).toEqual([]);
    const kcRows = listed.filter((r) => r.provider === 'store:kc').length;
    expect(summary).toEqual({
      rows: listed.length,
      problems: [
        {
          provider: 'store:kc',
          code: 'KEYCHAIN_UNAVAILABLE',
          message: 'The OS keychain is not reachable; could not list its entries.',
          hint: undefined,
          rows: kcRows,
        },
      ],
    });
  });
});
