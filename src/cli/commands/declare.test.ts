import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoCli, type DemoCli } from '../../../test/support/demo-cli';

const DEV = 'plat-ue2-dev';
const DEV_FILE = 'stacks/orgs/acme/plat/dev/us-east-2.yaml';
const API_CATALOG = 'stacks/catalog/api/defaults.yaml';

let cli: DemoCli;
beforeEach(() => {
  cli = demoCli();
});
afterEach(() => cli.cleanup());

const read = (rel: string): string => readFileSync(cli.path(rel), 'utf8');

interface ListRow {
  stack: string;
  component: string;
  secret: string;
  scope: string;
  provider: string;
}

async function listed(stack = DEV): Promise<ListRow[]> {
  const r = await cli.run(['list', '-s', stack, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ListRow[];
}

describe('atmos-secret declare', () => {
  it('adds an instance declaration to the stack manifest, prints the diff, and the engine sees it', async () => {
    const before = read(DEV_FILE);
    const r = await cli.run([
      'declare',
      'NEW_TOKEN',
      '-s',
      DEV,
      '-c',
      'api',
      '--store',
      'keychain',
      '--description',
      'A token: new',
      '--required',
      '--yes',
    ]);
    expect(r.code).toBe(0);
    const added =
      '      secrets:\n        vars:\n          NEW_TOKEN:\n            description: "A token: new"\n            store: keychain\n            required: true\n';
    expect(read(DEV_FILE)).toBe(before + added);
    expect(r.stdout).toContain('+++ b/stacks/orgs/acme/plat/dev/us-east-2.yaml');
    expect(r.stdout).toContain('+          NEW_TOKEN:\n');
    expect(r.stderr).toContain('atmos-demo/plat/ue2/dev/api/NEW_TOKEN');
    expect(await listed()).toContainEqual(
      expect.objectContaining({ component: 'api', secret: 'NEW_TOKEN', scope: 'instance', provider: 'store:keychain' }),
    );
  });

  it('adds a stack declaration at the top level with a SOPS provider (json report)', async () => {
    const r = await cli.run(['declare', 'STACKY', '-s', DEV, '--sops', 'demo-sops', '--format', 'json', '--yes']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      action: string;
      saved: boolean;
      declaration: { scope: string; where: string };
    };
    expect(report).toMatchObject({ action: 'add', saved: true, declaration: { scope: 'stack', position: 'stack' } });
    expect(report.declaration.where).toContain('secrets/plat-ue2-dev.enc.yaml');
    expect(read(DEV_FILE)).toMatch(/\nsecrets:\n {2}vars:\n {4}STACKY:\n {6}sops: demo-sops\n$/);
    expect(await listed()).toContainEqual(
      expect.objectContaining({ component: '*', secret: 'STACKY', provider: 'sops:demo-sops' }),
    );
  });

  it('edits a declaration in the file that holds it, one line per changed field', async () => {
    const before = read(API_CATALOG);
    const r = await cli.run([
      'declare',
      'DB_PASSWORD',
      '-s',
      DEV,
      '-c',
      'api',
      '--description',
      'Changed',
      '--no-required',
      '--yes',
    ]);
    expect(r.code).toBe(0);
    expect(read(API_CATALOG)).toBe(
      before
        .replace("            description: Password of the api's database user\n", '            description: Changed\n')
        .replace(
          '            store: keychain\n            required: true\n          STRIPE',
          '            store: keychain\n          STRIPE',
        ),
    );
    expect(read(DEV_FILE)).toBe(readFileSync(`${__dirname}/../../../examples/demo/${DEV_FILE}`, 'utf8'));
  });

  it('--file: a catalog the stack imports, or a new file with a warning that the stack does not import it', async () => {
    const worker = 'stacks/catalog/worker/defaults.yaml';
    const before = read(worker);
    const r = await cli.run([
      'declare',
      'QUEUE_SALT',
      '-s',
      DEV,
      '-c',
      'worker',
      '--store',
      'keychain',
      '--file',
      worker,
      '--yes',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('warning');
    expect(read(worker)).toBe(
      before.replace(
        '            required: true\n      env:',
        '            required: true\n          QUEUE_SALT:\n            store: keychain\n      env:',
      ),
    );
    const fresh = await cli.run([
      'declare',
      'LONELY',
      '-s',
      DEV,
      '-c',
      'api',
      '--store',
      'keychain',
      '--file',
      'stacks/mixins/extra.yaml',
      '--yes',
    ]);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toContain('warning: stack plat-ue2-dev does not import stacks/mixins/extra.yaml');
    expect(read('stacks/mixins/extra.yaml')).toBe(
      'components:\n  terraform:\n    api:\n      secrets:\n        vars:\n          LONELY:\n            store: keychain\n',
    );
  });

  it('edits and removes a declaration where an !include brought it from', async () => {
    const catalog = read(API_CATALOG);
    const start = catalog.indexOf('          DB_PASSWORD:');
    const end = catalog.indexOf('      env:');
    writeFileSync(
      cli.path(API_CATALOG),
      `${catalog.slice(0, start).replace('        vars:\n', '        vars: !include ./api-secrets.yaml\n')}${catalog.slice(end)}`,
    );
    const included = catalog
      .slice(start, end)
      .split('\n')
      .map((l) => l.slice(10))
      .join('\n');
    writeFileSync(cli.path('stacks/catalog/api/api-secrets.yaml'), included);
    const catalogNow = read(API_CATALOG);
    const edit = await cli.run([
      'declare',
      'DB_PASSWORD',
      '-s',
      DEV,
      '-c',
      'api',
      '--description',
      'From the include',
      '--yes',
    ]);
    expect(edit.code).toBe(0);
    expect(read('stacks/catalog/api/api-secrets.yaml')).toBe(
      included.replace("description: Password of the api's database user", 'description: From the include'),
    );
    expect(read(API_CATALOG)).toBe(catalogNow);
    const removed = await cli.run(['undeclare', 'STRIPE_API_KEY', '-s', DEV, '-c', 'api', '--yes']);
    expect(removed.code).toBe(0);
    expect(read('stacks/catalog/api/api-secrets.yaml')).not.toContain('STRIPE_API_KEY');
    expect(read('stacks/catalog/api/api-secrets.yaml')).toContain('DB_PASSWORD:\n  description: From the include\n');
  });

  it('without --yes and without a terminal prints the diff, writes nothing and exits 2', async () => {
    const before = read(DEV_FILE);
    const r = await cli.run(['declare', 'NEW_TOKEN', '-s', DEV, '-c', 'api', '--store', 'keychain']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('+          NEW_TOKEN:');
    expect(r.stderr).toContain('confirmation needed');
    expect(read(DEV_FILE)).toBe(before);
  });

  it('stops with exit 1 when the file changed on disk after it was read', async () => {
    const r = await cli.run(['declare', 'NEW_TOKEN', '-s', DEV, '-c', 'api', '--store', 'keychain'], {
      confirm: async () => {
        // Someone saves the manifest in an editor while the person reads the diff.
        writeFileSync(cli.path(DEV_FILE), `${read(DEV_FILE)}# edited elsewhere\n`);
        return true;
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('changed on disk since it was read');
    expect(read(DEV_FILE)).not.toContain('NEW_TOKEN');
    expect(read(DEV_FILE)).toContain('# edited elsewhere');
  });

  it('refuses bad input with exit 2: both backends, an unknown store, a bad name, a scope the position contradicts', async () => {
    const before = read(DEV_FILE);
    const both = await cli.run([
      'declare',
      'X',
      '-s',
      DEV,
      '-c',
      'api',
      '--store',
      'keychain',
      '--sops',
      'demo-sops',
      '--yes',
    ]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('not both')]);
    const unknown = await cli.run(['declare', 'X', '-s', DEV, '-c', 'api', '--store', 'nope', '--yes']);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      expect.stringContaining('store "nope", which is not configured'),
    ]);
    const name = await cli.run(['declare', '1X', '-s', DEV, '-c', 'api', '--store', 'keychain', '--yes']);
    expect([name.code, name.stderr]).toEqual([2, expect.stringContaining('is not a secret name')]);
    const scope = await cli.run(['declare', 'DB_PASSWORD', '-s', DEV, '-c', 'api', '--scope', 'stack', '--yes']);
    expect([scope.code, scope.stderr]).toEqual([2, expect.stringContaining('its position implies "instance"')]);
    const neither = await cli.run(['declare', 'X', '-s', DEV, '-c', 'api', '--yes']);
    expect([neither.code, neither.stderr]).toEqual([2, expect.stringContaining('needs --store or --sops')]);
    expect(read(DEV_FILE)).toBe(before);
  });
});

describe('atmos-secret undeclare', () => {
  it('removes the declaration and, with --delete-value, the stored value', async () => {
    const set = await cli.run(['set', 'STRIPE_API_KEY', '-s', DEV, '-c', 'api', '--stdin'], { stdin: 'sk_test_1' });
    expect(set.code).toBe(0);
    const keychain = cli.keychains.get();
    expect(await keychain.get('atmos-demo/plat/ue2/dev/api/STRIPE_API_KEY')).toBe(JSON.stringify('sk_test_1'));
    const before = read(API_CATALOG);
    const r = await cli.run(['undeclare', 'STRIPE_API_KEY', '-s', DEV, '-c', 'api', '--delete-value', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-          STRIPE_API_KEY:\n');
    expect(read(API_CATALOG)).toBe(
      before.replace(
        '          STRIPE_API_KEY:\n            description: Stripe secret key\n            store: keychain\n',
        '',
      ),
    );
    expect(await keychain.get('atmos-demo/plat/ue2/dev/api/STRIPE_API_KEY')).toBeNull();
  });

  it('keeps the value without --delete-value and says so', async () => {
    await cli.run(['set', 'STRIPE_API_KEY', '-s', DEV, '-c', 'api', '--stdin'], { stdin: 'sk_test_2' });
    const r = await cli.run(['undeclare', 'STRIPE_API_KEY', '-s', DEV, '-c', 'api', '--format', 'json', '--yes']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      secret: 'STRIPE_API_KEY',
      valueStored: true,
      valueDeleted: false,
      saved: true,
    });
    expect(await cli.keychains.get().get('atmos-demo/plat/ue2/dev/api/STRIPE_API_KEY')).toBe(
      JSON.stringify('sk_test_2'),
    );
  });

  it('a global secret lists its consumers before deleting its value; declined, nothing changes', async () => {
    await cli.run(['set', 'DATADOG_API_KEY', '-s', DEV, '-c', 'api', '--stdin', '--yes'], { stdin: 'dd' });
    const before = read('stacks/catalog/secrets/shared.yaml');
    const questions: string[] = [];
    const r = await cli.run(['undeclare', 'DATADOG_API_KEY', '-s', DEV, '-c', 'api', '--delete-value'], {
      confirm: async (q) => {
        questions.push(q);
        // Yes to the plan, no to deleting a value every stack shares.
        return questions.length === 1;
      },
    });
    expect(r.code).toBe(1);
    expect(questions).toHaveLength(2);
    expect(r.stderr).toContain('plat-ue2-prod/api');
    expect(read('stacks/catalog/secrets/shared.yaml')).toBe(before);
    expect(await cli.keychains.get().get('atmos-demo/DATADOG_API_KEY')).toBe(JSON.stringify('dd'));
  });

  it('names an undeclared secret with exit 2', async () => {
    const r = await cli.run(['undeclare', 'NOPE', '-s', DEV, '-c', 'api', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('secret is not declared: "NOPE"');
  });
});
