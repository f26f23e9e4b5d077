// The declare channels: the form's options, plan (diff and where the value lives) and save of a declaration,
// its removal (optionally with the stored value), and the `!store` import wizard. Paths cross IPC relative to
// the workspace; a file the renderer names must stay inside it. A save plans again from the file on disk and
// writes only when it still hashes as the plan the person saw; after a write the workspace reloads so every
// page sees the new declarations.
import { isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { DeclareSaveResult } from '../../shared/ipc/declare-contract';
import { isFileError } from '../files';
import type { DeclarePlan, RewritePlan, SecretsService } from '../secrets';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type DeclareChannels =
  | 'declare:options'
  | 'declare:plan'
  | 'declare:save'
  | 'declare:removePlan'
  | 'declare:remove'
  | 'storeImport:scan'
  | 'storeImport:plan'
  | 'storeImport:run';

/** A path for people: relative to the workspace when inside it. */
function shown(service: SecretsService, file: string): string {
  const rel = relative(service.workspace.basePath, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** A manifest the renderer picked: inside the workspace, a YAML file. */
function insideWorkspace(service: SecretsService, file: string): string {
  const abs = resolve(service.workspace.basePath, file);
  const rel = relative(service.workspace.basePath, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !/\.ya?ml$/.test(abs)) {
    throw new AppError('BAD_REQUEST', `${file} is not a YAML file inside the workspace`, {
      hint: 'Pick a stack manifest (.yaml or .yml) under the workspace folder.',
    });
  }
  return abs;
}

function declareRequest(
  service: SecretsService,
  req: {
    stack: string;
    component?: string | undefined;
    secret: string;
    file?: string | undefined;
    fields: {
      description?: string | undefined;
      store?: string | undefined;
      sops?: string | undefined;
      scope?: 'instance' | 'stack' | 'global' | undefined;
      required?: boolean | undefined;
      reference?: string | undefined;
    };
  },
): Parameters<SecretsService['planDeclare']>[0] {
  return {
    name: req.secret,
    stack: req.stack,
    component: req.component,
    ...req.fields,
    file: req.file === undefined ? undefined : insideWorkspace(service, req.file),
  };
}

function planView(service: SecretsService, p: DeclarePlan) {
  return {
    action: p.action,
    file: shown(service, p.change.file),
    hash: p.change.hash,
    diff: p.change.diff,
    unchanged: p.change.unchanged,
    scope: p.declaration.scope,
    position: p.declaration.position,
    provider: p.declaration.provider,
    where: p.declaration.where,
    notes: [...p.notes],
  };
}

function rewriteView(service: SecretsService, p: RewritePlan) {
  return {
    applied: p.applied,
    files: p.files.map((f) => ({ file: f.relativeFile, hash: f.hash, diff: f.diff })),
    items: p.items.map((i) => ({
      id: i.id,
      expression: i.expression,
      name: i.name,
      scope: i.scope,
      store: i.store,
      copies: i.copies.map((c) => ({
        stacks: [...c.stacks],
        from: c.from,
        to: c.to,
        state: c.state,
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
      })),
      declared: i.declared,
      rewritten: i.rewritten,
      outcome: i.outcome,
      ...(i.reason !== undefined ? { reason: i.reason } : {}),
    })),
  };
}

/** Runs a save; a file that changed on disk since the plan is an answer the screen shows with Reload. */
async function saving(file: string, save: () => Promise<{ valueDeleted?: boolean }>): Promise<DeclareSaveResult> {
  try {
    const r = await save();
    return { saved: true, file, ...(r.valueDeleted !== undefined ? { valueDeleted: r.valueDeleted } : {}) };
  } catch (e) {
    if (isFileError(e, 'changed')) return { saved: false, reason: 'changed-on-disk', file };
    throw e;
  }
}

export function createDeclareHandlers(s: AppServices): Pick<Handlers, DeclareChannels> {
  /** The service over the files as they are now (a save must compare against the disk, not a cached load). */
  const fresh = async (): Promise<SecretsService> => {
    await s.session.workspace(true);
    return s.session.secrets();
  };
  return {
    'declare:options': async ({ stack, component, secret }) => {
      const service = await s.session.secrets();
      const o = service.declareOptions({
        stack,
        ...(component ? { component } : {}),
        ...(secret ? { name: secret } : {}),
      });
      const e = o.existing;
      return {
        stores: [...o.stores],
        providers: [...o.providers],
        stackFile: shown(service, o.stackFile),
        existing: e
          ? {
              scope: e.scope,
              position: e.position,
              required: e.required === true,
              file: shown(service, e.file),
              ...(e.line !== undefined ? { line: e.line } : {}),
              ...(e.description !== undefined ? { description: e.description } : {}),
              ...(e.store !== undefined ? { store: e.store } : {}),
              ...(e.sops !== undefined ? { sops: e.sops } : {}),
              ...(e.reference !== undefined ? { reference: e.reference } : {}),
            }
          : null,
      };
    },
    'declare:plan': async (req) => {
      const service = await s.session.secrets();
      return planView(service, await service.planDeclare(declareRequest(service, req)));
    },
    'declare:save': async (req) => {
      const service = await fresh();
      const plan = await service.planDeclare(declareRequest(service, req));
      const file = shown(service, plan.change.file);
      if (plan.change.hash !== req.hash) return { saved: false, reason: 'changed-on-disk', file };
      const result = await saving(file, async () => {
        await service.applyManifestChange(plan.change);
        return {};
      });
      if (result.saved) await s.session.workspace(true);
      return result;
    },
    'declare:removePlan': async ({ stack, component, secret }) => {
      const service = await s.session.secrets();
      const p = await service.planUndeclare({ name: secret, stack, component });
      return {
        file: shown(service, p.change.file),
        hash: p.change.hash,
        diff: p.change.diff,
        scope: p.scope,
        provider: p.provider,
        valueStored: p.valueStored ?? null,
      };
    },
    'declare:remove': async ({ stack, component, secret, hash, deleteValue, confirmed }) => {
      const service = await fresh();
      const plan = await service.planUndeclare({ name: secret, stack, component });
      const file = shown(service, plan.change.file);
      if (plan.change.hash !== hash) return { saved: false, reason: 'changed-on-disk', file };
      const result = await saving(file, () => service.undeclare(plan, { deleteValue, confirm: async () => confirmed }));
      if (result.saved) await s.session.workspace(true);
      return result;
    },
    'storeImport:scan': async (_req, ctx) => {
      const service = await s.session.secrets();
      const proposals = service.proposeRewrites({ signal: ctx.signal, onProgress: (p) => ctx.progress(p) });
      return {
        proposals: proposals.map((p) => ({
          id: p.id,
          file: p.relativeFile,
          line: p.line,
          at: p.at,
          expression: p.expression,
          uses: p.uses.map((u) => ({ stack: u.stack, component: u.component })),
          name: p.name,
          scope: p.scope,
          store: p.store,
        })),
        stores: service
          .listStores()
          .filter((st) => st.secret)
          .map((st) => st.name),
      };
    },
    'storeImport:plan': async ({ choices }, ctx) => {
      const service = await s.session.secrets();
      const plan = await service.importRewrite({
        choices,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      return rewriteView(service, plan);
    },
    'storeImport:run': async ({ choices, planned }, ctx) => {
      const service = await fresh();
      const run = await service.importRewrite({
        choices,
        apply: true,
        planned: planned.map((f) => ({ file: insideWorkspace(service, f.file), hash: f.hash })),
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      await s.session.workspace(true);
      return rewriteView(service, run);
    },
  };
}
