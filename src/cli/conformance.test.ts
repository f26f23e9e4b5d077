// The CLI against the spec's contract, as a new user meets it (issue 8 section 1): exit codes (2 bad usage or
// configuration, 1 an operation that failed), list refusing an undeclared `!secret` like describe, hints that
// work as printed, delete --all leaving shared values alone unless asked, NUL refused in values, and -f meaning
// --force (= --yes) wherever a command asks.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { AppError } from '../shared/errors';
import type { Keychain } from '../main/keychain/keychain';
import {
  copySecretsFixture,
  MemoryKeychains,
  removeWrittenWorkspaces,
  writeWorkspace,
  type FixtureCopy,
} from '../../test/support/secrets-workspace';
import type { CliContext } from './context';
import { buildProgram, runCli } from './program';

let fx: FixtureCopy | undefined;
afterEach(() => fx?.cleanup());
afterAll(() => removeWrittenWorkspaces());

const CANARY = 'CANARY-cnf-51e7';

interface RunOptions {
  readonly stdin?: string;
  readonly env?: Record<string, string>;
  readonly keychain?: (service?: string) => Keychain;
}

function runner(dir: string, keychains = new MemoryKeychains()) {
  return async (args: readonly string[], o: RunOptions = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
      env: o.env ?? {},
      cwd: dir,
      keychain: o.keychain ?? ((service) => keychains.get(service)),
      readStdin: async () => o.stdin ?? '',
    };
    const code = await runCli([...args, '--base-path', dir], ctx, '1.0.0');
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
}

function basic() {
  fx = copySecretsFixture('basic', 'cnf');
  const keychains = new MemoryKeychains();
  const service = fx.service;
  return { run: runner(fx.dir, keychains), keychain: () => keychains.get(service) };
}

/** A keychain that cannot be reached (a locked or absent Secret Service). */
class UnreachableKeychain implements Keychain {
  constructor(readonly service: string) {}
  private fail(): never {
    // As KeytarKeychain reports it (keychainError).
    throw new AppError('KEYCHAIN_UNAVAILABLE', 'the OS keychain is not available: the Secret Service is not running');
  }
  get(): Promise<string | null> {
    return Promise.reject(this.fail());
  }
  set(): Promise<void> {
    return Promise.reject(this.fail());
  }
  delete(): Promise<boolean> {
    return Promise.reject(this.fail());
  }
  list(): Promise<string[]> {
    return Promise.reject(this.fail());
  }
  getMany(): Promise<Map<string, string>> {
    return Promise.reject(this.fail());
  }
}

const firstLine = (s: string): string => s.split('\n')[0] ?? '';

describe('exit codes', () => {
  it('an unknown stack is a usage error (2) for list, get, validate and describe', async () => {
    const { run } = basic();
    for (const args of [
      ['list', '-s', 'nope'],
      ['get', 'DB_PASSWORD', '-s', 'nope', '-c', 'api'],
      ['validate', '-s', 'nope'],
      ['describe', 'component', 'api', '-s', 'nope'],
    ]) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(firstLine(r.stderr)).toContain('stack "nope" not found');
    }
  });

  it('an unknown component is a usage error (2)', async () => {
    const { run } = basic();
    expect((await run(['list', '-s', 'dev', '-c', 'nope'])).code).toBe(2);
    expect((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'nope'])).code).toBe(2);
  });

  it('list exits 1 when rows could not be checked (backend unreachable), after printing them', async () => {
    const { run } = basic();
    const r = await run(['list', '-s', 'prod', '-c', 'worker', '--format', 'json'], {
      keychain: (service) => new UnreachableKeychain(service ?? 'atmos-secrets'),
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: expect.any(String) as unknown });
    const rows = JSON.parse(r.stdout) as { status: string }[];
    expect(rows.map((x) => x.status)).toEqual(['error', 'error', 'error']);
  });

  it('an unreachable keychain is reported once for the store, with the rows it affects, not once per row', async () => {
    const { run } = basic();
    const r = await run(['list', '--format', 'csv'], {
      keychain: (service) => new UnreachableKeychain(service ?? 'atmos-secrets'),
    });
    expect(r.code).toBe(1);
    const rows = r.stdout.trim().split('\n').slice(1);
    const kcRows = rows.filter((l) => l.includes(',store:kc,'));
    expect(kcRows.length).toBeGreaterThan(5);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      `warning: store:kc: the OS keychain is not available: the Secret Service is not running (${kcRows.length} secret(s) not checked)`,
    ]);
  });

  it('a value that is not there is an operation failure (1), --path included', async () => {
    const { run } = basic();
    expect((await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api'])).code).toBe(1);
    await run(['set', 'DB_CONFIG', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: '{"host":"db"}' });
    const r = await run(['get', 'DB_CONFIG', '-s', 'dev', '-c', 'api', '--path', '.port']);
    expect(r.code).toBe(1);
    expect(firstLine(r.stderr)).toBe('atmos-secret: secret "DB_CONFIG" has nothing at .port');
  });

  it('validate on a workspace with no stacks is a configuration error (2), naming where it looked', async () => {
    const dir = writeWorkspace({
      'atmos.yaml':
        'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/**/*"]\n  name_template: "{{ .vars.stage }}"\n',
      'stacks/README.md': 'nothing here\n',
    });
    const r = await runner(dir)(['validate']);
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toContain('no stacks');
    expect(r.stderr).toContain('stacks');
  });
});

