// The configured stores, for the Stores page and `atmos-secret stores`: each store's kind, identity and options
// with anything credential-looking masked; a connection test that reads a path that cannot exist (not-found
// means reachable and authorised); and saving a typed token to the OS keychain, never to a file.
import { randomBytes } from 'node:crypto';
import { AppError, type ErrorCode } from '../../../shared/errors';
import type { Keychain } from '../../keychain/keychain';
import { SecretNotFoundError, type SecretPath, type StoreConfig, type StoreRegistry } from '../../stores';
import { STORE_TOKEN_SERVICE, storeTokenAccount, takesToken } from '../../stores/store-token';
import type { StoreCatalog } from '../model/store-catalog';

/** What people see for a masked option. */
export const MASKED = '<MASKED>';

/**
 * Option names whose value is a credential (token, connect_token, client_secret, password, api_key,
 * secret_access_key, private_key, ...): masked whatever their value. A name match rather than a list of exact
 * names, so an adapter's new credential option is masked without anyone remembering to add it here.
 */
const CREDENTIAL_OPTION =
  /token|secret|passw(or)?d|credential|private[_-]?key|api[_-]?key|access[_-]?key|auth|session|cookie/i;

export function isCredentialOption(name: string): boolean {
  return CREDENTIAL_OPTION.test(name);
}

/** `https://user:pass@host` -> `https://<MASKED>@host`: a credential can hide in a URL option too. */
function maskUrlUserinfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, `$1${MASKED}@`);
}

/** One option as text for people, masked where it is or may hold a credential. */
export function maskOption(name: string, value: unknown): string {
  if (isCredentialOption(name)) return MASKED;
  if (typeof value === 'string') return maskUrlUserinfo(value);
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(maskNested(value));
}

function maskNested(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskNested);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isCredentialOption(k) ? MASKED : maskNested(v)]),
    );
  }
  return typeof value === 'string' ? maskUrlUserinfo(value) : value;
}

export function maskOptions(options: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(options)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, maskOption(k, v)]),
  );
}

export interface StoreInfo {
  readonly name: string;
  /** The canonical kind; for a store whose record does not load, what it declared (or empty). */
  readonly kind: string;
  readonly secret: boolean;
  readonly identity: string | undefined;
  /** Options as text, credentials masked. */
  readonly options: Readonly<Record<string, string>>;
  /** This build has an adapter for the kind. */
  readonly available: boolean;
  /** The kind authenticates with a token the app can keep in the keychain (Vault, 1Password). */
  readonly takesToken: boolean;
  /** The keychain account such a token is saved under (service atmos-secrets). */
  readonly tokenAccount: string | undefined;
  /** Why the store's record does not load, when it does not. */
  readonly problem: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
}

function declaredKind(raw: unknown): string {
  if (raw === null || typeof raw !== 'object') return '';
  const r = raw as Record<string, unknown>;
  const k = r['kind'] ?? r['type'];
  return typeof k === 'string' ? k : '';
}

/** Every configured store, sorted by name; a store whose record is invalid is listed with its problem. */
export function listStores(
  catalog: StoreCatalog,
  registry: StoreRegistry,
  raw: Readonly<Record<string, { readonly raw: unknown }>> = {},
): StoreInfo[] {
  return catalog.names().map((name): StoreInfo => {
    const config = catalog.config(name);
    if (config) return infoOf(config, registry);
    const failure = catalog.failure(name);
    return {
      name,
      kind: declaredKind(raw[name]?.raw),
      secret: false,
      identity: undefined,
      options: {},
      available: false,
      takesToken: false,
      tokenAccount: undefined,
      problem: failure?.message ?? 'the store record does not load',
      file: failure?.location?.file,
      line: failure?.location?.line,
    };
  });
}

function infoOf(config: StoreConfig, registry: StoreRegistry): StoreInfo {
  const token = takesToken(config.kind);
  return {
    name: config.name,
    kind: config.kind,
    secret: config.secret,
    identity: config.identity,
    options: maskOptions(config.options),
    available: registry.isAvailable(config.name),
    takesToken: token,
    tokenAccount: token ? storeTokenAccount(config.name) : undefined,
    problem: undefined,
    file: config.location?.file,
    line: config.location?.line,
  };
}

/** The outcome of a connection test: ok, or the failure's code and words (never a value or token). */
export type StoreTestResult =
  | { readonly store: string; readonly kind: string; readonly ok: true; readonly probe: string }
  | {
      readonly store: string;
      readonly kind: string;
      readonly ok: false;
      readonly probe: string | undefined;
      readonly code: ErrorCode;
      readonly message: string;
      readonly hint: string | undefined;
    };

