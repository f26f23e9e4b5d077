// `atmos-secret describe component` as a real process over the SSM emulator: `!store` and `!store.get` on a
// plain aws/ssm store show their values (Atmos' key layout `{prefix}/{stack}/{component}/{key}`), a missing key
// with `| default` shows the default, `| query .a.b` picks from a JSON value, all in one GetParameters call; a
// Redis reference stays as written with a note in words; `--process-functions=false` calls nothing; a missing
// key without a default is exit 1 naming the file. A `!store` on a secret store still fails with the spec's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCliProcess } from '../../../../test/support/cli';
import { start, type AwsSsmEmulator } from '../../../../test/support/emulators/aws-ssm';
import { EMULATOR_KEY } from '../../../../test/support/emulators/aws-json/store-fixtures';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import {
  STORE_REFS_DEV_STACK,
  storeRefsAtmosYaml,
  storeRefsDevStack,
} from '../../../../test/support/store-refs-workspace';

let emu: AwsSsmEmulator;

function workspace(vars: readonly string[]): string {
  return writeWorkspace({
    'atmos.yaml': storeRefsAtmosYaml(emu.url, [
      '  vault:',
      '    kind: aws/ssm',
      '    secret: true',
      '    options:',
      '      region: us-east-1',
      `      endpoint: ${emu.url}`,
    ]),
    [STORE_REFS_DEV_STACK]: storeRefsDevStack(vars),
  });
}

beforeAll(async () => {
  emu = await start({ accessKeyIds: [EMULATOR_KEY] });
  emu.seed('/atmos/dev/vpc/vpc_id', 'vpc-0abc');
  emu.seed('/atmos/shared/config', '{"a":{"b":"picked"},"other":1}');
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

function cli(dir: string, args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: EMULATOR_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_CONFIG_FILE: `${dir}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/no-aws-credentials`,
    AWS_EC2_METADATA_DISABLED: 'true',
    ATMOS_STACK: '',
    ATMOS_COMPONENT: '',
  };
  delete env['AWS_PROFILE'];
  delete env['AWS_SESSION_TOKEN'];
  return runCliProcess(['--base-path', dir, ...args], { cwd: dir, env });
}

const REFS = [
  'vpc_id: !store outputs vpc vpc_id',
  'vpc_id_by_stack: !store outputs dev vpc vpc_id',
  'missing: !store outputs vpc nothing | default fallback-value',
  'picked: !store.get outputs shared/config | query .a.b',
  'cached: !store.get cache app-config',
];

describe('describe component evaluates !store on plain stores', () => {
  it('shows the values, the default for a missing key and the queried field, in one batched read', async () => {
    const dir = workspace(REFS);
    emu.calls.reset();
    const r = await cli(dir, ['describe', 'component', 'api', '-s', 'dev', '--format', 'json']);
    // Only the note: other stderr lines are Node's (the AWS SDK's Node 20 support warning).
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note:'))).toEqual([
      'note: vars.cached: !store.get cache app-config is not evaluated: store "cache" is a redis store, which this app does not read (Atmos reads it when it runs)',
    ]);
    expect(r.code).toBe(0);
    const vars = (JSON.parse(r.stdout) as { vars: Record<string, unknown> }).vars;
    expect(vars).toMatchObject({
      vpc_id: 'vpc-0abc',
      vpc_id_by_stack: 'vpc-0abc',
      missing: 'fallback-value',
      picked: 'picked',
      cached: '!store.get cache app-config',
    });
    expect(emu.calls.snapshot()).toEqual({ GetParameters: 1 });
  });

  it('describe stacks shows them too, one batched read per store for the stack, notes naming the component', async () => {
    const dir = workspace(REFS);
    emu.calls.reset();
    const r = await cli(dir, ['describe', 'stacks', '-s', 'dev', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note:'))).toEqual([
      'note: dev api: vars.cached: !store.get cache app-config is not evaluated: store "cache" is a redis store, which this app does not read (Atmos reads it when it runs)',
    ]);
    const doc = JSON.parse(r.stdout) as Record<string, { components: { terraform: Record<string, { vars: object }> } }>;
    expect(doc['dev']?.components.terraform['api']?.vars).toMatchObject({
      vpc_id: 'vpc-0abc',
      missing: 'fallback-value',
      picked: 'picked',
    });
    expect(emu.calls.snapshot()).toEqual({ GetParameters: 1 });
  });

  it('--process-functions=false shows the expressions as written and calls nothing', async () => {
    const dir = workspace(REFS);
    emu.calls.reset();
    const r = await cli(dir, ['describe', 'component', 'api', '-s', 'dev', '--process-functions=false']);
    expect(r.stderr).not.toContain('note:');
    expect(r.code).toBe(0);
    expect((parse(r.stdout) as { vars: Record<string, unknown> }).vars['vpc_id']).toBe('!store outputs vpc vpc_id');
    expect(emu.calls.total).toBe(0);
  });

  it('a missing key without a default is exit 1 naming the position, the file and the fix', async () => {
    const dir = workspace(['gone: !store.get outputs not/there']);
    const r = await cli(dir, ['describe', 'component', 'api', '-s', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'vars.gone: !store.get outputs not/there reads a key that store "outputs" does not hold',
    );
    expect(r.stderr).toContain('stacks/deploy/dev.yaml');
    expect(r.stderr).toContain('| default');
  });

  it('a !store on a secret store still fails with the spec message, before any call', async () => {
    const dir = workspace(['leaked: !store vault vpc vpc_id']);
    emu.calls.reset();
    const r = await cli(dir, ['describe', 'component', 'api', '-s', 'dev']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('store "vault" is a secret store; use !secret instead of !store');
    expect(emu.calls.total).toBe(0);
  });
});
