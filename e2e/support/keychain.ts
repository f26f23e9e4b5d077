// The app's own keychain service in the e2e run's private keyring (with-keyring.mjs): specs empty it before
// and after each test so none sees another's entries.
import { KeytarKeychain } from '../../src/main/keychain/keytar-keychain';

export const appKeychain = new KeytarKeychain();

export async function clearAppKeychain(): Promise<void> {
  for (const name of await appKeychain.list()) await appKeychain.delete(name);
}
