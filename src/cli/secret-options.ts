// What the `atmos-secret` secret commands share: the target options (-s, -c, -i, --yes/-f), the secrets
// service over the loaded workspace with the context's keychain, and the confirmation that answers --yes,
// asks on a terminal, or stops with exit 2 when there is nobody to ask.
import type { Command } from 'commander';
import { AppError } from '../shared/errors';
import { createSecretsService, type Confirm, type ConfirmRequest, type SecretsService } from '../main/secrets';
import type { CliContext } from './context';
import { workspaceFor } from './workspace';

export interface TargetOptions {
  readonly stack?: string;
  readonly component?: string;
  readonly identity?: string;
  readonly yes?: boolean;
  readonly force?: boolean;
}

/** -s/-c/-i (falling back to ATMOS_STACK/ATMOS_COMPONENT/ATMOS_IDENTITY) and, when asked, --yes/-f. */
export function addTargetOptions(cmd: Command, opts: { confirm?: boolean } = {}): Command {
  cmd
    .option('-s, --stack <name>', 'the stack (its canonical name; env ATMOS_STACK)')
    .option('-c, --component <name>', 'the component (not needed for stack and global secrets; env ATMOS_COMPONENT)')
    .option('-i, --identity <name>', 'the identity for backend calls (env ATMOS_IDENTITY)');
  if (opts.confirm) {
    cmd.option('-y, --yes', 'answer every confirmation with yes').option('-f, --force', 'same as --yes');
  }
  return cmd;
}

export function stackOf(o: TargetOptions, ctx: CliContext): string | undefined {
  return o.stack ?? (ctx.env['ATMOS_STACK'] || undefined);
}

export function componentOf(o: TargetOptions, ctx: CliContext): string | undefined {
  return o.component ?? (ctx.env['ATMOS_COMPONENT'] || undefined);
}

export function requireStack(o: TargetOptions, ctx: CliContext): string {
  const s = stackOf(o, ctx);
  if (!s)
    throw new AppError('USAGE', 'this command needs -s/--stack', {
      hint: 'Pass -s with a stack name (or set ATMOS_STACK); atmos-secret describe stacks lists them.',
    });
  return s;
}

function printReach(req: ConfirmRequest, ctx: CliContext): void {
  ctx.io.stderr(`${req.message}:\n`);
  const lines = req.items.flatMap((i) =>
    i.consumers.map((c) => `  ${c.stack}/${c.component} (${i.secret}, ${i.scope}, ${i.provider})`),
  );
  const shown = lines.slice(0, 25);
  for (const l of shown) ctx.io.stderr(`${l}\n`);
  if (lines.length > shown.length) ctx.io.stderr(`  ... and ${lines.length - shown.length} more\n`);
}

/** A word for the shell: as is when plain, else single-quoted (hints are pasted as they are printed). */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command again with --yes, for a hint; built from parsed arguments, never from argv (it may hold a value). */
export type Rerun = () => string | undefined;

/** The CLI's answer to a confirmation: --yes, else a terminal question, else exit 2 saying so. */
export function cliConfirm(o: TargetOptions, ctx: CliContext, rerun?: Rerun): Confirm {
  return async (req) => {
    printReach(req, ctx);
    if (o.yes || o.force) return true;
    if (!ctx.io.interactive || !ctx.confirm) {
      const again = rerun?.();
      throw new AppError('USAGE', `confirmation needed (${req.message}) and there is no terminal to ask`, {
        hint: again ? `To go ahead without a terminal: ${again}` : 'Pass --yes (or -f/--force) to confirm.',
      });
    }
    return ctx.confirm('Continue? [y/N] ');
  };
}

export async function serviceFor(
  command: Command,
  ctx: CliContext,
  o: TargetOptions,
  rerun?: Rerun,
): Promise<SecretsService> {
  const workspace = await workspaceFor(command, ctx);
  return createSecretsService(workspace, {
    keychain: ctx.keychain,
    confirm: cliConfirm(o, ctx, rerun),
    identity: o.identity ?? (ctx.env['ATMOS_IDENTITY'] || undefined),
    env: ctx.env,
    onWarning: (message) => ctx.io.stderr(`warning: ${message}\n`),
  });
}

/** The CLI's confirmation of a plan it has printed: --yes, else a terminal question, else exit 2 saying so. */
export async function confirmPlan(
  what: string,
  o: Pick<TargetOptions, 'yes' | 'force'>,
  ctx: CliContext,
): Promise<void> {
  if (o.yes || o.force) return;
  if (!ctx.io.interactive || !ctx.confirm) {
    throw new AppError('USAGE', `confirmation needed (${what}) and there is no terminal to ask`, {
      hint: 'Pass --yes to confirm (or --dry-run to only see the plan).',
    });
  }
  if (!(await ctx.confirm('Continue? [y/N] ')))
    throw new AppError('CANCELLED', `${what} was not confirmed; nothing changed`);
}

/** Standard input as text, or a usage error when the context has none. */
export async function readStdin(ctx: CliContext): Promise<string> {
  if (!ctx.readStdin) throw new AppError('USAGE', 'standard input is not available here');
  return ctx.readStdin();
}
