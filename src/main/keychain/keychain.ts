// The OS keychain behind a small interface. The app keeps age private keys and backend tokens here.
// Accounts are names; the service groups them (`atmos-secrets` by default).

export const DEFAULT_KEYCHAIN_SERVICE = 'atmos-secrets';

export interface Keychain {
  readonly service: string;
  /** The stored value, or null when the account does not exist. */
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** Account names only, sorted; never values. */
  list(): Promise<string[]>;
}
