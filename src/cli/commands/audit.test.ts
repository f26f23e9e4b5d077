// `atmos-secret audit` in-process over the health workspace (memory keychains, real SOPS files): the JSON report
// and the SARIF log validate against their schemas, findings sit on the declaring manifest line, --fail-on and
// the exit codes, bad options exit 2, and no value reaches stdout or stderr.
import { afterAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../context';
import { runCli } from '../program';
import { auditJsonErrors, sarifErrors } from '../../../test/support/audit-schemas';
import { healthWorkspace, type HealthWorkspace } from '../../../test/support/health-workspace';
import { MemoryKeychains, removeWrittenWorkspaces } from '../../../test/support/secrets-workspace';

afterAll(removeWrittenWorkspaces);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function setup(): Promise<{ w: HealthWorkspace; audit: (...args: string[]) => Promise<Run> }> {
  const keychains = new MemoryKeychains();
  const w = await healthWorkspace(() => new Date(), keychains);
  const audit = async (...args: string[]): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
      env: { XDG_CONFIG_HOME: `${w.dir}/no-config` },
      cwd: w.dir,
      keychain: (service) => keychains.get(service),
    };
    const code = await runCli(['audit', ...args, '--base-path', w.dir], ctx, '1.2.3');
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  return { w, audit };
}

function expectNoValue(w: HealthWorkspace, r: Run): void {
  for (const v of w.values.filter((x) => x.length >= 6)) expect(`${r.stdout}${r.stderr}`).not.toContain(v);
}

describe('atmos-secret audit', () => {
  it('--format json: the documented report, valid against docs/schemas/audit-report.schema.json; exit 1 on errors', async () => {
    const { w, audit } = await setup();
    const r = await audit('--format', 'json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('audit failed:');
    const doc = JSON.parse(r.stdout) as {
      failed: boolean;
      tool: { version: string };
      findings: { kind: string; places: { file: string | null; line: number | null }[] }[];
    };
    expect(auditJsonErrors(doc)).toEqual([]);
    expect(doc.failed).toBe(true);
    expect(doc.tool.version).toBe('1.2.3');
    expect(doc.findings.map((f) => f.kind).sort()).toEqual([
      'empty',
      'low-entropy',
      'missing',
      'reused-across-environments',
      'reused-across-names',
      'short',
      'short',
    ]);
    expectNoValue(w, r);
  });

  it('--format sarif: a valid SARIF 2.1.0 log with each result on the declaring manifest line', async () => {
    const { w, audit } = await setup();
    const r = await audit('--format', 'sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          partialFingerprints?: Record<string, string>;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(sarifErrors(log)).toEqual([]);
    const missing = log.runs[0]?.results.find((x) => x.ruleId === 'missing');
    const loc = missing?.locations[0]?.physicalLocation;
    expect(loc?.artifactLocation.uri).toBe('stacks/dev.yaml');
    // NEEDED is declared on line 13 of the generated dev stack (after 7 header lines and 5 other declarations).
    expect(loc?.region?.startLine).toBe(13);
    expect(missing?.level).toBe('error');
    // The same finding keeps its fingerprint from one run to the next (code scanning tracks one alert).
    const again = JSON.parse((await audit('--format', 'sarif')).stdout) as typeof log;
    const print = (l: typeof log): unknown =>
      l.runs[0]?.results.find((x) => x.ruleId === 'missing')?.partialFingerprints;
    expect(print(again)).toEqual(print(log));
    expect(print(log)).toEqual({ 'atmosSecretsFinding/v1': expect.stringMatching(/^[0-9a-f]{64}$/) });
    expectNoValue(w, r);
  });

  it('--fail-on: with only warnings below the threshold it exits 0; the table names counts', async () => {
    const { w, audit } = await setup();
    // prod alone: no finding at all.
    const clean = await audit('-s', 'prod', '--fail-on', 'warning');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no findings');
    const all = await audit('--fail-on', 'warning');
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/SEVERITY\s+KIND\s+WHERE\s+FINDING/);
    expect(all.stdout).toContain('reused-across-environments 1');
    expectNoValue(w, all);
  });

  it('bad options exit 2 with the fix', async () => {
    const { audit } = await setup();
    const age = await audit('--max-age', 'ninety');
    expect(age.code).toBe(2);
    expect(age.stderr).toContain('--max-age 90d');
    expect((await audit('--fail-on', 'info')).code).toBe(2);
    expect((await audit('--format', 'xml')).code).toBe(2);
    const stack = await audit('-s', 'nope');
    expect(stack.code).toBe(2);
    expect(stack.stderr).toContain('stack "nope" not found');
  });
});
