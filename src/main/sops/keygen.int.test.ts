// keygen into the real OS keychain (gnome-keyring under a private D-Bus session, via with-keyring.mjs).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeytarKeychain } from '../keychain/keytar-keychain';
import { createAgeKeySource, createSopsFile, creationRuleFor, getSopsValue, keygen } from './index';

const keychain = new KeytarKeychain(`atmos-secrets-test-${randomBytes(4).toString('hex')}`);

afterAll(async () => {
  for (const account of await keychain.list()) await keychain.delete(account);
});

describe('keygen into the real keychain', () => {
  it('stores the private key there, records the recipient, and decrypts from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-int-'));
    const recipientsFile = join(dir, '.sops.yaml');
    const r = await keygen({
      sink: { kind: 'keychain', keychain, account: 'dev-sops' },
      recipientsFile,
      pathRegex: '^secrets/.*',
    });
    expect(readFileSync(recipientsFile, 'utf8')).toContain(r.recipient);
    expect(await keychain.list()).toEqual(['dev-sops']);

    mkdirSync(join(dir, 'secrets'));
    const file = join(dir, 'secrets', 'dev.enc.yaml');
    const rule = await creationRuleFor(file, { configPath: recipientsFile });
    const age = createAgeKeySource({
      ageKey: { store: 'keychain' },
      providerName: 'dev-sops',
      lookupStore: (_store, key) => keychain.get(key),
      env: {},
      homeDir: dir,
    });
    await createSopsFile(file, { DB_PASSWORD: 'from-keychain' }, { keySources: { age }, keyGroups: rule.keyGroups });
    expect(await getSopsValue(file, ['DB_PASSWORD'], { keySources: { age } })).toBe('from-keychain');
    await expect(
      keygen({ sink: { kind: 'keychain', keychain, account: 'dev-sops' }, recipientsFile, pathRegex: '^secrets/.*' }),
    ).rejects.toThrow(/already exists/);
  });
});
