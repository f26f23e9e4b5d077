// keygen under contention: one key per vault however many callers race, the stored key read back and
// checked before its recipient is recorded, and typed errors callers branch on.
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setCrashPointHook } from '../files';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { isSopsError } from './errors';
import { creationRuleFor, keygen, parseAgeKeyList, parseSopsConfig, recordExistingAgeKeys } from './index';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'keygen-race-'));

describe('keygen races', () => {
  it('20 concurrent keygens into one key file make one key; the others are told it exists', async () => {
    const d = tmp();
    const keyFile = join(d, 'keys.txt');
    const recipientsFile = join(d, '.sops.yaml');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        keygen({ sink: { kind: 'file', path: keyFile }, recipientsFile, pathRegex: '^secrets/.*$' }),
      ),
    );
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [isSopsError(r.reason, 'key-exists')] : []));
    expect(ok).toHaveLength(1);
    expect(refused).toEqual(Array.from({ length: 19 }, () => true));
    expect(parseAgeKeyList(readFileSync(keyFile, 'utf8'))).toHaveLength(1);
    const rule = parseSopsConfig(readFileSync(recipientsFile, 'utf8'), recipientsFile).rules[0];
    expect(rule?.keyGroups).toEqual([[{ type: 'age', recipient: ok[0]?.recipient }]]);
  });

  it('20 concurrent keygens into one keychain entry: one key, and .sops.yaml names that key', async () => {
    const d = tmp();
    const keychain = new MemoryKeychain();
    const recipientsFile = join(d, '.sops.yaml');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        keygen({ sink: { kind: 'keychain', keychain, account: 'vault' }, recipientsFile, pathRegex: '^s/.*$' }),
      ),
    );
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(ok).toHaveLength(1);
    expect(parseAgeKeyList((await keychain.get('vault')) ?? '')).toHaveLength(1);
    expect(readFileSync(recipientsFile, 'utf8')).toContain(ok[0]?.recipient);
  });

  it('refuses to record a recipient whose key did not stay in the keychain', async () => {
    const d = tmp();
    // A keychain that accepts the write but keeps another value (a concurrent writer won the entry).
    class LossyKeychain extends MemoryKeychain {
      override async set(account: string): Promise<void> {
        await super.set(account, 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ');
      }
    }
    const recipientsFile = join(d, '.sops.yaml');
    const e: unknown = await keygen({
      sink: { kind: 'keychain', keychain: new LossyKeychain(), account: 'vault' },
      recipientsFile,
      pathRegex: '^s/.*$',
    }).catch((x: unknown) => x);
    expect(isSopsError(e, 'key-not-kept')).toBe(true);
    expect(() => readFileSync(recipientsFile)).toThrow(/ENOENT/);
  });

  it('rewrites .sops.yaml only if unchanged since read: an edit in between is kept and the merge retried', async () => {
    const d = tmp();
    const file = join(d, '.sops.yaml');
    writeFileSync(file, 'creation_rules:\n  - path_regex: ^other/.*$\n    age: age1other\n');
    const key = await generateIdentity();
    let edits = 0;
    // An editor (no lock) saves the file just before our first replace.
    setCrashPointHook((point) => {
      if (point !== 'write:temp-synced' || edits > 0) return;
      edits++;
      writeFileSync(file, `${readFileSync(file, 'utf8')}# edited by hand\n`);
    });
    try {
      await recordExistingAgeKeys({ keyText: key, recipientsFile: file, pathRegex: '^s/.*$' });
    } finally {
      setCrashPointHook(undefined);
    }
    const text = readFileSync(file, 'utf8');
    expect(edits).toBe(1);
    expect(text).toContain('# edited by hand');
    expect(text).toContain(await identityToRecipient(key));
    expect(text).toContain('age1other');
  });

  it('says "no recipients" with a typed reason, not only in words', async () => {
    const e: unknown = await creationRuleFor(join(tmp(), 'x.enc.yaml'), { configPath: join(tmp(), 'none.yaml') }).catch(
      (x: unknown) => x,
    );
    expect(isSopsError(e, 'no-recipients')).toBe(true);
  });
});
