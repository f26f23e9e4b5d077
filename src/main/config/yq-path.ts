// A small yq-style path evaluator for `!include <file> <expr>` and `!secret | path`: `.`, `.a.b`, `.a[0]`,
// `.["key with spaces"]`, `.[0]`, and `.a.b[1].c`. Anything else is refused with a clear message.
import { AppError, type SourceLocation } from '../../shared/errors';

type Step = { readonly key: string } | { readonly index: number };

function parsePath(expr: string, loc: SourceLocation | undefined): Step[] {
  const e = expr.trim();
  const fail = (): never => {
    throw new AppError('CONFIG', `unsupported query expression "${expr}"`, {
      ...(loc ? { location: loc } : {}),
      hint: 'Supported forms: ., .a.b, .a[0], .["key"], .[0].',
    });
  };
  if (!e.startsWith('.')) fail();
  const steps: Step[] = [];
  let i = 1;
  while (i < e.length) {
    const c = e[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = e.indexOf(']', i);
      if (close < 0) fail();
      const inner = e.slice(i + 1, close).trim();
      if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^".*"$/.test(inner) || /^'.*'$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else fail();
      i = close + 1;
      continue;
    }
    const m = /^([A-Za-z0-9_-]+|"[^"]*")/.exec(e.slice(i));
    if (!m?.[1]) return fail();
    steps.push({ key: m[1].startsWith('"') ? m[1].slice(1, -1) : m[1] });
    i += m[1].length;
  }
  return steps;
}

/** Select a value; a missing key or index gives null (as yq does). */
export function queryPath(value: unknown, expr: string, loc?: SourceLocation): unknown {
  let cur = value;
  for (const step of parsePath(expr, loc)) {
    if (cur === null || cur === undefined) return null;
    if ('index' in step) {
      if (!Array.isArray(cur)) return null;
      const idx = step.index < 0 ? cur.length + step.index : step.index;
      cur = cur[idx];
    } else {
      if (typeof cur !== 'object' || Array.isArray(cur)) return null;
      cur = (cur as Record<string, unknown>)[step.key];
    }
  }
  return cur === undefined ? null : cur;
}
