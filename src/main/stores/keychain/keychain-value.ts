// How the keychain store encodes values, as Atmos' keychain store does: JSON on the way in, JSON decoded on
// the way out. A stored JSON string comes back as that string; anything else (a structured value written by
// Atmos, or raw text written by another tool) comes back as the stored text.

export function encodeKeychainValue(value: string): string {
  return JSON.stringify(value);
}

export function decodeKeychainValue(raw: string): string {
  try {
    const decoded: unknown = JSON.parse(raw);
    return typeof decoded === 'string' ? decoded : raw;
  } catch {
    return raw;
  }
}
