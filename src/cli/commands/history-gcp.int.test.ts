// `atmos-secret history` as a real process against the Secret Manager emulator (gRPC): after two sets, the
// secret's versions newest first, the latest marked current, never a value.
import { describe, expect, it } from 'vitest';
import { start } from '../../../test/support/emulators/gcp-secretmanager';
import { storeCliSuite } from '../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../test/support/store-workspace';

const CANARY = `CANARY-${Math.random().toString(36).slice(2, 10)}-gcp-history`;
const PROJECT = 'history-project';

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
    [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'gsm' } } }),
  }),
});

interface History {
  supported: boolean;
  versions: { version: string; current: boolean }[];
}

describe('atmos-secret history with a gcp/secretmanager store (spawned CLI, Secret Manager emulator)', () => {
  it('prints the versions newest first with the current one marked, never values', async () => {
    for (const v of ['1', '2']) {
      const set = await t.cli(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], {
        stdin: `${CANARY}-${v}\n`,
      });
      expect(set.code, set.stderr).toBe(0);
    }
    expect(t.emu.secret(PROJECT, 'atmos_dev_api_DB_PASSWORD')?.versions).toHaveLength(2);

    const run = await t.cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const h = JSON.parse(run.stdout) as History;
    expect(h.supported).toBe(true);
    // Secret Manager numbers a secret's versions 1, 2, ...
    expect(h.versions.map((v) => [v.version, v.current])).toEqual([
      ['2', true],
      ['1', false],
    ]);
    const table = await t.cli(['history', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/\byes\b/);
    expect(run.stdout + run.stderr + table.stdout + table.stderr).not.toContain(CANARY);
  });
});
