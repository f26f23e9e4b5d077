// The explain and diff commands in-process: table and json output, the JSON valid against its schema, exit
// codes (diff: 0 whether or not the stacks differ, 2 for usage), and no value in any output.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { diffJsonErrors, explainJsonErrors } from '../../../test/support/explain-schemas';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import type { CliRun } from '../../../test/support/cli';
import { runCliOn } from '../../../test/support/in-process-cli';

afterAll(removeWrittenWorkspaces);

const ATMOS = `base_path: "."
stacks: {base_path: stacks, included_paths: ["deploy/*.yaml"], name_template: "{{ .vars.stage }}"}
stores:
  kc: {kind: keychain, options: {prefix: fx, service: svc}}
secrets:
  providers:
    files:
      kind: sops/age
      spec: {file: "secrets/{{ .atmos_stack }}.enc.yaml", age_key: {store: kc}}
`;

function stack(stage: string): string {
  return `import: [catalog/base]
vars: {stage: ${stage}}
components:
  terraform:
    api:
      metadata: {inherits: [base]}
      secrets:
        vars:
          DB: {description: db}
          TOKEN: {sops: files}
`;
}

let keychains = new MemoryKeychains();
afterEach(() => {
  keychains = new MemoryKeychains();
});

function workspace(): string {
  return writeWorkspace({
    'atmos.yaml': ATMOS,
    'stacks/catalog/base.yaml':
      'components:\n  terraform:\n    base:\n      metadata: {type: abstract}\n      secrets:\n        vars:\n          DB: {store: kc, required: true}\n',
    'stacks/deploy/dev.yaml': stack('dev'),
    'stacks/deploy/prod.yaml': stack('prod'),
  });
}

const run = (dir: string, args: string[], stdin = ''): Promise<CliRun> => runCliOn(dir, args, keychains, stdin);

describe('atmos-secret explain', () => {
  it('prints the files and lines, backend name and consumers, and valid JSON', async () => {
    const dir = workspace();
    const table = await run(dir, ['explain', 'DB', '-s', 'dev', '-c', 'api']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('stacks/catalog/base.yaml:7  components.terraform.base.secrets.vars.DB');
    expect(table.stdout).toContain('* stacks/deploy/dev.yaml:9  components.terraform.api.secrets.vars.DB');
    expect(table.stdout).toContain('name:       fx/dev/api/DB');
    expect(table.stdout).toContain('Identity:     not used');
    expect(table.stdout).not.toContain('Status:');
    const json = await run(dir, ['explain', 'TOKEN', '-s', 'dev', '-c', 'api', '--format', 'json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { schemaVersion: number; backend: { kind: string } };
    expect(explainJsonErrors(doc)).toEqual([]);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.backend.kind).toBe('sops');
  });

  it('--verify adds the status; its JSON is valid too', async () => {
    const dir = workspace();
    const value = 'explain-cli-value-9f3';
    expect((await run(dir, ['set', 'DB', '-s', 'dev', '-c', 'api', '--stdin'], value)).code).toBe(0);
    const r = await run(dir, ['explain', 'DB', '-s', 'dev', '-c', 'api', '--verify', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { status: unknown };
    expect(explainJsonErrors(doc)).toEqual([]);
    expect(doc.status).toEqual({ value: 'initialized', detail: null });
    expect(r.stdout + r.stderr).not.toContain(value);
  });

  it('exits 2 for an undeclared name and without -s', async () => {
    const dir = workspace();
    expect((await run(dir, ['explain', 'NOPE', '-s', 'dev', '-c', 'api'])).code).toBe(2);
    const noStack = await run(dir, ['explain', 'DB']);
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toContain('-s/--stack');
  });
});

describe('atmos-secret diff', () => {
  it('exits 0 whether or not the stacks differ; table and schema-valid JSON never show a value', async () => {
    const dir = workspace();
    const same = await run(dir, ['diff', '-s', 'dev', '-s', 'prod', '--format', 'json']);
    expect(same.code).toBe(0);
    const before = JSON.parse(same.stdout) as { summary: { differing: number } };
    expect(diffJsonErrors(before)).toEqual([]);
    expect(before.summary.differing).toBe(0);
    const value = 'diff-cli-value-7c1';
    expect((await run(dir, ['set', 'DB', '-s', 'dev', '-c', 'api', '--stdin'], value)).code).toBe(0);
    const json = await run(dir, ['diff', '-s', 'dev', '-s', 'prod', '--format', 'json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { summary: { differing: number }; rows: { secret: string; set: string }[] };
    expect(diffJsonErrors(doc)).toEqual([]);
    expect(doc.summary.differing).toBe(1);
    expect(doc.rows.find((x) => x.secret === 'DB')?.set).toBe('a');
    const table = await run(dir, ['diff', '-s', 'dev', '-s', 'prod']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/≠\s+api\s+DB/);
    expect(table.stdout).toContain('1 differ');
    for (const out of [json, table]) expect(out.stdout + out.stderr).not.toContain(value);
  });

  it('exits 2 unless given exactly two stacks', async () => {
    const dir = workspace();
    const one = await run(dir, ['diff', '-s', 'dev']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('exactly two stacks');
    expect((await run(dir, ['diff', '-s', 'dev', '-s', 'prod', '-s', 'dev'])).code).toBe(2);
    expect((await run(dir, ['diff', '-s', 'dev', '-s', 'dev'])).code).toBe(2);
  });
});
