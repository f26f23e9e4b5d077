// Issue 11: `describe` fails (exit 2) on a 1Password reference that does not parse, naming the declaring file
// and line, as list and validate report it; before, describe printed it and the error came at first use.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../test/support/secrets-workspace';
import type { CliRun } from '../../../test/support/cli';
import { runCliOn } from '../../../test/support/in-process-cli';

afterAll(removeWrittenWorkspaces);

const keychains = new MemoryKeychains();

const run = (dir: string, args: string[]): Promise<CliRun> => runCliOn(dir, args, keychains);

describe('describe and 1Password references', () => {
  const dir = writeWorkspace({
    'atmos.yaml':
      'base_path: "."\nstacks: {base_path: stacks, included_paths: ["**/*"]}\nstores:\n  op: {kind: onepassword}\n',
    'stacks/dev.yaml': [
      'components:',
      '  terraform:',
      '    api:',
      '      secrets:',
      '        vars:',
      "          BAD: {store: op, reference: 'op://Shared/only-two'}",
      '',
    ].join('\n'),
  });

  it.each([
    ['describe component', ['describe', 'component', 'api', '-s', 'dev']],
    ['describe stacks', ['describe', 'stacks']],
  ])('%s exits 2 naming the secret and the declaring file and line', async (_label, args) => {
    const r = await run(dir, args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('secret "BAD"');
    expect(r.stderr).toContain(`${join(dir, 'stacks/dev.yaml')}:6`);
  });
});
