// The PGP key source against the real gpg: the committed sops test keys in a scratch GNUPGHOME unwrap every pgp
// vector's data key (checked by decrypting one ENC[] value), a fresh key round-trips, and a missing key is named.
import { execFileSync } from 'node:child_process';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isAppError } from '../../../../shared/errors';
import { SOPS_FIXTURES as SOPS_TESTDATA } from '../../testing/fixtures';
import { decryptSopsBytes, type SopsFormat, toPlain } from '../../index';
import { createPgpKeySource } from './index';

const PGP_DIR = join(SOPS_TESTDATA, 'pgp/sops-repo');
const KEY_FILE = join(SOPS_TESTDATA, 'pgp/keys/sops_functional_tests_key.asc');
const TEST_FPS = ['FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4', 'D7229043384BCC60326C6FB9D8720D957C3D3074'];

interface PgpVectorEntry {
  readonly fp: string;
  readonly enc: string;
  readonly created_at: string;
}
interface Vector {
  readonly file: string;
  readonly pgp: PgpVectorEntry[];
  /** One encrypted value and its AAD. */
  readonly sample: { readonly enc: string; readonly aad: string };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first ENC[] string in document order, with its path (lists add no index: sops-format §3). */
function findEncrypted(node: unknown, path: string[]): { enc: string; aad: string } | undefined {
  if (typeof node === 'string' && node.startsWith('ENC[')) return { enc: node, aad: `${path.join(':')}:` };
  if (Array.isArray(node)) {
    for (const item of node) {
      const hit = findEncrypted(item, path);
      if (hit) return hit;
    }
  } else if (isRecord(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (path.length === 0 && k === 'sops') continue;
      const hit = findEncrypted(v, [...path, k]);
      if (hit) return hit;
    }
  }
  return undefined;
}

function pgpEntries(sops: unknown): PgpVectorEntry[] {
  if (!isRecord(sops) || !Array.isArray(sops.pgp)) return [];
  return sops.pgp
    .filter(isRecord)
    .map((e) => ({ fp: String(e.fp), enc: String(e.enc), created_at: String(e.created_at) }));
}

/** dotenv store: flattened `sops_pgp__list_N__map_K` metadata with `\n` escapes (sops-format §10). */
function loadDotenv(text: string): { pgp: PgpVectorEntry[]; sample?: { enc: string; aad: string } } {
  const fields = new Map<string, Record<string, string>>();
  let sample: { enc: string; aad: string } | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).replace(/\\n/g, '\n');
    const m = /^sops_pgp__list_(\d+)__map_(\w+)$/.exec(key);
    if (m) {
      const rec = fields.get(m[1]!) ?? {};
      rec[m[2]!] = value;
      fields.set(m[1]!, rec);
    } else if (!key.startsWith('sops_') && !sample && value.startsWith('ENC[')) {
      sample = { enc: value, aad: `${key}:` };
    }
  }
  const pgp = [...fields.values()].map((r) => ({ fp: r.fp ?? '', enc: r.enc ?? '', created_at: r.created_at ?? '' }));
  return { pgp, sample };
}

function loadVectors(): Vector[] {
  const out: Vector[] = [];
  for (const name of readdirSync(PGP_DIR).sort()) {
    if (/expected|\.plain|^comments\.yaml$/.test(name)) continue;
    const text = readFileSync(join(PGP_DIR, name), 'utf8');
    if (name.endsWith('.env')) {
      const { pgp, sample } = loadDotenv(text);
      if (pgp.length > 0 && sample) out.push({ file: name, pgp, sample });
      continue;
    }
    // YAML is a superset of JSON, and the binary store (.txt) is a JSON envelope.
    const doc: unknown = parseYaml(text, { uniqueKeys: false });
    if (!isRecord(doc)) continue;
    const pgp = pgpEntries(doc.sops);
    const sample = findEncrypted(doc, []);
    if (pgp.length > 0 && sample) out.push({ file: name, pgp, sample });
  }
  return out;
}

/** ENC[AES256_GCM,data:..,iv:..,tag:..,type:..] decrypted with the data key (sops-format §2). */
function decryptValue(value: string, dataKey: Uint8Array, aad: string): string {
  const m = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/.exec(value);
  if (!m) throw new Error('not an ENC[] value');
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(m[2]!, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(m[3]!, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(m[1]!, 'base64')), decipher.final()]).toString('utf8');
}

