// Tampering and key problems are refused with a clear AppError that names the file and the fix, and a
// refused set leaves the file byte-for-byte as it was.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ageGroup, ageSources, newAgeKey, type TestAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { AgeKeySource } from './keysources/age';
import { isAppError, type AppError } from '../../shared/errors';
import { createSopsFile, openSopsFile, setSopsValue, type KeySources } from './index';

let owner: TestAgeKey;
let stranger: TestAgeKey;
let original: string;

beforeAll(async () => {
  [owner, stranger] = await Promise.all([newAgeKey(), newAgeKey()]);
  const file = join(mkdtempSync(join(tmpdir(), 'sops-tamper-')), 'base.yaml');
  await createSopsFile(
    file,
    { db: { user: 'admin', password: 'hunter22' }, port: 5432n },
    { keySources: ageSources(owner), keyGroups: [ageGroup(owner)] },
  );
  original = readFileSync(file, 'utf8');
});

/** Flips one base64 character (A<->B) of the given field in the first line that matches. */
function flipField(text: string, linePattern: RegExp, field: 'data' | 'iv' | 'tag'): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => linePattern.test(l));
  if (i < 0) throw new Error('no such line');
  lines[i] = lines[i].replace(
    new RegExp(`(${field}:)(.)`),
    (_m, p: string, c: string) => `${p}${c === 'A' ? 'B' : 'A'}`,
  );
  return lines.join('\n');
}

function flipArmorBody(text: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes('BEGIN AGE ENCRYPTED FILE')) + 3;
  const l = lines[i];
  const at = l.length - 10;
  lines[i] = l.slice(0, at) + (l[at] === 'A' ? 'B' : 'A') + l.slice(at + 1);
  return lines.join('\n');
}

async function refused(content: string, sources: KeySources): Promise<AppError> {
  const file = join(mkdtempSync(join(tmpdir(), 'sops-tamper-')), 'secrets.enc.yaml');
  writeFileSync(file, content);
  const err = await openSopsFile(file, { keySources: sources }).then(
    () => undefined,
    (e: unknown) => e,
  );
  // A set on the same file is refused too, and writes nothing.
  await setSopsValue(file, ['db', 'user'], 'mallory', { keySources: sources }).catch(() => undefined);
  expect(readFileSync(file, 'utf8')).toBe(content);
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  expect(err.message).toContain('secrets.enc.yaml');
  expect(err.location?.file).toBe(file);
  expect(err.hint ?? '').not.toBe('');
  expect(`${err.message} ${err.hint ?? ''}`).not.toContain('hunter22');
  return err;
}

describe('tampering is refused', () => {
  it('a flipped bit in a value', async () => {
    const e = await refused(flipField(original, /password:/, 'data'), ageSources(owner));
    expect(e.code).toBe('SOPS');
    expect(e.message).toMatch(/db:password:.*fails authentication/);
  });

  it('a flipped bit in an IV', async () => {
    const e = await refused(flipField(original, /user:/, 'iv'), ageSources(owner));
    expect(e.code).toBe('SOPS');
    expect(e.message).toMatch(/db:user:.*fails authentication/);
  });

  it('a flipped bit in a tag', async () => {
    const e = await refused(flipField(original, /port:/, 'tag'), ageSources(owner));
    expect(e.code).toBe('SOPS');
  });

  it('a flipped bit in the MAC', async () => {
    const e = await refused(flipField(original, /^ {4}mac:/, 'data'), ageSources(owner));
    expect(e.code).toBe('SOPS');
    expect(e.message).toMatch(/MAC does not authenticate/);
  });

  it('a changed lastmodified', async () => {
    const e = await refused(
      original.replace(/lastmodified: "(\d{4})/, (_m, y: string) => `lastmodified: "${Number(y) - 1}`),
      ageSources(owner),
    );
    expect(e.code).toBe('SOPS');
    expect(e.message).toMatch(/MAC/);
  });

  it('a value moved to another key', async () => {
    const user = /user: (ENC\[.*\])/.exec(original)?.[1] ?? '';
    const e = await refused(original.replace(/password: ENC\[.*\]/, `password: ${user}`), ageSources(owner));
    expect(e.code).toBe('SOPS');
  });

  it('a removed value (MAC mismatch)', async () => {
    const e = await refused(original.replace(/^port: .*\n/m, ''), ageSources(owner));
    expect(e.code).toBe('SOPS');
    expect(e.message).toMatch(/MAC mismatch/);
  });

  it('a changed plaintext (_unencrypted) value: the MAC covers it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sops-tamper-')), 'plain.yaml');
    await createSopsFile(
      file,
      { url_unencrypted: 'https://a.test', k: 'v' },
      { keySources: ageSources(owner), keyGroups: [ageGroup(owner)] },
    );
    const e = await refused(
      readFileSync(file, 'utf8').replace('https://a.test', 'https://evil.test'),
      ageSources(owner),
    );
    expect(e.message).toMatch(/MAC mismatch/);
  });

  it('a flipped bit in the recipient stanza', async () => {
    const e = await refused(flipArmorBody(original), ageSources(owner));
    expect(['SOPS', 'CRYPTO']).toContain(e.code);
    expect(e.message).toContain(owner.recipient);
  });

  it('a truncated file', async () => {
    const e = await refused(original.slice(0, Math.floor(original.length / 2)), ageSources(owner));
    expect(e.code).toBe('SOPS');
  });

  it('a file that is not encrypted at all', async () => {
    const e = await refused('db:\n    user: admin\n', ageSources(owner));
    expect(e.code).toBe('SOPS');
    expect(e.message).toMatch(/not a SOPS-encrypted file/);
  });
});

describe('key problems are refused', () => {
  it('a wrong key names the recipient that is needed', async () => {
    const e = await refused(original, ageSources(stranger));
    expect(e.code).toBe('CRYPTO');
    expect(e.message).toContain(owner.recipient);
    expect(e.hint).toMatch(/SOPS_AGE_KEY_FILE/);
  });

  it('a missing key says where it looked', async () => {
    const e = await refused(original, {
      age: new AgeKeySource({ identities: [], describeSources: () => 'SOPS_AGE_KEY, ~/.config/sops/age/keys.txt' }),
    });
    expect(e.code).toBe('CRYPTO');
    expect(e.message).toMatch(/no age private key was found/);
  });

  it('no key source for the type', async () => {
    const e = await refused(original, {});
    expect(e.code).toBe('CRYPTO');
    expect(e.message).toMatch(/no age key source/);
  });
});
