// The per-component pass after the merge: `{{ }}` templates in string values (context: the component's merged
// sections plus atmos_stack, atmos_component, ...), then the deferred YAML functions `!env` (the component's env
// section first, then the process environment, then the default), `!exec` and `!template`. `!secret` and
// `!store` references are left in place for the secrets engine and the store registry (which also refuses a
// `!store` on a secret store when it resolves one: the loader keeps them so the import wizard can find them).
// This pass is synchronous: `!exec` commands were run beforehand, asynchronously, and only for a trusted
// workspace (`commandsIn` finds them); in an untrusted one they stay unevaluated, shown as written.
import { AppError, type SourceLocation } from '../../shared/errors';
import { type ExecOutcome } from './exec-runner';
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
  /** The outcome of every `!exec` command, run before this pass; undefined in an untrusted workspace. */
  readonly exec: ReadonlyMap<string, ExecOutcome> | undefined;
}

/** The value of a `!exec` command from its outcome; a failure names the file and line of the call. */
export function execValue(command: string, outcome: ExecOutcome | undefined, location: SourceLocation): unknown {
  if (outcome?.ok) return outcome.value;
  const why = outcome ? outcome.why : 'it was not run';
  throw new AppError('CONFIG', `!exec failed (${why}): ${command}`, {
    location,
    hint: 'Make the command succeed when run from the repository (its stderr is not shown, as it may hold secrets).',
  });
}

/** The command a `!exec` call runs in this component (its argument, template-rendered when templates are on). */
function commandOf(call: DeferredCall, ctx: EvalContext, where: string): string {
  return ctx.templatesEnabled ? render(call.arg, ctx, where, call.location) : call.arg;
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
    case '!exec': {
      // Untrusted: shown as written (describe prints the tag's text); nothing runs.
      if (ctx.exec === undefined) return call;
      const command = commandOf(call, ctx, where);
      return execValue(command, ctx.exec.get(command), call.location);
    }
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

/** Add to `out` every `!exec` command `v` would run in this component (rendered as the evaluation will). */
export function commandsIn(v: unknown, ctx: EvalContext, where: string, out: Set<string>): void {
  if (v instanceof DeferredCall) {
    if (v.tag === '!exec') out.add(commandOf(v, ctx, where));
  } else if (Array.isArray(v)) {
    v.forEach((item, i) => commandsIn(item, ctx, `${where}[${i}]`, out));
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) commandsIn(v[k], ctx, `${where}.${k}`, out);
  }
}
