// Builds the `atmos-secret` command tree and runs it, mapping every failure to the spec's exit codes:
// 0 ok, 1 the operation failed, 2 bad usage or configuration. Errors go to stderr, one line first.
import { Command, CommanderError } from 'commander';
import { AppError, formatError, isAppError, type ErrorCode } from '../shared/errors';
import { processRedactor } from '../main/log/redactor';
import { registerAudit } from './commands/audit';
import { registerDeclare } from './commands/declare';
import { registerDescribe } from './commands/describe';
import { registerDiff } from './commands/diff';
import { registerExplain } from './commands/explain';
import { registerDrift } from './commands/drift';
import { registerHistory } from './commands/history';
import { registerKeychain, registerKeys } from './commands/keychain';
import { registerRotate } from './commands/rotate';
import { registerSearch } from './commands/search';
import { registerSecretCommands } from './commands/secret';
import { registerSops } from './commands/sops';
import { registerStores } from './commands/stores';
import type { CliContext } from './context';
import { ExitWith } from './exit';
import { TRUST_HELP, TRUSTED_FOLDERS_ENV } from './trust';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

// NOT_FOUND is a stack, component, file or workspace that does not exist: configuration. A value that is not
// there is SECRET_NOT_FOUND, an operation that failed (1).
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set(['USAGE', 'BAD_REQUEST', 'CONFIG', 'YAML', 'NOT_FOUND']);

export function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (isAppError(e)) return USAGE_CODES.has(e.code) ? EXIT_USAGE : EXIT_FAILED;
  return EXIT_FAILED;
}

export function buildProgram(ctx: CliContext, version: string): Command {
  const program = new Command('atmos-secret')
    .description('Declare, set, rotate, validate and inject Atmos secrets')
    .version(version, '-v, --version', 'print the version')
    .option('--base-path <dir>', 'the Atmos base path (overrides ATMOS_BASE_PATH)')
    .option('--config <file>', 'the atmos.yaml to use (overrides ATMOS_CLI_CONFIG_PATH)')
    .option('--trust', `trust the workspace: run its !exec commands (or list its folder in ${TRUSTED_FOLDERS_ENV})`)
    .addHelpText('after', `\n${TRUST_HELP}\n`)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.stdout, writeErr: ctx.io.stderr });
  registerDescribe(program, ctx);
  registerKeychain(program, ctx);
  registerKeys(program, ctx);
  registerSecretCommands(program, ctx);
  registerSops(program, ctx);
  registerStores(program, ctx);
  registerHistory(program, ctx);
  registerRotate(program, ctx);
  registerAudit(program, ctx);
  registerDeclare(program, ctx);
  registerExplain(program, ctx);
  registerDiff(program, ctx);
  registerDrift(program, ctx);
  registerSearch(program, ctx);
  // Subcommands inherit the output routing and exit override so usage errors exit 2, not process.exit.
  for (const sub of program.commands) {
    sub.exitOverride().configureOutput({ writeOut: ctx.io.stdout, writeErr: ctx.io.stderr });
    for (const leaf of sub.commands)
      leaf.exitOverride().configureOutput({ writeOut: ctx.io.stdout, writeErr: ctx.io.stderr });
  }
  return program;
}

/** Runs the CLI with argv (without node and script) and returns the exit code; never calls process.exit. */
export async function runCli(argv: readonly string[], ctx: CliContext, version: string): Promise<number> {
  const program = buildProgram(ctx, version);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    // exec/shell pass their child's exit code through.
    if (e instanceof ExitWith) return e.code;
    if (e instanceof CommanderError) {
      // Commander has already printed its message (and help for `help`/`--version`).
      return exitCodeFor(e);
    }
    const err = isAppError(e) ? e : new AppError('INTERNAL', e instanceof Error ? e.message : String(e));
    // A value the process has read or written never reaches stderr, even if some library quoted it.
    ctx.io.stderr(`atmos-secret: ${processRedactor.redact(formatError(err))}\n`);
    return exitCodeFor(err);
  }
}
