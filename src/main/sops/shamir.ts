// Shamir secret sharing over GF(2^8) in sops' share layout (HashiCorp-derived): each share is the y-values,
// one per secret byte, followed by one x-coordinate byte. Written by hand because it is ~60 lines, the
// layout must match sops byte for byte, and no maintained npm package uses this layout.
import { randomBytes } from 'node:crypto';

// Log/exp tables for GF(2^8) with the AES polynomial 0x11B and generator 3.
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    // multiply by the generator 3: x*2 xor x, reduced by 0x11B
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0);
    x &= 0xff;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255];
}

function mul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a] + LOG[b]];
}

function div(a: number, b: number): number {
  if (b === 0) throw new Error('division by zero in GF(2^8)');
  return a === 0 ? 0 : EXP[LOG[a] + 255 - LOG[b]];
}

/** Evaluates the polynomial with these coefficients (constant first) at x, by Horner's rule. */
function evaluate(coeffs: Uint8Array, x: number): number {
  let out = 0;
  for (let i = coeffs.length - 1; i >= 0; i--) out = mul(out, x) ^ coeffs[i];
  return out;
}

/** Splits `secret` into `parts` shares, any `threshold` of which recover it. x = share index + 1 (sops 3.10+). */
export function shamirSplit(secret: Uint8Array, parts: number, threshold: number): Uint8Array[] {
  if (parts < threshold) throw new Error('parts cannot be less than threshold');
  if (parts > 255) throw new Error('parts cannot exceed 255');
  if (threshold < 2) throw new Error('threshold must be at least 2');
  if (secret.length === 0) throw new Error('cannot split an empty secret');
  const shares = Array.from({ length: parts }, (_, i) => {
    const s = new Uint8Array(secret.length + 1);
    s[secret.length] = i + 1;
    return s;
  });
  const coeffs = new Uint8Array(threshold);
  for (let b = 0; b < secret.length; b++) {
    coeffs[0] = secret[b];
    coeffs.set(randomBytes(threshold - 1), 1);
    for (const share of shares) share[b] = evaluate(coeffs, share[secret.length]);
  }
  coeffs.fill(0);
  return shares;
}

/** Lagrange-interpolates the shares at 0. Throws on fewer than two shares, unequal lengths or repeated x. */
export function shamirCombine(shares: readonly Uint8Array[]): Uint8Array {
  if (shares.length < 2) throw new Error('less than two parts cannot be used to reconstruct the secret');
  const len = shares[0].length;
  if (len < 2 || shares.some((s) => s.length !== len)) throw new Error('all parts must be the same length');
  const xs = shares.map((s) => s[len - 1]);
  if (new Set(xs).size !== xs.length) throw new Error('duplicate part detected');
  const secret = new Uint8Array(len - 1);
  for (let b = 0; b < len - 1; b++) {
    let acc = 0;
    for (let i = 0; i < shares.length; i++) {
      let basis = 1;
      for (let j = 0; j < shares.length; j++) {
        if (i === j) continue;
        basis = mul(basis, div(xs[j], xs[i] ^ xs[j]));
      }
      acc ^= mul(shares[i][b], basis);
    }
    secret[b] = acc;
  }
  return secret;
}
