// Scope paths: where a declared secret lives before any backend naming. `{prefix}/{stack}/{component}/{NAME}`
// (instance), `{prefix}/{stack}/{NAME}` (stack), `{prefix}/{NAME}` (global). The stack name is split on the
// store's stack_delimiter and the component on `/`, with empty segments dropped, as Atmos' getKey does; each
// backend then joins these segments by its own rules (see naming/).
import { AppError, type SourceLocation } from '../../shared/errors';

export const SECRET_SCOPES = ['instance', 'stack', 'global'] as const;
export type SecretScope = (typeof SECRET_SCOPES)[number];

/** The coordinate of one declared secret, as the secrets layer knows it. */
export interface SecretPath {
  /** The declared NAME (secrets.vars.<NAME>). */
  readonly name: string;
  readonly scope: SecretScope;
  /** The canonical stack name; required for instance and stack scope. */
  readonly stack?: string;
  /** The component (may contain `/`, e.g. `infra/vpc`); required for instance scope. */
  readonly component?: string;
  /** The declaration's `reference` (reference-based backends such as 1Password); others ignore it. */
  readonly reference?: string;
  /**
   * Where the declaration is written (manifest file and line), so a store's errors about the secret itself (a
   * 1Password item, field or vault) name it. Not part of the coordinate: coordinateKey ignores it.
   */
  readonly source?: SourceLocation;
}

/** A scope path split into the segments a backend joins. */
export interface ScopedPath {
  /** The store's prefix as configured (backends differ in how they treat its slashes). */
  readonly prefix: string;
  readonly stack: readonly string[];
  readonly component: readonly string[];
  readonly name: string;
}

export interface ScopePathOptions {
  readonly prefix?: string;
  /** Splits the stack name into segments; `""` keeps the stack name whole. */
  readonly stackDelimiter: string;
}

/** Checks the coordinate has what its scope needs; a missing stack or component is a programming error upstream. */
export function assertValidSecretPath(path: SecretPath): void {
  if (path.name.trim() === '') {
    throw new AppError('CONFIG', 'a secret needs a non-empty name');
  }
  const needsStack = path.scope === 'instance' || path.scope === 'stack';
  if (needsStack && !path.stack) {
    throw new AppError('CONFIG', `secret "${path.name}" has scope "${path.scope}" but no stack was given`);
  }
  if (path.scope === 'instance' && !path.component) {
    throw new AppError('CONFIG', `secret "${path.name}" has scope "instance" but no component was given`);
  }
}

export function splitStack(stack: string, delimiter: string): string[] {
  const parts = delimiter === '' ? [stack] : stack.split(delimiter);
  return parts.filter((p) => p !== '');
}

export function splitComponent(component: string): string[] {
  return component.split('/').filter((p) => p !== '');
}

/** The segments of a secret's scope path. Stack and component are ignored where the scope has none. */
export function scopedPath(path: SecretPath, options: ScopePathOptions): ScopedPath {
  assertValidSecretPath(path);
  const scope = path.scope;
  let stack: string[];
  let component: string[];
  switch (scope) {
    case 'instance':
      stack = splitStack(path.stack ?? '', options.stackDelimiter);
      component = splitComponent(path.component ?? '');
      break;
    case 'stack':
      stack = splitStack(path.stack ?? '', options.stackDelimiter);
      component = [];
      break;
    case 'global':
      stack = [];
      component = [];
      break;
    default:
      return assertNever(scope);
  }
  return { prefix: options.prefix ?? '', stack, component, name: path.name };
}

/** All segments in order, the prefix first (as one raw part, possibly empty). */
export function scopedParts(p: ScopedPath): string[] {
  return [p.prefix, ...p.stack, ...p.component, p.name];
}

/** The human form `{prefix}/{stack}/{component}/{NAME}`, empty parts left out. */
export function formatScopePath(p: ScopedPath): string {
  return scopedParts(p)
    .flatMap((s) => s.split('/'))
    .filter((s) => s !== '')
    .join('/');
}

/** A stable identity for "the same coordinate", used to tell real collisions from shared stack/global values. */
export function coordinateKey(path: SecretPath): string {
  const stack = path.scope === 'global' ? '' : (path.stack ?? '');
  const component = path.scope === 'instance' ? (path.component ?? '') : '';
  const reference = path.reference ?? '';
  // Length-prefixed fields: unambiguous whatever the text holds, and cheaper than JSON on 150,000 keys.
  return `${path.scope}:${stack.length}:${stack}:${component.length}:${component}:${path.name.length}:${path.name}:${reference}`;
}

export function assertNever(x: never): never {
  throw new AppError('INTERNAL', `unexpected value: ${String(x)}`);
}
