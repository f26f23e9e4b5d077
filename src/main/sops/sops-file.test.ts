// The file-level API: round trips through every store, set/delete in place with unchanged ciphertext kept,
// encryption rules, Shamir groups, the missing-MAC refusal, listing without a key, and the atomic writer.
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/paths';
import { ageGroup, ageSources, newAgeKey, type TestAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { isAppError } from '../../shared/errors';
import { setCrashPointHook } from '../files';
import {
  SopsComment,
  SopsTime,
  STORES,
  createSopsFile,
  decryptSopsBytes,
  deleteSopsValue,
  encryptSopsDocuments,
  getSopsValue,
  listSopsKeys,
  openSopsFile,
  setSopsValue,
  toPlain,
  writeFileAtomic,
  type SopsFormat,
  type SopsMap,
} from './index';

const FIXTURE = resolve(REPO_ROOT, 'test/support/fixtures/sops/plaintext.yaml');
let alice: TestAgeKey;
let bob: TestAgeKey;
let carol: TestAgeKey;

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([newAgeKey(), newAgeKey(), newAgeKey()]);
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'sops-test-'));
}

function fixtureDocs(): SopsMap[] {
  return STORES.yaml.parse(readFileSync(FIXTURE), FIXTURE).documents;
}

async function expectAppError(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isAppError(e), `expected an AppError, got ${String(e)}`).toBe(true);
  if (isAppError(e)) {
    expect(e.code).toBe(code);
    expect(e.message).toMatch(pattern);
  }
}

