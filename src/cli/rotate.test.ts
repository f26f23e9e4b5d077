// `atmos-secret consumers` (table, json, dot) and `atmos-secret rotate` in-process over the basic fixture with
// memory keychains: a generated value is never printed; a failed verification (a keychain whose reads lag the
// write) rolls back, says so and exits 1; confirmations and bad generator options exit 2 before any write.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Keychain } from '../main/keychain/keychain';
import { inProcessCli, type InProcessCli } from '../../test/support/in-process-cli';
import type { MemoryKeychains } from '../../test/support/secrets-workspace';

let cli: InProcessCli;
beforeEach(() => {
  cli = inProcessCli('basic');
});
afterEach(() => cli.cleanup());

/** Reads of a stored value holding "new" come back as another value: a replica that did not catch up. */
function lagReads(keychains: MemoryKeychains): void {
  const get = keychains.get.bind(keychains);
  const patched = new WeakSet<Keychain>();
  keychains.get = (service) => {
    const k = get(service);
    if (!patched.has(k)) {
      const lag = (raw: string): string => (raw.includes('new') ? JSON.stringify('from-a-lagging-replica') : raw);
      const read = k.get.bind(k);
      k.get = async (account) => {
        const raw = await read(account);
        return raw === null ? null : lag(raw);
      };
      // Verification reads every consumer in one batch: the batch lags the same way.
      const readMany = k.getMany.bind(k);
      k.getMany = async (accounts) => new Map([...(await readMany(accounts))].map(([a, raw]) => [a, lag(raw)]));
      patched.add(k);
    }
    return k;
  };
}

const CONSUMERS = ['dev/api', 'dev/worker', 'prod/api', 'prod/worker'];