/** A global-scope path under the store's prefix that no declaration uses: random, so it cannot exist. */
export function probePath(): SecretPath {
  return { name: `ATMOS_SECRETS_CONNECTION_TEST_${randomBytes(8).toString('hex').toUpperCase()}`, scope: 'global' };
}

/**
 * Tests one store: reads a random path under its prefix. Not-found means the backend answered and the
 * credentials were accepted; AUTH, THROTTLED, BACKEND (unreachable, 5xx, timeout) and CONFIG (bad options, no
 * adapter) come back with their code and the backend's own words. An unknown store name throws CONFIG.
 */
export async function testStore(
  registry: StoreRegistry,
  name: string,
  o: { readonly signal?: AbortSignal | undefined; readonly probe?: SecretPath } = {},
): Promise<StoreTestResult> {
  const config = registry.config(name);
  const base = { store: name, kind: config.kind };
  const fail = (e: AppError, probe: string | undefined): StoreTestResult => ({
    ...base,
    ok: false,
    probe,
    code: e.code,
    message: e.message,
    hint: e.hint,
  });
  if (!config.secret) {
    return fail(
      new AppError(
        'CONFIG',
        `store "${name}" is not a secret store; Atmos Secrets tests only the stores it writes to`,
        {
          hint: `Add \`secret: true\` to stores.${name} in atmos.yaml if it should hold secrets.`,
        },
      ),
      undefined,
    );
  }
  const path = o.probe ?? probePath();
  let probe: string | undefined;
  try {
    const store = registry.secretStore(name);
    // 1Password addresses by reference, so there is no random path to read: its store lists the vaults the token
    // sees instead, and says which mode (Connect or service account) it chose and why.
    if (testsItsOwnConnection(store)) {
      if (o.signal?.aborted) throw new AppError('CANCELLED', 'the connection test was cancelled');
      return { ...base, ok: true, probe: await store.testConnection() };
    }
    probe = store.locate(path);
    if (o.signal?.aborted) throw new AppError('CANCELLED', 'the connection test was cancelled');
    // Found (impossible for a random name) is as good as not found: the backend answered and let us in. The
    // value, if any, is dropped unread.
    await store.get(path);
    return { ...base, ok: true, probe };
  } catch (e) {
    if (e instanceof SecretNotFoundError || (e instanceof AppError && e.code === 'SECRET_NOT_FOUND'))
      return { ...base, ok: true, probe: probe ?? '' };
    if (e instanceof AppError) return fail(e, probe);
    // A non-AppError from an adapter is a bug there; report it without quoting anything it carried.
    return fail(
      new AppError('BACKEND', `store "${name}" failed the connection test with an unexpected ${errorKind(e)}`),
      probe,
    );
  }
}

/** A store with its own connection test (1Password): resolves to one line describing what it reached. */
function testsItsOwnConnection(store: object): store is { testConnection(): Promise<string> } {
  return 'testConnection' in store && typeof store.testConnection === 'function';
}

function errorKind(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

/** Tokens are single-line text; a pasted trailing newline is not part of one. */
export const MAX_TOKEN_CHARS = 16 * 1024;

/**
 * Saves a token typed into the app for a store that takes one, in the OS keychain (service atmos-secrets,
 * account store-token/<store>). Refuses an unknown store, a kind without tokens and an empty or multi-line
 * token, never quoting it. Returns the account it was saved under.
 */
export async function saveStoreToken(
  keychain: Keychain,
  catalog: StoreCatalog,
  name: string,
  token: string,
): Promise<{ readonly account: string }> {
  const config = catalog.config(name);
  if (!config) {
    throw new AppError('CONFIG', `store "${name}" is not configured${catalog.failure(name) ? ' correctly' : ''}`, {
      hint: catalog.failure(name)?.message,
    });
  }
  if (!takesToken(config.kind)) {
    throw new AppError('BAD_REQUEST', `store "${name}" (${config.kind}) does not take a token`, {
      hint: 'Tokens are kept for hashicorp/vault and onepassword stores; the others use their SDK credential chains or an identity.',
    });
  }
  const clean = token.replace(/\r?\n$/, '');
  if (clean.trim() === '') throw new AppError('BAD_REQUEST', `the token for store "${name}" is empty`);
  if (clean.length > MAX_TOKEN_CHARS)
    throw new AppError('BAD_REQUEST', `the token for store "${name}" is longer than ${MAX_TOKEN_CHARS} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(clean))
    throw new AppError('BAD_REQUEST', `the token for store "${name}" contains a line break or control character`);
  const account = storeTokenAccount(name);
  if (keychain.service !== STORE_TOKEN_SERVICE) {
    throw new AppError('INTERNAL', `store tokens belong in keychain service ${STORE_TOKEN_SERVICE}`);
  }
  await keychain.set(account, clean);
  return { account };
}
