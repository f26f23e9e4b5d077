// The CLI run in-process with captured output and a memory keychain: help, version, formats, exit codes.
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors';
import { MemoryKeychain } from '../main/keychain/memory-keychain';
import type { Keychain } from '../main/keychain/keychain';
import type { CliContext } from './context';
import { runCli } from './program';

function harness(keychain: Keychain = new MemoryKeychain()) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
    env: {},
    cwd: '/',
    keychain: () => keychain,
  };
  return { ctx, out: () => out.join(''), err: () => err.join('') };
}

describe('atmos-secret', () => {
  it('prints its version and exits 0', async () => {
    const h = harness();
    expect(await runCli(['--version'], h.ctx, '1.4.0')).toBe(0);
    expect(h.out()).toBe('1.4.0\n');
  });

  it('prints help for a command', async () => {
    const h = harness();
    expect(await runCli(['keychain', 'list', '--help'], h.ctx, '1')).toBe(0);
    expect(h.out()).toContain('--format <format>');
    expect(h.out()).toContain('values are');
  });

  it('exits 2 on an unknown command or option', async () => {
    const a = harness();
    expect(await runCli(['frobnicate'], a.ctx, '1')).toBe(2);
    expect(a.err()).toContain("unknown command 'frobnicate'");
    const b = harness();
    expect(await runCli(['keychain', 'list', '--bogus'], b.ctx, '1')).toBe(2);
    expect(b.err()).toContain("unknown option '--bogus'");
  });

  it('exits 2 on an unknown format', async () => {
    const h = harness();
    expect(await runCli(['keychain', 'list', '--format', 'xml'], h.ctx, '1')).toBe(2);
    expect(h.err()).toMatch(/^atmos-secret: Unknown format "xml"\./);
  });

  it('lists keychain names as json, never values', async () => {
    const kc = new MemoryKeychain();
    await kc.set('age/dev-sops', 'AGE-SECRET-KEY-1CANARYVALUE');
    await kc.set('vault/token', 'hvs.CANARY');
    const h = harness(kc);
    expect(await runCli(['keychain', 'list', '--format', 'json'], h.ctx, '1')).toBe(0);
    expect(JSON.parse(h.out())).toEqual([
      { service: 'atmos-secrets', name: 'age/dev-sops' },
      { service: 'atmos-secrets', name: 'vault/token' },
    ]);
    expect(h.out() + h.err()).not.toContain('CANARY');
  });

  it('says so on stderr when the keychain holds nothing', async () => {
    const h = harness();
    expect(await runCli(['keychain', 'list'], h.ctx, '1')).toBe(0);
    expect(h.out()).toBe('');
    expect(h.err()).toContain('No entries');
  });

  it('exits 1 with the error and its hint when the keychain is unreachable', async () => {
    const broken: Keychain = {
      service: 'atmos-secrets',
      get: async () => null,
      set: async () => {},
      delete: async () => false,
      list: async () => {
        throw new AppError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not reachable; could not list its entries.', {
          hint: 'Start a keyring.',
        });
      },
      getMany: async () => new Map(),
    };
    const h = harness(broken);
    expect(await runCli(['keychain', 'list'], h.ctx, '1')).toBe(1);
    expect(h.err()).toBe(
      'atmos-secret: The OS keychain is not reachable; could not list its entries.\n  hint: Start a keyring.\n',
    );
  });
});
