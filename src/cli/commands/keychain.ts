// `atmos-secret keychain ...`: what the app holds in the OS keychain (names only; values are never printed).
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatRows, parseFormat, ROW_FORMATS } from '../output';

export function registerKeychain(program: Command, ctx: CliContext): void {
  const keychain = program
    .command('keychain')
    .description('The entries Atmos Secrets keeps in the OS keychain (names only)');

  keychain
    .command('list')
    .description('List the names of the keychain entries (age keys, backend tokens); values are never shown')
    .option('--service <name>', 'keychain service to list', 'atmos-secrets')
    .option('--format <format>', `output format: ${ROW_FORMATS.join('|')}`, 'table')
    .action(async (opts: { service: string; format: string }) => {
      const format = parseFormat(opts.format, ROW_FORMATS);
      const names = await ctx.keychain(opts.service).list();
      const rows = names.map((name) => ({ service: opts.service, name }));
      if (format === 'table' && rows.length === 0) {
        ctx.io.stderr(`No entries in the keychain service "${opts.service}".\n`);
        return;
      }
      ctx.io.stdout(
        formatRows(
          rows,
          [
            { key: 'service', header: 'Service' },
            { key: 'name', header: 'Name' },
          ],
          format,
        ),
      );
    });
}