describe('atmos-secret consumers', () => {
  it('lists a global secret in every stack with its path (table and json), no component needed', async () => {
    const table = await cli.run(['consumers', 'SHARED_KEY', '-s', 'dev']);
    expect(table.code).toBe(0);
    expect(table.stderr).toContain(
      'SHARED_KEY (global) in store "kc" (keychain) at fx/SHARED_KEY: 4 component(s) in 2 stack(s)',
    );
    expect(table.stdout.split('\n')[0]).toMatch(/^STACK\s+COMPONENT\s+READS FROM$/);
    expect(table.stdout).toMatch(/prod\s+worker\s+store "kc" \(keychain\) at fx\/SHARED_KEY/);

    const json = await cli.run(['consumers', 'SHARED_KEY', '-s', 'prod', '--format', 'json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      stacks: { stack: string; components: string[] }[];
      consumers: { stack: string; component: string; where: string }[];
    };
    expect(doc.stacks).toEqual([
      { stack: 'dev', components: ['api', 'worker'] },
      { stack: 'prod', components: ['api', 'worker'] },
    ]);
    expect(doc.consumers.map((c) => `${c.stack}/${c.component}`)).toEqual(CONSUMERS);
  });

  it('draws secret -> stacks -> components as Graphviz dot', async () => {
    const r = await cli.run(['consumers', 'STACK_TOKEN', '-s', 'dev', '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph consumers {\n  rankdir=LR;')).toBe(true);
    expect(r.stdout).toContain('"secret:STACK_TOKEN" -> "stack:dev";');
    expect(r.stdout).toContain('"stack:dev" -> "component:dev/api";');
    expect(r.stdout).toContain('"stack:dev" -> "component:dev/worker";');
    expect(r.stdout).not.toContain('stack:prod');
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('an unknown format is usage (exit 2)', async () => {
    const r = await cli.run(['consumers', 'SHARED_KEY', '-s', 'dev', '--format', 'svg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown format "svg"');
  });
});

describe('atmos-secret rotate', () => {
  it('generates a value in-process, writes it once, verifies every consumer, never prints it', async () => {
    const r = await cli.run([
      'rotate',
      'SHARED_KEY',
      '-s',
      'dev',
      '--generate',
      '--length',
      '48',
      '--alphabet',
      'hex',
      '--yes',
      '--format',
      'json',
    ]);
    expect(r.stderr).toContain('Verified: all 4 consumer(s) read the new value.');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; entropyBits: number; consumers: { status: string }[] };
    expect(doc.ok).toBe(true);
    expect(doc.entropyBits).toBe(192);
    expect(doc.consumers.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const got = await cli.run(['get', 'SHARED_KEY', '-s', 'prod']);
    const value = got.stdout.trim();
    expect(value).toMatch(/^[0-9a-f]{48}$/);
    expect(r.stdout + r.stderr).not.toContain(value);
  });

  it('takes the value from stdin and shows the verification as a table', async () => {
    const r = await cli.run(['rotate', 'STACK_TOKEN', '-s', 'prod', '--stdin', '--yes'], 'piped-token\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^STACK\s+COMPONENT\s+VERIFIED\s+DETAIL/);
    expect(r.stdout).toMatch(/prod\s+api\s+ok/);
    expect((await cli.run(['get', 'STACK_TOKEN', '-s', 'prod'])).stdout).toBe('piped-token\n');
  });

  it('a failed verification rolls back, says what was rolled back, and exits 1', async () => {
    expect((await cli.run(['set', 'SHARED_KEY', '-s', 'dev', '--stdin', '--yes'], 'old-value')).code).toBe(0);
    lagReads(cli.keychains);
    const r = await cli.run(['rotate', 'SHARED_KEY', '-s', 'dev', '--stdin', '--yes', '--format', 'json'], 'new-value');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      consumers: { status: string; detail: string }[];
      rolledBack: { method: string; message: string };
    };
    expect(doc.ok).toBe(false);
    expect(doc.consumers.map((c) => c.status)).toEqual(['mismatch', 'mismatch', 'mismatch', 'mismatch']);
    expect(doc.rolledBack).toEqual({
      method: 'value',
      message: 'restored the previous value of SHARED_KEY in store "kc" (keychain) at fx/SHARED_KEY',
    });
    expect(r.stderr).toContain('Rolled back: restored the previous value of SHARED_KEY');
    expect(r.stderr).toContain('4 of 4 consumer(s) of SHARED_KEY failed verification; the previous value was restored');
    expect((await cli.run(['get', 'SHARED_KEY', '-s', 'prod'])).stdout).toBe('old-value\n');
    expect(r.stdout + r.stderr).not.toContain('new-value');
  });

  it('without --yes and without a terminal it stops (exit 2) before writing, with the command to run', async () => {
    const r = await cli.run(['rotate', 'SHARED_KEY', '-s', 'dev', '--generate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rotate SHARED_KEY (global) changes the value for 2 stacks and 4 components');
    expect(r.stderr).toContain('atmos-secret rotate SHARED_KEY -s dev --generate --yes');
    expect((await cli.run(['get', 'SHARED_KEY', '-s', 'dev'])).code).toBe(1);
  });

  it('refuses bad value options (exit 2) before anything is written', async () => {
    const cases: [string[], RegExp][] = [
      [['--generate', '--stdin'], /either --generate or --stdin/],
      [['--generate', '--length', '4'], /--length takes a whole number from 8 to 4096/],
      [['--generate', '--alphabet', 'aab'], /each character once/],
      [['--generate', '--length', '10', '--alphabet', 'hex'], /40 bits of entropy; at least 64/],
      [['--length', '40'], /--length and --alphabet go with --generate/],
      [[], /rotate needs --generate or --stdin/],
    ];
    for (const [args, message] of cases) {
      const r = await cli.run(['rotate', 'SHARED_KEY', '-s', 'dev', '--yes', ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
    }
    expect((await cli.run(['get', 'SHARED_KEY', '-s', 'dev'])).code).toBe(1);
  });

  it('--no-verify writes without reading back, and says so', async () => {
    const r = await cli.run([
      'rotate',
      'SHARED_KEY',
      '-s',
      'dev',
      '--generate',
      '--no-verify',
      '--yes',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verified: false, ok: false, consumers: [], rolledBack: null });
    expect(r.stderr).toContain('Not verified (--no-verify).');
    expect((await cli.run(['get', 'SHARED_KEY', '-s', 'dev'])).stdout).toMatch(/^[A-Za-z0-9]{32}\n$/);
  });

  it('rotates a SOPS secret and verifies it through its file', async () => {
    const r = await cli.run(['rotate', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--generate', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      consumers: { stack: string; component: string; status: string }[];
    };
    expect(doc.consumers).toEqual([expect.objectContaining({ stack: 'dev', component: 'enc', status: 'ok' })]);
    expect((await cli.run(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc'])).stdout).toMatch(/^[A-Za-z0-9]{32}\n$/);
  });
});
