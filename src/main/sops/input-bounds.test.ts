// SOPS input bounds: aliases refused, a size cap naming file and cap, strict UTF-8 for the file and for a
// decrypted value, a nesting cap; each a SOPS AppError with the file (and line where there is one).
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ageGroup, ageSources, newAgeKey, type TestAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { isAppError, type AppError } from '../../shared/errors';
import { MAX_SOPS_DEPTH, MAX_SOPS_FILE_BYTES } from './input-bounds';
import { createSopsFile, decryptSopsBytes, getSopsValue, leafToText, listSopsKeys, openSopsFile } from './index';

let key: TestAgeKey;
beforeAll(async () => {
  key = await newAgeKey();
});

const tmp = (): string => mkdtempSync(join(tmpdir(), 'sops-bounds-'));

async function sopsError(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isAppError(e)).toBe(true);
  expect((e as AppError).code).toBe('SOPS');
  return e as AppError;
}

describe('SOPS input bounds', () => {
  it('refuses a YAML alias, naming the file and line', async () => {
    const f = join(tmp(), 'alias.enc.yaml');
    writeFileSync(f, 'a: &x foo\nb: *x\n');
    const e = await sopsError(listSopsKeys(f));
    expect(e.message).toMatch(/alias \(\*x\)/);
    expect(e.location).toEqual({ file: f, line: 2 });
  });

  it('refuses a billion-laughs file at once instead of expanding it', async () => {
    const f = join(tmp(), 'laughs.enc.yaml');
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`,
      );
    }
    writeFileSync(f, `${lines.join('\n')}\n`);
    const e = await sopsError(openSopsFile(f, { keySources: ageSources(key) }));
    expect(e.message).toMatch(/alias/);
  });

  it('refuses a file over the size cap with the file and the cap, without reading it', async () => {
    const f = join(tmp(), 'huge.enc.yaml');
    writeFileSync(f, '');
    truncateSync(f, MAX_SOPS_FILE_BYTES + 1);
    const e = await sopsError(listSopsKeys(f));
    expect(e.message).toContain('huge.enc.yaml');
    expect(e.message).toContain('16 MiB limit');
    expect(e.location?.file).toBe(f);
    const bytes = new Uint8Array(MAX_SOPS_FILE_BYTES + 1);
    await sopsError(decryptSopsBytes(bytes, f, 'yaml', { keySources: ageSources(key) }));
  });

  it.each([
    ['yaml', 'x.enc.yaml', 2, Buffer.concat([Buffer.from('A: ok\nB: caf'), Buffer.from([0xe9]), Buffer.from('\n')])],
    [
      'json',
      'x.enc.json',
      3,
      Buffer.concat([Buffer.from('{\n"A": "ok",\n"B": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]),
    ],
    ['dotenv', 'x.enc.env', 2, Buffer.concat([Buffer.from('A=ok\nB=caf'), Buffer.from([0xe9]), Buffer.from('\n')])],
  ])('refuses invalid UTF-8 in a %s file, naming the line (never replaced)', async (_format, name, line, bytes) => {
    const f = join(tmp(), name);
    writeFileSync(f, bytes);
    const e = await sopsError(listSopsKeys(f));
    expect(e.message).toMatch(/not valid UTF-8/);
    expect(e.location).toEqual({ file: f, line });
  });

  it('refuses a decrypted value that is not UTF-8 when shown as text', async () => {
    const f = join(tmp(), 'bytes.enc.yaml');
    await createSopsFile(
      f,
      { RAW: new Uint8Array([0x61, 0xff, 0x62]) },
      { keySources: ageSources(key), keyGroups: [ageGroup(key)] },
    );
    const node = await getSopsValue(f, ['RAW'], { keySources: ageSources(key) });
    expect(node).toBeInstanceOf(Uint8Array);
    expect(() => leafToText(node as Uint8Array, f)).toThrow(/bytes\.enc\.yaml is not valid UTF-8/);
  });

  it.each([
    ['json', 'deep.enc.json', `${'['.repeat(MAX_SOPS_DEPTH + 5)}${']'.repeat(MAX_SOPS_DEPTH + 5)}`],
    ['yaml', 'deep.enc.yaml', `a: ${'['.repeat(MAX_SOPS_DEPTH + 5)}${']'.repeat(MAX_SOPS_DEPTH + 5)}\n`],
  ])('refuses %s nesting past the cap', async (_what, name, text) => {
    const f = join(tmp(), name);
    writeFileSync(f, name.endsWith('.json') ? `{"a": ${text}}` : text);
    const e = await sopsError(listSopsKeys(f));
    expect(e.message).toMatch(/deeper than 100 levels/);
  });

  it.each([
    ['json', 'deeper.enc.json', `{"a": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`],
    ['yaml', 'deeper.enc.yaml', `a: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`],
  ])('refuses %s nested 200,000 deep with a SOPS error, not a stack overflow', async (_what, name, text) => {
    const f = join(tmp(), name);
    writeFileSync(f, text);
    const e = await sopsError(listSopsKeys(f));
    expect(e.location?.file).toBe(f);
  });
});
