// The secrets channels: thin calls into the open workspace's SecretsService. Values cross IPC only into
// `secrets:set` and out of `secrets:reveal`; every other answer is names and statuses.
import { isAbsolute, relative } from 'node:path';
import type { ValidationProblem } from '../../shared/ipc/secrets-contract';
import { STACK_WIDE, execCommandLine, type IssueKind, type SecretTarget } from '../secrets';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type SecretsChannels =
  | 'secrets:list'
  | 'secrets:consumers'
  | 'secrets:set'
  | 'secrets:delete'
  | 'secrets:reveal'
  | 'secrets:validate'
  | 'secrets:execLine';

/** The contract's target (`secret`, component `*` for a stack-level row) as the service's. */
function target(req: { stack: string; component?: string | undefined; secret: string }): SecretTarget {
  return {
    stack: req.stack,
    name: req.secret,
    component: req.component && req.component !== STACK_WIDE ? req.component : undefined,
  };
}

function problemKind(kind: IssueKind): ValidationProblem['kind'] {
  switch (kind) {
    case 'missing':
      return 'missing';
    case 'name-collision':
    case 'sops-collision':
      return 'collision';
    case 'config':
    case 'store-config':
    case 'unmappable':
    case 'store-function':
    case 'backend':
      return 'config';
    default: {
      const never: never = kind;
      return never;
    }
  }
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
      return { deleted: result.deleted };
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
          kind: problemKind(i.kind),
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
    'secrets:execLine': async ({ stack, component }) => {
      const ws = await s.session.workspace();
      const type = ws.components(stack).find((c) => c.name === component)?.type;
      return { command: execCommandLine({ stack, component, basePath: ws.basePath, command: exampleCommand(type) }) };
    },
  };
}
