// The SOPS backend of the operations layer: a declared secret is one top-level key of its provider's
// encrypted file. `status` reads the key names without decrypting (no key needed, so `list` shows it always);
// `get` decrypts; `set` creates a missing file for the provider's recipients and otherwise re-encrypts in
// place; `delete` removes the key. The sops module's errors (missing or wrong key, tampering) pass through:
// they name the file and the fix, never a value. A `sops/age` provider whose key lives in a keychain store
// (`age_key.store`, or no age_key at all: the OS keychain, as keygen) gets its first key generated on first use
// (the recipient recorded in its recipients file).
// A set runs under the file's lock (across processes): first-use keygen, file creation and the
// read-modify-write happen one writer at a time, so no concurrent set is lost and only one key is ever made.
import { access, mkdir } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { AppError, isAppError } from '../../../shared/errors';
import {
  deleteSopsValue,
  describeMasterKey,
  formatForPath,
  getSopsValue,
  isSopsError,
  keygen,
  leafToText,
  listSopsKeys,
  parseAgeKeyList,
  parseMetadata,
  type SopsKeyListing,
  recordExistingAgeKeys,
  setSopsValue,
  toPlain,
  isSopsList,
  isSopsMap,
  withFileLock,
  type CreationRule,
  type KeySources,
  type MasterKeySpec,
  type SetOptions,
  type SopsNode,
} from '../../sops';
import { readSopsSource } from '../../sops/sops-file';
import { parseSopsBytes } from '../../sops/stores';
import { isEntry } from '../../sops/tree';
import { SecretNotFoundError, type SecretStatus } from '../../stores';
import type { SecretBackend, StatusBatcher, StatusResult, StoredValue } from '../backends/backend';
import type { SopsCoordinate } from '../model/coordinates';
import { checkSopsFileInside } from './file-guard';
import { SopsKeys, sopsKeySpec, type SopsKeysDeps } from './sops-keys';

export interface SopsBackendDeps extends SopsKeysDeps {
  /** Told about things the person should know (a key generated on first use); never a value or key. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** Lists a file's keys without decrypting (default listSopsKeys; tests count the reads). */
  readonly listKeys?: ((file: string) => Promise<SopsKeyListing>) | undefined;
}

function isNotFound(e: unknown): boolean {
  return isAppError(e) && e.code === 'NOT_FOUND';
}

/**
 * Display text of a stored value: strings as they are, maps and lists as JSON, other scalars as sops prints
 * them. A value whose bytes are not UTF-8 is a SOPS error naming `file`, never silently replaced.
 */
