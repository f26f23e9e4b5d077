// The text of an age key list (a `keys.txt`, or a keychain entry the app keeps): reading what keys it holds
// with their public recipients, validating a `keys.txt` a person imports, and writing an entry with keys added
// or removed. Messages name lines and recipients, never a private key. Written here rather than taken from a
// library: `age-encryption` validates one identity (identityToRecipient) but has no key-list reader or writer,
// and the file format (age-keygen's: `#` comments, one key a line) is a few lines of text handling.
import { identityToRecipient } from 'age-encryption';
import { AppError } from '../../../../shared/errors';

/** A `keys.txt` is a few hundred bytes a key; anything past this is not one (and is refused before parsing). */
export const MAX_KEY_TEXT_BYTES = 64 * 1024;
/** More keys than anyone keeps in one file: a runaway paste is refused. */
export const MAX_KEYS_PER_IMPORT = 100;

const KEY_PREFIXES = ['AGE-SECRET-KEY-1', 'AGE-SECRET-KEY-PQ-1'];

function looksLikeKey(word: string): boolean {
  const upper = word.toUpperCase();
  return KEY_PREFIXES.some((p) => upper.startsWith(p));
}

/** One age identity of a key list, described without its secret half. */
export interface HeldAgeKey {
  /** The public recipient (age1… or age1pq1…). */
  readonly recipient: string;
  readonly postQuantum: boolean;
  /** The `# created:` comment age-keygen (and our keygen) writes above a key, when there is one. */
  readonly created?: string;
}

interface KeyLine {
  readonly identity: string;
  /** 0-based index of the key's line, and of the first line of the comment block right above it. */
  readonly line: number;
  readonly commentStart: number;
}

function keyLines(lines: readonly string[]): KeyLine[] {
  const out: KeyLine[] = [];
  let commentStart = -1;
  lines.forEach((raw, i) => {
    const t = raw.trim();
    if (t.startsWith('#')) {
      if (commentStart < 0) commentStart = i;
      return;
    }
    if (t === '') {
      commentStart = -1;
      return;
    }
    for (const word of t.split(/\s+/)) {
      if (looksLikeKey(word))
        out.push({ identity: word.toUpperCase(), line: i, commentStart: commentStart < 0 ? i : commentStart });
    }
    commentStart = -1;
  });
  return out;
}

