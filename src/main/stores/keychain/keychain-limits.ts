// The value size the OS keychain holds, per platform. Checked on the JSON-encoded form, before any call.
//  - Windows Credential Manager: CRED_MAX_CREDENTIAL_BLOB_SIZE, 5 * 512 = 2560 bytes (keytar stores UTF-8).
//  - macOS Keychain and the Secret Service (gnome-keyring, KWallet) document no item size limit; we cap at
//    128 KiB, twice the largest cloud backend (64 KiB), so every value a cloud store takes fits here too,
//    escaping included, and a file pasted by mistake is refused early.

export interface KeychainValueLimit {
  /** The most UTF-8 bytes of the encoded (JSON) form. */
  readonly maxEncodedBytes: number;
  /** Who sets the limit, for the error message. */
  readonly where: string;
}

export const WINDOWS_CREDENTIAL_MAX_BYTES = 2560;
export const KEYCHAIN_APP_MAX_BYTES = 128 * 1024;
/** The two quotes JSON adds around a string; escapes add more, which the encoded check catches. */
const JSON_QUOTES = 2;

export function keychainValueLimit(platform: NodeJS.Platform): KeychainValueLimit {
  return platform === 'win32'
    ? { maxEncodedBytes: WINDOWS_CREDENTIAL_MAX_BYTES, where: 'Windows Credential Manager' }
    : { maxEncodedBytes: KEYCHAIN_APP_MAX_BYTES, where: 'the OS keychain (a limit Atmos Secrets sets)' };
}

/** The largest plain value (no characters JSON must escape) that fits. */
export function keychainMaxValueBytes(platform: NodeJS.Platform): number {
  return keychainValueLimit(platform).maxEncodedBytes - JSON_QUOTES;
}
