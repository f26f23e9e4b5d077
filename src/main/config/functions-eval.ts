// The per-component pass after the merge: `{{ }}` templates in string values (context: the component's merged
// sections plus atmos_stack, atmos_component, ...), then the deferred YAML functions `!env` (the component's env
// section first, then the process environment, then the default), `!exec` and `!template`. `!secret` and
// `!store` references are left in place for the secrets engine and the store registry (which also refuses a
// `!store` on a secret store when it resolves one: the loader keeps them so the import wizard can find them).
import { spawnSync } from 'node:child_process';
import { AppError, type SourceLocation } from '../../shared/errors';
import { renderTemplate, TemplateError } from './go-template';
import { isPlainObject } from './merge';
import { evalEnvArg } from './yaml-parse';
import { DeferredCall, LiteralText } from './yaml-refs';

export interface EvalContext {
  readonly stack: string;
  readonly component: string;
  readonly templatesEnabled: boolean;
  readonly ignoreMissingTemplateValues: boolean;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** The component's env section before evaluation (what `!env` reads first). */
  readonly sectionEnv: Readonly<Record<string, unknown>>;
  /** Template data: the component's sections plus the atmos_* names. */
  readonly templateData: Readonly<Record<string, unknown>>;
  /** Each distinct `!exec` command runs once per workspace load. */
  readonly execCache: Map<string, unknown>;
  readonly cwd: string;
}

/** Run a `!exec` command through the shell; JSON output is decoded, other output kept as trimmed text. */
export function runExec(
  command: string,
  location: SourceLocation,
  ctx: Pick<EvalContext, 'processEnv' | 'execCache' | 'cwd'>,
): unknown {
  if (ctx.execCache.has(command)) return ctx.execCache.get(command);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.processEnv)) if (v !== undefined) env[k] = v;
  const r = spawnSync(command, { shell: true, encoding: 'utf8', env, cwd: ctx.cwd, timeout: 120_000 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit code ${String(r.status ?? r.signal)}`;
    throw new AppError('CONFIG', `!exec failed (${why}): ${command}`, {
      location,
      hint: 'Make the command succeed when run from the repository (its stderr is not shown, as it may hold secrets).',
    });
  }
  const text = r.stdout.replace(/\r?\n$/, '');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    value = text;
  }
  ctx.execCache.set(command, value);
  return value;
}

function render(text: string, ctx: EvalContext, where: string, location?: SourceLocation): string {
  try {
    return renderTemplate(text, ctx.templateData, {
      missingKey: ctx.ignoreMissingTemplateValues ? 'no-value' : 'error',
      env: ctx.processEnv,
    });
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    throw new AppError(
      'CONFIG',
      `template in ${where} of component ${ctx.component} in stack ${ctx.stack} failed: ${e.message}`,
      {
        ...(location ? { location } : {}),
        hint: 'Define the value the template reads, or set templates.settings.ignore_missing_template_values: true.',
      },
    );
  }
}

function evalCall(call: DeferredCall, ctx: EvalContext, where: string): unknown {
  switch (call.tag) {
    case '!env':
      return evalEnvArg(call.arg, ctx.processEnv, ctx.sectionEnv, call.location);
    case '!exec':
      return runExec(ctx.templatesEnabled ? render(call.arg, ctx, where, call.location) : call.arg, call.location, ctx);
    case '!template': {
      const text = render(call.arg, ctx, where, call.location);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    default: {
      const never: never = call.tag;
      return never;
    }
  }
}

/** Evaluate one value; returns the same object when nothing in it changed. */
export function evaluateValue(v: unknown, ctx: EvalContext, where: string): unknown {
  if (typeof v === 'string') return ctx.templatesEnabled && v.includes('{{') ? render(v, ctx, where) : v;
  if (v instanceof DeferredCall) return evalCall(v, ctx, where);
  if (v instanceof LiteralText) return v.text;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((item, i) => {
      const n = evaluateValue(item, ctx, `${where}[${i}]`);
      if (n !== item) (out ??= [...(v as unknown[])])[i] = n;
    });
    return out ?? v;
  }
  if (isPlainObject(v)) {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const item = v[k];
      const n = evaluateValue(item, ctx, `${where}.${k}`);
      if (n !== item) (out ??= { ...v })[k] = n;
    }
    return out ?? v;
  }
  return v;
}
