// The loader's idea of which kinds are secret by default or plaintext (src/main/config/store-secrecy.ts) and the
// store registry's are one list: every kind and legacy name gets the same answer from both.
import { describe, expect, it } from 'vitest';
import { isSecretStoreRecord } from '../config/store-secrecy';
import {
  canonicalKind,
  isPlaintextKind,
  LEGACY_STORE_TYPES,
  PLAINTEXT_KINDS,
  SECRET_BY_DEFAULT_KINDS,
  STORE_KINDS,
} from './store-kinds';

const names = [...STORE_KINDS, ...Object.keys(LEGACY_STORE_TYPES)];

describe('store kinds', () => {
  it.each(names)('"%s": secret by default in the loader exactly when the registry says so', (name) => {
    const kind = canonicalKind(name);
    expect(kind).toBeDefined();
    const byDefault = kind !== undefined && SECRET_BY_DEFAULT_KINDS.includes(kind);
    expect(isSecretStoreRecord({ kind: name })).toBe(byDefault);
    expect(isSecretStoreRecord({ type: name })).toBe(byDefault);
  });

  it('the legacy aliases of the secret-by-default kinds are known names, and plaintext kinds are never secret', () => {
    expect(LEGACY_STORE_TYPES['1password']).toBe('onepassword');
    expect(LEGACY_STORE_TYPES['keyring']).toBe('keychain');
    expect([...PLAINTEXT_KINDS]).toEqual(['redis', 'artifactory']);
    for (const k of PLAINTEXT_KINDS) {
      expect(isPlaintextKind(k)).toBe(true);
      expect(SECRET_BY_DEFAULT_KINDS).not.toContain(k);
      expect(isSecretStoreRecord({ kind: k })).toBe(false);
    }
  });
});
