// End to end: the built `atmos-secret` CLI, as a real process, against the Secret Manager emulator through a
// workspace whose atmos.yaml points a gcp/secretmanager store at it (`endpoint: http://127.0.0.1:PORT`):
// set --stdin, get, list --verify, delete --yes, and a Secret Manager that is down (status `error`, never
// `missing`). No value ever reaches the CLI's output.
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/gcp-secretmanager';
import { storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-gcp`;
const PROJECT = 'cli-project';

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => ({
    'atmos.yaml': atmosYaml([
      'stores:',
      '  gsm:',
      '    kind: gcp/secretmanager',
      '    secret: true',
      '    options:',
      `      project_id: ${PROJECT}`,
      `      endpoint: ${emu.endpoint}`,
      '      prefix: atmos',
      '      max_attempts: 2',
    ]),
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'gsm', required: true }, API_KEY: { store: 'gsm' } } }),
  }),
});
const cli = (args: string[], stdin?: string) => t.cli(args, { stdin });
const listVerify = () => t.listVerify();

describe('atmos-secret with a gcp/secretmanager store (spawned CLI, Secret Manager emulator)', () => {
  it('set --stdin, get, list --verify, delete --yes', async () => {
    const set = await cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(CANARY);
    const secret = t.emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD');
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
    expect(t.emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD')).toBeUndefined();
    const after = await listVerify();
    expect(after.rows.find((r) => r.secret === 'DB_PASSWORD')?.status).toBe('missing');
  });

  it('a Secret Manager that is down makes every verified row `error` with its words (exit 1), never `missing`', async () => {
    t.emu.injectFault('unavailable', 100, 'AccessSecretVersion');
    try {
      const down = await listVerify();
      expect(down.code).toBe(1);
      expect(down.rows.map((r) => r.status)).toEqual(['error', 'error']);
      expect(down.stderr).toMatch(
        /store "gsm" is unavailable for secret "(API_KEY|DB_PASSWORD)" \(atmos_dev_api_(API_KEY|DB_PASSWORD)\): AccessSecretVersion failed: UNAVAILABLE: The service is currently unavailable\./,
      );
    } finally {
      t.emu.clearFaults();
    }
  });

  it('get of a missing secret exits 1 naming the secret and how to set it', async () => {
    const run = await cli(['get', 'API_KEY', '-s', 'dev', '-c', 'api']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('secret is not initialized in its backend: "API_KEY"');
    expect(run.stderr).toContain('atmos-secret set API_KEY -s dev -c api');
  });
});
