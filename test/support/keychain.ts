// Helpers for tests against the real OS keychain: a unique service per test file, cleaned up afterwards,
// so runs never see each other's entries or the person's own.
import { randomUUID } from 'node:crypto';
import { KeytarKeychain } from '../../src/main/keychain/keytar-keychain';
import { MemoryKeychain } from '../../src/main/keychain/memory-keychain';

export function testKeychain(label: string): KeytarKeychain {
  return new KeytarKeychain(`atmos-secrets-test-${label}-${randomUUID().slice(0, 8)}`);
}

export async function emptyKeychain(keychain: KeytarKeychain): Promise<void> {
  for (const name of await keychain.list()) await keychain.delete(name);
}

/** A MemoryKeychain that counts every call by kind: proves batching (one `list` per listing, no per-secret `get`). */
export class CountingKeychain extends MemoryKeychain {
  readonly calls = { get: 0, set: 0, delete: 0, list: 0, getMany: 0 };

  total(): number {
    return this.calls.get + this.calls.set + this.calls.delete + this.calls.list + this.calls.getMany;
  }

  override async get(account: string): Promise<string | null> {
    this.calls.get++;
    return super.get(account);
  }

  override async set(account: string, value: string): Promise<void> {
    this.calls.set++;
    return super.set(account, value);
  }

  override async delete(account: string): Promise<boolean> {
    this.calls.delete++;
    return super.delete(account);
  }

  override async list(): Promise<string[]> {
    this.calls.list++;
    return super.list();
  }

  override async getMany(accounts: readonly string[]): Promise<Map<string, string>> {
    this.calls.getMany++;
    return super.getMany(accounts);
  }
}
