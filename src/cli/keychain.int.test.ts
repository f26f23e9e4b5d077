// `atmos-secret keychain list` as a real process against the real OS keychain.
import { afterAll, describe, expect, it } from 'vitest';
import { emptyKeychain, testKeychain } from '../../test/support/keychain';
import { runCliProcess } from '../../test/support/cli';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const keychain = testKeychain('cli');
afterAll(() => emptyKeychain(keychain));

describe('atmos-secret keychain list (spawned)', () => {
  it('lists names as json from any folder, never values', async () => {
    await keychain.set('age/demo-sops', 'AGE-SECRET-KEY-1CANARYCANARY');
    const elsewhere = mkdtempSync(join(tmpdir(), 'atmos-cwd-'));
    const run = await runCliProcess(['keychain', 'list', '--service', keychain.service, '--format', 'json'], {
      cwd: elsewhere,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ service: keychain.service, name: 'age/demo-sops' }]);
    expect(run.stdout + run.stderr).not.toContain('CANARY');
  });

  it('prints help and version, and exits 2 on bad usage', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('keychain');
    const version = await runCliProcess(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = await runCliProcess(['keychain', 'list', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('atmos-secret: Unknown format "xml".');
  });
});
