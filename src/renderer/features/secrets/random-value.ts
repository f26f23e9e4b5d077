// Generates a random secret value in the renderer (Web Crypto): 32 bytes, base64url, no padding.
export function randomSecretValue(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  let text = '';
  for (const b of raw) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
