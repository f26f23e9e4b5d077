// An in-memory Keychain for unit tests and for the e2e bridge's isolated runs. Never used for real secrets.
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from './keychain';

export class MemoryKeychain implements Keychain {
  private readonly items = new Map<string, string>();

  constructor(readonly service: string = DEFAULT_KEYCHAIN_SERVICE) {}

  async get(account: string): Promise<string | null> {
    return this.items.get(account) ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    this.items.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    return this.items.delete(account);
  }

  async list(): Promise<string[]> {
    return [...this.items.keys()].sort();
  }

  async getMany(accounts: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const a of accounts) {
      const v = this.items.get(a);
      if (v !== undefined) found.set(a, v);
    }
    return found;
  }
}
