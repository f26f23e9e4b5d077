import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { defaultAgeKeyFile, parseAgeKeyList, resolveAgeIdentities } from './identities';

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
    expect(fallback.problems.join()).toMatch(/no age key under "missing"/);
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