export function sopsValueText(node: SopsNode, file?: string): string {
  if (isSopsMap(node) || isSopsList(node)) {
    return JSON.stringify(toPlain(node), (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? leafToText(v, file) : v,
    );
  }
  return leafToText(node, file);
}

async function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export class SopsSecretBackend implements SecretBackend<SopsCoordinate> {
  readonly keys: SopsKeys;
  private readonly firstKeys = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: SopsBackendDeps) {
    this.keys = new SopsKeys(deps);
  }

  isLocal(): boolean {
    return true;
  }

  maxValueBytes(): undefined {
    return undefined;
  }

  private notFound(c: SopsCoordinate): SecretNotFoundError {
    return new SecretNotFoundError(
      { secret: c.path.name, store: `sops:${c.providerName}` },
      `${c.file} key ${c.keyPath}`,
    );
  }

  /** Whether the file lists the key (read without decrypting); undefined when the file does not exist. */
  private async hasKey(c: SopsCoordinate): Promise<boolean | undefined> {
    checkSopsFileInside(c, this.deps.basePath);
    return (await this.topLevelKeys(c))?.has(c.keyPath);
  }

  /** The file's top-level keys (first document), read without decrypting; undefined when there is no file. */
  private async topLevelKeys(c: SopsCoordinate): Promise<ReadonlySet<string> | undefined> {
    try {
      const listing = await (this.deps.listKeys ?? listSopsKeys)(c.absoluteFile);
      if (!listing.hasMetadata) {
        throw new AppError('SOPS', `${c.file} has no sops metadata: it is not an encrypted SOPS file`, {
          location: { file: c.absoluteFile },
          hint: `Encrypt it with sops, or move it away so that set creates it (provider "${c.providerName}").`,
        });
      }
      const keys = new Set<string>();
      for (const k of listing.keys) if (k.document === 0 && k.path[0] !== undefined) keys.add(k.path[0]);
      return keys;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async status(c: SopsCoordinate): Promise<SecretStatus> {
    return (await this.hasKey(c)) ? 'initialized' : 'missing';
  }

  /**
   * Statuses of one provider's coordinates with each file's key names read once (a provider's file per stack
   * holds many rows: `list` must not parse it once per row). Errors are per row: a file outside the base path
   * fails only its rows, an unreadable or unencrypted file all of its rows.
   */
  statusMany(cs: readonly SopsCoordinate[]): Promise<StatusResult[]> {
    return this.statusesWith(new Map(), cs);
  }

  /** Batches that share their files' key listings: each file is read once for the whole session. */
  statusSession(): StatusBatcher<SopsCoordinate> {
    const listings = new Map<string, Promise<ReadonlySet<string> | undefined>>();
    return { statusMany: (cs) => this.statusesWith(listings, cs) };
  }

  private async statusesWith(
    listings: Map<string, Promise<ReadonlySet<string> | undefined>>,
    cs: readonly SopsCoordinate[],
  ): Promise<StatusResult[]> {
    const out: StatusResult[] = [];
    for (const c of cs) {
      try {
        checkSopsFileInside(c, this.deps.basePath);
        let keys = listings.get(c.absoluteFile);
        if (!keys) {
          keys = this.topLevelKeys(c);
          // Settled below by the await of the row that made it; no rejection goes unobserved.
          listings.set(c.absoluteFile, keys);
        }
        out.push({ ok: true, status: (await keys)?.has(c.keyPath) ? 'initialized' : 'missing' });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out.push({ ok: false, error: e });
      }
    }
    return out;
  }

  async get(c: SopsCoordinate): Promise<string> {
    return (await this.getValue(c)).text;
  }

  /** The value's text, and for a map or list the value itself (JSON-shaped, as its text reads). */
  async getValue(c: SopsCoordinate): Promise<StoredValue> {
    // Absence is known without a key, so a missing secret is "not set", not "no key to decrypt".
    if (!(await this.hasKey(c))) throw this.notFound(c);
    const node = await getSopsValue(c.absoluteFile, [c.keyPath], {
      keySources: this.keys.keySources(c.sopsProvider, c.identity.name),
    });
    if (node === undefined) throw this.notFound(c);
    const text = sopsValueText(node, c.absoluteFile);
    return isSopsMap(node) || isSopsList(node) ? { text, structured: JSON.parse(text) as unknown } : { text };
  }

  async set(c: SopsCoordinate, value: string): Promise<void> {
    checkSopsFileInside(c, this.deps.basePath);
    const keySources = this.keys.keySources(c.sopsProvider, c.identity.name);
    // The lock file lives beside the SOPS file, so its folder must exist first.
    await mkdir(dirname(c.absoluteFile), { recursive: true });
    await withFileLock(c.absoluteFile, async () => {
      // Looked at under the lock: another process may have created the file while this one waited.
      if (await fileExists(c.absoluteFile)) {
        await this.hasKey(c);
        await setSopsValue(c.absoluteFile, [c.keyPath], value, { keySources });
        return;
      }
      const rule = await this.ruleForNewFile(c);
      await this.warnIfUnreadableHere(c, rule, keySources);
      const opts: SetOptions = {
        keySources,
        createWith: {
          keyGroups: rule.keyGroups,
          ...(rule.shamirThreshold !== undefined ? { shamirThreshold: rule.shamirThreshold } : {}),
          ...(rule.rule !== undefined ? { rule: rule.rule } : {}),
          macOnlyEncrypted: rule.macOnlyEncrypted,
          ...(rule.style ? { style: rule.style } : {}),
        },
      };
      await setSopsValue(c.absoluteFile, [c.keyPath], value, opts);
    });
  }

  async delete(c: SopsCoordinate): Promise<boolean> {
    if (!(await this.hasKey(c))) return false;
    return deleteSopsValue(c.absoluteFile, [c.keyPath], {
      keySources: this.keys.keySources(c.sopsProvider, c.identity.name),
    });
  }

  /**
   * Said before a new file is written whose every recipient is a key this machine does not hold: the write
   * works, but nothing here can read the value back. Silent when any recipient may be held (or cannot be
   * told without a call: pgp, KMS).
   */
  private async warnIfUnreadableHere(c: SopsCoordinate, rule: CreationRule, keySources: KeySources): Promise<void> {
    const specs = rule.keyGroups.flat();
    for (const spec of specs) if ((await holdsKey(keySources, spec)) !== false) return;
    const recipients = specs.map(describeMasterKey).join(', ');
    this.deps.onWarning?.(
      `none of the recipients of ${relative(this.deps.basePath, c.absoluteFile)} (${recipients}) is a key this machine holds: the value will be written, but it cannot be read back here. ` +
        `Add your own recipient (atmos-secret keygen ${c.providerName}) or point the provider's age_key at your key.`,
    );
  }

  /** The recipients of a new file; a keychain-kept age key is generated first when none exists anywhere. */
  private async ruleForNewFile(c: SopsCoordinate): Promise<CreationRule> {
    const p = c.sopsProvider;
    try {
      return await this.keys.creationRule(p, c.absoluteFile);
    } catch (e) {
      if (!isSopsError(e, 'no-recipients')) throw e;
      // Asked again even when no key was made here: a concurrent set may just have recorded the recipient.
      await this.generateFirstKey(c);
      return this.keys.creationRule(p, c.absoluteFile);
    }
  }

  /** Keygen on first use, once per keychain entry even when several sets race (the app's parallel calls). */
  private generateFirstKey(c: SopsCoordinate): Promise<boolean> {
    const key = JSON.stringify([c.providerName, c.sopsProvider.record.raw]);
    const pending = this.firstKeys.get(key);
    if (pending) return pending;
    const run = this.makeFirstKey(c);
    this.firstKeys.set(key, run);
    // Coalesces concurrent calls only; once settled, the next call looks at the keychain again.
    const forget = (): void => {
      this.firstKeys.delete(key);
    };
    run.then(forget, forget);
    return run;
  }

  /**
   * Only for sops/age whose key goes to a keychain entry that holds none yet: where keygen would put it, the
   * keychain store `age_key.store` names or, with no age_key at all, the OS keychain (SopsKeys.defaultPlace), so
   * first use and keygen agree. A key file, an inline key or pinned recipients are managed by hand: no key made.
   */
  private async makeFirstKey(c: SopsCoordinate): Promise<boolean> {
    const p = c.sopsProvider;
    if (p.kind !== 'sops/age') return false;
    const spec = sopsKeySpec(p);
    if (spec.ageRecipients.length > 0 || typeof spec.ageKey === 'string' || spec.ageKey?.value !== undefined)
      return false;
    const sink = this.keys.ageKeySink(p);
    if (sink.kind !== 'keychain') return false;
    const place = { keychain: sink.keychain, account: sink.account };
    const recipientsFile = this.keys.recipientsFile(p, spec);
    const pathRegex = this.keys.pathRegex(p);
    // The entry already holds a key but no rule names it (another process is recording it right now, or a
    // keygen was killed between the keychain and .sops.yaml): record that key rather than make a second one.
    const adopt = async (): Promise<false> => {
      const keyText = await place.keychain.get(place.account);
      if (keyText !== null) await recordExistingAgeKeys({ keyText, recipientsFile, pathRegex });
      return false;
    };
    const current = await place.keychain.get(place.account);
    if (current !== null && parseAgeKeyList(current).length > 0) return adopt();
    let r;
    try {
      r = await keygen({
        sink: { kind: 'keychain', keychain: place.keychain, account: place.account },
        recipientsFile,
        pathRegex,
      });
    } catch (e) {
      // Another process made the key while this one waited for the recipients file: use theirs.
      if (isSopsError(e, 'key-exists')) return adopt();
      throw e;
    }
    this.deps.onWarning?.(
      `SOPS provider "${p.name}" had no age key: generated one (recipient ${r.recipient}); the private key is in ${r.storedIn} and the recipient was recorded in ${r.recipientsFile}`,
    );
    return true;
  }
}

/** A SOPS file's top-level key names and its `sops.lastmodified`: what drift compares with the declarations. */
export interface SopsFileKeyNames {
  /** Top-level keys of the first document (the values a declaration can place there), `sops` excluded. */
  readonly keys: readonly string[];
  /** `sops.lastmodified`; undefined when it does not parse as a time. */
  readonly lastModified: Date | undefined;
}

/**
 * The top-level key names of a SOPS file and its last change, read WITHOUT decrypting (SOPS keeps key names in
 * clear, so no key is needed and no value is ever held); undefined when the file does not exist. A file with
 * no sops metadata is a SOPS error naming it.
 */
export async function sopsFileKeyNames(
  absoluteFile: string,
  file = absoluteFile,
): Promise<SopsFileKeyNames | undefined> {
  let data: Buffer;
  try {
    data = await readSopsSource(absoluteFile);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const parsed = parseSopsBytes(formatForPath(absoluteFile), data, absoluteFile);
  if (parsed.metadata === undefined) {
    throw new AppError('SOPS', `${file} has no sops metadata: it is not an encrypted SOPS file`, {
      location: { file: absoluteFile },
    });
  }
  const when = new Date(parseMetadata(parsed.metadata, absoluteFile).lastModified);
  const first = parsed.documents[0];
  const keys = isSopsMap(first) ? first.items.filter(isEntry).map((i) => i.key) : [];
  return { keys: keys.filter((k) => k !== 'sops'), lastModified: Number.isNaN(when.getTime()) ? undefined : when };
}

/** Whether the source of `spec`'s type holds its key: false only when that source can tell it does not. */
function holdsKey(sources: KeySources, spec: MasterKeySpec): Promise<boolean | undefined> {
  switch (spec.type) {
    case 'age':
      return sources.age?.holds?.(spec) ?? Promise.resolve(undefined);
    case 'pgp':
      return sources.pgp?.holds?.(spec) ?? Promise.resolve(undefined);
    case 'kms':
      return sources.kms?.holds?.(spec) ?? Promise.resolve(undefined);
    case 'gcp_kms':
      return sources.gcp_kms?.holds?.(spec) ?? Promise.resolve(undefined);
  }
}
