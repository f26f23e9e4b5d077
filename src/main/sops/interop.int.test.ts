// Interop: what we write opens with the real `age` CLI (the data key) and with sops-age (the values), and
// passes our own MAC check in a separate process; a data key wrapped by the `age` CLI opens with ours.
import { execFileSync, spawnSync } from 'node:child_process';
import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { decryptSops } from 'sops-age';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/paths';
import { ageGroup, ageSources, newAgeKey, type TestAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { STORES, createSopsFile, openSopsFile, parseMetadata, toPlain, type SopsFormat } from './index';

let key: TestAgeKey;
let dir: string;
let keyFile: string;
let verifier: string;

const CONTENT = {
  user: 'admin',
  password: 'p@ss word: "quoted"\nsecond line',
  port: 5432n,
  ratio: 0.5,
  on: true,
  nested: { token: 'abc', list: ['x', 'y'] },
};
const FLAT = { USER: 'admin', PASSWORD: 'p@ss word\nsecond', EMPTY: '' };

function contentFor(format: SopsFormat): Record<string, unknown> {
  return format === 'dotenv' ? FLAT : CONTENT;
}

function plainJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

beforeAll(async () => {
  key = await newAgeKey();
  dir = mkdtempSync(join(tmpdir(), 'sops-interop-'));
  keyFile = join(dir, 'keys.txt');
  writeFileSync(keyFile, `# test key\n${key.identity}\n`, { mode: 0o600 });
  verifier = join(dir, 'verify.mjs');
  await build({
    entryPoints: [resolve(REPO_ROOT, 'test/support/fixtures/sops/verify-file.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: verifier,
    logLevel: 'silent',
    // yaml is CommonJS; an ESM bundle needs a real require for its node built-ins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
});

/** `age -d -i keyfile` on an armored data key: the key file path in argv, the armored data on stdin. */
function ageCliDecrypt(armored: string): Buffer {
  const r = spawnSync('age', ['-d', '-i', keyFile], { input: armored });
  if (r.status !== 0) throw new Error(`age -d failed: ${r.stderr.toString()}`);
  return r.stdout;
}

describe.each<SopsFormat>(['yaml', 'json', 'dotenv'])('interop: %s', (format) => {
  const ext = format === 'dotenv' ? 'env' : format;

  it('the age CLI unwraps our data key, and it decrypts our values', async () => {
    const file = join(dir, `cli.${ext}`);
    await createSopsFile(file, contentFor(format), {
      keySources: ageSources(key),
      keyGroups: [ageGroup(key)],
      overwrite: true,
    });
    const parsed = STORES[format].parse(readFileSync(file), file);
    const meta = parseMetadata(parsed.metadata, file);
    const entry = meta.keyGroups[0][0];
    expect(entry.type).toBe('age');
    const dataKey = ageCliDecrypt(entry.enc);
    expect(dataKey.length).toBe(32);
    // Decrypt one value by hand with that key: AES-256-GCM, 32-byte IV, AAD "<key>:".
    const first = parsed.documents[0].items.find(
      (i) => 'key' in i && typeof i.value === 'string' && i.value.startsWith('ENC['),
    );
    if (!first || !('key' in first) || typeof first.value !== 'string') throw new Error('no encrypted value');
    const m = /data:(.*),iv:(.*),tag:(.*),type:/.exec(first.value);
    if (!m) throw new Error('not ENC');
    const d = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(m[2], 'base64'));
    d.setAAD(Buffer.from(`${first.key}:`));
    d.setAuthTag(Buffer.from(m[3], 'base64'));
    const plain = Buffer.concat([d.update(Buffer.from(m[1], 'base64')), d.final()]).toString();
    expect(plain).toBe(String(contentFor(format)[first.key]));
  });

  it('sops-age decrypts what we write, and our reader verifies the MAC in a separate process', async () => {
    const file = join(dir, `sa.${ext}`);
    await createSopsFile(file, contentFor(format), {
      keySources: ageSources(key),
      keyGroups: [ageGroup(key)],
      overwrite: true,
    });
    const decrypted: unknown = await decryptSops(readFileSync(file, 'utf8'), {
      secretKey: key.identity,
      fileType: ext as 'yaml' | 'json' | 'env',
    });
    const expected = JSON.parse(plainJson(contentFor(format))) as Record<string, unknown>;
    if (format === 'dotenv') expect(decrypted).toEqual(expected);
    else expect(decrypted).toEqual({ ...expected, port: 5432 });

    const out = execFileSync(process.execPath, [verifier, file, keyFile]).toString();
    const r = JSON.parse(out) as { ok: boolean; sha256?: string; message?: string };
    expect(r.ok, r.message).toBe(true);
    const own = await openSopsFile(file, { keySources: ageSources(key) });
    expect(r.sha256).toBe(
      createHash('sha256')
        .update(plainJson(own.documents.map((d) => toPlain(d))))
        .digest('hex'),
    );
  });
});

describe('a data key wrapped by the age CLI', () => {
  it('opens with our reader', async () => {
    const file = join(dir, 'wrapped-by-cli.yaml');
    await createSopsFile(file, CONTENT, { keySources: ageSources(key), keyGroups: [ageGroup(key)], overwrite: true });
    const text = readFileSync(file, 'utf8');
    const meta = parseMetadata(STORES.yaml.parse(Buffer.from(text), file).metadata, file);
    const dataKey = ageCliDecrypt(meta.keyGroups[0][0].enc);
    const rewrapped = spawnSync('age', ['-a', '-r', key.recipient], { input: dataKey }).stdout.toString();
    expect(rewrapped).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    const indented = rewrapped
      .trimEnd()
      .split('\n')
      .map((l) => `            ${l}`)
      .join('\n');
    const replaced = text.replace(/( {8}- enc: \|\n)(?: {12}.*\n)+/, `$1${indented}\n`);
    expect(replaced).not.toBe(text);
    writeFileSync(file, replaced);
    expect(toPlain((await openSopsFile(file, { keySources: ageSources(key) })).documents[0])).toEqual(
      JSON.parse(plainJson({ ...CONTENT, port: 5432 })),
    );
  });
});
