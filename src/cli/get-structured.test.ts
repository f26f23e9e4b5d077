// `get --format json` of a structured SOPS value (a map or list in the file) prints it as JSON, not as a
// JSON-encoded string; `text` prints its JSON text; a plain string stays a string in both.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessCli, type InProcessCli } from '../../test/support/in-process-cli';
import { AgeKeySource, createSopsFile } from '../main/sops';

let cli: InProcessCli | undefined;
afterEach(() => cli?.cleanup());

const DB = { user: 'app', port: 5432, tags: ['primary', 'eu'], tls: { verify: true } };

function harness() {
  cli = inProcessCli();
  return { run: cli.run, dir: cli.dir };
}

describe('get a structured SOPS value', () => {
  it('--format json prints the map as JSON; text prints its JSON text', async () => {
    const { run, dir } = harness();
    const kg = await run(['keygen', 'files']);
    expect(kg.code, kg.stderr).toBe(0);
    mkdirSync(join(dir, 'secrets'));
    await createSopsFile(
      join(dir, 'secrets', 'dev.enc.yaml'),
      { SOPS_KEY: DB },
      { keySources: { age: new AgeKeySource() }, keyGroups: [[{ type: 'age', recipient: kg.stdout.trim() }]] },
    );
    const json = await run(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ name: 'SOPS_KEY', value: DB });
    const text = await run(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc']);
    expect(JSON.parse(text.stdout)).toEqual(DB);
    // --path into the map: a sub-map is structured too, a leaf string stays a string.
    const tls = await run(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--format', 'json', '--path', '.tls']);
    expect(JSON.parse(tls.stdout)).toEqual({ name: 'SOPS_KEY', value: { verify: true } });
    const user = await run(['get', 'SOPS_KEY', '-s', 'dev', '-c', 'enc', '--format', 'json', '--path', '.user']);
    expect(JSON.parse(user.stdout)).toEqual({ name: 'SOPS_KEY', value: 'app' });
  });

  it('a string value that happens to be JSON text stays a string', async () => {
    const { run } = harness();
    const set = await run(['set', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--stdin'], '{"a":1}');
    expect(set.code, set.stderr).toBe(0);
    const json = await run(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({ name: 'DB_PASSWORD', value: '{"a":1}' });
  });
});
