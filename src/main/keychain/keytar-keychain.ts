// The real OS keychain through keytar: macOS Keychain, Windows Credential Manager, or the Secret Service
// (gnome-keyring, KWallet) on Linux. There is deliberately no plaintext fallback: when no keychain is
// reachable the error says so and how to fix it.
import type * as KeytarNs from 'keytar';
import { AppError } from '../../shared/errors';
import { DEFAULT_KEYCHAIN_SERVICE, type Keychain } from './keychain';

type Keytar = typeof KeytarNs;

let keytarModule: Promise<Keytar> | undefined;

// keytar is a native addon; load it on first use so a missing build fails with our message, not at import.
async function loadKeytar(): Promise<Keytar> {
  keytarModule ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar);
  try {
    return await keytarModule;
  } catch (cause) {
    keytarModule = undefined;
    throw new AppError('KEYCHAIN_UNAVAILABLE', 'The OS keychain module (keytar) could not be loaded.', {
      hint: 'Reinstall dependencies (npm ci); on Linux install libsecret-1-dev first so keytar can build.',
      cause,
    });
  }
}

const LINUX_HINT =
  'No Secret Service answered on D-Bus. Start a keyring (gnome-keyring or KWallet) in your desktop session, ' +
  'or for a headless shell: dbus-run-session -- sh -c \'echo "$PW" | gnome-keyring-daemon --unlock --components=secrets; exec $SHELL\'.';

/** Turns keytar's platform errors into one clear error; the message never includes a value. */
export function keychainError(action: string, cause: unknown): AppError {
  const raw = cause instanceof Error ? cause.message : String(cause);
  if (/locked collection/i.test(raw)) {
    return new AppError('KEYCHAIN_UNAVAILABLE', `The OS keychain is locked; could not ${action}.`, {
      hint: 'Unlock your login keyring (or the "Login" collection in Seahorse) and try again.',
      cause,
    });
  }
  if (/dbus|secret service|org\.freedesktop\.secrets|autolaunch|X11|could not connect|no such file/i.test(raw)) {
    return new AppError('KEYCHAIN_UNAVAILABLE', `The OS keychain is not reachable; could not ${action}.`, {
      hint: LINUX_HINT,
      cause,
    });
  }
  return new AppError('KEYCHAIN_UNAVAILABLE', `The OS keychain refused to ${action}: ${raw}`, { cause });
}

export class KeytarKeychain implements Keychain {
  constructor(readonly service: string = DEFAULT_KEYCHAIN_SERVICE) {}

  async get(account: string): Promise<string | null> {
    const keytar = await loadKeytar();
    try {
      return await keytar.getPassword(this.service, account);
    } catch (e) {
      throw keychainError(`read "${account}"`, e);
    }
  }

  async set(account: string, value: string): Promise<void> {
    const keytar = await loadKeytar();
    try {
      await keytar.setPassword(this.service, account, value);
    } catch (e) {
      throw keychainError(`write "${account}"`, e);
    }
  }

  async delete(account: string): Promise<boolean> {
    const keytar = await loadKeytar();
    try {
      return await keytar.deletePassword(this.service, account);
    } catch (e) {
      throw keychainError(`delete "${account}"`, e);
    }
  }

  async list(): Promise<string[]> {
    const keytar = await loadKeytar();
    try {
      // findCredentials returns values too; keep only the names, at once.
      const found = await keytar.findCredentials(this.service);
      return found.map((c) => c.account).sort();
    } catch (e) {
      throw keychainError('list its entries', e);
    }
  }

  async getMany(accounts: readonly string[]): Promise<Map<string, string>> {
    const keytar = await loadKeytar();
    let found: { account: string; password: string }[];
    try {
      found = await keytar.findCredentials(this.service);
    } catch (e) {
      throw keychainError('read its entries', e);
    }
    const wanted = new Set(accounts);
    const values = new Map<string, string>();
    for (const c of found) if (wanted.has(c.account)) values.set(c.account, c.password);
    return values;
  }
}