describe('YAML round trip', () => {
  it('keeps every type, comments, and the plaintext subtree', async () => {
    const file = join(tmp(), 'app.enc.yaml');
    await createSopsFile(file, fixtureDocs(), { keySources: ageSources(alice), keyGroups: [ageGroup(alice)] });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('database login');
    expect(text).toContain('url: https://example.test');
    expect(text).toMatch(/#ENC\[AES256_GCM,.*type:comment\]/);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const f = await openSopsFile(file, { keySources: ageSources(alice) });
    const app = f.documents[0].items.find((i) => !(i instanceof SopsComment) && i.key === 'app');
    expect(app).toBeDefined();
    expect(await getSopsValue(file, ['app', 'port'], { keySources: ageSources(alice) })).toBe(5432n);
    expect(await getSopsValue(file, ['app', 'whole'], { keySources: ageSources(alice) })).toBe(1);
    expect(await getSopsValue(file, ['app', 'answer'], { keySources: ageSources(alice) })).toBe('yes');
    expect(await getSopsValue(file, ['app', 'when'], { keySources: ageSources(alice) })).toEqual(
      new SopsTime('2024-01-01T10:20:30.5Z'),
    );
    expect(toPlain(f.documents[0])).toEqual(toPlain(fixtureDocs()[0]));
    const plain = new TextDecoder().decode(STORES.yaml.serialize(f.documents, undefined, f.style));
    expect(plain).toContain('# the database login');
    expect(plain).toContain('user: admin # inline note');
  });

  it('multi-document files share one MAC and one metadata block', async () => {
    const src = 'a: 1\n---\nb: two\n';
    const docs = STORES.yaml.parse(Buffer.from(src), 'm.yaml').documents;
    const out = await encryptSopsDocuments(docs, {
      format: 'yaml',
      keyGroups: [ageGroup(alice)],
      keySources: ageSources(alice),
    });
    const text = new TextDecoder().decode(out);
    expect(text.match(/^sops:/gm)).toHaveLength(2);
    const f = await decryptSopsBytes(out, 'm.yaml', 'yaml', { keySources: ageSources(alice) });
    expect(f.documents.map((d) => toPlain(d))).toEqual([{ a: 1 }, { b: 'two' }]);
  });

  it('refuses duplicate keys with file and line', async () => {
    const e: unknown = (() => {
      try {
        STORES.yaml.parse(Buffer.from('a: 1\nb: 2\na: 3\n'), 'dup.yaml');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(isAppError(e) && e.location?.line === 3 && /duplicate key "a"/.test(e.message)).toBe(true);
  });
});

describe.each<SopsFormat>(['yaml', 'json', 'dotenv', 'binary'])('%s store', (format) => {
  it('round-trips, sets and deletes in place', async () => {
    const dir = tmp();
    const file = join(dir, `s.${format === 'dotenv' ? 'env' : format === 'binary' ? 'bin' : format}`);
    const ks = ageSources(alice);
    if (format === 'binary') {
      const payload = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0xfe, 0x0a, 0x41]);
      await createSopsFile(file, payload, { keySources: ks, keyGroups: [ageGroup(alice)] });
      const got = await getSopsValue(file, ['data'], { keySources: ks });
      expect(Buffer.from(got as Uint8Array).equals(payload)).toBe(true);
      return;
    }
    await createSopsFile(
      file,
      { A: 'one', B: 'two\nlines', C: 'three' },
      { keySources: ks, keyGroups: [ageGroup(alice)] },
    );
    const before = readFileSync(file, 'utf8');
    await setSopsValue(file, ['B'], 'changed', { keySources: ks });
    const after = readFileSync(file, 'utf8');
    const lineOf = (text: string, key: string): string | undefined =>
      text.split('\n').find((l) => new RegExp(`^\\s*"?${key}"?\\s*[:=]`).test(l));
    // A and C keep their ciphertext byte for byte; B changes; besides it only the MAC and lastmodified may.
    expect(lineOf(after, 'A')).toBe(lineOf(before, 'A'));
    expect(lineOf(after, 'C')).toBe(lineOf(before, 'C'));
    expect(lineOf(after, 'B')).not.toBe(lineOf(before, 'B'));
    const changed = after.split('\n').filter((l, i) => l !== before.split('\n')[i]);
    expect(changed.length).toBeLessThanOrEqual(3);
    const f = await openSopsFile(file, { keySources: ks });
    expect(toPlain(f.documents[0])).toEqual({ A: 'one', B: 'changed', C: 'three' });
    expect(await deleteSopsValue(file, ['A'], { keySources: ks })).toBe(true);
    expect(await deleteSopsValue(file, ['nope'], { keySources: ks })).toBe(false);
    expect(toPlain((await openSopsFile(file, { keySources: ks })).documents[0])).toEqual({ B: 'changed', C: 'three' });
    const listing = await listSopsKeys(file);
    expect(listing.hasMetadata).toBe(true);
    expect(listing.keys.map((k) => k.path.join('.'))).toEqual(['B', 'C']);
    expect(listing.keys.every((k) => k.encrypted)).toBe(true);
  });
});

describe('set on nested YAML', () => {
  it('creates parents, keeps mode, and leaves other ciphertext byte-identical', async () => {
    const file = join(tmp(), 'n.yaml');
    await createSopsFile(file, fixtureDocs(), { keySources: ageSources(alice), keyGroups: [ageGroup(alice)] });
    chmodSync(file, 0o640);
    const before = readFileSync(file, 'utf8').split('\n');
    await setSopsValue(file, ['app', 'extra', 'token'], 'fresh', { keySources: ageSources(alice) });
    const after = readFileSync(file, 'utf8').split('\n');
    const encBefore = before.filter((l) => l.includes('ENC[') && !l.includes('mac:'));
    for (const line of encBefore) expect(after).toContain(line);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(await getSopsValue(file, ['app', 'extra', 'token'], { keySources: ageSources(alice) })).toBe('fresh');
  });
});

describe('encryption rules', () => {
  const cases = [
    { rule: { kind: 'encrypted_suffix' as const, value: '_secret' }, secret: ['db_secret'], plain: ['db'] },
    { rule: { kind: 'encrypted_regex' as const, value: '^(data|stringData)$' }, secret: ['data'], plain: ['db'] },
    { rule: { kind: 'unencrypted_regex' as const, value: '^public' }, secret: ['db'], plain: ['public_url'] },
    { rule: { kind: 'unencrypted_suffix' as const, value: '_plain' }, secret: ['db'], plain: ['x_plain'] },
  ];
  it.each(cases)('$rule.kind', async ({ rule, secret, plain }) => {
    const content: Record<string, unknown> = {};
    for (const k of [...secret, ...plain]) content[k] = { v: `value-of-${k}` };
    const file = join(tmp(), 'r.yaml');
    await createSopsFile(file, content, { keySources: ageSources(alice), keyGroups: [ageGroup(alice)], rule });
    const text = readFileSync(file, 'utf8');
    for (const k of secret) expect(text).not.toContain(`value-of-${k}`);
    for (const k of plain) expect(text).toContain(`value-of-${k}`);
    expect(text).toContain(`${rule.kind}: `);
    expect(toPlain((await openSopsFile(file, { keySources: ageSources(alice) })).documents[0])).toEqual(content);
  });

  it('mac_only_encrypted leaves plaintext values out of the MAC', async () => {
    const file = join(tmp(), 'm.yaml');
    await createSopsFile(
      file,
      { s: 'x', p_unencrypted: 'y' },
      { keySources: ageSources(alice), keyGroups: [ageGroup(alice)], macOnlyEncrypted: true },
    );
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('p_unencrypted: "y"', 'p_unencrypted: z')
        .replace('p_unencrypted: y', 'p_unencrypted: z'),
    );
    expect(toPlain((await openSopsFile(file, { keySources: ageSources(alice) })).documents[0])).toEqual({
      s: 'x',
      p_unencrypted: 'z',
    });
  });
});

describe('key groups', () => {
  it('decrypts with any member of the single group', async () => {
    const file = join(tmp(), 'g.json');
    await createSopsFile(file, { k: 'v' }, { keySources: ageSources(alice), keyGroups: [ageGroup(alice, bob)] });
    expect(await getSopsValue(file, ['k'], { keySources: ageSources(bob) })).toBe('v');
  });

  it('Shamir: needs threshold groups, and says so', async () => {
    const file = join(tmp(), 's.yaml');
    await createSopsFile(
      file,
      { k: 'v' },
      {
        keySources: ageSources(alice),
        keyGroups: [ageGroup(alice), ageGroup(bob), ageGroup(carol)],
        shamirThreshold: 2,
      },
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('key_groups:');
    expect(text).toContain('shamir_threshold: 2');
    expect(await getSopsValue(file, ['k'], { keySources: ageSources(bob, carol) })).toBe('v');
    expect(await getSopsValue(file, ['k'], { keySources: ageSources(alice, carol) })).toBe('v');
    await expectAppError(
      getSopsValue(file, ['k'], { keySources: ageSources(carol) }),
      'CRYPTO',
      /needs 2 of 3 key groups/,
    );
    // set keeps the groups and shares
    await setSopsValue(file, ['k'], 'w', { keySources: ageSources(alice, bob) });
    expect(await getSopsValue(file, ['k'], { keySources: ageSources(alice, carol) })).toBe('w');
  });
});

describe('missing MAC', () => {
  it('is refused by default with an explanation, and readable with allowMissingMac', async () => {
    const file = join(tmp(), 'nomac.yaml');
    await createSopsFile(file, { k: 'v' }, { keySources: ageSources(alice), keyGroups: [ageGroup(alice)] });
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {4}mac: .*\n/m, ''));
    await expectAppError(openSopsFile(file, { keySources: ageSources(alice) }), 'SOPS', /nomac\.yaml has no MAC/);
    const f = await openSopsFile(file, { keySources: ageSources(alice), allowMissingMac: true });
    expect(toPlain(f.documents[0])).toEqual({ k: 'v' });
  });
});

