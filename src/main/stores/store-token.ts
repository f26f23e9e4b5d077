// Where a store's token lives in the OS keychain when the person typed it into the app: service
// `atmos-secrets`, account `store-token/<store name>`, one per store (two Vault stores, two clusters, two tokens).
// Adapters that take a token read it from their options first, then the environment (VAULT_TOKEN,
// OP_CONNECT_TOKEN, ...), then this entry. The token is never written to a file.
import { DEFAULT_KEYCHAIN_SERVICE } from '../keychain/keychain';
import type { StoreKind } from './store-kinds';

/** The keychain service that holds store tokens. */
export const STORE_TOKEN_SERVICE = DEFAULT_KEYCHAIN_SERVICE;

/** The keychain account of a store's token (service STORE_TOKEN_SERVICE). */
export function storeTokenAccount(storeName: string): string {
  return `store-token/${storeName}`;
}

/** Kinds whose adapter authenticates with a token a person may paste into the app. */
export const TOKEN_KINDS: readonly StoreKind[] = ['hashicorp/vault', 'onepassword'];

export function takesToken(kind: StoreKind): boolean {
  return TOKEN_KINDS.includes(kind);
}
