#!/usr/bin/env node
// Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so keychain tests use a
// real Secret Service and never touch the person's own keyring. The keyring lives in a new temporary
// XDG_DATA_HOME each run: a keyring file left by an earlier run with another password would stay locked.
// Off Linux (macOS Keychain, Windows Credential Manager) the command runs as it is.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: with-keyring.mjs COMMAND [ARGS...]');
  process.exit(2);
}

if (process.platform !== 'linux' || process.env.ATMOS_TEST_KEYRING === 'external') {
  const child = spawn(args[0], args.slice(1), { stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      console.error(
        `with-keyring: ${tool} is not installed. On Debian/Ubuntu: apt-get install dbus dbus-x11 gnome-keyring libsecret-1-dev`,
      );
      process.exit(2);
    }
  }
  const dataHome = mkdtempSync(join(tmpdir(), 'atmos-keyring-'));
  // The keyring password is a throwaway for this run's throwaway keyring; it goes on stdin, never argv.
  const password = randomBytes(16).toString('hex');
  const script = [
    'set -e',
    'eval "$(printf "%s" "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"',
    'unset KEYRING_PASSWORD',
    'export GNOME_KEYRING_CONTROL',
    'set +e',
    '"$@"',
    'status=$?',
    'printf "%s" "$status" > "$STATUS_FILE"',
    'exit $status',
  ].join('\n');
  // dbus-run-session reports its own status, not always the child's, so the child's goes through a file.
  const statusFile = join(dataHome, 'status');
  const child = spawn('dbus-run-session', ['--', 'bash', '-c', script, 'with-keyring', ...args], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: dataHome, KEYRING_PASSWORD: password, STATUS_FILE: statusFile },
  });
  child.on('exit', (code, signal) => {
    let status = code ?? (signal ? 1 : 0);
    try {
      status = Number(readFileSync(statusFile, 'utf8'));
    } catch {
      // the session failed before the command ran; keep dbus-run-session's status
    }
    rmSync(dataHome, { recursive: true, force: true });
    process.exit(status);
  });
}
