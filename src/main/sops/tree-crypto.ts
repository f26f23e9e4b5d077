// Walks the documents of a SOPS tree to encrypt or decrypt the selected leaves and comments, hashing the
// MAC on the way (SHA-512 over the plaintext bytes of every non-null leaf, in document order).
import { createHash, type Hash } from 'node:crypto';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';
import { type IvStash, decryptParts, encryptBytes, parseEncValue } from './cipher';
import { bytesToLeaf, bytesToStr, leafToBytes } from './go-values';
import { leafSelector, type EncryptionRule } from './rules';
import {
  SopsComment,
  isEntry,
  isSopsList,
  isSopsMap,
  newList,
  newMap,
  type SopsLeaf,
  type SopsMap,
  type SopsMapItem,
  type SopsNode,
} from './tree';

/** SHA-256("sops"): the prefix sops 3.9+ hashes first when `mac_only_encrypted` is on. */
const MAC_ONLY_ENCRYPTED_PREFIX = Buffer.from(
  '8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69',
  'hex',
);

export interface CryptoWalkOptions {
  readonly dataKey: Uint8Array;
  readonly rule: EncryptionRule | undefined;
  readonly macOnlyEncrypted: boolean;
  /** Names the file in errors. */
  readonly file: string;
  readonly stash: IvStash;
  /** Called for a comment that does not decrypt (kept as it is, as sops does); never given the value. */
  readonly onWarning?: (message: string) => void;
}

export interface WalkResult {
  readonly documents: SopsMap[];
  /** Uppercase hex SHA-512, as sops stores it. */
  readonly mac: string;
}

const NO_COMMENTS: string[] = [];

function newMac(macOnlyEncrypted: boolean): Hash {
  const h = createHash('sha512');
  if (macOnlyEncrypted) h.update(MAC_ONLY_ENCRYPTED_PREFIX);
  return h;
}

function aadOf(path: readonly string[]): string {
  return path.length === 0 ? ':' : `${path.join(':')}:`;
}

type Mode = 'encrypt' | 'decrypt';

class Walker {
  private readonly hash: Hash;
  private readonly select: ReturnType<typeof leafSelector>;
  /** One list per nesting level: comments since the last non-comment item there. */
  private readonly commentStack: string[][] = [];

  constructor(
    private readonly mode: Mode,
    private readonly o: CryptoWalkOptions,
  ) {
    this.hash = newMac(o.macOnlyEncrypted);
    this.select = leafSelector(o.rule);
  }

  get mac(): string {
    return this.hash.digest('hex').toUpperCase();
  }

  private comments(): string[] {
    // Only the comment-regex rules look at comments; skip the allocation for the others.
    return this.o.rule?.kind.endsWith('comment_regex') ? this.commentStack.flat() : NO_COMMENTS;
  }

  map(m: SopsMap, path: string[]): SopsMap {
    this.commentStack.push([]);
    const level = this.commentStack[this.commentStack.length - 1];
    const items: SopsMapItem[] = [];
    for (const item of m.items) {
      if (!isEntry(item)) {
        items.push(this.comment(item, path));
        level.push(item.value);
        continue;
      }
      const childPath = [...path, item.key];
      items.push({ key: item.key, value: this.node(item.value, childPath) });
      level.length = 0;
    }
    this.commentStack.pop();
    return newMap(items);
  }

  private list(items: readonly (SopsNode | SopsComment)[], path: string[]): (SopsNode | SopsComment)[] {
    this.commentStack.push([]);
    const level = this.commentStack[this.commentStack.length - 1];
    const out: (SopsNode | SopsComment)[] = [];
    for (const item of items) {
      if (item instanceof SopsComment) {
        out.push(this.comment(item, path));
        level.push(item.value);
        continue;
      }
      out.push(this.node(item, path));
      level.length = 0;
    }
    this.commentStack.pop();
    return out;
  }

  private node(n: SopsNode, path: string[]): SopsNode {
    if (isSopsMap(n)) return this.map(n, path);
    if (isSopsList(n)) return newList(this.list(n.items, path));
    return this.leaf(n, path);
  }

