// The secret commands in-process over the basic fixture with memory keychains: value sources, formats,
// confirmation (--yes, prompt, no terminal = exit 2), exit codes, and errors on stderr, first line first.
import { afterEach, describe, expect, it } from 'vitest';
import { copySecretsFixture, MemoryKeychains, type FixtureCopy } from '../../test/support/secrets-workspace';
import type { CliContext } from './context';
import { runCli } from './program';

let fx: FixtureCopy | undefined;
afterEach(() => fx?.cleanup());

interface RunOptions {
  readonly stdin?: string;
  readonly interactive?: boolean;
  readonly prompt?: (label: string) => Promise<string>;
  readonly confirm?: (q: string) => Promise<boolean>;
  readonly env?: Record<string, string>;
}

function harness() {
  fx = copySecretsFixture('basic', 'cli');
  const dir = fx.dir;
  const keychains = new MemoryKeychains();
  const run = async (args: string[], o: RunOptions = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: o.interactive ?? false },
      env: o.env ?? {},
      cwd: dir,
      keychain: (service) => keychains.get(service),
      readStdin: async () => o.stdin ?? '',
      ...(o.prompt ? { promptSecret: o.prompt } : {}),
      ...(o.confirm ? { confirm: o.confirm } : {}),
    };
    const code = await runCli([...args, '--base-path', dir], ctx, '1.0.0');
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  return { run, keychain: () => keychains.get(fx?.service), dir };
}

const CANARY = 'CANARY-c1i-9d2e';

