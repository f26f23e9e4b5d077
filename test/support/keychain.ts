// Helpers for tests against the real OS keychain: a unique service per test file, cleaned up afterwards,
// so runs never see each other's entries or the person's own.
import { randomUUID } from 'node:crypto';
import { KeytarKeychain } from '../../src/main/keychain/keytar-keychain';

export function testKeychain(label: string): KeytarKeychain {
  return new KeytarKeychain(`atmos-secrets-test-${label}-${randomUUID().slice(0, 8)}`);
}

export async function emptyKeychain(keychain: KeytarKeychain): Promise<void> {
  for (const name of await keychain.list()) await keychain.delete(name);
}