describe('list and undeclared !secret names', () => {
  const files = {
    'atmos.yaml':
      'base_path: "."\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: "{{ .vars.stage }}"\nstores:\n  kc:\n    kind: keychain\n    options: { service: atmos-secrets-cnf }\n',
    'stacks/dev.yaml': [
      'vars: { stage: dev }',
      'components:',
      '  terraform:',
      '    app:',
      '      secrets:',
      '        vars:',
      '          API_KEY: { store: kc }',
      '      env:',
      '        KEY: !secret API_KEY',
      '        TYPO: !secret API_KYE',
      '',
    ].join('\n'),
  };

  it('list fails with exit 2 and the same message as describe', async () => {
    const dir = writeWorkspace(files);
    const run = runner(dir);
    const described = await run(['describe', 'component', 'app', '-s', 'dev']);
    expect(described.code).toBe(2);
    const listed = await run(['list']);
    expect(listed.code).toBe(2);
    expect(firstLine(listed.stderr)).toBe(firstLine(described.stderr));
    expect(firstLine(listed.stderr)).toContain('"API_KYE"');
    expect(listed.stdout).toBe('');
    expect((await run(['list', '-s', 'dev', '-c', 'app'])).code).toBe(2);
  });
});

describe('values', () => {
  it('set refuses a value containing NUL (exit 2) without echoing it', async () => {
    const { run, keychain } = basic();
    const r = await run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], { stdin: `${CANARY}\0x` });
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toContain('NUL');
    expect(r.stderr).not.toContain(CANARY);
    expect(await keychain().list()).toEqual([]);
  });
});

describe('hints are commands that work as printed', () => {
  it('get of a missing value names the real stack and component', async () => {
    const { run } = basic();
    const r = await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(r.stderr).toContain('hint: Set it with: atmos-secret set DB_PASSWORD -s dev -c api');
    expect(r.stderr).not.toContain('<stack>');
    const shared = await run(['get', 'STACK_TOKEN', '-s', 'dev']);
    expect(shared.stderr).toContain('hint: Set it with: atmos-secret set STACK_TOKEN -s dev --yes');
  });

  it('a confirmation that cannot be asked hints the same command with --yes', async () => {
    const { run } = basic();
    const del = await run(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(del.code).toBe(2);
    expect(del.stderr).toContain(
      'hint: To go ahead without a terminal: atmos-secret delete DB_PASSWORD -s dev -c api --yes',
    );
    const all = await run(['delete', '--all', '-s', 'dev', '--include-shared']);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain(
      'hint: To go ahead without a terminal: atmos-secret delete --all -s dev --include-shared --yes',
    );
  });

  it('set without a value names the secret, stack and component in its example', async () => {
    const { run } = basic();
    const r = await run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('atmos-secret set DB_PASSWORD --stdin -s dev -c api');
    const shared = await run(['set', 'STACK_TOKEN', '-s', 'dev']);
    expect(shared.stderr).toContain('atmos-secret set STACK_TOKEN --stdin -s dev --yes');
  });

  it("validate's missing-secret hint adds --yes where set would ask", async () => {
    const { run } = basic();
    const r = await run(['validate', '-s', 'dev', '--format', 'json']);
    const issues = (JSON.parse(r.stdout) as { issues: { secret?: string; kind: string; hint?: string }[] }).issues;
    const hints = Object.fromEntries(issues.filter((i) => i.kind === 'missing').map((i) => [i.secret, i.hint]));
    expect(hints).toEqual({
      DB_PASSWORD: 'Set it with: atmos-secret set DB_PASSWORD -s dev -c api',
      QUEUE_TOKEN: 'Set it with: atmos-secret set QUEUE_TOKEN -s dev -c worker',
      SHARED_KEY: 'Set it with: atmos-secret set SHARED_KEY -s dev --yes',
    });
  });
});

describe('validate hints', () => {
  it('a !store on a secret store: the hint is a command that shows the use, not placeholders', async () => {
    const { run } = basic();
    const r = await run(['validate', '-s', 'dev', '-c', 'legacy-app', '--format', 'json']);
    const issue = (JSON.parse(r.stdout) as { issues: { kind: string; hint?: string }[] }).issues.find(
      (i) => i.kind === 'store-function',
    );
    expect(issue?.hint).toContain('atmos-secret import --list -s dev');
    expect(issue?.hint).not.toContain('...');
    const listed = await run(['import', '--list', '-s', 'dev', '--format', 'json']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ stack: 'dev', component: 'legacy-app' })]);
  });
});

