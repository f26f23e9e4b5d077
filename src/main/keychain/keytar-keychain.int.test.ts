// The Keychain against a real Secret Service (gnome-keyring in a private D-Bus session; see with-keyring.mjs).
import { afterAll, describe, expect, it } from 'vitest';
import { emptyKeychain, testKeychain } from '../../../test/support/keychain';
import { runCliProcess } from '../../../test/support/cli';

const keychain = testKeychain('roundtrip');
afterAll(() => emptyKeychain(keychain));

describe('KeytarKeychain (real OS keychain)', () => {
  it('sets, gets, lists and deletes', async () => {
    expect(await keychain.get('age/dev')).toBeNull();
    await keychain.set('age/dev', 'AGE-SECRET-KEY-1TESTVALUE');
    await keychain.set('vault/token', 'multi\nline ✓ unicode');
    expect(await keychain.get('age/dev')).toBe('AGE-SECRET-KEY-1TESTVALUE');
    expect(await keychain.get('vault/token')).toBe('multi\nline ✓ unicode');
    expect(await keychain.list()).toEqual(['age/dev', 'vault/token']);
    await keychain.set('age/dev', 'replaced');
    expect(await keychain.get('age/dev')).toBe('replaced');
    expect(await keychain.delete('age/dev')).toBe(true);
    expect(await keychain.delete('age/dev')).toBe(false);
    expect(await keychain.list()).toEqual(['vault/token']);
  });

  it('keeps services apart', async () => {
    const other = testKeychain('other');
    await other.set('shared-name', 'x');
    expect(await keychain.get('shared-name')).toBeNull();
    await emptyKeychain(other);
  });

  it('says the keychain is unreachable, and how to fix it, when no Secret Service answers', async () => {
    // The real CLI in a process whose session bus points nowhere: the error must explain, not fall back to a file.
    const run = await runCliProcess(['keychain', 'list', '--service', 'atmos-secrets-test-none'], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^atmos-secret: The OS keychain (is not reachable|refused)/);
    expect(run.stderr).toMatch(/keyring|Secret Service|D-Bus/i);
    expect(run.stdout).toBe('');
  });
});
