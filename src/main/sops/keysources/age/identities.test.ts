import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../../shared/errors';
import { defaultAgeKeyFile, parseAgeKeyList, resolveAgeIdentities } from './identities';
import { createAgeKeySource } from './index';

describe('age identity precedence', () => {
  it('value -> store -> file -> SOPS_AGE_KEY_FILE -> SOPS_AGE_KEY -> default keys.txt', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agehome-'));
    const [v, s, f, ef, ek, d] = await Promise.all(Array.from({ length: 6 }, () => generateIdentity()));
    writeFileSync(join(home, 'file.txt'), `${f}\n`);
    writeFileSync(join(home, 'envfile.txt'), `# c\n${ef}\n`);
    mkdirSync(join(home, '.config', 'sops', 'age'), { recursive: true });
    writeFileSync(join(home, '.config', 'sops', 'age', 'keys.txt'), `${d}\n`);
    const env = { SOPS_AGE_KEY_FILE: join(home, 'envfile.txt'), SOPS_AGE_KEY: ek };
    const lookupStore = async (store: string, key: string): Promise<string | null> =>
      store === 'keychain' && key === 'vault' ? s : null;
    const base = { env, homeDir: home, platform: 'linux' as const, lookupStore, providerName: 'vault' };

    expect((await resolveAgeIdentities({ ...base, ageKey: v })).identities).toEqual([v]);
    expect((await resolveAgeIdentities({ ...base, ageKey: { store: 'keychain' } })).identities).toEqual([s]);
    expect((await resolveAgeIdentities({ ...base, ageKey: { path: '~/file.txt' } })).identities).toEqual([f]);
    expect(
      (await resolveAgeIdentities({ ...base, ageKeyFile: '$HOME_X/file.txt', env: { ...env, HOME_X: home } }))
        .identities,
    ).toEqual([f]);
    const fallback = await resolveAgeIdentities({ ...base, ageKey: { store: 'keychain', path: 'missing' } });
    expect(fallback.identities).toEqual([ef, ek, d]);
    expect([...fallback.searched, ...fallback.problems].join()).toMatch(
      /store keychain \(key "missing"\): no age key there/,
    );
    expect((await resolveAgeIdentities({ env: {}, homeDir: home, platform: 'linux' })).identities).toEqual([d]);
    expect(JSON.stringify(fallback.searched)).not.toContain('AGE-SECRET');
  });

  it('parses key lists and knows the default location per OS', () => {
    expect(parseAgeKeyList('# x\n\nAGE-SECRET-KEY-1AAA AGE-SECRET-KEY-PQ-1BBB\nnoise\n')).toEqual([
      'AGE-SECRET-KEY-1AAA',
      'AGE-SECRET-KEY-PQ-1BBB',
    ]);
    expect(defaultAgeKeyFile({}, 'linux', '/h')).toBe('/h/.config/sops/age/keys.txt');
    expect(defaultAgeKeyFile({ XDG_CONFIG_HOME: '/x' }, 'darwin', '/h')).toBe('/x/sops/age/keys.txt');
    expect(defaultAgeKeyFile({}, 'darwin', '/h')).toBe('/h/Library/Application Support/sops/age/keys.txt');
  });
});

describe('the keychain entry in the not-found message', () => {
  const entry = 'keychain service "atmos-secrets", account "atmos/sops-age/vault"';
  const describeStore = (store: string, key: string): string =>
    store === 'keychain' ? `keychain service "atmos-secrets", account "atmos/sops-age/${key}"` : store;
  const ENTRY = {
    type: 'age',
    recipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p',
    enc: '-----BEGIN AGE ENCRYPTED FILE-----\nAAAA\n-----END AGE ENCRYPTED FILE-----\n',
  } as const;

  for (const [what, lookupStore] of [
    ['is empty', async (): Promise<string | null> => null],
    [
      'cannot be read',
      async (): Promise<string | null> => {
        throw new Error('the keyring is locked');
      },
    ],
  ] as const) {
    it(`names service and account once when the entry ${what}`, async () => {
      const home = mkdtempSync(join(tmpdir(), 'agehome-'));
      const source = createAgeKeySource({
        ageKey: { store: 'keychain' },
        providerName: 'vault',
        lookupStore,
        describeStore,
        env: {},
        homeDir: home,
        platform: 'linux',
      });
      const e: unknown = await source.unwrap(ENTRY).catch((err: unknown) => err);
      expect(isAppError(e) && e.code).toBe('CRYPTO');
      const message = (e as Error).message;
      expect(message.split(entry)).toHaveLength(2);
      expect(message).not.toMatch(/store keychain/);
    });
  }
});
