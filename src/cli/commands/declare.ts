// `atmos-secret declare NAME` / `undeclare NAME`: add, edit or remove a declaration by editing the manifest in
// place. Both print the diff first, then ask (--yes answers; without a terminal they stop with exit 2); a file
// that changed on disk since it was read stops the save (exit 1).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { DeclarePlan, ManifestChange, UndeclarePlan } from '../../main/secrets';
import type { SecretScope } from '../../main/stores';
import type { CliContext } from '../context';
import { formatDocument, parseFormat } from '../output';
import {
  addTargetOptions,
  componentOf,
  confirmPlan,
  requireStack,
  serviceFor,
  type TargetOptions,
} from '../secret-options';

const FORMATS = ['table', 'json'] as const;
const SCOPES: readonly SecretScope[] = ['instance', 'stack', 'global'];

interface DeclareOptions extends TargetOptions {
  store?: string;
  sops?: string;
  description?: string;
  required?: boolean;
  scope?: string;
  reference?: string;
  file?: string;
  dryRun?: boolean;
  format: string;
}

interface UndeclareOptions extends TargetOptions {
  deleteValue?: boolean;
  dryRun?: boolean;
  format: string;
}

function parseScope(s: string | undefined): SecretScope | undefined {
  if (s === undefined) return undefined;
  const found = SCOPES.find((x) => x === s);
  if (!found) throw new AppError('USAGE', `--scope must be one of ${SCOPES.join(', ')}`);
  return found;
}

function printChange(ctx: CliContext, change: ManifestChange, table: boolean): void {
  if (!table) return;
  if (change.unchanged) ctx.io.stderr(`${change.relativeFile} already says so; nothing to change.\n`);
  else ctx.io.stdout(change.diff);
}

function changeJson(change: ManifestChange): Record<string, unknown> {
  return { file: change.file, diff: change.diff, unchanged: change.unchanged };
}

export function registerDeclare(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('declare')
      .description('Add or edit a secret declaration in the stack manifest, in place (prints the diff, then asks)')
      .argument('<name>', 'the secret name')
      .option('--store <store>', 'a secret store from atmos.yaml')
      .option('--sops <provider>', 'a SOPS provider')
      .option('--description <text>', 'what the secret is for ("" removes it)')
      .option('--required', 'validate fails while it has no value')
      .option('--no-required', 'no longer required')
      .option('--scope <scope>', `${SCOPES.join('|')} (default: what the position implies)`)
      .option('--reference <op>', '1Password op://vault/item/field (a template; "" removes it)')
      .option('--file <file>', "the manifest for a new declaration (default: the stack's own)")
      .option('--dry-run', 'print the diff only; write nothing')
      .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table'),
    { confirm: true },
  ).action(async (name: string, o: DeclareOptions, command: Command) => {
    const format = parseFormat(o.format, FORMATS);
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const plan: DeclarePlan = await svc.planDeclare({
      name,
      stack,
      component: componentOf(o, ctx),
      store: o.store,
      sops: o.sops,
      description: o.description,
      required: o.required,
      scope: parseScope(o.scope),
      reference: o.reference,
      file: o.file === undefined ? undefined : resolve(ctx.cwd, o.file),
    });
    const d = plan.declaration;
    printChange(ctx, plan.change, format === 'table');
    for (const n of plan.notes) ctx.io.stderr(`warning: ${n}\n`);
    if (format === 'table') {
      ctx.io.stderr(
        `${plan.action === 'add' ? 'Declares' : 'Edits'} ${d.name} (${d.scope}, ${d.provider}) in ${plan.change.relativeFile}; its value lives at ${d.where}.\n`,
      );
    }
    let saved = false;
    if (!o.dryRun && !plan.change.unchanged) {
      await confirmPlan(
        `${plan.action === 'add' ? 'declare' : 'edit'} ${d.name} in ${plan.change.relativeFile}`,
        o,
        ctx,
      );
      await svc.applyManifestChange(plan.change);
      saved = true;
      if (format === 'table') ctx.io.stderr(`Saved ${plan.change.relativeFile}.\n`);
    }
    if (format === 'json') {
      ctx.io.stdout(
        formatDocument(
          { action: plan.action, ...changeJson(plan.change), declaration: d, notes: plan.notes, saved },
          'json',
        ),
      );
    }
  });

  addTargetOptions(
    program
      .command('undeclare')
      .description('Remove a secret declaration from the manifest that holds it (prints the diff, then asks)')
      .argument('<name>', 'the secret name')
      .option('--delete-value', 'also delete the stored value (stack and global secrets list their consumers first)')
      .option('--dry-run', 'print the diff only; write nothing')
      .option('--format <format>', `output format: ${FORMATS.join('|')}`, 'table'),
    { confirm: true },
  ).action(async (name: string, o: UndeclareOptions, command: Command) => {
    const format = parseFormat(o.format, FORMATS);
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const plan: UndeclarePlan = await svc.planUndeclare({ name, stack, component: componentOf(o, ctx) });
    printChange(ctx, plan.change, format === 'table');
    if (format === 'table') {
      const value =
        plan.valueStored === true
          ? o.deleteValue
            ? ' and deletes its stored value'
            : '; its stored value stays (pass --delete-value to delete it too)'
          : '';
      ctx.io.stderr(
        `Removes ${plan.name} (${plan.scope}, ${plan.provider}) from ${plan.change.relativeFile}${value}.\n`,
      );
    }
    let saved = false;
    let valueDeleted = false;
    if (!o.dryRun) {
      await confirmPlan(`undeclare ${plan.name} in ${plan.change.relativeFile}`, o, ctx);
      valueDeleted = (await svc.undeclare(plan, { deleteValue: o.deleteValue })).valueDeleted;
      saved = true;
      if (format === 'table')
        ctx.io.stderr(`Saved ${plan.change.relativeFile}${valueDeleted ? '; the value was deleted' : ''}.\n`);
    }
    if (format === 'json') {
      ctx.io.stdout(
        formatDocument(
          {
            ...changeJson(plan.change),
            secret: plan.name,
            stack: plan.stack,
            component: plan.component ?? null,
            scope: plan.scope,
            provider: plan.provider,
            valueStored: plan.valueStored ?? null,
            valueDeleted,
            saved,
          },
          'json',
        ),
      );
    }
  });
}