describe('atmos-secret set/get/delete', () => {
  it('sets from --stdin (one trailing newline dropped) and gets text, raw, json and env', async () => {
    const { run } = harness();
    const set = await run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: `${CANARY}\n` });
    expect(set.code).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    expect(set.stderr).toContain('Set DB_PASSWORD (instance) in store "kc" (keychain) at fx/dev/api/DB_PASSWORD.');
    expect((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api'])).stdout).toBe(`${CANARY}\n`);
    expect((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw'])).stdout).toBe(CANARY);
    expect(
      JSON.parse((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json'])).stdout),
    ).toEqual({ name: 'DB_PASSWORD', value: CANARY });
    expect((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'env'])).stdout).toBe(
      `DB_PASSWORD=${CANARY}\n`,
    );
    const bad = await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json', '--raw']);
    expect(bad.code).toBe(2);
    // Deleting always asks (as Atmos does); without a terminal and without --yes it stops with exit 2.
    const asked = await run(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain('confirmation needed');
    expect((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw'])).stdout).toBe(CANARY);
    const del = await run(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
    expect(del.code).toBe(0);
    const gone = await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(gone.code).toBe(1);
    expect(gone.stderr.split('\n')[0]).toBe('atmos-secret: secret is not initialized in its backend: "DB_PASSWORD"');
  });

  it('accepts NAME=VALUE inline with a warning, and a masked prompt on a terminal', async () => {
    const { run } = harness();
    const inline = await run(['set', `OPTIONAL_KEY=${CANARY}`, '-s', 'dev', '-c', 'api']);
    expect(inline.code).toBe(0);
    expect(inline.stderr).toContain('warning: a value given inline lands in your shell history');
    const labels: string[] = [];
    const prompted = await run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api'], {
      interactive: true,
      prompt: async (l) => (labels.push(l), 'typed'),
    });
    expect(prompted.code).toBe(0);
    expect(labels).toEqual(['Value for DB_PASSWORD: ']);
    expect((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api'])).stdout).toBe('typed\n');
  });

  it('without a value and without a terminal stops with exit 2', async () => {
    const { run } = harness();
    const r = await run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('atmos-secret: no value for DB_PASSWORD');
  });

  it('a stack secret needs no -c; its change needs --yes, a yes at the prompt, or stops with exit 2', async () => {
    const { run, keychain } = harness();
    const noTty = await run(['set', 'STACK_TOKEN', '-s', 'dev', '--stdin'], { stdin: CANARY });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('set STACK_TOKEN (stack) changes the value for 1 stack and 4 components:');
    expect(noTty.stderr).toContain('confirmation needed');
    expect(noTty.stderr).toContain(
      'hint: To go ahead without a terminal: printf %s "$VALUE" | atmos-secret set STACK_TOKEN --stdin -s dev --yes',
    );
    expect(await keychain().list()).toEqual([]);

    const declined = await run(['set', 'STACK_TOKEN', '-s', 'dev', '--stdin'], {
      stdin: CANARY,
      interactive: true,
      confirm: async () => false,
    });
    expect(declined.code).toBe(1);
    expect(await keychain().list()).toEqual([]);

    for (const flag of ['--yes', '-f', '--force', '-y']) {
      const ok = await run(['set', 'STACK_TOKEN', '-s', 'dev', '--stdin', flag], { stdin: CANARY });
      expect(ok.code).toBe(0);
      expect(ok.stderr).toContain('  dev/api (STACK_TOKEN, stack, store:kc)');
    }
    expect(await keychain().get('fx/dev/STACK_TOKEN')).toBe(JSON.stringify(CANARY));
    const asked = await run(['delete', 'STACK_TOKEN', '-s', 'dev'], { interactive: true, confirm: async () => true });
    expect(asked.code).toBe(0);
  });

  it('bad input exits 2 with the error first: undeclared, unknown stack option, instance secret without -c', async () => {
    const { run } = harness();
    const undeclared = await run(['set', 'NOPE', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: CANARY });
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr.split('\n')[0]).toBe(
      'atmos-secret: secret is not declared: "NOPE" (declare it under the component\'s secrets.vars)',
    );
    expect(undeclared.stderr).not.toContain(CANARY);
    const noC = await run(['get', 'DB_PASSWORD', '-s', 'dev']);
    expect(noC.code).toBe(2);
    expect(noC.stderr).toContain('is instance-scoped in stack dev; pass -c/--component');
    const noS = await run(['get', 'DB_PASSWORD']);
    expect(noS.code).toBe(2);
    const envStack = await run(['get', 'DB_PASSWORD', '-c', 'api'], { env: { ATMOS_STACK: 'dev' } });
    expect(envStack.code).toBe(1);
    expect(envStack.stderr).toContain('not initialized');
  });
});

describe('atmos-secret list/validate', () => {
  it('list --format json prints objects with exactly the spec keys', async () => {
    const { run } = harness();
    const r = await run(['list', '-s', 'prod', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(['stack', 'component', 'secret', 'scope', 'provider', 'status']);
    expect(rows[0]).toEqual({
      stack: 'prod',
      component: '*',
      secret: 'STACK_TOKEN',
      scope: 'stack',
      provider: 'store:kc',
      status: 'missing',
    });
    const table = await run(['list', '-s', 'prod', '-c', 'worker']);
    expect(table.stdout.split('\n')[0]).toMatch(/^STACK\s+COMPONENT\s+SECRET\s+SCOPE\s+PROVIDER\s+STATUS$/);
    for (const f of ['yaml', 'csv', 'tsv']) expect((await run(['list', '--format', f])).code).toBe(0);
  });

  it('validate exits 1 listing what is missing, and 0 when the component is complete', async () => {
    const { run } = harness();
    const bad = await run(['validate', '-s', 'dev', '-c', 'worker']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('[missing]');
    expect(bad.stdout).toContain('required secret "QUEUE_TOKEN" is not initialized (dev/worker, store:kc)');
    expect(bad.stderr.split('\n')[0]).toBe('atmos-secret: validation failed: 1 problem(s)');
    await run(['set', 'QUEUE_TOKEN', '-s', 'dev', '-c', 'worker', '--stdin'], { stdin: CANARY });
    const good = await run(['validate', '-s', 'dev', '-c', 'worker', '--format', 'json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, issues: [] });
  });
});

describe('atmos-secret pull/push/import/init', () => {
  it('pull prints dotenv to stdout; push refuses an undeclared key and writes nothing', async () => {
    const { run, keychain } = harness();
    await run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: CANARY });
    const pulled = await run(['pull', '-s', 'dev', '-c', 'api']);
    expect(pulled.stdout).toBe(`DB_PASSWORD=${CANARY}\n`);
    expect(pulled.stderr).toContain('warning: secret "SHARED_KEY" is not initialized; not written');
    const before = await keychain().list();
    const refused = await run(['push', '-s', 'dev', '-c', 'api', '--input', '-'], {
      stdin: `OPTIONAL_KEY=${CANARY}\nSTRAY=${CANARY}\n`,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('push refused: key "STRAY" is not declared');
    expect(refused.stderr).not.toContain(CANARY);
    expect(await keychain().list()).toEqual(before);
  });

  it('import --list finds the legacy !store; import --dry-run prints the plan', async () => {
    const { run, keychain } = harness();
    const list = await run(['import', '--list', '--format', 'json']);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        stack: 'dev',
        component: 'legacy-app',
        at: 'env.CLIENT_SECRET',
        expression: '!store legacy atmos shared client_secret',
      }),
    ]);
    await keychain().set('old/atmos/shared/client_secret', JSON.stringify(CANARY));
    const dry = await run([
      'import',
      'CLIENT_SECRET',
      '-s',
      'dev',
      '-c',
      'api',
      '--from-store',
      'legacy',
      '--from-stack',
      'atmos',
      '--from-component',
      'shared',
      '--from-key',
      'client_secret',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain(
      'Plan: copy store "legacy" at old/atmos/shared/client_secret to store "kc" (keychain) at fx/CLIENT_SECRET',
    );
    expect(dry.stdout + dry.stderr).not.toContain(CANARY);
  });

  it('init --dry-run reports; init --input sets the given values', async () => {
    const { run } = harness();
    const dry = await run(['init', '-s', 'prod', '-c', 'worker', '--dry-run', '--format', 'json']);
    expect(JSON.parse(dry.stdout)).toEqual([
      {
        stack: 'prod',
        component: '*',
        secret: 'STACK_TOKEN',
        scope: 'stack',
        provider: 'store:kc',
        before: 'missing',
        action: 'left-missing',
      },
      {
        stack: 'prod',
        component: 'worker',
        secret: 'QUEUE_TOKEN',
        scope: 'instance',
        provider: 'store:kc',
        before: 'missing',
        action: 'left-missing',
      },
      {
        stack: 'prod',
        component: 'worker',
        secret: 'SHARED_KEY',
        scope: 'global',
        provider: 'store:kc',
        before: 'missing',
        action: 'left-missing',
      },
    ]);
    const set = await run(['init', '-s', 'prod', '-c', 'worker', '--input', '-', '--format', 'json'], {
      stdin: `QUEUE_TOKEN=${CANARY}\n`,
    });
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain(CANARY);
    expect(
      (JSON.parse(set.stdout) as { secret: string; action: string }[]).find((e) => e.secret === 'QUEUE_TOKEN')?.action,
    ).toBe('set');
    expect((await run(['init'])).code).toBe(2);
  });

  it('init on a terminal prompts (masked) for each missing secret; an empty answer leaves it missing', async () => {
    const { run } = harness();
    const labels: string[] = [];
    const r = await run(['init', '-s', 'prod', '-c', 'worker', '--yes', '--format', 'json'], {
      interactive: true,
      prompt: async (l) => (labels.push(l), l.startsWith('QUEUE_TOKEN') ? CANARY : ''),
    });
    expect(r.code).toBe(0);
    expect(labels).toEqual([
      'STACK_TOKEN (prod/*, stack; empty skips): ',
      'QUEUE_TOKEN (prod/worker, instance; empty skips): ',
      'SHARED_KEY (prod/worker, global; empty skips): ',
    ]);
    const actions = (JSON.parse(r.stdout) as { secret: string; action: string }[]).map(
      (e) => `${e.secret} ${e.action}`,
    );
    expect(actions).toEqual(['STACK_TOKEN left-missing', 'QUEUE_TOKEN set', 'SHARED_KEY left-missing']);
    expect(r.stderr).not.toContain(CANARY);
  });
});
