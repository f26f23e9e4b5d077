// `describe` over the bundled demo, in-process: masked secrets, canonical stack names, formats, errors. The
// demo's api still reads one value with `!store` from a secret store (the import wizard's example), which
// describe refuses as the spec says; the masking tests run on a copy where that value was imported (line gone).
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { MemoryKeychain } from '../main/keychain/memory-keychain';
import { REPO_ROOT } from '../../test/support/paths';
import type { CliContext } from './context';
import { runCli } from './program';

const DEMO = join(REPO_ROOT, 'examples/demo');
const LEGACY_LINE = 'CLIENT_SECRET: !store legacy atmos shared client_secret';

/** The demo after `import`: the legacy `!store` line removed. */
const IMPORTED = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-demo-imported-')));
cpSync(DEMO, IMPORTED, { recursive: true });
const API_DEFAULTS = join(IMPORTED, 'stacks/catalog/api/defaults.yaml');
const apiDefaults = readFileSync(API_DEFAULTS, 'utf8');
writeFileSync(
  API_DEFAULTS,
  apiDefaults
    .split('\n')
    .filter((l) => !l.includes(LEGACY_LINE))
    .join('\n'),
);
afterAll(() => rmSync(IMPORTED, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
    env: {},
    cwd: REPO_ROOT,
    keychain: () => new MemoryKeychain(),
  };
  const code = await runCli(args, ctx, '1');
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('atmos-secret describe', () => {
  it('the demo keeps one legacy !store on a secret store: describe refuses it with the spec message', async () => {
    expect(apiDefaults).toContain(LEGACY_LINE);
    const r = await run(['describe', 'component', 'api', '-s', 'plat-ue2-dev', '--base-path', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain('store "legacy" is a secret store; use !secret instead of !store');
  });

  it('prints one component with secrets masked and scopes stamped', async () => {
    const r = await run([
      'describe',
      'component',
      'api',
      '-s',
      'plat-ue2-dev',
      '--base-path',
      IMPORTED,
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(doc['vars']).toMatchObject({ replicas: 1, stage: 'dev', tenant: 'plat' });
    expect(doc['env']).toMatchObject({ DB_PASSWORD: '<MASKED>', DD_API_KEY: '<MASKED>' });
    expect(doc['secrets']).toMatchObject({
      vars: {
        DATADOG_API_KEY: { scope: 'global', store: 'keychain' },
        SLACK_WEBHOOK_URL: { scope: 'stack' },
        DB_PASSWORD: { scope: 'instance', required: true },
      },
    });
  });

  it('prints every stack keyed by its canonical name, as yaml by default', async () => {
    const r = await run(['describe', 'stacks', '--base-path', IMPORTED]);
    expect(r.code).toBe(0);
    const doc = parse(r.stdout) as Record<string, { components: { terraform: Record<string, unknown> } }>;
    expect(Object.keys(doc).sort()).toEqual(['plat-ue2-dev', 'plat-ue2-prod']);
    expect(Object.keys(doc['plat-ue2-prod']?.components.terraform ?? {}).sort()).toEqual([
      'api',
      'worker',
      'worker-base',
    ]);
  });

  it('refuses an unknown stack, listing the valid names', async () => {
    const r = await run(['describe', 'component', 'api', '-s', 'orgs/acme/plat/dev/us-east-2', '--base-path', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stack "orgs/acme/plat/dev/us-east-2" not found');
    expect(r.stderr).toContain('plat-ue2-dev, plat-ue2-prod');
  });

  it('needs -s for a component (exit 2)', async () => {
    const r = await run(['describe', 'component', 'api', '--base-path', DEMO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '-s, --stack <name>'");
  });
});