describe('keygen', () => {
  it('a provider that already has a key: the hint is the --force command, and nothing says "vault"', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': [
        'base_path: "."',
        'stacks: {base_path: stacks, included_paths: ["*.yaml"], name_template: "{{ .vars.stage }}"}',
        'stores:',
        '  kc: {kind: keychain, options: {prefix: kg, service: kg-test}}',
        'secrets:',
        '  providers:',
        '    team:',
        '      kind: sops/age',
        '      spec: {file: "secrets/{{ .atmos_stack }}.enc.yaml", age_key: {store: kc}}',
        '',
      ].join('\n'),
      'stacks/dev.yaml': 'vars: {stage: dev}\n',
    });
    const run = runner(dir);
    const first = await run(['keygen', 'team']);
    expect(first.code).toBe(0);
    const again = await run(['keygen', 'team']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      'hint: Use the existing key, or make another (the old one is kept): atmos-secret keygen team --force',
    );
    expect(again.stderr).not.toMatch(/vault/i);
    expect((await run(['keygen', 'team', '--force'])).code).toBe(0);
  });
});

describe('delete --all', () => {
  it('removes what the stack uses alone; shared values need --include-shared and their consumers are listed', async () => {
    const { run, keychain } = basic();
    const kc = keychain();
    for (const account of ['fx/dev/STACK_TOKEN', 'fx/dev/api/DB_PASSWORD', 'fx/SHARED_KEY', 'fx/prod/STACK_TOKEN'])
      await kc.set(account, JSON.stringify(CANARY));
    const alone = await run(['delete', '--all', '-s', 'dev', '--yes']);
    expect(alone.code).toBe(0);
    expect(await kc.list()).toEqual(['fx/SHARED_KEY', 'fx/prod/STACK_TOKEN']);
    expect(alone.stderr).toContain('Kept SHARED_KEY (global, ');
    expect(alone.stderr).toContain('Kept CLIENT_SECRET (global, ');
    expect(alone.stderr).toContain('prod/worker');
    expect(alone.stderr).toContain('--include-shared');
    const all = await run(['delete', '--all', '-s', 'dev', '--include-shared', '--yes']);
    expect(all.code).toBe(0);
    expect(await kc.list()).toEqual(['fx/prod/STACK_TOKEN']);
    expect(all.stdout + all.stderr).not.toContain(CANARY);
  });
});

describe('confirmation flags', () => {
  /** Every command of the tree, with its full name (`sops rotate`). */
  function leaves(cmd: Command, prefix = ''): { name: string; cmd: Command }[] {
    return cmd.commands.flatMap((c) => {
      const name = `${prefix}${c.name()}`;
      return c.commands.length > 0 ? leaves(c, `${name} `) : [{ name, cmd: c }];
    });
  }

  it('-f is --force everywhere, and every command that asks takes --yes, -y, -f and --force', async () => {
    const program = buildProgram(
      {
        io: { stdout: () => undefined, stderr: () => undefined, interactive: false },
        env: {},
        cwd: '/',
        keychain: () => new MemoryKeychains().get(),
      },
      '1.0.0',
    );
    const all = leaves(program);
    const flags = (c: Command): string[] => c.options.map((o) => o.flags);
    const shortFlags = all.flatMap(({ name, cmd }) =>
      cmd.options.filter((o) => o.short === '-f' || o.short === '-y').map((o) => `${name}: ${o.flags}`),
    );
    expect(shortFlags.length).toBeGreaterThan(0);
    expect(shortFlags.filter((f) => !f.endsWith(': -f, --force') && !f.endsWith(': -y, --yes'))).toEqual([]);
    const asking = ['set', 'delete', 'init', 'push', 'import', 'sops updatekeys', 'sops rotate'];
    for (const name of asking) {
      const cmd = all.find((l) => l.name === name)?.cmd;
      expect(cmd, name).toBeDefined();
      expect({ name, flags: flags(cmd as Command) }).toEqual({
        name,
        flags: expect.arrayContaining(['-y, --yes', '-f, --force']) as unknown,
      });
    }
  });
});
