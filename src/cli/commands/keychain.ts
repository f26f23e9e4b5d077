// `atmos-secret keychain ...`: what the app holds in the OS keychain (names only; values are never printed),
// and `atmos-secret keys ...`: the age keys among them, with what each opens.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  importAgeKeysForProvider,
  listHeldAgeKeys,
  planAgeKeyRemoval,
  recipientsFor,
  removeHeldAgeKey,
  type AgeKeyRemovalPlan,
  type SopsOpsDeps,
} from '../../main/secrets';
import { MAX_KEY_TEXT_BYTES } from '../../main/sops';
import { AppError } from '../../shared/errors';
import type { CliContext } from '../context';
import { formatRows, parseFormat, ROW_FORMATS } from '../output';
import { confirmPlan, readStdin } from '../secret-options';
import { workspaceFor } from '../workspace';

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

const KEY_LIST_FORMATS = ['table', 'json'] as const;

function keysDeps(ctx: CliContext): SopsOpsDeps {
  return { keychain: ctx.keychain, env: ctx.env };
}

/** A removal plan in lines for people: the keys, the files each loses, the recipients files touched. */
function describeRemoval(plan: AgeKeyRemovalPlan): string[] {
  const lines = plan.keys.map((k) => `key ${k.recipient} (keychain ${k.service}/${k.account})`);
  if (!plan.checked) lines.push('no workspace: the SOPS files were not checked');
  const lost = plan.files.filter((f) => f.lostHere);
  const kept = plan.files.filter((f) => !f.lostHere);
  if (lost.length > 0) {
    lines.push('would no longer decrypt on this machine (no other held key opens them):');
    for (const f of lost)
      lines.push(`  ${f.file} (${f.provider})${f.lostForAll ? ': nobody could open it any more' : ''}`);
  } else lines.push('every SOPS file it opens stays readable with another key');
  for (const f of kept) lines.push(`  still readable: ${f.file} (${f.provider})`);
  for (const r of plan.recipientsFiles) lines.push(`recipient taken out of ${r}`);
  return lines;
}

/**
 * `atmos-secret keys ...`: the age keys the app holds in the OS keychain, with what each opens; import of a
 * keys.txt; a recipient for a teammate; removal after naming what it would no longer decrypt.
 */
