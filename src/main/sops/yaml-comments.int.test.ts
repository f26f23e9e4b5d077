// Encrypted YAML comments in real sops files (the pgp vectors, unwrapped by the pgp key source through gpg):
// every comment decrypts under the AAD of the map that holds it, and a rewrite keeps them where they were.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOPS_FIXTURES as SOPS_TESTDATA } from './testing/fixtures';
import { createPgpKeySource } from './keysources/pgp';
import { SopsComment, decryptSopsBytes, isSopsMap, reencryptSopsFile, type KeySources, type SopsNode } from './index';

let gnupgHome: string;
let sources: KeySources;

beforeAll(() => {
  gnupgHome = mkdtempSync(join(tmpdir(), 'sops-gpg-'));
  execFileSync('gpg', ['--batch', '--import', join(SOPS_TESTDATA, 'pgp/keys/sops_functional_tests_key.asc')], {
    env: { ...process.env, GNUPGHOME: gnupgHome },
    stdio: 'ignore',
  });
  sources = { pgp: createPgpKeySource({ gnupgHome }) };
});

afterAll(() => {
  execFileSync('gpgconf', ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: gnupgHome }, stdio: 'ignore' });
  rmSync(gnupgHome, { recursive: true, force: true });
});

function comments(n: SopsNode, out: string[] = []): string[] {
  if (isSopsMap(n)) {
    for (const i of n.items) {
      if (i instanceof SopsComment) out.push(i.value);
      else comments(i.value, out);
    }
  }
  return out;
}

describe('encrypted comments in sops-written YAML', () => {
  it.each([
    [
      'pgp/sops-repo/example.yaml',
      [
        ' private key for secret operations in app2',
        ' sops supports unencrypted fields',
        ' by adding the `_unencrypted` suffix',
        ' to any key',
      ],
    ],
    ['pgp/sops-repo/comments.enc.yaml', [' first comment in file', ' this-is-a-comment']],
  ])('%s', async (rel, expected) => {
    const warnings: string[] = [];
    const data = readFileSync(join(SOPS_TESTDATA, rel));
    const f = await decryptSopsBytes(data, rel, 'yaml', { keySources: sources, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expect(comments(f.documents[0])).toEqual(expected);
    // A rewrite keeps the comments and their encryption (same AADs), and reads back the same.
    const dir = mkdtempSync(join(tmpdir(), 'sops-comments-'));
    const again = reencryptSopsFile(f);
    writeFileSync(join(dir, 'x.yaml'), again);
    const g = await decryptSopsBytes(again, 'x.yaml', 'yaml', {
      keySources: sources,
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toEqual([]);
    expect(comments(g.documents[0])).toEqual(expected);
  });

  it('keeps plaintext comments of old files, with a warning', async () => {
    const warnings: string[] = [];
    const rel = 'pgp/sops-repo/comments_unencrypted_comments.yaml';
    const f = await decryptSopsBytes(readFileSync(join(SOPS_TESTDATA, rel)), rel, 'yaml', {
      keySources: sources,
      onWarning: (w) => warnings.push(w),
    });
    expect(comments(f.documents[0])).toEqual([' first comment in file', ' this-is-a-comment']);
    expect(warnings.length).toBe(2);
    expect(warnings.join()).not.toContain('comment in file');
  });
});