describe('listing without a key', () => {
  it('lists key paths and encryption state of a vector without decrypting', async () => {
    const { SOPS_FIXTURES: SOPS_TESTDATA } = await import('./testing/fixtures');
    const l = await listSopsKeys(join(SOPS_TESTDATA, 'age/cdk-sops-secrets/testsecret.sops.yaml'));
    expect(l.keys.length).toBeGreaterThan(3);
    expect(l.keys.some((k) => k.encrypted)).toBe(true);
  });
});

describe('writeFileAtomic', () => {
  it('writes new files 0600 and refuses when the file changed underneath, leaving it whole', async () => {
    const dir = tmp();
    const file = join(dir, 'f.txt');
    await writeFileAtomic(file, 'one');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await expectAppError(
      writeFileAtomic(file, 'two', { expectedContent: Buffer.from('zero') }),
      'BACKEND',
      /changed by someone else/,
    );
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });

  it('fails cleanly into a missing folder', async () => {
    await expectAppError(writeFileAtomic(join(tmp(), 'no/such/dir/f'), 'x'), 'BACKEND', /Could not write/);
  });
});

describe('set with createWith, and concurrent sets', () => {
  it('creates the file on first set, then serializes parallel sets without losing one', async () => {
    const file = join(tmp(), 'secrets', '..', 'new.enc.yaml');
    const ks = ageSources(alice);
    await setSopsValue(file, ['FIRST'], 'one', { keySources: ks, createWith: { keyGroups: [ageGroup(alice)] } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await Promise.all(Array.from({ length: 8 }, (_, i) => setSopsValue(file, [`K${i}`], `v${i}`, { keySources: ks })));
    const plain = toPlain((await openSopsFile(file, { keySources: ks })).documents[0]) as Record<string, string>;
    expect(Object.keys(plain)).toHaveLength(9);
    expect(plain.K7).toBe('v7');
  });

  it('sets through a symlinked file: the link stays a link, its target gets the value', async () => {
    const dir = tmp();
    const ks = ageSources(alice);
    await createSopsFile(join(dir, 'real.enc.yaml'), { A: 'x' }, { keySources: ks, keyGroups: [ageGroup(alice)] });
    symlinkSync('real.enc.yaml', join(dir, 'link.enc.yaml'));
    await setSopsValue(join(dir, 'link.enc.yaml'), ['B'], 'y', { keySources: ks });
    expect(lstatSync(join(dir, 'link.enc.yaml')).isSymbolicLink()).toBe(true);
    const plain = toPlain((await openSopsFile(join(dir, 'real.enc.yaml'), { keySources: ks })).documents[0]!);
    expect(plain).toEqual({ A: 'x', B: 'y' });
    expect(readdirSync(dir).sort()).toEqual(['link.enc.yaml', 'real.enc.yaml']);
  });

  it('a change by a writer that takes no lock (an editor, sops) is kept: the set re-reads and retries', async () => {
    const dir = tmp();
    const ks = ageSources(alice);
    const file = join(dir, 'edited.enc.yaml');
    await createSopsFile(file, { A: 'x' }, { keySources: ks, keyGroups: [ageGroup(alice)] });
    const theirs = join(dir, 'theirs.enc.yaml');
    copyFileSync(file, theirs);
    await setSopsValue(theirs, ['FOREIGN'], 'f', { keySources: ks });
    let edits = 0;
    setCrashPointHook((point) => {
      if (point !== 'sops:encrypted' || edits > 0) return;
      edits++;
      copyFileSync(theirs, file);
    });
    try {
      await setSopsValue(file, ['MINE'], 'm', { keySources: ks });
    } finally {
      setCrashPointHook(undefined);
    }
    expect(edits).toBe(1);
    const plain = toPlain((await openSopsFile(file, { keySources: ks })).documents[0]!);
    expect(plain).toEqual({ A: 'x', FOREIGN: 'f', MINE: 'm' });
  });

  it('leaves the file alone when a key is set to the value it already has', async () => {
    const file = join(tmp(), 'same.yaml');
    const ks = ageSources(alice);
    await createSopsFile(file, { A: 'x', N: 5n }, { keySources: ks, keyGroups: [ageGroup(alice)] });
    const before = readFileSync(file);
    await setSopsValue(file, ['A'], 'x', { keySources: ks });
    await setSopsValue(file, ['N'], 5, { keySources: ks });
    expect(readFileSync(file).equals(before)).toBe(true);
    await setSopsValue(file, ['N'], 5.5, { keySources: ks });
    expect(readFileSync(file).equals(before)).toBe(false);
  });

  it('refuses a reserved or empty key path and a missing file without createWith', async () => {
    const file = join(tmp(), 'absent.yaml');
    await expectAppError(
      setSopsValue(file, ['A'], 'x', { keySources: ageSources(alice) }),
      'NOT_FOUND',
      /does not exist/,
    );
    await expectAppError(
      setSopsValue(file, ['sops'], 'x', { keySources: ageSources(alice) }),
      'BAD_REQUEST',
      /reserved/,
    );
    await expectAppError(setSopsValue(file, [], 'x', { keySources: ageSources(alice) }), 'BAD_REQUEST', /key path/);
  });
});