export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program
    .command('keys')
    .description('The age keys Atmos Secrets holds in the OS keychain (recipients only; private keys are never shown)');

  keys
    .command('list')
    .description(
      'List the held age keys: recipient, keychain entry, the providers that read it, the SOPS files it opens',
    )
    .option('--format <format>', `output format: ${KEY_LIST_FORMATS.join('|')}`, 'table')
    .action(async (opts: { format: string }, command: Command) => {
      const format = parseFormat(opts.format, KEY_LIST_FORMATS);
      const ws = await workspaceFor(command, ctx);
      const held = await listHeldAgeKeys(ws, keysDeps(ctx));
      if (format === 'json') {
        ctx.io.stdout(`${JSON.stringify({ keys: held }, null, 2)}\n`);
        return;
      }
      if (held.length === 0) {
        ctx.io.stderr('No age key is held in the keychain. Make one with: atmos-secret keygen\n');
        return;
      }
      const rows = held.map((k) => ({
        recipient: k.recipient,
        entry: `${k.service}/${k.account}`,
        providers: k.providers.join(', ') || '-',
        files: k.files.length,
        only: k.files.filter((f) => f.lostHere).length,
      }));
      ctx.io.stdout(
        formatRows(
          rows,
          [
            { key: 'recipient', header: 'Recipient' },
            { key: 'entry', header: 'Keychain entry' },
            { key: 'providers', header: 'Providers' },
            { key: 'files', header: 'Files' },
            { key: 'only', header: 'Only key for' },
          ],
          'table',
        ),
      );
    });

  keys
    .command('import')
    .description(
      "Import age private keys from a keys.txt into a sops/age provider's keychain entry; recipients go into its recipients file",
    )
    .argument('[file]', 'the keys.txt to import (or --stdin)')
    .option('--stdin', 'read the keys from standard input')
    .option('-p, --provider <name>', 'the sops/age provider (optional when only one is configured)')
    .action(async (file: string | undefined, o: { stdin?: boolean; provider?: string }, command: Command) => {
      if ((file === undefined) === (o.stdin !== true)) {
        throw new AppError('USAGE', 'name a keys.txt or pass --stdin (one of them)', {
          hint: 'atmos-secret keys import ~/.config/sops/age/keys.txt   or   ... | atmos-secret keys import --stdin',
        });
      }
      const ws = await workspaceFor(command, ctx);
      const source = file === undefined ? 'standard input' : resolve(ctx.cwd, file);
      const text = file === undefined ? await readStdin(ctx) : await readKeyFile(source);
      const r = await importAgeKeysForProvider(ws, keysDeps(ctx), { provider: o.provider, text, source });
      for (const rec of r.added) ctx.io.stderr(`imported ${rec} into ${r.storedIn}\n`);
      for (const rec of r.alreadyHeld) ctx.io.stderr(`already held: ${rec}\n`);
      if (r.recipientsFile === undefined)
        ctx.io.stderr(`Provider "${r.provider}" pins age_recipients: its recipients were not changed.\n`);
      else if (r.recorded.length > 0)
        ctx.io.stderr(`recorded ${r.recorded.length} recipient(s) in ${r.recipientsFile}\n`);
      // Recipients are public: stdout, one a line.
      for (const rec of [...r.added, ...r.alreadyHeld]) ctx.io.stdout(`${rec}\n`);
    });

  keys
    .command('export-recipient')
    .description('Print the public recipient(s) of a held key, to give to a teammate for their .sops.yaml')
    .argument('<name>', 'a recipient (age1…), a keychain account or a sops/age provider')
    .action(async (name: string, _o: unknown, command: Command) => {
      const ws = await workspaceFor(command, ctx);
      for (const r of await recipientsFor(ws, keysDeps(ctx), name)) ctx.io.stdout(`${r}\n`);
    });

  keys
    .command('remove')
    .description(
      'Remove a held age key: shows the SOPS files it would no longer decrypt first, then deletes it from its keychain entry and its recipient from the recipients files',
    )
    .argument('<name>', 'a recipient (age1…), a keychain account or a sops/age provider')
    .option('-y, --yes', 'remove without asking')
    .option('-f, --force', 'same as --yes')
    .option('--dry-run', 'print what would be lost and change nothing')
    .action(async (name: string, o: { yes?: boolean; force?: boolean; dryRun?: boolean }, command: Command) => {
      const ws = await workspaceFor(command, ctx);
      const deps = keysDeps(ctx);
      const plan = await planAgeKeyRemoval(ws, deps, name);
      ctx.io.stdout(`Removing ${name}:\n`);
      for (const line of describeRemoval(plan)) ctx.io.stdout(`  ${line}\n`);
      if (o.dryRun) {
        ctx.io.stderr('Dry run: nothing was changed.\n');
        return;
      }
      const lost = plan.files.filter((f) => f.lostHere).length;
      await confirmPlan(
        lost > 0 ? `removing ${name} loses ${lost} file(s) on this machine` : `removing ${name}`,
        o,
        ctx,
      );
      const r = await removeHeldAgeKey(ws, deps, { name, confirmed: true });
      for (const e of r.entriesDeleted) ctx.io.stderr(`deleted the emptied keychain entry ${e}\n`);
      ctx.io.stderr(`removed ${r.plan.keys.length} key(s).\n`);
    });
}

async function readKeyFile(path: string): Promise<string> {
  // Bounded before it is read: a keys.txt is small, and the import refuses anything larger anyway.
  const size = await stat(path).then(
    (s) => s.size,
    (e: NodeJS.ErrnoException) => {
      throw new AppError('NOT_FOUND', `${path} cannot be read (${e.code ?? 'error'}).`, {
        hint: 'Check the path to the keys.txt.',
      });
    },
  );
  if (size > MAX_KEY_TEXT_BYTES)
    throw new AppError('CONFIG', `${path} is larger than ${MAX_KEY_TEXT_BYTES / 1024} KiB: it is not an age key file.`);
  return readFile(path, 'utf8');
}
