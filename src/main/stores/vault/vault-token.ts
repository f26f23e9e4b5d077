// Where a Vault store's token comes from, in order: the store's `token` option (usually `!env ...`), the
// VAULT_TOKEN environment variable (what the Vault CLI uses), then the OS keychain entry every token-taking
// store shares (../store-token.ts): service `atmos-secrets`, account `store-token/<store name>`, one token per
// store, so two Vault stores (two clusters, or one cluster with two namespaces) can hold different tokens. The
// app's token field saves there, never in a file.
import type { Keychain } from '../../keychain/keychain';
import { STORE_TOKEN_SERVICE, storeTokenAccount } from '../store-token';

export type VaultTokenSource = 'options.token' | 'VAULT_TOKEN' | 'OS keychain';

export interface ResolvedVaultToken {
  readonly token: string;
  readonly source: VaultTokenSource;
}

/** The keychain account holding a store's Vault token (service atmos-secrets). */
export function vaultTokenAccount(storeName: string): string {
  return storeTokenAccount(storeName);
}

/** Saves a token for a store in the OS keychain (the app's token field). */
export async function saveVaultToken(keychain: Keychain, storeName: string, token: string): Promise<void> {
  await keychain.set(vaultTokenAccount(storeName), token);
}

export interface VaultTokenInputs {
  readonly store: string;
  readonly optionToken: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The OS keychain of service atmos-secrets; absent: that step is skipped. */
  readonly keychain: (() => Keychain) | undefined;
}

/** The first token found, or undefined when there is none anywhere. */
export async function resolveVaultToken(inputs: VaultTokenInputs): Promise<ResolvedVaultToken | undefined> {
  if (inputs.optionToken) return { token: inputs.optionToken, source: 'options.token' };
  const fromEnv = inputs.env['VAULT_TOKEN'];
  if (fromEnv) return { token: fromEnv, source: 'VAULT_TOKEN' };
  if (inputs.keychain) {
    const stored = await inputs.keychain().get(vaultTokenAccount(inputs.store));
    if (stored) return { token: stored, source: 'OS keychain' };
  }
  return undefined;
}

/** How to give a store a token: every place resolveVaultToken looks. */
export function missingTokenHint(store: string): string {
  return (
    `Set options.token (e.g. \`token: !env VAULT_TOKEN\`), export VAULT_TOKEN, or save the token in the OS ` +
    `keychain (service ${STORE_TOKEN_SERVICE}, account ${vaultTokenAccount(store)}; the app's Stores page does this).`
  );
}
