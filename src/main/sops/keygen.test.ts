import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { isAppError } from '../../shared/errors';
import {
  AgeKeySource,
  createAgeKeySource,
  createSopsFile,
  creationRuleFor,
  getSopsValue,
  keygen,
  mergeRecipientIntoConfig,
  parseAgeKeyList,
  removeRecipientFromConfig,
  rulesListingRecipient,
} from './index';

const EXISTING = `# Team-wide SOPS rules. Keep this comment.
creation_rules:
  # staging files
  - path_regex: ^stacks/staging/.*
    age: age1existing # the staging key
`;

describe('mergeRecipientIntoConfig', () => {
  it('adds a rule first and keeps comments', () => {
    const { text, ruleCreated } = mergeRecipientIntoConfig(EXISTING, '^secrets/dev\\.enc\\.yaml$', 'age1new');
    expect(ruleCreated).toBe(true);
    expect(text).toContain('# Team-wide SOPS rules. Keep this comment.');
    expect(text).toContain('# staging files');
    expect(text).toContain('# the staging key');
    expect(text.indexOf('age1new')).toBeLessThan(text.indexOf('age1existing'));
  });

  it('joins an existing rule (comma list or YAML list) without duplicates', () => {
    const once = mergeRecipientIntoConfig(EXISTING, '^stacks/staging/.*', 'age1second').text;
    expect(once).toContain('age: age1existing,age1second');
    expect(mergeRecipientIntoConfig(once, '^stacks/staging/.*', 'age1second').text).toBe(once);
    const list = mergeRecipientIntoConfig(
      'creation_rules:\n  - path_regex: x\n    age:\n      - age1a\n',
      'x',
      'age1b',
    ).text;
    expect(list).toMatch(/- age1a\n\s+- age1b/);
  });
});

describe('keygen', () => {
  it('stores the key in the keychain, records the recipient, and the key opens new files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-'));
    const recipientsFile = join(dir, '.sops.yaml');
    writeFileSync(recipientsFile, EXISTING);
    const keychain = new MemoryKeychain('atmos-test');
    const r = await keygen({
      sink: { kind: 'keychain', keychain, account: 'dev-sops' },
      recipientsFile,
      pathRegex: '^secrets/dev\\.enc\\.yaml$',
    });
    expect(r.storedIn).toBe('keychain atmos-test/dev-sops');
    expect(readFileSync(recipientsFile, 'utf8')).toContain(r.recipient);
    expect(readFileSync(recipientsFile, 'utf8')).toContain('Keep this comment.');
    expect(parseAgeKeyList((await keychain.get('dev-sops')) ?? '')).toHaveLength(1);

    // The provider flow: recipients from .sops.yaml, identity from the keychain store.
    const file = join(dir, 'secrets', 'dev.enc.yaml');
    const rule = await creationRuleFor(file, { configPath: recipientsFile });
    const age = createAgeKeySource({
      ageKey: { store: 'keychain' },
      providerName: 'dev-sops',
      lookupStore: (_s, k) => keychain.get(k),
      env: {},
      homeDir: dir,
    });
    await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'secrets')));
    await createSopsFile(file, { A: 'x' }, { keySources: { age }, keyGroups: rule.keyGroups });
    expect(await getSopsValue(file, ['A'], { keySources: { age } })).toBe('x');

    const again: unknown = await keygen({
      sink: { kind: 'keychain', keychain, account: 'dev-sops' },
      recipientsFile,
      pathRegex: 'x',
    }).catch((e: unknown) => e);
    expect(isAppError(again) && /already exists/.test(again.message)).toBe(true);
    // The user's words: a provider (never "vault"), and the flag they pass.
    expect(isAppError(again) && again.message).toContain('An age key for this provider already exists');
    expect(isAppError(again) && again.message).not.toMatch(/vault/i);
    expect(isAppError(again) && again.hint).toContain('--force');
    const forced = await keygen({
      sink: { kind: 'keychain', keychain, account: 'dev-sops' },
      recipientsFile,
      pathRegex: '^secrets/dev\\.enc\\.yaml$',
      force: true,
    });
    expect(parseAgeKeyList((await keychain.get('dev-sops')) ?? '')).toHaveLength(2);
    expect(readFileSync(recipientsFile, 'utf8')).toContain(`${r.recipient},${forced.recipient}`);
  });

  it('appends to a key file (0600) and refuses a second key for the same vault without force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-'));
    const keyFile = join(dir, 'age', 'keys.txt');
    const recipientsFile = join(dir, '.sops.yaml');
    const a = await keygen({ sink: { kind: 'file', path: keyFile }, recipientsFile, pathRegex: '^a/' });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // another vault shares the file: appended
    const b = await keygen({ sink: { kind: 'file', path: keyFile }, recipientsFile, pathRegex: '^b/' });
    const text = readFileSync(keyFile, 'utf8');
    expect(parseAgeKeyList(text)).toHaveLength(2);
    expect(text).toContain(`# public key: ${a.recipient}`);
    expect(text).toContain(`# public key: ${b.recipient}`);
    const refused: unknown = await keygen({
      sink: { kind: 'file', path: keyFile },
      recipientsFile,
      pathRegex: '^a/',
    }).catch((e: unknown) => e);
    expect(isAppError(refused)).toBe(true);
    expect(parseAgeKeyList(readFileSync(keyFile, 'utf8'))).toHaveLength(2);
    const src = new AgeKeySource({ identities: parseAgeKeyList(text) });
    const wrapped = await src.wrap(new Uint8Array(32).fill(7), { type: 'age', recipient: b.recipient });
    expect(Buffer.from(await src.unwrap(wrapped)).equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('makes post-quantum keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-'));
    const r = await keygen({
      sink: { kind: 'file', path: join(dir, 'k.txt') },
      recipientsFile: join(dir, '.sops.yaml'),
      pathRegex: '.*',
      postQuantum: true,
    });
    expect(r.recipient.startsWith('age1pq1')).toBe(true);
  });
});

