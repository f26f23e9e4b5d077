// End to end: the built `atmos-secret` CLI, as a real process, against the Secret Manager emulator through a
// workspace whose atmos.yaml points a gcp/secretmanager store at it (`endpoint: http://127.0.0.1:PORT`):
// set --stdin, get, list --verify, delete --yes, and a Secret Manager that is down (status `error`, never
// `missing`). No value ever reaches the CLI's output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../../../../test/support/cli';
import { start, type GcpSecretManagerEmulator } from '../../../../test/support/emulators/gcp-secretmanager';
import { removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-gcp`;
const PROJECT = 'cli-project';

let emu: GcpSecretManagerEmulator;
let dir: string;

beforeAll(async () => {
  emu = await start();
  dir = writeWorkspace({
    'atmos.yaml': [
      'base_path: "."',
      'stacks:',
      '  base_path: stacks',
      '  included_paths: ["deploy/**/*"]',
      '  name_template: "{{ .vars.stage }}"',
      'stores:',
      '  gsm:',
      '    kind: gcp/secretmanager',
      '    secret: true',
      '    options:',
      `      project_id: ${PROJECT}`,
      `      endpoint: ${emu.endpoint}`,
      '      prefix: atmos',
      '      max_attempts: 2',
      '',
    ].join('\n'),
    'stacks/deploy/dev.yaml': [
      'vars:',
      '  stage: dev',
      'components:',
      '  terraform:',
      '    api:',
      '      secrets:',
      '        vars:',
      '          DB_PASSWORD:',
      '            store: gsm',
      '            required: true',
      '          API_KEY:',
      '            store: gsm',
      '',
    ].join('\n'),
  });
});

afterAll(async () => {
  await emu.stop();
  removeWrittenWorkspaces();
});

function cli(args: string[], stdin?: string) {
  return runCliProcess(['--base-path', dir, ...args], {
    cwd: dir,
    stdin,
    env: { ...process.env, ATMOS_STACK: '', ATMOS_COMPONENT: '' },
  });
}

interface Row {
  readonly secret: string;
  readonly status: string;
}

async function listVerify(): Promise<{ code: number; rows: Row[]; stderr: string; output: string }> {
  const run = await cli(['list', '-s', 'dev', '-c', 'api', '--verify', '--format', 'json']);
  return { code: run.code, rows: JSON.parse(run.stdout) as Row[], stderr: run.stderr, output: run.stdout + run.stderr };
}

describe('atmos-secret with a gcp/secretmanager store (spawned CLI, Secret Manager emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    const secret = emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD');
    expect(secret?.versions.map((v) => v.data.toString())).toEqual([JSON.stringify(CANARY)]);
    expect(secret?.annotations).toEqual({ 'atmos-secrets-path': 'atmos/dev/api/DB_PASSWORD' });

    const get = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--raw']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(CANARY);

    const listed = await listVerify();
    expect(listed.code).toBe(0);
    expect(listed.rows.map((r) => [r.secret, r.status]).sort()).toEqual([
      ['API_KEY', 'missing'],
      ['DB_PASSWORD', 'initialized'],
    ]);
    expect(listed.output).not.toContain(CANARY);

    const del = await cli(['delete', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout + del.stderr).not.toContain(CANARY);
    // DeleteSecret: the secret and every version are gone at once.
    expect(emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD')).toBeUndefined();
    const after = await listVerify();
    expect(after.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
  });

  it('a Secret Manager that is down makes every verified row `error` with its words (exit 1), never `missing`', async () => {
    emu.injectFault('unavailable', 100, 'AccessSecretVersion');
    try {
      const down = await listVerify();
      expect(down.code).toBe(1);
      expect(down.rows.map((r) => r.status)).toEqual(['error', 'error']);
      expect(down.stderr).toMatch(
        /store "gsm" is unavailable for secret "(API_KEY|DB_PASSWORD)" \(atmos_dev_api_(API_KEY|DB_PASSWORD)\): AccessSecretVersion failed: UNAVAILABLE: The service is currently unavailable\./,
      );
    } finally {
      emu.clearFaults();
    }
  });

  it('get of a missing secret exits 1 naming the secret and how to set it', async () => {
    const run = await cli(['get', 'API_KEY', '-s', 'dev', '-c', 'api']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('secret is not initialized in its backend: "API_KEY"');
    expect(run.stderr).toContain('atmos-secret set API_KEY -s dev -c api');
  });
});
