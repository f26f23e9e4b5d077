// `atmos-secret describe stacks|component`: the merged vars, env, settings, metadata and secrets, with every
// secret shown as <MASKED>. Reads config only; no backend is called, but a `!secret` of an undeclared name fails.
import type { Command } from 'commander';
import { describeComponent, describeStacks, type Workspace } from '../../main/config';
import { assertSecretsDeclared } from '../../main/secrets';
import type { CliContext } from '../context';
import { formatDocument, parseFormat } from '../output';
import { workspaceFor } from '../workspace';

const DOC_FORMATS = ['yaml', 'json'] as const;

export function registerDescribe(program: Command, ctx: CliContext): void {
  const describe = program
    .command('describe')
    .description('Show merged stack and component configuration (secrets masked)');

  describe
    .command('stacks')
    .description("Every stack, keyed by stack name, with its components' merged sections")
    .option('-s, --stack <name>', 'only this stack')
    .option('--format <format>', 'output format: yaml|json', 'yaml')
    .action(async (opts: { stack?: string; format: string }, command: Command) => {
      const format = parseFormat(opts.format, DOC_FORMATS);
      const ws = await workspaceFor(command, ctx);
      for (const name of opts.stack ? [ws.resolveStack(opts.stack).name] : ws.stackNames()) checkStack(ws, name);
      const all = describeStacks(ws);
      const doc = opts.stack ? { [ws.resolveStack(opts.stack).name]: all[ws.resolveStack(opts.stack).name] } : all;
      ctx.io.stdout(formatDocument(doc, format));
    });

  describe
    .command('component')
    .description('One component in one stack')
    .argument('<component>', 'the component instance name')
    .requiredOption('-s, --stack <name>', 'the stack (its canonical name)')
    .option('--format <format>', 'output format: yaml|json', 'yaml')
    .action(async (component: string, opts: { stack: string; format: string }, command: Command) => {
      const format = parseFormat(opts.format, DOC_FORMATS);
      const ws = await workspaceFor(command, ctx);
      const described = describeComponent(ws, component, opts.stack);
      assertSecretsDeclared(ws.componentConfig(ws.resolveStack(opts.stack).name, component));
      ctx.io.stdout(formatDocument(described, format));
    });
}

/** Misspelt `!secret` names fail describe too (abstract bases may use names only their inheritors declare). */
function checkStack(ws: Workspace, stack: string): void {
  for (const c of ws.components(stack))
    if (!c.abstract) assertSecretsDeclared(ws.componentConfig(stack, c.name, c.type));
}