describe('pathRegexFromTemplate', () => {
  it('turns a spec.file template into an anchored regex', async () => {
    const { pathRegexFromTemplate } = await import('./keygen');
    const re = pathRegexFromTemplate('secrets/{{ .atmos_stack }}.{{ .atmos_component }}.enc.yaml');
    expect(re).toBe('^secrets/[^/]+\\.[^/]+\\.enc\\.yaml$');
    expect(new RegExp(re).test('secrets/prod.api.enc.yaml')).toBe(true);
    expect(new RegExp(re).test('secrets/a/b.api.enc.yaml')).toBe(false);
  });
});

describe('resolveAgeKeySink', () => {
  it('follows spec.age_key', async () => {
    const { resolveAgeKeySink } = await import('./keygen');
    const keychain = new MemoryKeychain();
    const base = { providerName: 'dev-sops', keychains: { keychain }, env: {}, homeDir: '/h' };
    expect(resolveAgeKeySink(base)).toEqual({ kind: 'keychain', keychain, account: 'dev-sops' });
    expect(resolveAgeKeySink({ ...base, ageKey: { store: 'keychain', path: 'acct' } })).toEqual({
      kind: 'keychain',
      keychain,
      account: 'acct',
    });
    expect(resolveAgeKeySink({ ...base, ageKeyFile: '~/k.txt' })).toEqual({ kind: 'file', path: '/h/k.txt' });
    expect(resolveAgeKeySink({ ...base, defaultSink: 'file' })).toEqual({
      kind: 'file',
      path: '/h/.config/sops/age/keys.txt',
    });
    expect(() => resolveAgeKeySink({ ...base, ageKey: 'AGE-SECRET-KEY-1X' })).toThrow(/inline/);
    expect(() => resolveAgeKeySink({ ...base, ageKey: { store: 'vault' } })).toThrow(/not a keychain store/);
  });
});

describe('recipients file: a removed key leaves its rules, comments kept', () => {
  const A = 'age1aaaa';
  const B = 'age1bbbb';
  it('takes the recipient out of flat scalars, lists and key groups; other bytes stay', () => {
    const text = `# team keys
creation_rules:
  # the app's rule
  - path_regex: ^secrets/.*$
    age: ${A},${B} # both of us
  - path_regex: ^other/.*$
    age:
      - ${B}
      - ${A}
  - path_regex: ^only/.*$
    age: ${A}
  - path_regex: ^groups/.*$
    key_groups:
      - age: [${A}]
        pgp: [ FPR ]
`;
    expect(rulesListingRecipient(text, A)).toEqual(['^secrets/.*$', '^other/.*$', '^only/.*$', '^groups/.*$']);
    const r = removeRecipientFromConfig(text, A);
    expect(r.rulesChanged).toBe(4);
    expect(r.text).toBe(`# team keys
creation_rules:
  # the app's rule
  - path_regex: ^secrets/.*$
    age: ${B} # both of us
  - path_regex: ^other/.*$
    age:
      - ${B}
  - path_regex: ^only/.*$
  - path_regex: ^groups/.*$
    key_groups:
      - pgp: [ FPR ]
`);
    expect(rulesListingRecipient(r.text, A)).toEqual([]);
    expect(removeRecipientFromConfig(r.text, A)).toEqual({ text: r.text, rulesChanged: 0 });
  });
});
