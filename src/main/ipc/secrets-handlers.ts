// The secrets channels: thin calls into the open workspace's SecretsService. Values cross IPC only into
// `secrets:set`/`secrets:init` and out of `secrets:reveal`; every other answer is names and statuses. Export and
// import read and write their file here in main (secret-files.ts), through the native dialogs.
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { AppError } from '../../shared/errors';
import { DEFAULT_SEARCH_HITS, MAX_SEARCH_HITS, type InitOutcome } from '../../shared/ipc/secrets-contract';
import { STACK_WIDE, execCommandLine, generatedValue, type InitEntry, type SecretTarget } from '../secrets';
import type { AppServices, FileDialogs } from '../services';
import type { Handlers } from './router';
import {
  exportFileName,
  fileLabel,
  formatOfFile,
  PickedFiles,
  readImportFile,
  SECRET_FILE_FILTERS,
  workspaceFile,
} from './secret-files';

type SecretsChannels =
  | 'secrets:list'
  | 'secrets:search'
  | 'secrets:consumers'
  | 'secrets:set'
  | 'secrets:delete'
  | 'secrets:reveal'
  | 'secrets:validate'
  | 'secrets:initPlan'
  | 'secrets:init'
  | 'secrets:export'
  | 'secrets:importPlan'
  | 'secrets:importApply'
  | 'workspace:revealFile'
  | 'secrets:execLine';

/** The contract's target (`secret`, component `*` for a stack-level row) as the service's. */
function target(req: { stack: string; component?: string | undefined; secret: string }): SecretTarget {
  return {
    stack: req.stack,
    name: req.secret,
    component: req.component && req.component !== STACK_WIDE ? req.component : undefined,
  };
}

/** Where init entries are matched to the renderer's items: one coordinate per (stack, component, secret). */
function initKey(e: { stack: string; component: string; secret: string }): string {
  return JSON.stringify([e.stack, e.component, e.secret]);
}

