// The token field's boundary: one line of text up to 16 KiB (a pasted trailing newline allowed); a refusal
// names the rule, never the token.
import { describe, expect, it } from 'vitest';
import { contract } from './contract';
import { MAX_TOKEN_CHARS } from './stores-contract';

const setToken = contract['stores:setToken'].req;
const CANARY = 'hvs.CANARY-contract-token';

describe('stores:setToken request', () => {
  it('takes one line of text, with or without a trailing newline', () => {
    expect(setToken.safeParse({ name: 'vault', token: CANARY }).success).toBe(true);
    expect(setToken.safeParse({ name: 'vault', token: `${CANARY}\n` }).success).toBe(true);
    expect(setToken.safeParse({ name: 'vault', token: 'x'.repeat(MAX_TOKEN_CHARS) }).success).toBe(true);
  });

  it('refuses empty, multi-line, control characters, oversize and extra fields, never quoting the token', () => {
    const bad = [
      { name: 'vault', token: '' },
      { name: 'vault', token: '   ' },
      { name: 'vault', token: `${CANARY}\nmore` },
      { name: 'vault', token: `${CANARY}\u0000` },
      { name: 'vault', token: 'x'.repeat(MAX_TOKEN_CHARS + 1) },
      { name: '', token: CANARY },
      { name: 'vault', token: CANARY, echo: true },
    ];
    for (const req of bad) {
      const r = setToken.safeParse(req);
      expect(r.success, JSON.stringify(req).slice(0, 60)).toBe(false);
      expect(JSON.stringify(r.error?.issues.map((i) => i.message))).not.toContain(CANARY);
    }
  });

  it('restore takes a version id and an explicit confirmation', () => {
    const restore = contract['secrets:restoreVersion'].req;
    expect(restore.safeParse({ stack: 's', secret: 'N', version: '3', confirmed: true }).success).toBe(true);
    expect(restore.safeParse({ stack: 's', secret: 'N', version: '3' }).success).toBe(false);
    expect(restore.safeParse({ stack: 's', secret: 'N', version: '', confirmed: true }).success).toBe(false);
  });
});