  private comment(c: SopsComment, path: readonly string[]): SopsComment {
    if (c.value === '') return c;
    // A comment's own text is not in the stack it is tested against (sops skips the marker itself).
    const encrypted = this.select(path, this.comments());
    if (!encrypted) return c;
    const aad = aadOf(path);
    if (this.mode === 'encrypt') {
      const bytes = Buffer.from(c.value, 'utf8');
      return new SopsComment(encryptBytes(this.o.dataKey, bytes, 'comment', aad, this.o.stash), c.inline);
    }
    const parts = parseEncValue(c.value);
    const plain = 'error' in parts ? undefined : decryptParts(this.o.dataKey, parts, aad);
    if ('error' in parts || plain === undefined || parts.type !== 'comment') {
      // sops keeps such comments (files from old versions carry plaintext ones) and only warns.
      this.o.onWarning?.(
        `A comment under "${aad}" in ${basename(this.o.file)} is not encrypted or does not decrypt; kept as it is`,
      );
      return c;
    }
    this.o.stash.remember('comment', aad, plain, c.value);
    return new SopsComment(plain.toString('utf8'), c.inline);
  }

  private leaf(v: SopsLeaf, path: readonly string[]): SopsLeaf {
    if (v === null) return null;
    const encrypted = this.select(path, this.comments());
    const aad = aadOf(path);
    if (!encrypted) {
      if (!this.o.macOnlyEncrypted) this.hash.update(leafToBytes(v).bytes);
      return v;
    }
    if (this.mode === 'encrypt') {
      const { type, bytes } = leafToBytes(v);
      this.hash.update(bytes);
      if (bytes.length === 0) return typeof v === 'string' || v instanceof Uint8Array ? '' : v;
      return encryptBytes(this.o.dataKey, bytes, type, aad, this.o.stash);
    }
    return this.decryptLeaf(v, aad);
  }

  private decryptLeaf(v: Exclude<SopsLeaf, null>, aad: string): SopsLeaf {
    if (v === '') return '';
    const fail = (what: string): AppError =>
      new AppError('SOPS', `The value at "${aad}" in ${basename(this.o.file)} ${what}.`, {
        location: { file: this.o.file },
        hint: 'The file is damaged or was edited by hand. Restore it from version control, or set the value again.',
      });
    if (typeof v !== 'string') throw fail('should be encrypted but is a plain value');
    const parts = parseEncValue(v);
    if ('error' in parts) throw fail(parts.error);
    if (parts.type === 'comment') throw fail('is typed as a comment');
    const plain = decryptParts(this.o.dataKey, parts, aad);
    if (plain === undefined) throw fail('fails authentication (AES-GCM): its data, IV, tag or key path was changed');
    const leaf = bytesToLeaf(parts.type, plain);
    if (leaf === null) throw fail('decrypts to nothing');
    if (typeof leaf === 'object' && 'error' in leaf) throw fail(leaf.error);
    this.stashAndHash(leaf, parts.type, plain, aad, v);
    return leaf;
  }

  private stashAndHash(leaf: Exclude<SopsLeaf, null>, type: string, plain: Buffer, aad: string, enc: string): void {
    const again = leafToBytes(leaf);
    // Only a value that re-encodes to the very same bytes (not `007` read as int 7) may keep its IV:
    // reusing a GCM nonce for different plaintext would leak both.
    if (type === again.type && Buffer.from(again.bytes).equals(plain))
      this.o.stash.remember(again.type, aad, plain, enc);
    this.hash.update(again.bytes);
  }
}

/** Encrypts the selected leaves and comments of plaintext documents; the MAC is over the plaintext. */
export function encryptDocuments(documents: readonly SopsMap[], o: CryptoWalkOptions): WalkResult {
  const w = new Walker('encrypt', o);
  const out = documents.map((d) => w.map(d, []));
  return { documents: out, mac: w.mac };
}

/** Decrypts the selected leaves and comments, and recomputes the MAC (which the caller compares). */
export function decryptDocuments(documents: readonly SopsMap[], o: CryptoWalkOptions): WalkResult {
  const w = new Walker('decrypt', o);
  const out = documents.map((d) => w.map(d, []));
  return { documents: out, mac: w.mac };
}

/** Encrypts the MAC for storage (a str with `lastmodified` as AAD). */
export function encryptMac(dataKey: Uint8Array, mac: string, lastModifiedAad: string, stash?: IvStash): string {
  return encryptBytes(dataKey, Buffer.from(mac, 'utf8'), 'str', lastModifiedAad, stash);
}

/** Decrypts a stored MAC; undefined when it does not authenticate. */
export function decryptMac(dataKey: Uint8Array, enc: string, lastModifiedAad: string): string | undefined {
  const parts = parseEncValue(enc);
  if ('error' in parts) return undefined;
  const plain = decryptParts(dataKey, parts, lastModifiedAad);
  if (plain === undefined) return undefined;
  const s = bytesToStr(plain);
  return typeof s === 'string' ? s : undefined;
}