function initAction(action: InitEntry['action']): InitOutcome['action'] {
  switch (action) {
    case 'set':
    case 'left-missing':
    case 'kept':
    case 'error':
      return action;
    case 'would-set':
      // Only a dry run plans; `secrets:init` never asks for one.
      throw new AppError('INTERNAL', 'init answered a dry-run action to a real run');
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The native dialogs, or a clear refusal where there are none (a browser without the desktop app). */
function dialogs(s: AppServices): FileDialogs {
  if (!s.files) {
    throw new AppError('USAGE', 'Choosing a file needs the desktop app: this window has no file dialog.', {
      hint: 'Use atmos-secret pull/push in a terminal instead.',
    });
  }
  return s.files;
}

/** A runnable example per component type; never `env`, which would print every value to the terminal. */
function exampleCommand(type: string | undefined): string[] {
  switch (type) {
    case 'terraform':
      return ['terraform', 'plan'];
    case 'helmfile':
      return ['helmfile', 'diff'];
    default:
      return ['sh'];
  }
}

export function createSecretsHandlers(s: AppServices): Pick<Handlers, SecretsChannels> {
  const picked = new PickedFiles();
  return {
    'secrets:list': async ({ stack, component, verify }, ctx) => {
      const service = await s.session.secrets();
      const rows = await service.list({
        stack,
        component,
        verify,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      return {
        rows: rows.map((r) => ({
          stack: r.stack,
          component: r.component,
          secret: r.secret,
          scope: r.scope,
          provider: r.provider,
          status: r.status,
          required: r.required,
          ...(r.description ? { description: r.description } : {}),
          ...(r.location ? { location: r.location } : {}),
          ...(r.reference ? { reference: r.reference } : {}),
        })),
      };
    },
    'secrets:search': async ({ query, limit }, ctx) => {
      const service = await s.session.secrets();
      const found = await service.search({
        query,
        limit: Math.min(limit ?? DEFAULT_SEARCH_HITS, MAX_SEARCH_HITS),
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      return {
        total: found.total,
        hits: found.hits.map((h) => ({
          stack: h.stack,
          component: h.component,
          secret: h.secret,
          scope: h.scope,
          provider: h.provider,
          required: h.required,
          ...(h.description ? { description: h.description } : {}),
          ...(h.location ? { location: h.location } : {}),
          ...(h.reference ? { reference: h.reference } : {}),
        })),
      };
    },
    'secrets:consumers': async (req) => {
      const service = await s.session.secrets();
      const t = target(req);
      const info = service.describe(t);
      const summary = service.consumers(t);
      return {
        scope: info.scope,
        provider: info.provider,
        consumers: summary.consumers.map((c) => ({ stack: c.stack, component: c.component })),
      };
    },
    'secrets:set': async (req, ctx) => {
      const service = await s.session.secrets();
      // This request's warnings only (e.g. an age key generated on first use), however many calls run at once.
      const warnings: string[] = [];
      const result = await service.set({
        ...target(req),
        value: req.value,
        confirm: async () => req.confirmed,
        signal: ctx.signal,
        onWarning: (m) => warnings.push(m),
      });
      return { consumers: result.components, warnings };
    },
    'secrets:delete': async (req, ctx) => {
      const service = await s.session.secrets();
      const result = await service.delete({ ...target(req), confirm: async () => req.confirmed, signal: ctx.signal });
      return {
        deleted: result.deleted,
        ...(result.recovery
          ? { recovery: { days: result.recovery.days, recoverableUntil: result.recovery.recoverableUntil ?? null } }
          : {}),
      };
    },
    'secrets:reveal': async (req) => {
      const service = await s.session.secrets();
      return { value: (await service.get(target(req))).value };
    },
    'secrets:validate': async ({ stack, component }, ctx) => {
      const service = await s.session.secrets();
      const report = await service.validate({
        stack,
        component,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      const shown = (file: string): string => {
        const rel = relative(service.workspace.basePath, file);
        return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
      };
      return {
        ok: report.ok,
        checked: report.requiredChecked,
        problems: report.issues.map((i) => ({
          kind: i.kind,
          message: i.message,
          ...(i.hint ? { hint: i.hint } : {}),
          ...(i.stack ? { stack: i.stack } : {}),
          ...(i.component ? { component: i.component } : {}),
          ...(i.secret ? { secret: i.secret } : {}),
          ...(i.location
            ? { file: shown(i.location.file), ...(i.location.line ? { line: i.location.line } : {}) }
            : {}),
        })),
      };
    },
    'secrets:initPlan': async ({ stack, component }, ctx) => {
      const service = await s.session.secrets();
      const report = await service.init({
        stack,
        component,
        dryRun: true,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      return {
        missing: report.entries
          .filter((e) => e.before === 'missing')
          .map((e) => ({
            stack: e.stack,
            component: e.component,
            secret: e.secret,
            scope: e.scope,
            provider: e.provider,
            required: e.required,
            ...(e.description ? { description: e.description } : {}),
          })),
      };
    },
    'secrets:init': async ({ stack, component, items }, ctx) => {
      const service = await s.session.secrets();
      const asked = new Map(items.map((i) => [initKey(i), i]));
      const warnings: string[] = [];
      const report = await service.init({
        stack,
        component,
        // Missing values only: nothing initialized is replaced, so no shared value changes under anyone.
        overwrite: false,
        confirm: async () => false,
        valueFor: async (entry) => {
          const item = asked.get(initKey(entry));
          if (!item) return undefined;
          return item.generate ? generatedValue() : item.value;
        },
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
        onWarning: (m) => warnings.push(m),
      });
      return {
        warnings,
        outcomes: report.entries
          .filter((e) => asked.has(initKey(e)))
          .map((e) => ({
            stack: e.stack,
            component: e.component,
            secret: e.secret,
            action: initAction(e.action),
            ...(e.detail ? { detail: e.detail } : {}),
          })),
      };
    },
    'secrets:export': async ({ stack, component, format }, ctx) => {
      const service = await s.session.secrets();
      const file = await dialogs(s).save({
        title: `Export the secrets of ${component ? `${stack} / ${component}` : stack}`,
        defaultName: exportFileName(stack, component, format),
        filters: SECRET_FILE_FILTERS,
      });
      if (file === null) return { file: null, written: [], missing: [] };
      // pull writes the file itself: atomically, mode 0600, through src/main/files.
      const r = await service.pull({
        stack,
        component,
        format,
        output: file,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      return { file: r.file ?? file, written: [...r.written], missing: [...r.missing] };
    },
    'secrets:importPlan': async ({ stack, component }) => {
      const service = await s.session.secrets();
      const file = await dialogs(s).open({
        title: `Import secrets into ${component ? `${stack} / ${component}` : stack}`,
        filters: SECRET_FILE_FILTERS,
      });
      if (file === null) return { plan: null };
      const format = formatOfFile(file);
      const content = await readImportFile(file);
      const plan = service.planPush({ stack, component, format, content, source: fileLabel(file) });
      const id = picked.remember({ path: file, stack, component, format });
      return {
        plan: {
          id,
          file: fileLabel(file),
          format,
          keys: [...plan.keys],
          undeclared: [...plan.undeclared],
          shared: plan.shared.map((x) => ({ ...x })),
        },
      };
    },
    'secrets:importApply': async ({ id, confirmed }, ctx) => {
      const pick = picked.take(id);
      const service = await s.session.secrets();
      // Read again: push refuses the whole file if it now holds an undeclared key, whatever the plan said.
      const content = await readImportFile(pick.path);
      const warnings: string[] = [];
      const r = await service.push({
        stack: pick.stack,
        component: pick.component,
        format: pick.format,
        content,
        source: fileLabel(pick.path),
        confirm: async () => confirmed,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
        onWarning: (m) => warnings.push(m),
      });
      return { set: [...r.set], warnings };
    },
    'workspace:revealFile': async ({ file }) => {
      const ws = await s.session.workspace();
      const abs = workspaceFile(ws.basePath, file);
      if (!existsSync(abs)) throw new AppError('NOT_FOUND', `${file} does not exist (any more)`);
      if (!s.files) return { shown: false, message: `This window cannot open the file manager: the file is ${abs}` };
      s.files.reveal(abs);
      return { shown: true };
    },
    'secrets:execLine': async ({ stack, component }) => {
      const ws = await s.session.workspace();
      const type = ws.components(stack).find((c) => c.name === component)?.type;
      return { command: execCommandLine({ stack, component, basePath: ws.basePath, command: exampleCommand(type) }) };
    },
  };
}
