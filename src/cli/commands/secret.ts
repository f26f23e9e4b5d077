// The secret commands of `atmos-secret` (spec §5): set, get, delete, list, validate, init, pull, push, import,
// exec and shell, all over the one SecretsService.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerSecretExec } from './secret-exec';
import { registerSecretFiles } from './secret-files';
import { registerSecretReports } from './secret-report';
import { registerSecretValues } from './secret-values';

export function registerSecretCommands(program: Command, ctx: CliContext): void {
  registerSecretValues(program, ctx);
  registerSecretReports(program, ctx);
  registerSecretFiles(program, ctx);
  registerSecretExec(program, ctx);
}
