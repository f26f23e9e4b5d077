// Key lists: what an entry holds (recipients, never keys), a keys.txt import validated line by line without
// echoing a key, and keys added to or removed from an entry with every other line kept.
import { describe, expect, it } from 'vitest';
import { newAgeKey } from '../../../../../test/support/fixtures/sops/age-keys';
import { AppError } from '../../../../shared/errors';
import {
  MAX_KEY_TEXT_BYTES,
  MAX_KEYS_PER_IMPORT,
  addKeysToText,
  heldAgeKeys,
  parseKeyImport,
  removeKeysFromText,
} from './key-text';

async function importError(text: string): Promise<AppError> {
  const e: unknown = await parseKeyImport(text, 'keys.txt').then(
    () => new Error('the import was accepted'),
    (x: unknown) => x,
  );
  if (!(e instanceof AppError)) throw e;
  return e;
}

describe('parseKeyImport', () => {
  it('reads every key of an age-keygen file, comments and blank lines allowed, duplicates once', async () => {
    const a = await newAgeKey();
    const b = await newAgeKey(true);
    const text = `# created: 2024-01-01T00:00:00Z\n# public key: ${a.recipient}\n${a.identity}\n\n# another\n${b.identity}\r\n${a.identity.toLowerCase()}\n`;
    expect(await parseKeyImport(text, 'keys.txt')).toEqual([
      { identity: a.identity, recipient: a.recipient },
      { identity: b.identity, recipient: b.recipient },
    ]);
  });

  it('names the line of a public key or stray text, and never echoes it', async () => {
    const a = await newAgeKey();
    const e = await importError(`# mine\n${a.identity}\n${a.recipient}\n`);
    expect(e.code).toBe('CONFIG');
    expect(e.location).toEqual({ file: 'keys.txt', line: 3 });
    expect(e.message).toContain('line 3');
    expect(e.message).not.toContain(a.recipient);
    expect(`${e.message} ${e.hint}`).not.toContain(a.identity);
  });

  it('refuses a malformed key (bad checksum) by line, without quoting it', async () => {
    const a = await newAgeKey();
    const broken = `${a.identity.slice(0, -1)}${a.identity.endsWith('Q') ? 'P' : 'Q'}`;
    const e = await importError(`${broken}\n`);
    expect(e.location).toEqual({ file: 'keys.txt', line: 1 });
    expect(e.message).toContain('malformed');
    expect(`${e.message} ${e.hint}`).not.toContain(broken);
  });

  it('refuses text with no key, oversized text and too many keys', async () => {
    expect((await importError('# nothing but a comment\n')).message).toContain('holds no age private key');
    expect((await importError('#'.repeat(MAX_KEY_TEXT_BYTES + 1))).message).toContain('larger than');
    const many = await Promise.all(Array.from({ length: MAX_KEYS_PER_IMPORT + 1 }, () => newAgeKey()));
    expect((await importError(many.map((k) => k.identity).join('\n'))).message).toContain(
      `more than ${MAX_KEYS_PER_IMPORT}`,
    );
  });
});

describe('entry text', () => {
  it('lists recipients and creation dates, not keys; a malformed line opens nothing', async () => {
    const a = await newAgeKey();
    const b = await newAgeKey(true);
    const held = await heldAgeKeys(
      `# created: 2025-02-03T04:05:06Z\n${a.identity}\nAGE-SECRET-KEY-1NOTAKEY\n${b.identity}\n`,
    );
    expect(held).toEqual([
      { recipient: a.recipient, postQuantum: false, created: '2025-02-03T04:05:06Z' },
      { recipient: b.recipient, postQuantum: true },
    ]);
    expect(JSON.stringify(held)).not.toContain('AGE-SECRET-KEY');
  });

  it('adds only new keys, keeping what the entry held', async () => {
    const a = await newAgeKey();
    const b = await newAgeKey();
    const current = `# my own note\n${a.identity}`;
    const r = await addKeysToText(
      current,
      [
        { identity: a.identity, recipient: a.recipient },
        { identity: b.identity, recipient: b.recipient },
      ],
      { now: new Date('2026-01-02T03:04:05.678Z') },
    );
    expect(r.added).toEqual([b.recipient]);
    expect(r.text).toBe(
      `${current}\n# imported by Atmos Secrets: 2026-01-02T03:04:05Z\n# public key: ${b.recipient}\n${b.identity}\n`,
    );
    expect((await heldAgeKeys(r.text)).map((k) => k.recipient)).toEqual([a.recipient, b.recipient]);
  });

  it('removes a key with its comment block and leaves every other line', async () => {
    const a = await newAgeKey();
    const b = await newAgeKey();
    const text = `# header\n\n# created: x\n# public key: ${a.recipient}\n${a.identity}\n\n# created: y\n${b.identity}\n`;
    const r = await removeKeysFromText(text, new Set([a.recipient]));
    expect(r).toEqual({ text: `# header\n\n\n# created: y\n${b.identity}\n`, removed: [a.recipient], remaining: 1 });
    const all = await removeKeysFromText(r.text, new Set([b.recipient]));
    expect(all.remaining).toBe(0);
    expect(all.text).not.toContain('AGE-SECRET-KEY');
  });

  it('removes one key of a line that holds two, keeping the other', async () => {
    const a = await newAgeKey();
    const b = await newAgeKey();
    const r = await removeKeysFromText(`${a.identity} ${b.identity}\n`, new Set([b.recipient]));
    expect(r.text).toBe(`${a.identity}\n`);
    expect(r.remaining).toBe(1);
  });
});
