import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors';
import { creationRuleFor, findSopsConfig, matchCreationRule, parseSopsConfig } from './sops-config';

const CONFIG = `# team config
creation_rules:
  - path_regex: secrets/prod/.*\\.yaml$
    key_groups:
      - age: [age1aaa]
        merge:
          - age: [age1bbb]
      - pgp: [FPR1]
    shamir_threshold: 2
  - path_regex: ^secrets/.*
    age: age1ccc, age1ddd
    encrypted_regex: ^(data|stringData)$
  - age:
      - age1eee
`;

describe('.sops.yaml', () => {
  it('matches the first rule, relative to the config folder', () => {
    const cfg = parseSopsConfig(CONFIG, '/repo/.sops.yaml');
    const prod = matchCreationRule(cfg, '/repo/secrets/prod/app.yaml');
    expect(prod?.keyGroups).toEqual([
      [
        { type: 'age', recipient: 'age1aaa' },
        { type: 'age', recipient: 'age1bbb' },
      ],
      [{ type: 'pgp', fp: 'FPR1' }],
    ]);
    expect(prod?.shamirThreshold).toBe(2);
    const dev = matchCreationRule(cfg, '/repo/secrets/dev.yaml');
    expect(dev?.keyGroups).toEqual([
      [
        { type: 'age', recipient: 'age1ccc' },
        { type: 'age', recipient: 'age1ddd' },
      ],
    ]);
    expect(dev?.rule).toEqual({ kind: 'encrypted_regex', value: '^(data|stringData)$' });
    expect(matchCreationRule(cfg, '/repo/other/x.yaml')?.keyGroups).toEqual([[{ type: 'age', recipient: 'age1eee' }]]);
  });

  it('finds the nearest config and prefers age_recipients', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sopscfg-'));
    mkdirSync(join(root, 'secrets', 'deep'), { recursive: true });
    writeFileSync(join(root, '.sops.yaml'), CONFIG);
    expect(await findSopsConfig(join(root, 'secrets', 'deep'))).toBe(join(root, '.sops.yaml'));
    const rule = await creationRuleFor(join(root, 'secrets', 'deep', 'x.yaml'));
    expect(rule.keyGroups[0].map((k) => (k.type === 'age' ? k.recipient : ''))).toEqual(['age1ccc', 'age1ddd']);
    const pinned = await creationRuleFor(join(root, 'secrets', 'x.yaml'), { ageRecipients: 'age1zzz, age1yyy' });
    expect(pinned.keyGroups).toEqual([
      [
        { type: 'age', recipient: 'age1zzz' },
        { type: 'age', recipient: 'age1yyy' },
      ],
    ]);
  });

  it('explains when no rule matches', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sopscfg-'));
    writeFileSync(join(root, '.sops.yaml'), 'creation_rules:\n  - path_regex: ^only/\n    age: age1x\n');
    const e: unknown = await creationRuleFor(join(root, 'elsewhere.yaml')).catch((err: unknown) => err);
    expect(isAppError(e) && e.code === 'CONFIG' && /no creation rule/.test(e.message)).toBe(true);
  });

  it('carries the stores indent for new files', () => {
    const cfg = parseSopsConfig('stores:\n  yaml:\n    indent: 2\ncreation_rules:\n  - age: age1x\n', '/r/.sops.yaml');
    expect(matchCreationRule(cfg, '/r/a.yaml')?.style).toEqual({ indent: 2 });
  });

  it('refuses two encryption rules in one creation rule', () => {
    expect(() =>
      parseSopsConfig('creation_rules:\n  - age: age1x\n    encrypted_regex: a\n    unencrypted_suffix: b\n', 'c.yaml'),
    ).toThrow(/more than one/);
  });
});
