// Decrypting and encrypting whole SOPS files in memory (bytes in, bytes out): the metadata, the data key,
// every value, and the MAC. The file-level API (sops-file.ts) adds reading and atomic writing on top.
import { basename } from 'node:path';
import { AppError, isAppError } from '../../shared/errors';
import { IvStash } from './cipher';
import { newDataKey, recoverDataKey, wrapDataKey, type KeySources } from './data-key';
import { goRfc3339, nowLastModified } from './go-values';
import type { MasterKeyEntry, MasterKeySpec, MasterKeyType } from './key-source';
import { buildMetadata, parseMetadata, type SopsMetadata } from './metadata';
import { DEFAULT_UNENCRYPTED_SUFFIX, type EncryptionRule } from './rules';
import { STORES, parseSopsBytes, type SopsFormat, type StoreStyle } from './stores';
import { cloneNode, type SopsMap } from './tree';
import { decryptDocuments, decryptMac, encryptDocuments, encryptMac } from './tree-crypto';

export interface DecryptOptions {
  /** Key sources by master-key type (age, and pgp/kms when configured). */
  readonly keySources: KeySources;
  /** The store; by default from the file extension. */
  readonly format?: SopsFormat;
  /**
   * Read a file that carries no MAC at all (sops' `--ignore-mac`, for that case only). Off by default: such a
   * file is refused, since without a MAC nobody can tell whether values were swapped or removed.
   */
  readonly allowMissingMac?: boolean;
  /** Order of master-key types tried inside a group; default age, then pgp, then the rest. */
  readonly decryptionOrder?: readonly MasterKeyType[];
  /** Non-fatal findings (a comment that does not decrypt). Messages never hold values. */
  readonly onWarning?: (message: string) => void;
}

/** A decrypted file held in memory: the plaintext documents, and what re-encrypting it in place needs. */
export class DecryptedSopsFile {
  readonly #dataKey: Uint8Array;
  readonly #stash: IvStash;

  constructor(
    readonly file: string,
    readonly format: SopsFormat,
    /** The plaintext documents (one, except multi-document YAML). Callers may change them before `encrypt`. */
    readonly documents: SopsMap[],
    readonly metadata: SopsMetadata,
    /** The file's own `sops` block, kept so a rewrite keeps its layout. */
    readonly rawMetadata: Record<string, unknown>,
    readonly style: StoreStyle,
    /** The bytes this was decrypted from. */
    readonly source: Uint8Array,
    dataKey: Uint8Array,
    stash: IvStash,
  ) {
    this.#dataKey = dataKey;
    this.#stash = stash;
  }

  /** @internal The data key, for re-encryption in this module and re-keying. Never log it. */
  get dataKey(): Uint8Array {
    return this.#dataKey;
  }

  /** @internal */
  get stash(): IvStash {
    return this.#stash;
  }
}

function sopsError(file: string, message: string, hint: string): AppError {
  return new AppError('SOPS', `${basename(file)} ${message}`, { location: { file }, hint });
}

/** Decrypts a SOPS file's bytes, verifying the MAC. */
export async function decryptSopsBytes(
  data: Uint8Array,
  file: string,
  format: SopsFormat,
  o: DecryptOptions,
): Promise<DecryptedSopsFile> {
  const parsed = parseSopsBytes(format, data, file);
  const metadata = parseMetadata(parsed.metadata, file);
  if (metadata.mac === undefined && !o.allowMissingMac) {
    throw sopsError(
      file,
      'has no MAC, so its integrity cannot be verified (sops: "MAC mismatch. File has no MAC"); it was not decrypted.',
      'If you trust this file (it was written by a very old sops or edited on purpose), read it once with the ' +
        'allowMissingMac option (sops --ignore-mac) and write it back: saving it adds a MAC.',
    );
  }
  let dataKey: Uint8Array;
  try {
    dataKey = await recoverDataKey(metadata.keyGroups, {
      file,
      sources: o.keySources,
      ...(metadata.shamirThreshold !== undefined ? { shamirThreshold: metadata.shamirThreshold } : {}),
      ...(o.decryptionOrder ? { decryptionOrder: o.decryptionOrder } : {}),
    });
  } catch (e) {
    if (isAppError(e) && metadata.unsupportedKeys.length > 0) {
      throw new AppError(
        e.code,
        `${e.message}\n  (also has ${metadata.unsupportedKeys.join(', ')} keys, which this app cannot use)`,
        {
          location: { file },
          ...(e.hint ? { hint: e.hint } : {}),
          cause: e,
        },
      );
    }
    throw e;
  }
  const stash = new IvStash();
  const walked = decryptDocuments(parsed.documents, {
    dataKey,
    rule: format === 'binary' ? undefined : metadata.rule,
    macOnlyEncrypted: metadata.macOnlyEncrypted,
    file,
    stash,
    ...(o.onWarning ? { onWarning: o.onWarning } : {}),
  });
  if (metadata.mac !== undefined) {
    const aad = goRfc3339(metadata.lastModified);
    const stored = decryptMac(dataKey, metadata.mac, aad);
    const fix =
      'The file was changed outside sops (or damaged). Restore it from version control; do not trust its values.';
    if (stored === undefined) {
      throw sopsError(
        file,
        'is refused: its MAC does not authenticate (the "mac" or "lastmodified" field was changed or damaged).',
        fix,
      );
    }
    if (stored !== walked.mac) {
      throw sopsError(
        file,
        'is refused: MAC mismatch (the values do not match the MAC, so the file was altered after it was encrypted).',
        fix,
      );
    }
  }
  return new DecryptedSopsFile(
    file,
    format,
    walked.documents,
    metadata,
    parsed.metadata ?? {},
    parsed.style,
    data,
    dataKey,
    stash,
  );
}

