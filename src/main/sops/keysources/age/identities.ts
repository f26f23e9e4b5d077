// Where age private keys come from, in the spec's precedence: age_key.value -> age_key.store (an injected
// lookup, the OS keychain in the app) -> age_key.file/path or age_key_file -> SOPS_AGE_KEY_FILE -> SOPS_AGE_KEY,
// then sops' default keys.txt. Explicit provider sources win; the environment is the fallback.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../../../shared/errors';

/** `spec.age_key` as configured: a bare string is `value`. */
export type AgeKeyConfig =
  | string
  | {
      readonly value?: string;
      /** `file` (default) or the name of a configured store such as `keychain`. */
      readonly store?: string;
      /** The key file path (file mode) or the store key (store mode). */
      readonly path?: string;
      readonly file?: string;
    };

/** Reads an entry from a named store (the app: the OS keychain); null when it holds nothing. */
export type AgeKeyStoreLookup = (store: string, key: string) => Promise<string | null>;

/** One keychain entry that may hold age keys: named for messages (never its content), read on demand. */
export interface AgeKeyStoreEntry {
  readonly where: string;
  readonly read: () => Promise<string | null>;
}

export interface AgeIdentityOptions {
  readonly ageKey?: AgeKeyConfig;
  /** `spec.age_key_file` shorthand. */
  readonly ageKeyFile?: string;
  /** The provider (vault) name: the default store key. */
  readonly providerName?: string;
  readonly lookupStore?: AgeKeyStoreLookup;
  /** How messages name a store entry (the app: keychain service and account); default `store S (key "K")`. */
  readonly describeStore?: (store: string, key: string) => string;
  /**
   * Where keygen puts a key when `age_key` names no store and no file (the OS keychain entry): read after the
   * configured sources, its keys combined with the environment's.
   */
  readonly defaultEntry?: AgeKeyStoreEntry;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  readonly platform?: NodeJS.Platform;
  /** Relative key-file paths resolve from here (the Atmos base path). */
  readonly baseDir?: string;
}

export interface ResolvedAgeIdentities {
  readonly identities: readonly string[];
  /** Where they were looked for, for messages: names and paths only, never key material. */
  readonly searched: readonly string[];
  readonly problems: readonly string[];
}

const KEY_PREFIXES = ['AGE-SECRET-KEY-1', 'AGE-SECRET-KEY-PQ-1'];

/** The keys in an age key list: blank and `#` lines skipped, several keys per line allowed (sops 3.13). */
export function parseAgeKeyList(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    for (const word of t.split(/\s+/)) {
      if (KEY_PREFIXES.some((p) => word.toUpperCase().startsWith(p))) out.push(word.toUpperCase());
    }
  }
  return out;
}

/** sops' default key file: `<UserConfigDir>/sops/age/keys.txt`. */
export function defaultAgeKeyFile(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.AppData ?? env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'sops', 'age', 'keys.txt');
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'sops', 'age', 'keys.txt');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'sops', 'age', 'keys.txt');
  return join(home, '.config', 'sops', 'age', 'keys.txt');
}

/** `~` and `$VAR`/`${VAR}` expansion for configured key-file paths. */
export function expandPath(
  p: string,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
  baseDir?: string,
): string {
  let out = p.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_, a: string | undefined, b: string | undefined) => env[(a ?? b) as string] ?? '',
  );
  if (out === '~' || out.startsWith('~/')) out = join(home, out.slice(1));
  return isAbsolute(out) || !baseDir ? out : resolve(baseDir, out);
}

async function readKeyFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError(
      'CRYPTO',
      `The age key file ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`,
      {
        hint: 'Check its permissions.',
      },
    );
  }
}

/**
 * The keys of one store entry. It is named once in `searched`, with what was found there: a locked or absent
 * keychain is noted, not thrown, so keys the environment may still provide are not hidden.
 */
async function readEntry(entry: AgeKeyStoreEntry, searched: string[]): Promise<string[]> {
  let text: string | null;
  try {
    text = await entry.read();
  } catch (e) {
    searched.push(`${entry.where}: could not be read (${e instanceof Error ? e.message : 'error'})`);
    return [];
  }
  const ids = parseAgeKeyList(text ?? '');
  searched.push(ids.length > 0 ? entry.where : `${entry.where}: no age key there`);
  return ids;
}

/** Loads the age identities for a provider; an empty list (with `searched`) when none exist anywhere. */
export async function resolveAgeIdentities(o: AgeIdentityOptions = {}): Promise<ResolvedAgeIdentities> {
  const env = o.env ?? process.env;
  const home = o.homeDir ?? homedir();
  const cfg = typeof o.ageKey === 'string' ? { value: o.ageKey } : (o.ageKey ?? {});
  const searched: string[] = [];
  const problems: string[] = [];
  const found = (ids: string[], where: string): ResolvedAgeIdentities | undefined => {
    searched.push(where);
    if (ids.length > 0) return { identities: ids, searched, problems };
    return undefined;
  };

  if (cfg.value !== undefined && cfg.value.trim() !== '') {
    const r = found(parseAgeKeyList(cfg.value), 'age_key.value');
    if (r) return r;
    problems.push('age_key.value holds no AGE-SECRET-KEY');
  }
  const store = cfg.store ?? 'file';
  if (store !== 'file') {
    const key = cfg.path ?? o.providerName;
    const lookup = o.lookupStore;
    if (!lookup || !key) problems.push(`age_key.store "${store}" cannot be read here`);
    else {
      const where = o.describeStore?.(store, key) ?? `store ${store} (key "${key}")`;
      const ids = await readEntry({ where, read: () => lookup(store, key) }, searched);
      if (ids.length > 0) return { identities: ids, searched, problems };
    }
  }
  const configuredFile = cfg.file ?? (store === 'file' ? cfg.path : undefined) ?? o.ageKeyFile;
  if (configuredFile) {
    const path = expandPath(configuredFile, env, home, o.baseDir);
    const text = await readKeyFile(path);
    const r = found(parseAgeKeyList(text ?? ''), path);
    if (r) return r;
    problems.push(text === undefined ? `${path} does not exist` : `${path} holds no AGE-SECRET-KEY`);
  }
  // The environment and sops' default file are combined, as sops 3.11+ does; keygen's default keychain entry
  // (consulted only when age_key names no store and no file) joins them, so keys kept either way open files.
  const ids: string[] = [];
  if (o.defaultEntry && cfg.store === undefined && !configuredFile) {
    ids.push(...(await readEntry(o.defaultEntry, searched)));
  }
  if (env.SOPS_AGE_KEY_FILE) {
    const path = expandPath(env.SOPS_AGE_KEY_FILE, env, home);
    searched.push(`SOPS_AGE_KEY_FILE (${path})`);
    ids.push(...parseAgeKeyList((await readKeyFile(path)) ?? ''));
  }
  if (env.SOPS_AGE_KEY) {
    searched.push('SOPS_AGE_KEY');
    ids.push(...parseAgeKeyList(env.SOPS_AGE_KEY));
  }
  const def = defaultAgeKeyFile(env, o.platform, home);
  searched.push(def);
  ids.push(...parseAgeKeyList((await readKeyFile(def)) ?? ''));
  return { identities: [...new Set(ids)], searched, problems };
}
