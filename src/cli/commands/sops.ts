// `atmos-secret keygen [PROVIDER]` (an age key into the provider's sink, the recipient into its recipients
// file) and `atmos-secret sops updatekeys|rotate [PROVIDER]` (re-key every file of a provider): the plan is
// printed first and applied only with --yes or a yes on the terminal (without either: exit 2).
import type { Command } from 'commander';
import {
  applySopsRekey,
  describeRekeyPlan,
  keygenForProvider,
  planSopsRekey,
  resolveSopsProvider,
  type SopsOpsDeps,
  type SopsRekeyAction,
  type SopsRekeyPlanSet,
} from '../../main/secrets';
import { AppError } from '../../shared/errors';
import { isSopsError } from '../../main/sops';
import type { CliContext } from '../context';
import { parseFormat } from '../output';
import { confirmPlan } from '../secret-options';
import { workspaceFor } from '../workspace';

interface RekeyOptions {
  readonly yes?: boolean;
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly format?: string;
}

const PLAN_FORMATS = ['table', 'json'] as const;

/** The plan for scripts (CI can check `changes`): files relative to the base path, keys as "age age1…". */
function planJson(set: SopsRekeyPlanSet): unknown {
  return {
    action: set.action,
    provider: set.provider,
    changes: set.changes,
    files: set.files.map((f) => ({
      file: f.file,
      changes: f.plan.changes,
      added: f.plan.added,
      removed: f.plan.removed,
      valuesReencrypted: f.plan.valuesReencrypted,
    })),
  };
}

function opsDeps(ctx: CliContext): SopsOpsDeps {
  return { keychain: ctx.keychain, env: ctx.env };
}

const REKEY: Readonly<Record<SopsRekeyAction, string>> = {
  updatekeys:
    'Re-wrap every file of a SOPS provider for its current recipients (.sops.yaml / age_recipients); values keep their bytes',
  rotate: 'Make a new data key for every file of a SOPS provider and re-encrypt every value',
};

export function registerSops(program: Command, ctx: CliContext): void {
  program
    .command('keygen')
    .description(
      'Make an age key for a SOPS provider: the private key goes to the OS keychain (or the key file its age_key names), the recipient into its recipients_file (.sops.yaml)',
    )
    .argument('[provider]', 'the SOPS provider (optional when only one is configured)')
    .option('-f, --force', 'add another key even when the provider already has one (the old key is kept)')
    .action(async (provider: string | undefined, o: { force?: boolean }, command: Command) => {
      const ws = await workspaceFor(command, ctx);
      const name = resolveSopsProvider(ws, provider).name;
      const r = await keygenForProvider(ws, opsDeps(ctx), { provider: name, force: o.force }).catch((e: unknown) => {
        if (!isSopsError(e, 'key-exists')) throw e;
        // The same refusal in the CLI's words: the provider by name, and the command that adds another key.
        throw new AppError(e.code, `SOPS provider "${name}" already has an age key; no new key was made`, {
          hint: `Use the existing key, or make another (the old one is kept): atmos-secret keygen ${name} --force`,
          cause: e,
        });
      });
      ctx.io.stderr(
        `Generated an age key for SOPS provider "${r.provider}": private key in ${r.storedIn}; recipient recorded in ${r.recipientsFile}${r.ruleCreated ? ' (new creation rule)' : ''}.\n`,
      );
      // The recipient is public: stdout, so it can be piped and shared.
      ctx.io.stdout(`${r.recipient}\n`);
    });

  const sops = program.command('sops').description('Provider-wide SOPS operations (re-keying)');
  for (const action of ['updatekeys', 'rotate'] as const) {
    sops
      .command(action)
      .description(REKEY[action])
      .argument('[provider]', 'the SOPS provider (optional when only one is configured)')
      .option('-y, --yes', 'apply without asking')
      .option('-f, --force', 'same as --yes')
      .option('--dry-run', 'print the plan and change nothing')
      .option('--format <format>', `plan output: ${PLAN_FORMATS.join('|')}`, 'table')
      .action(async (provider: string | undefined, o: RekeyOptions, command: Command) => {
        const format = parseFormat(o.format ?? 'table', PLAN_FORMATS);
        const ws = await workspaceFor(command, ctx);
        const deps = opsDeps(ctx);
        const plan = await planSopsRekey(ws, deps, { action, provider: resolveSopsProvider(ws, provider).name });
        if (format === 'json') ctx.io.stdout(`${JSON.stringify(planJson(plan), null, 2)}\n`);
        else {
          ctx.io.stdout(`${action} plan for SOPS provider "${plan.provider}":\n`);
          for (const line of describeRekeyPlan(plan, ws.basePath)) ctx.io.stdout(`  ${line}\n`);
        }
        if (o.dryRun || !plan.changes) {
          ctx.io.stderr(o.dryRun ? 'Dry run: nothing was written.\n' : 'Nothing to change.\n');
          return;
        }
        const changing = plan.files.filter((f) => f.plan.changes).length;
        await confirmPlan(`${action} rewrites ${changing} file(s) of provider "${plan.provider}"`, o, ctx);
        const written = await applySopsRekey(ws, deps, plan);
        ctx.io.stderr(`${action}: wrote ${written.length} file(s).\n`);
      });
  }
}