function gpg(home: string, args: string[]): string {
  return execFileSync('gpg', ['--batch', '--no-tty', ...args], {
    env: { ...process.env, GNUPGHOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString('utf8');
}

function scratchHome(): string {
  // Short paths: gpg-agent's socket must fit in sockaddr_un.
  const home = mkdtempSync(join(tmpdir(), 'gpg-'));
  execFileSync('chmod', ['700', home]);
  return home;
}

function dropHome(home: string): void {
  try {
    execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('pgp key source (real gpg)', () => {
  let home = '';
  let emptyHome = '';

  beforeAll(() => {
    home = scratchHome();
    emptyHome = scratchHome();
    gpg(home, ['--import', KEY_FILE]);
  });

  afterAll(() => {
    if (home) dropHome(home);
    if (emptyHome) dropHome(emptyHome);
  });

  const vectors = loadVectors();

  it('finds pgp vectors to test', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(8);
  });

  it.each(vectors.map((v) => [v.file, v] as const))('unwraps every data key of %s', async (_name, vector) => {
    const source = createPgpKeySource({ gnupgHome: home });
    const keys: Uint8Array[] = [];
    for (const entry of vector.pgp) {
      expect(TEST_FPS).toContain(entry.fp);
      const key = await source.unwrap({ type: 'pgp', ...entry });
      expect(key).toHaveLength(32);
      keys.push(key);
    }
    // Every master key in one group wraps the same data key, and that key decrypts the file's values.
    for (const k of keys) expect(Buffer.from(k).equals(Buffer.from(keys[0]!))).toBe(true);
    expect(() => decryptValue(vector.sample.enc, keys[0]!, vector.sample.aad)).not.toThrow();
  });

  const manifest = z
    .object({
      vectors: z.array(
        z.looseObject({
          file: z.string(),
          format: z.enum(['yaml', 'json', 'dotenv', 'binary']),
          expected: z.string(),
          mac_check: z.string(),
        }),
      ),
    })
    .parse(JSON.parse(readFileSync(join(SOPS_TESTDATA, 'manifest.json'), 'utf8')));
  const manifestPgp = manifest.vectors.filter((v) => v.file.startsWith('pgp/'));

  it.each(manifestPgp.map((v) => [v.file, v] as const))('decrypts %s through the SOPS codec', async (_name, v) => {
    const format: SopsFormat = v.format;
    const f = await decryptSopsBytes(readFileSync(join(SOPS_TESTDATA, v.file)), v.file, format, {
      keySources: { pgp: createPgpKeySource({ gnupgHome: home }) },
      allowMissingMac: v.mac_check === 'NO_MAC',
      onWarning: () => undefined,
    });
    const expectedPath = join(SOPS_TESTDATA, v.expected);
    if (format === 'binary') {
      const payload = f.documents[0]!.items.find((i) => 'key' in i && i.key === 'data');
      const value = payload && 'key' in payload ? payload.value : undefined;
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value as Uint8Array);
      expect(bytes.equals(readFileSync(expectedPath))).toBe(true);
      return;
    }
    const expected: unknown = JSON.parse(readFileSync(expectedPath, 'utf8'));
    const got = f.documents.length === 1 ? toPlain(f.documents[0]!) : f.documents.map((d) => toPlain(d));
    expect(got).toEqual(expected);
  });

  it('round-trips a data key through a freshly generated key', async () => {
    gpg(home, [
      '--passphrase',
      '',
      '--quick-gen-key',
      'Atmos Secrets Test <test@example.invalid>',
      'default',
      'default',
      'never',
    ]);
    const listing = gpg(home, ['--with-colons', '--list-keys', 'test@example.invalid']);
    const fp = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/m.exec(listing)?.[1];
    expect(fp).toBeDefined();
    const source = createPgpKeySource({ gnupgHome: home, now: () => new Date('2026-01-02T03:04:05.678Z') });
    const dataKey = new Uint8Array(randomBytes(32));
    const entry = await source.wrap(dataKey, { type: 'pgp', fp: fp! });
    expect(entry.fp).toBe(fp);
    expect(entry.created_at).toBe('2026-01-02T03:04:05Z');
    expect(entry.enc).toMatch(/^-----BEGIN PGP MESSAGE-----\n[\s\S]+-----END PGP MESSAGE-----\n$/);
    const back = await source.unwrap(entry);
    expect(Buffer.from(back).equals(Buffer.from(dataKey))).toBe(true);
  });

  it('wraps for an imported key with unknown owner trust (as sops does, via --trusted-key)', async () => {
    const source = createPgpKeySource({ gnupgHome: home });
    const dataKey = new Uint8Array(randomBytes(33));
    const entry = await source.wrap(dataKey, { type: 'pgp', fp: TEST_FPS[0]! });
    expect(Buffer.from(await source.unwrap(entry)).equals(Buffer.from(dataKey))).toBe(true);
  });

  it('names the missing fingerprint and how to import it when no secret key can decrypt', async () => {
    const source = createPgpKeySource({ gnupgHome: emptyHome });
    const entry = vectors[0]!.pgp[0]!;
    const err: unknown = await source.unwrap({ type: 'pgp', ...entry }).catch((e: unknown) => e);
    expect(isAppError(err)).toBe(true);
    if (!isAppError(err)) return;
    expect(err.code).toBe('CRYPTO');
    expect(err.message).toContain(entry.fp);
    expect(err.hint).toMatch(/gpg --import/);
  });

  it('names the fingerprint when the public key for wrapping is missing', async () => {
    const source = createPgpKeySource({ gnupgHome: emptyHome });
    const fp = '1111111111111111111111111111111111111111';
    const err: unknown = await source.wrap(new Uint8Array(32), { type: 'pgp', fp }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code === 'CRYPTO' && err.message.includes(fp)).toBe(true);
  });

  it('reports a missing gpg binary', async () => {
    const source = createPgpKeySource({ gnupgHome: emptyHome, gpgBinary: join(emptyHome, 'no-such-gpg') });
    const err: unknown = await source.unwrap({ type: 'pgp', ...vectors[0]!.pgp[0]! }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code === 'CRYPTO' && /not found/.test(err.message)).toBe(true);
  });
});
