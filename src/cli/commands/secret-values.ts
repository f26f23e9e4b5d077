// `atmos-secret set|get|delete NAME`: values from --stdin or a masked prompt (inline NAME=VALUE works, with a
// warning about shell history); get prints text, json or env; shared secrets need confirmation.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import {
  formatSecretFile,
  setCommand,
  type KeptSharedValue,
  type SecretPlace,
  type SecretsService,
} from '../../main/secrets';
import type { CliContext } from '../context';
import { parseFormat } from '../output';
import {
  addTargetOptions,
  componentOf,
  readStdin,
  requireStack,
  serviceFor,
  shellWord,
  type TargetOptions,
} from '../secret-options';

interface SetOptions extends TargetOptions {
  readonly stdin?: boolean;
}

/**
 * A value piped in with `--stdin` (`set`, `rotate`): one trailing newline from the pipe (`echo x |`) is not part
 * of the value.
 */
export async function readStdinValue(ctx: CliContext): Promise<string> {
  const text = await readStdin(ctx);
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

async function valueFor(
  place: SecretPlace,
  inline: string | undefined,
  o: SetOptions,
  ctx: CliContext,
): Promise<string> {
  const name = place.name;
  if (inline !== undefined) {
    if (o.stdin) throw new AppError('USAGE', 'give the value either inline (NAME=VALUE) or with --stdin, not both');
    ctx.io.stderr(
      'warning: a value given inline lands in your shell history and the process list; prefer --stdin or the prompt\n',
    );
    return inline;
  }
  if (o.stdin) return readStdinValue(ctx);
  if (ctx.io.interactive && ctx.promptSecret) return ctx.promptSecret(`Value for ${name}: `);
  throw new AppError('USAGE', `no value for ${name}`, {
    hint: `Pipe it with --stdin: printf %s "$VALUE" | ${setCommand(place, '--stdin')}; or run in a terminal for a masked prompt.`,
  });
}

const GET_FORMATS = ['text', 'json', 'env'] as const;

interface DeleteOptions extends TargetOptions {
  readonly all?: boolean;
  readonly includeShared?: boolean;
}

/** What delete --all kept because other stacks use it: who uses it, and the command that deletes it too. */
function printKeptShared(
  kept: readonly KeptSharedValue[],
  stack: string,
  component: string | undefined,
  ctx: CliContext,
): void {
  if (kept.length === 0) return;
  for (const k of kept) {
    const others = k.stacks.filter((s) => s !== stack);
    ctx.io.stderr(`Kept ${k.secret} (${k.scope}, ${k.where}): also used by stack(s) ${others.join(', ')}:\n`);
    const lines = k.consumers.map((c) => `  ${c.stack}/${c.component}`);
    for (const l of lines.slice(0, 25)) ctx.io.stderr(`${l}\n`);
    if (lines.length > 25) ctx.io.stderr(`  ... and ${lines.length - 25} more\n`);
  }
  const c = component ? ` -c ${component}` : '';
  ctx.io.stderr(
    `${kept.length} shared value(s) kept. To delete them too: atmos-secret delete --all -s ${stack}${c} --include-shared --yes\n`,
  );
}

export function registerSecretValues(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('set')
      .alias('add')
      .description(
        'Set a declared secret (value from --stdin or a masked prompt; NAME=VALUE inline is accepted with a warning)',
      )
      .argument('<name>', 'the declared secret, optionally NAME=VALUE')
      .option('--stdin', 'read the value from standard input (one trailing newline is dropped)'),
    { confirm: true },
  ).action(async (arg: string, o: SetOptions, command: Command) => {
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const stack = requireStack(o, ctx);
    // The confirmation's hint needs the resolved place, known once the service has described the target.
    const resolved: { place?: SecretPlace } = {};
    const rerun = (): string | undefined =>
      resolved.place && `printf %s "$VALUE" | ${setCommand(resolved.place, '--stdin')}`;
    const svc = await serviceFor(command, ctx, o, rerun);
    // Resolve first, so a misspelt name fails before anyone types a value.
    const target = svc.describe({ stack, component: componentOf(o, ctx), name });
    const place = { name, stack: target.stack, component: target.component, scope: target.scope };
    resolved.place = place;
    const value = await valueFor(place, inline, o, ctx);
    const r = await svc.set({ stack, component: componentOf(o, ctx), name, value });
    ctx.io.stderr(
      `Set ${r.target.secret} (${r.target.scope}) in ${r.target.where}${r.target.scope === 'instance' ? '' : `, used by ${r.stacks} stack(s) and ${r.components} component(s)`}.\n`,
    );
  });

  addTargetOptions(
    program
      .command('get')
      .description("Print a declared secret's value")
      .argument('<name>', 'the declared secret')
      .option('--format <format>', 'text|json|env', 'text')
      .option('-r, --raw', 'print the value without a trailing newline (text only)')
      .option('--path <query>', 'a yq-style path into a JSON value, e.g. .credentials.password'),
  ).action(
    async (name: string, o: TargetOptions & { format: string; raw?: boolean; path?: string }, command: Command) => {
      const format = parseFormat(o.format, GET_FORMATS);
      if (o.raw && format !== 'text') throw new AppError('USAGE', '--raw works with --format text only');
      const stack = requireStack(o, ctx);
      const svc = await serviceFor(command, ctx, o);
      const { value, structured } = await svc.get({ stack, component: componentOf(o, ctx), name, path: o.path });
      switch (format) {
        case 'text':
          ctx.io.stdout(o.raw ? value : `${value}\n`);
          break;
        case 'json':
          // A map or list (a SOPS file's) is JSON itself, not a JSON-encoded string.
          ctx.io.stdout(`${JSON.stringify({ name, value: structured ?? value })}\n`);
          break;
        case 'env':
          ctx.io.stdout(formatSecretFile({ [name]: value }, 'env'));
          break;
        default: {
          const never: never = format;
          throw new AppError('INTERNAL', `unexpected format ${String(never)}`);
        }
      }
    },
  );

  addTargetOptions(
    program
      .command('delete')
      .aliases(['rm', 'unset'])
      .description("Delete a declared secret's value from its backend (the declaration stays); asks first unless --yes")
      .argument('[name]', 'the declared secret (omit with --all)')
      .option('--all', 'delete every declared secret value the stack (or -c component) uses alone')
      .option('--include-shared', 'with --all: also delete values other stacks use (global secrets, shared paths)'),
    { confirm: true },
  ).action(async (name: string | undefined, o: DeleteOptions, command: Command) => {
    if (o.all === true && name !== undefined) throw new AppError('USAGE', 'give a NAME or --all, not both');
    if (o.includeShared === true && o.all !== true) throw new AppError('USAGE', '--include-shared goes with --all');
    if (o.all !== true && name === undefined) throw new AppError('USAGE', 'delete needs a NAME (or --all)');
    const stack = requireStack(o, ctx);
    const component = componentOf(o, ctx);
    const c = component ? ` -c ${shellWord(component)}` : '';
    const rerun = (): string =>
      o.all === true
        ? `atmos-secret delete --all -s ${shellWord(stack)}${c}${o.includeShared === true ? ' --include-shared' : ''} --yes`
        : `atmos-secret delete ${shellWord(name ?? '')} -s ${shellWord(stack)}${c} --yes`;
    const svc = await serviceFor(command, ctx, o, rerun);
    if (o.all === true) {
      const r = await svc.deleteAll({ stack, component, includeShared: o.includeShared === true });
      for (const v of r.values)
        ctx.io.stderr(`${v.deleted ? 'Deleted' : 'Nothing to delete for'} ${v.secret} (${v.where}).\n`);
      ctx.io.stderr(`${r.values.filter((v) => v.deleted).length} of ${r.values.length} value(s) deleted.\n`);
      printKeptShared(r.keptShared, stack, component, ctx);
      return;
    }
    const r = await svc.delete({ stack, component: componentOf(o, ctx), name: name ?? '' });
    ctx.io.stderr(deletedText(r));
  });
}

type DeleteResult = Awaited<ReturnType<SecretsService['delete']>>;

/**
 * What `delete NAME` did. A backend that only schedules deletions (Secrets Manager's recovery window) says until
 * when the value can be recovered: the window and the date the service itself answered (`result.recovery`).
 */
export function deletedText(r: DeleteResult): string {
  if (!r.deleted) return `${r.target.secret} had no value in ${r.target.where}; nothing to delete.\n`;
  const deleted = `Deleted ${r.target.secret} from ${r.target.where}`;
  if (!r.recovery) return `${deleted}.\n`;
  if (r.recovery.days === 0) return `${deleted}; deleted at once, without recovery (recovery window of 0 days).\n`;
  const until = r.recovery.recoverableUntil?.slice(0, 16).replace('T', ' ');
  return (
    `${deleted}; scheduled for deletion in ${r.recovery.days} days` +
    `${until ? `, recoverable until ${until} UTC` : ''} (setting it again restores it).\n`
  );
}
