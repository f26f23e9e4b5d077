// `atmos-secret describe stacks|component`: the merged vars, env, settings, metadata and secrets, with every
// secret shown as <MASKED>. No secret is read, but a `!secret` of an undeclared name fails. Both read
// `!store`/`!store.get` values from plain stores, as Atmos does (`--process-functions=false`: shown as written).
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import { describeComponent, describeStacksEach, type ComponentConfig, type Workspace } from '../../main/config';
import {
  assertSecretsDeclared,
  evaluateStackStoreRefs,
  evaluateStoreRefs,
  workspaceStoreOpener,
  workspaceStores,
} from '../../main/secrets';
import type { CliContext } from '../context';
import { documentWriter, formatDocument, parseFormat } from '../output';
import { workspaceFor } from '../workspace';

const DOC_FORMATS = ['yaml', 'json'] as const;
const PROCESS_FUNCTIONS_HELP =
  'read !store and !store.get values from plain stores (true, as Atmos does) or show them as written (false)';

export function registerDescribe(program: Command, ctx: CliContext): void {
  const describe = program
    .command('describe')
    .description('Show merged stack and component configuration (secrets masked)');

  describe
    .command('stacks')
    .description("Every stack, keyed by stack name, with its components' merged sections")
    .option('-s, --stack <name>', 'only this stack')
    .option('--format <format>', 'output format: yaml|json', 'yaml')
    .option('--process-functions <bool>', PROCESS_FUNCTIONS_HELP, 'true')
    .action(async (opts: { stack?: string; format: string; processFunctions: string }, command: Command) => {
      const format = parseFormat(opts.format, DOC_FORMATS);
      const processFunctions = parseBool('--process-functions', opts.processFunctions);
      const ws = await workspaceFor(command, ctx);
      const open = processFunctions ? workspaceStoreOpener(ws, ctx) : undefined;
      // Written stack by stack (a 1,000-stack estate never builds its whole document); each stack is checked
      // before it is described, so a problem in a later stack ends the output there, with its error.
      const w = documentWriter(format, ctx.io.stdout);
      for (const name of opts.stack ? [ws.resolveStack(opts.stack).name] : ws.stackNames()) {
        for (const [stack, entry] of describeStacksEach(ws, { check: checkComponent(ws) }, name)) {
          const shown = open ? await evaluateStackStoreRefs(ws, stack, entry, open) : { described: entry, notes: [] };
          for (const note of shown.notes) ctx.io.stderr(`note: ${note}\n`);
          w.entry(stack, shown.described);
        }
        // stdout on a pipe is written asynchronously: wait until what is queued is written (else the whole
        // document piles up in memory while this loop runs: 1 GB for a 1,000-stack estate).
        await ctx.io.drain?.();
      }
      w.end();
    });

  describe
    .command('component')
    .description('One component in one stack')
    .argument('<component>', 'the component instance name')
    .requiredOption('-s, --stack <name>', 'the stack (its canonical name)')
    .option('--format <format>', 'output format: yaml|json', 'yaml')
    .option('--process-functions <bool>', PROCESS_FUNCTIONS_HELP, 'true')
    .action(
      async (
        component: string,
        opts: { stack: string; format: string; processFunctions: string },
        command: Command,
      ) => {
        const format = parseFormat(opts.format, DOC_FORMATS);
        const processFunctions = parseBool('--process-functions', opts.processFunctions);
        const ws = await workspaceFor(command, ctx);
        const described = describeComponent(ws, component, opts.stack);
        const config = ws.componentConfig(ws.resolveStack(opts.stack).name, component);
        assertSecretsDeclared(config, workspaceStores(ws));
        // Reading a plain store is a network call, not code: done by default, as Atmos does; off with false.
        const shown = processFunctions
          ? await evaluateStoreRefs(described, config.sections, config.stack, workspaceStoreOpener(ws, ctx))
          : { described, notes: [] };
        for (const note of shown.notes) ctx.io.stderr(`note: ${note}\n`);
        ctx.io.stdout(formatDocument(shown.described, format));
      },
    );
}

/** Misspelt `!secret` names fail describe too (abstract bases may use names only their inheritors declare). */
/** Every `!secret` of a deployable component names a declaration (abstract ones are checked where inherited). */
function checkComponent(ws: Workspace): (c: ComponentConfig) => void {
  const stores = workspaceStores(ws);
  return (c) => {
    if (!c.abstract) assertSecretsDeclared(c, stores);
  };
}

/** `true` or `false`, as Atmos' boolean flags take them (`--process-functions=false`). */
function parseBool(flag: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new AppError('USAGE', `${flag} takes true or false, not "${value}"`, {
    hint: `Pass ${flag}=false or ${flag}=true.`,
  });
}
