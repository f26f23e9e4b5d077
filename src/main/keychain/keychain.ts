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
  /**
   * The values of the named accounts that exist, read in ONE call for the whole service (keytar's
   * findCredentials): a batch read costs one D-Bus round trip, not one per account. Values of accounts not
   * asked for are dropped at once.
   */
  getMany(accounts: readonly string[]): Promise<Map<string, string>>;
}
