// The pure parts of the audit: weakness of a value, the production rule, the keyed fingerprints (no digest given
// out, a fresh key per run), severity thresholds, and the git fallback for a file's last change.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitLastCommit } from './age';
import { reaches } from './findings';
import { DEFAULT_PRODUCTION_RULE, describeRule, productionTest } from './production';
import { ValueFingerprints } from './reuse';
import { strengthOf, weaknessOf } from './weakness';

describe('weaknessOf', () => {
  it.each([
    ['', 'empty'],
    ['hunter2', 'short'],
    ['abcdefghijk', 'short'], // 11 characters
    ['aaaaaaaaaaaaaaaaaaaaaaab', 'low-entropy'],
    ['abababababababababababab', 'low-entropy'],
    ['passwordpass', 'low-entropy'], // 12 characters, few distinct: under 36 bits in all
    ['kQ9#vR2!mZ7@xL4$', undefined],
    ['4f3c2a9e8b7d6c5f4e3d2c1b0a9f8e7d', undefined],
  ])('%j is %s', (value, expected) => {
    expect(weaknessOf(value)).toBe(expected);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(strengthOf('🔑🔑').length).toBe(2);
  });
});

describe('production rule', () => {
  it('by stage or environment, case-insensitive', () => {
    const prod = productionTest({ match: 'stage-or-environment', values: ['prod', 'production'] });
    expect(prod('a', { vars: { stage: 'PROD' } })).toBe(true);
    expect(prod('a', { vars: { environment: 'production' } })).toBe(true);
    expect(prod('a', { vars: { stage: 'dev' } })).toBe(false);
    expect(prod('a', {})).toBe(false);
  });

  it("by default (the app's setting), a stage or environment of prod or production, in any case", () => {
    const prod = productionTest(DEFAULT_PRODUCTION_RULE);
    expect(prod('plat-ue2-prod', { vars: { stage: 'prod' } })).toBe(true);
    expect(prod('x', { vars: { environment: 'Production' } })).toBe(true);
    expect(prod('plat-ue2-prod', {})).toBe(false);
    expect(prod('plat-ue2-dev', { vars: { stage: 'dev', environment: 'ue2' } })).toBe(false);
  });

  it('by stack-name globs', () => {
    const prod = productionTest({ match: 'stack-name', globs: ['*-prod', 'live-*'] });
    expect(prod('plat-ue2-prod', {})).toBe(true);
    expect(prod('live-eu', { vars: { stage: 'dev' } })).toBe(true);
    expect(prod('plat-ue2-dev', { vars: { stage: 'prod' } })).toBe(false);
    expect(describeRule({ match: 'stack-name', globs: ['*-prod', 'live-*'] })).toBe(
      'stack name matches *-prod or live-*',
    );
  });
});

describe('ValueFingerprints', () => {
  it('groups equal values and gives out coordinate keys only', () => {
    const f = new ValueFingerprints();
    f.add('a', 'same-value-123456');
    f.add('b', 'other-value-98765');
    f.add('c', 'same-value-123456');
    expect(f.sharedGroups()).toEqual([['a', 'c']]);
    expect(JSON.stringify(f.sharedGroups())).not.toContain('same-value');
  });
});

describe('reaches', () => {
  it('error reaches both thresholds, warning only the warning one', () => {
    expect([reaches('error', 'error'), reaches('error', 'warning')]).toEqual([true, true]);
    expect([reaches('warning', 'error'), reaches('warning', 'warning')]).toEqual([false, true]);
  });
});

describe('gitLastCommit', () => {
  it('is the time of the last commit that touched the file, undefined outside a repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atmos-health-git-'));
    try {
      const file = join(dir, 'secrets.enc.yaml');
      writeFileSync(file, 'a: 1\n');
      expect(await gitLastCommit(file)).toBeUndefined();
      const git = (...args: string[]): void => {
        execFileSync('git', args, {
          cwd: dir,
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 't',
            GIT_AUTHOR_EMAIL: 't@example.com',
            GIT_COMMITTER_NAME: 't',
            GIT_COMMITTER_EMAIL: 't@example.com',
            GIT_COMMITTER_DATE: '2024-03-04T05:06:07Z',
            GIT_AUTHOR_DATE: '2024-03-04T05:06:07Z',
          },
        });
      };
      git('init', '-q');
      git('add', 'secrets.enc.yaml');
      git('commit', '-q', '-m', 'x');
      expect((await gitLastCommit(file))?.toISOString()).toBe('2024-03-04T05:06:07.000Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