export interface EncryptSettings {
  readonly rule: EncryptionRule | undefined;
  readonly macOnlyEncrypted: boolean;
}

function encryptWith(
  documents: readonly SopsMap[],
  dataKey: Uint8Array,
  stash: IvStash,
  settings: EncryptSettings,
  file: string,
): { documents: SopsMap[]; mac: string; lastModified: string } {
  const walked = encryptDocuments(documents, {
    dataKey,
    rule: settings.rule,
    macOnlyEncrypted: settings.macOnlyEncrypted,
    file,
    stash,
  });
  const lastModified = nowLastModified();
  // The MAC changes with lastmodified anyway, so it always gets a fresh IV (no stash).
  return { documents: walked.documents, mac: encryptMac(dataKey, walked.mac, lastModified), lastModified };
}

export interface ReencryptOptions {
  /** New master-key entries (updatekeys/rotate); by default the file's own. */
  readonly keyGroups?: readonly (readonly MasterKeyEntry[])[];
  readonly shamirThreshold?: number;
  /** A new data key (rotate): every value gets a fresh IV, and key entries this app cannot re-wrap are dropped. */
  readonly dataKey?: Uint8Array;
}

/** Re-encrypts a decrypted file (after changes to `documents`): unchanged values keep their bytes. */
export function reencryptSopsFile(f: DecryptedSopsFile, o: ReencryptOptions = {}): Uint8Array {
  const rotating = o.dataKey !== undefined;
  const dataKey = o.dataKey ?? f.dataKey;
  const settings: EncryptSettings = {
    rule: f.format === 'binary' ? undefined : f.metadata.rule,
    macOnlyEncrypted: f.metadata.macOnlyEncrypted,
  };
  const enc = encryptWith(f.documents, dataKey, rotating ? new IvStash() : f.stash, settings, f.file);
  const metadata = buildMetadata(
    {
      lastModified: enc.lastModified,
      mac: enc.mac,
      ...(o.keyGroups ? { keyGroups: o.keyGroups } : {}),
      ...(o.shamirThreshold !== undefined ? { shamirThreshold: o.shamirThreshold } : {}),
      dropUnsupportedKeys: rotating,
    },
    f.rawMetadata,
  );
  return STORES[f.format].serialize(enc.documents, metadata, f.style);
}

export interface EncryptNewOptions {
  readonly format: SopsFormat;
  /** Who can decrypt: one list per key group (one group unless you want Shamir). */
  readonly keyGroups: readonly (readonly MasterKeySpec[])[];
  readonly keySources: KeySources;
  readonly shamirThreshold?: number;
  /** Default `unencrypted_suffix: _unencrypted` (none for the binary store, as sops 3.11+). */
  readonly rule?: EncryptionRule | null;
  readonly macOnlyEncrypted?: boolean;
  /** Names the file in errors. */
  readonly file?: string;
  readonly style?: StoreStyle;
}

/** Encrypts plaintext documents into a new SOPS file (fresh data key, fresh IVs). */
export async function encryptSopsDocuments(documents: readonly SopsMap[], o: EncryptNewOptions): Promise<Uint8Array> {
  const rule =
    o.format === 'binary'
      ? undefined
      : o.rule === null
        ? undefined
        : (o.rule ?? { kind: 'unencrypted_suffix' as const, value: DEFAULT_UNENCRYPTED_SUFFIX });
  const dataKey = newDataKey();
  const keyGroups = await wrapDataKey(dataKey, o.keyGroups, o.keySources, o.shamirThreshold);
  const enc = encryptWith(
    documents.map((d) => cloneNode(d)),
    dataKey,
    new IvStash(),
    { rule, macOnlyEncrypted: o.macOnlyEncrypted ?? false },
    o.file ?? 'new file',
  );
  const metadata = buildMetadata({
    keyGroups,
    ...(o.shamirThreshold !== undefined ? { shamirThreshold: o.shamirThreshold } : {}),
    lastModified: enc.lastModified,
    mac: enc.mac,
    rule: rule ?? null,
    macOnlyEncrypted: o.macOnlyEncrypted ?? false,
  });
  return STORES[o.format].serialize(enc.documents, metadata, o.style ?? {});
}