function createdIn(lines: readonly string[], from: number, to: number): string | undefined {
  for (let i = from; i < to; i++) {
    const m = /^#\s*created:\s*(\S+)/.exec(lines[i]?.trim() ?? '');
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** The keys a key list holds, each with its recipient; a malformed key is skipped (it opens nothing). */
export async function heldAgeKeys(text: string): Promise<HeldAgeKey[]> {
  const lines = text.split(/\r?\n/);
  const out: HeldAgeKey[] = [];
  const seen = new Set<string>();
  for (const k of keyLines(lines)) {
    let recipient: string;
    try {
      recipient = await identityToRecipient(k.identity);
    } catch {
      continue;
    }
    if (seen.has(recipient)) continue;
    seen.add(recipient);
    const created = createdIn(lines, k.commentStart, k.line);
    out.push({ recipient, postQuantum: k.identity.startsWith('AGE-SECRET-KEY-PQ-1'), ...(created ? { created } : {}) });
  }
  return out;
}

/** A validated key of an import: the identity (secret: never shown) and its recipient. */
export interface ImportedAgeKey {
  readonly identity: string;
  readonly recipient: string;
}

/**
 * Validates a `keys.txt` (or pasted keys) for import: bounded size, UTF-8 text, at least one key, every
 * non-comment line one valid age identity. `source` names it in messages (a file path, or "the pasted text").
 * CONFIG errors name the line and the fix; never the key.
 */
export async function parseKeyImport(text: string, source: string): Promise<ImportedAgeKey[]> {
  if (Buffer.byteLength(text, 'utf8') > MAX_KEY_TEXT_BYTES) {
    throw new AppError(
      'CONFIG',
      `${source} is larger than ${MAX_KEY_TEXT_BYTES / 1024} KiB: it is not an age key file.`,
      {
        hint: 'Import a keys.txt with AGE-SECRET-KEY-1… lines (as age-keygen writes it).',
      },
    );
  }
  if (text.includes('\uFFFD') || text.includes('\0')) {
    throw new AppError('CONFIG', `${source} is not UTF-8 text: it is not an age key file.`, {
      hint: 'Import a keys.txt with AGE-SECRET-KEY-1… lines (as age-keygen writes it).',
    });
  }
  const lines = text.split(/\r?\n/);
  const out: ImportedAgeKey[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t === '' || t.startsWith('#')) continue;
    const where = { file: source, line: i + 1 };
    const words = t.split(/\s+/);
    if (words.length !== 1 || !looksLikeKey(t)) {
      throw new AppError(
        'CONFIG',
        `${source}, line ${i + 1}: not an age private key (expected one AGE-SECRET-KEY-1… a line).`,
        {
          location: where,
          hint: 'Keep only age private keys and # comments in the file; a public key (age1…) is a recipient, not a key to import.',
        },
      );
    }
    let recipient: string;
    try {
      recipient = await identityToRecipient(t.toUpperCase());
    } catch {
      throw new AppError(
        'CONFIG',
        `${source}, line ${i + 1}: the age private key is malformed (bad length or checksum).`,
        {
          location: where,
          hint: 'Copy the key again from its source; an age key is one line of AGE-SECRET-KEY-1 followed by 58 characters.',
        },
      );
    }
    if (seen.has(recipient)) continue;
    seen.add(recipient);
    out.push({ identity: t.toUpperCase(), recipient });
    if (out.length > MAX_KEYS_PER_IMPORT) {
      throw new AppError('CONFIG', `${source} holds more than ${MAX_KEYS_PER_IMPORT} age keys.`, {
        location: where,
        hint: 'Import the keys a provider needs, in smaller files.',
      });
    }
  }
  if (out.length === 0) {
    throw new AppError('CONFIG', `${source} holds no age private key.`, {
      hint: 'An age key file has AGE-SECRET-KEY-1… lines (as age-keygen writes it); # lines are comments.',
    });
  }
  return out;
}

function block(key: ImportedAgeKey, now: Date, note: string): string {
  // Not "# created:": the key was made elsewhere, earlier; this records when it came here.
  const created = now.toISOString().replace(/\.\d+Z$/, 'Z');
  return `# ${note}: ${created}\n# public key: ${key.recipient}\n${key.identity}\n`;
}

/**
 * The entry text with `keys` appended (those it already holds are skipped), each under a comment block like
 * age-keygen's. Returns the recipients actually added.
 */
export async function addKeysToText(
  current: string | null,
  keys: readonly ImportedAgeKey[],
  o: { readonly now?: Date; readonly note?: string } = {},
): Promise<{ text: string; added: string[] }> {
  const held = new Set((await heldAgeKeys(current ?? '')).map((k) => k.recipient));
  const fresh = keys.filter((k) => !held.has(k.recipient));
  const base = current && current.trim() !== '' ? (current.endsWith('\n') ? current : `${current}\n`) : '';
  const now = o.now ?? new Date();
  const text = base + fresh.map((k) => block(k, now, o.note ?? 'imported by Atmos Secrets')).join('');
  return { text, added: fresh.map((k) => k.recipient) };
}

/**
 * The entry text without the keys of `recipients`, and the comment block right above each; every other line
 * stays as it was. `remaining`: how many valid keys are left (0: the entry can go).
 */
export async function removeKeysFromText(
  current: string,
  recipients: ReadonlySet<string>,
): Promise<{ text: string; removed: string[]; remaining: number }> {
  const lines = current.split(/\r?\n/);
  const drop = new Set<number>();
  const removed: string[] = [];
  for (const k of keyLines(lines)) {
    let recipient: string;
    try {
      recipient = await identityToRecipient(k.identity);
    } catch {
      continue;
    }
    if (!recipients.has(recipient)) continue;
    removed.push(recipient);
    // The whole line goes (several keys on one line are rare; sops 3.13 allows them: all of that line's keys
    // would be dropped, so such a line is kept unless every key on it is being removed).
    const others = (lines[k.line] ?? '')
      .trim()
      .split(/\s+/)
      .filter((w) => looksLikeKey(w) && w.toUpperCase() !== k.identity);
    if (others.length > 0) {
      lines[k.line] = (lines[k.line] ?? '').replace(new RegExp(`\\s*${k.identity}`, 'i'), '');
      continue;
    }
    for (let i = k.commentStart; i <= k.line; i++) drop.add(i);
  }
  const text = lines.filter((_, i) => !drop.has(i)).join('\n');
  const remaining = (await heldAgeKeys(text)).length;
  return { text, removed: [...new Set(removed)], remaining };
}
