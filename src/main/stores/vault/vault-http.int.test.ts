// The node-vault wrapper: what survives of a failure (status, Vault's words, a network code; never the request
// with its token header and value), Vault's multierror texts, and node-vault's DEBUG logging turned off (it
// prints every write's body, the value, when DEBUG=node-vault is set).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { start, type VaultEmulator } from '../../../../test/support/emulators/vault';
import { VaultFailure, loadNodeVault, toVaultFailure, vaultErrorTexts } from './vault-http';
import { isTransient } from './vault-errors';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-http`;

let emu: VaultEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(async () => {
  await emu.stop();
});

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('vault-http', () => {
  it("tidies Vault's multierror texts into their bullet lines", () => {
    expect(vaultErrorTexts(['1 error occurred:\n\t* permission denied\n\n'])).toEqual(['permission denied']);
    expect(vaultErrorTexts(['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'])).toEqual([
      'permission denied',
      'invalid token',
    ]);
    expect(vaultErrorTexts(['Vault is sealed', 42, ''])).toEqual(['Vault is sealed']);
    expect(vaultErrorTexts(undefined)).toEqual([]);
  });

  it("a failed write keeps the status and Vault's words, and nothing of the request (token, value)", async () => {
    const http = await loadNodeVault({
      endpoint: emu.url,
      token: emu.rootToken,
      namespace: undefined,
      timeoutMs: 5000,
    });
    emu.injectFault('internal', 1, 'write');
    const e = await failure(http.write('secret/data/x', { data: { value: CANARY } }));
    expect(e).toBeInstanceOf(VaultFailure);
    expect((e as VaultFailure).detail).toEqual({
      kind: 'status',
      status: 500,
      errors: ['internal error'],
      hasData: false,
    });
    expect(isTransient(e as VaultFailure)).toBe(true);
    const everything = JSON.stringify(e, Object.getOwnPropertyNames(e as object)) + String((e as Error).stack);
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain(emu.rootToken);
  });

  it('a network failure keeps only its code; a refused connection is not worth retrying', () => {
    const axiosLike = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      config: { headers: { 'X-Vault-Token': 'hvs.secret' }, data: CANARY },
    });
    const f = toVaultFailure(axiosLike);
    expect(f).toBeInstanceOf(VaultFailure);
    expect((f as VaultFailure).detail).toEqual({ kind: 'network', code: 'ECONNREFUSED' });
    expect(isTransient(f as VaultFailure)).toBe(false);
    expect(JSON.stringify(f, Object.getOwnPropertyNames(f as object))).not.toContain('hvs.secret');
    expect((toVaultFailure(Object.assign(new Error('t'), { code: 'ECONNABORTED' })) as VaultFailure).detail).toEqual({
      kind: 'timeout',
    });
    const other = new TypeError('not a call failure');
    expect(toVaultFailure(other)).toBe(other);
  });

  it("never logs a value through node-vault's DEBUG output", async () => {
    // Enable node-vault's debug namespace explicitly: the `debug` package may already be loaded in this worker.
    const debug = createRequire(import.meta.url)('debug') as { enable(ns: string): void; disable(): string };
    debug.enable('node-vault');
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const http = await loadNodeVault({
        endpoint: emu.url,
        token: emu.rootToken,
        namespace: undefined,
        timeoutMs: 5000,
      });
      await http.write('secret/data/debug/k', { data: { value: CANARY } });
      expect(await http.read('secret/data/debug/k')).toMatchObject({ data: { data: { value: CANARY } } });
    } finally {
      spy.mockRestore();
      debug.disable();
    }
    expect(written.join('')).not.toContain(CANARY);
  });

  it("ignores node-vault's own VAULT_PREFIX, which would send requests elsewhere", async () => {
    const saved = process.env['VAULT_PREFIX'];
    process.env['VAULT_PREFIX'] = '/elsewhere';
    try {
      const http = await loadNodeVault({
        endpoint: emu.url,
        token: emu.rootToken,
        namespace: undefined,
        timeoutMs: 5000,
      });
      await http.write('secret/data/prefix/k', { data: { value: 'v' } });
    } finally {
      if (saved === undefined) delete process.env['VAULT_PREFIX'];
      else process.env['VAULT_PREFIX'] = saved;
    }
    expect(emu.stored('secret', 'prefix/k')?.[0]?.data).toEqual({ value: 'v' });
  });
});
