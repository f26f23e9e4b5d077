// The file-level SOPS API the secrets engine calls: open/decrypt a file, list its keys without decrypting,
// get, set and delete one key (re-encrypted in place: unchanged values keep their bytes), and create a file.
import { access } from 'node:fs/promises';
import { AppError, isAppError } from '../../shared/errors';
import { crashPoint, isFileError } from '../files';
import { withFileLock, writeFileAtomic } from './atomic-write';
import { isEncValue } from './cipher';
import { readBounded } from './input-bounds';
import type { KeySources } from './data-key';
import type { MasterKeySpec } from './key-source';
import type { EncryptionRule } from './rules';
import {
  decryptSopsBytes,
  encryptSopsDocuments,
  reencryptSopsFile,
  type DecryptOptions,
  type DecryptedSopsFile,
} from './sops-codec';
import { binaryDocument, formatForPath, parseSopsBytes, type SopsFormat, type StoreStyle } from './stores';
import {
  deletePath,
  fromPlain,
  getPath,
  isEntry,
  isSopsList,
  isSopsMap,
  newMap,
  sameNode,
  setPath,
  type SopsMap,
  type SopsNode,
} from './tree';

/** A SOPS file's bytes, at most MAX_SOPS_FILE_BYTES (a SOPS error naming the file and the cap beyond). */
export async function readSopsSource(file: string): Promise<Buffer> {
  try {
    return await readBounded(file);
  } catch (e) {
    if (isAppError(e)) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('NOT_FOUND', `The SOPS file ${file} does not exist.`, {
        location: { file },
        hint: "Set a secret to create it, or check the provider's spec.file.",
      });
    }
    throw new AppError('SOPS', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`, {
      location: { file },
      cause: e,
    });
  }
}

/** Opens and decrypts a file (store by extension unless `format` says otherwise), MAC verified. */
export async function openSopsFile(file: string, o: DecryptOptions): Promise<DecryptedSopsFile> {
  const data = await readSopsSource(file);
  return decryptSopsBytes(data, file, o.format ?? formatForPath(file), o);
}

export interface SopsKeyInfo {
  /** Map keys from the document root. */
  readonly path: readonly string[];
  readonly document: number;
  /** True when the value is stored encrypted (an ENC[] string), false for plaintext or null. */
  readonly encrypted: boolean;
}

export interface SopsKeyListing {
  readonly file: string;
  readonly format: SopsFormat;
  /** False when the file has no `sops` block (it is not encrypted). */
  readonly hasMetadata: boolean;
  readonly keys: readonly SopsKeyInfo[];
}

function listLeaves(node: SopsNode, path: string[], document: number, out: SopsKeyInfo[]): void {
  if (isSopsMap(node)) {
    for (const i of node.items) if (isEntry(i)) listLeaves(i.value, [...path, i.key], document, out);
    return;
  }
  const encrypted = isSopsList(node)
    ? node.items.some((x) => typeof x === 'string' && isEncValue(x))
    : typeof node === 'string' && isEncValue(node);
  out.push({ path, document, encrypted });
}

/** The key paths of a file, read WITHOUT decrypting anything (no key needed): for `list` status. */
export async function listSopsKeys(file: string, o: { readonly format?: SopsFormat } = {}): Promise<SopsKeyListing> {
  const format = o.format ?? formatForPath(file);
  const parsed = parseSopsBytes(format, await readSopsSource(file), file);
  const keys: SopsKeyInfo[] = [];
  parsed.documents.forEach((d, i) => listLeaves(d, [], i, keys));
  return { file, format, hasMetadata: parsed.metadata !== undefined, keys };
}

export interface KeyPathOptions {
  /** Which YAML document (default 0). */
  readonly document?: number;
}

function documentOf(f: DecryptedSopsFile, o: KeyPathOptions): SopsMap {
  const d = f.documents[o.document ?? 0];
  if (!d)
    throw new AppError('NOT_FOUND', `${f.file} has no document ${o.document ?? 0}.`, { location: { file: f.file } });
  return d;
}

function checkPath(path: readonly string[]): void {
  if (path.length === 0 || path.some((k) => typeof k !== 'string' || k === '')) {
    throw new AppError('BAD_REQUEST', 'A key path needs at least one non-empty key.');
  }
  if (path[0] === 'sops') throw new AppError('BAD_REQUEST', 'The top-level key "sops" is reserved for the metadata.');
}

/** One value (or subtree) by key path; undefined when absent. */
export async function getSopsValue(
  file: string,
  path: readonly string[],
  o: DecryptOptions & KeyPathOptions,
): Promise<SopsNode | undefined> {
  checkPath(path);
  const f = await openSopsFile(file, o);
  return getPath(documentOf(f, o), path);
}

/** Values a caller may set: a tree node, or plain JS (objects/arrays become maps/lists). */
export type SopsInputValue = SopsNode | Readonly<Record<string, unknown>> | readonly unknown[];

function toNode(v: SopsInputValue): SopsNode {
  return fromPlain(v);
}

async function rewrite(f: DecryptedSopsFile): Promise<void> {
  crashPoint('sops:decrypted');
  const out = reencryptSopsFile(f);
  crashPoint('sops:encrypted');
  await writeFileAtomic(f.file, out, { expectedContent: f.source });
}

// Writers that do not take our lock (an editor, the sops binary) can still change a file between our read
// and our write; the content check catches that, and the read-modify-write runs again on the new content.
const FOREIGN_CHANGE_RETRIES = 3;

/**
 * Read-modify-write of one file under its lock (in-process and cross-process), so concurrent sets from any
 * number of processes queue up and none is lost.
 */
async function modifyLocked<T>(file: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(file, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const raced = isFileError(e, 'changed') || isFileError(e, 'exists');
        if (!raced || attempt >= FOREIGN_CHANGE_RETRIES) throw e;
      }
    }
  });
}

export { withFileLock };

export interface SetOptions extends DecryptOptions, KeyPathOptions {
  /** When the file does not exist yet, create it for these master keys (else a NOT_FOUND error). */
  readonly createWith?: Omit<CreateSopsFileOptions, 'keySources' | 'overwrite'>;
}

function checkDotenv(file: string, format: SopsFormat, path: readonly string[], node: SopsNode): void {
  if (format === 'dotenv' && (path.length !== 1 || isSopsMap(node) || isSopsList(node))) {
    throw new AppError('BAD_REQUEST', `${file} is a dotenv file: it holds only top-level string values.`, {
      location: { file },
    });
  }
}

/** Sets one key (creating parent maps) and re-encrypts the file in place: other values keep their bytes. */
export async function setSopsValue(
  file: string,
  path: readonly string[],
  value: SopsInputValue,
  o: SetOptions,
): Promise<void> {
  checkPath(path);
  const node = toNode(value);
  await modifyLocked(file, async () => {
    if (o.createWith && !(await exists(file))) {
      const format = o.createWith.format ?? o.format ?? formatForPath(file);
      checkDotenv(file, format, path, node);
      const doc = newMap();
      setPath(doc, path, node);
      await createSopsFile(file, [doc], { ...o.createWith, format, keySources: o.keySources });
      return;
    }
    const f = await openSopsFile(file, o);
    checkDotenv(file, f.format, path, node);
    const next = f.format === 'dotenv' && typeof node !== 'string' ? String(node) : node;
    const current = getPath(documentOf(f, o), path);
    // Setting the value a key already has leaves the file (and its git history) alone.
    if (current !== undefined && sameNode(current, next)) return;
    setPath(documentOf(f, o), path, next);
    await rewrite(f);
  });
}

/** Deletes one key and re-encrypts in place; false (and nothing written) when the key was not there. */
export async function deleteSopsValue(
  file: string,
  path: readonly string[],
  o: DecryptOptions & KeyPathOptions,
): Promise<boolean> {
  checkPath(path);
  return modifyLocked(file, async () => {
    const f = await openSopsFile(file, o);
    if (!deletePath(documentOf(f, o), path)) return false;
    await rewrite(f);
    return true;
  });
}

export interface CreateSopsFileOptions {
  readonly keySources: KeySources;
  /** Who can decrypt: one list per key group (several groups = Shamir). */
  readonly keyGroups: readonly (readonly MasterKeySpec[])[];
  readonly shamirThreshold?: number;
  readonly format?: SopsFormat;
  /** Default `unencrypted_suffix: _unencrypted`; null for none. */
  readonly rule?: EncryptionRule | null;
  readonly macOnlyEncrypted?: boolean;
  /** Replace an existing file (default: refuse). */
  readonly overwrite?: boolean;
  /** Output layout (e.g. the `.sops.yaml` stores indent); default sops' (YAML indent 4, JSON tab). */
  readonly style?: StoreStyle;
}

/** The initial plaintext: documents, a plain object, or raw bytes for the binary store. */
export type SopsFileContent = readonly SopsMap[] | Readonly<Record<string, unknown>> | Uint8Array;

function contentDocuments(content: SopsFileContent, format: SopsFormat): SopsMap[] {
  if (content instanceof Uint8Array) {
    if (format !== 'binary') throw new AppError('BAD_REQUEST', 'Raw bytes can only be stored in the binary store.');
    return [binaryDocument(content)];
  }
  const docs = Array.isArray(content) ? [...(content as readonly SopsMap[])] : [fromPlain(content)];
  return docs.map((d) => {
    if (!isSopsMap(d)) throw new AppError('BAD_REQUEST', 'A SOPS document must be a map at the top level.');
    if (d.items.some((i) => isEntry(i) && i.key === 'sops')) {
      throw new AppError('BAD_REQUEST', 'The top-level key "sops" is reserved for the metadata.');
    }
    return d;
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Creates a new encrypted file (mode 0600) for the given master keys. Refuses to replace one by default: the
 * file is published with an exclusive link, so of two creators racing, one gets a FileError 'exists'.
 */
export async function createSopsFile(file: string, content: SopsFileContent, o: CreateSopsFileOptions): Promise<void> {
  if (!o.overwrite && (await exists(file))) {
    throw new AppError('SOPS', `${file} already exists; it was not replaced.`, {
      location: { file },
      hint: 'Set values in it instead, or delete it first if you really want a new file.',
    });
  }
  const format = o.format ?? formatForPath(file);
  const data = await encryptSopsDocuments(contentDocuments(content, format), {
    format,
    keyGroups: o.keyGroups,
    keySources: o.keySources,
    file,
    ...(o.shamirThreshold !== undefined ? { shamirThreshold: o.shamirThreshold } : {}),
    ...(o.rule !== undefined ? { rule: o.rule } : {}),
    ...(o.macOnlyEncrypted !== undefined ? { macOnlyEncrypted: o.macOnlyEncrypted } : {}),
    ...(o.style ? { style: o.style } : {}),
  });
  await writeFileAtomic(file, data, { mode: 0o600, ...(o.overwrite ? {} : { createOnly: true }) });
}
