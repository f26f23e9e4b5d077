// Every age vector in test/fixtures/sops decrypts to its expected output with its MAC verified.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOPS_FIXTURES as SOPS_TESTDATA } from './testing/fixtures';
import { isAppError } from '../../shared/errors';
import { AgeKeySource, parseAgeKeyList } from './keysources/age';
import { decryptSopsBytes } from './sops-codec';
import { getSopsValue, setSopsValue } from './sops-file';
import type { SopsFormat } from './stores';
import { getPath, toPlain, type SopsMap } from './tree';

interface Vector {
  readonly file: string;
  readonly format: SopsFormat;
  readonly identity: string;
  readonly expected: string;
  readonly mac_check: string;
}

const manifest = JSON.parse(readFileSync(join(SOPS_TESTDATA, 'manifest.json'), 'utf8')) as { vectors: Vector[] };
const ageVectors = manifest.vectors.filter((v) => v.file.startsWith('age/'));

function plainDoc(d: SopsMap): unknown {
  return toPlain(d);
}

describe('age vectors', () => {
  it('has age vectors to test', () => {
    expect(ageVectors.length).toBeGreaterThanOrEqual(18);
  });

  for (const v of ageVectors) {
    it(`${v.file} decrypts with its MAC verified`, async () => {
      const keys = parseAgeKeyList(readFileSync(join(SOPS_TESTDATA, v.identity), 'utf8'));
      const data = readFileSync(join(SOPS_TESTDATA, v.file));
      const f = await decryptSopsBytes(data, v.file, v.format, {
        keySources: { age: new AgeKeySource({ identities: keys }) },
      });
      expect(f.metadata.mac).toBeDefined();
      if (v.format === 'binary') {
        const payload = f.documents[0].items.find((i) => 'key' in i && i.key === 'data');
        const value = payload && 'key' in payload ? payload.value : undefined;
        const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value as Uint8Array);
        expect(bytes.equals(readFileSync(join(SOPS_TESTDATA, v.expected)))).toBe(true);
        return;
      }
      const expected: unknown = JSON.parse(readFileSync(join(SOPS_TESTDATA, v.expected), 'utf8'));
      const got = f.documents.length === 1 ? plainDoc(f.documents[0]) : f.documents.map(plainDoc);
      expect(got).toEqual(expected);
    });
  }
});

describe('the no_mac.yaml vector', () => {
  it('is refused by default, before any key is needed, with an explanation and the opt-in', async () => {
    const file = join(SOPS_TESTDATA, 'pgp/sops-repo/no_mac.yaml');
    const e: unknown = await decryptSopsBytes(readFileSync(file), file, 'yaml', { keySources: {} }).catch(
      (err: unknown) => err,
    );
    expect(isAppError(e)).toBe(true);
    if (!isAppError(e)) return;
    expect(e.code).toBe('SOPS');
    expect(e.message).toContain('no_mac.yaml');
    expect(e.message).toMatch(/has no MAC/);
    expect(e.hint).toMatch(/allowMissingMac/);
  });
});

describe('set on files sops wrote keeps the diff to the change', () => {
  for (const v of ageVectors.filter((x) => x.format !== 'binary')) {
    it(`${v.file}: only the new key, mac, lastmodified and version lines change`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sops-vector-set-'));
      const file = join(dir, basename(v.file));
      copyFileSync(join(SOPS_TESTDATA, v.file), file);
      const keySources = {
        age: new AgeKeySource({ identities: parseAgeKeyList(readFileSync(join(SOPS_TESTDATA, v.identity), 'utf8')) }),
      };
      await setSopsValue(file, ['ZZ_NEW'], 'added', { keySources, format: v.format });
      // Normalized: yaml.v3 writes an empty string as "" (rops wrote ''), and sops 3.10+ ends JSON with a newline.
      const lines = (text: string): Set<string> =>
        new Set(
          text
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => l.replaceAll("''", '""')),
        );
      const before = lines(readFileSync(join(SOPS_TESTDATA, v.file), 'utf8'));
      const after = lines(readFileSync(file, 'utf8'));
      const meta = /^\s*"?(sops_)?(lastmodified|mac|version)"?\s*[:=]|ZZ_NEW/;
      expect([...before].filter((l) => !after.has(l) && !meta.test(l))).toEqual([]);
      expect([...after].filter((l) => !before.has(l) && !meta.test(l))).toEqual([]);
      expect(await getSopsValue(file, ['ZZ_NEW'], { keySources, format: v.format })).toBe('added');
    });
  }
});

describe('JSON numbers keep the type the file gives them', () => {
  it('sops < 3.13.2 stored JSON 7 as type:float: it reads back as a float (number), not an int (bigint)', async () => {
    const v = 'age/humphd-sops-age/secret.enc.json';
    const keys = parseAgeKeyList(readFileSync(join(SOPS_TESTDATA, 'keys/humphd-sops-age.agekey.txt'), 'utf8'));
    const f = await decryptSopsBytes(readFileSync(join(SOPS_TESTDATA, v)), v, 'json', {
      keySources: { age: new AgeKeySource({ identities: keys }) },
    });
    expect(readFileSync(join(SOPS_TESTDATA, v), 'utf8')).toMatch(/"int": "ENC\[.*type:float\]"/);
    expect(getPath(f.documents[0], ['int'])).toBe(7);
  });
});
