// Finds legacy `!store`/`!store.get` uses on secret stores (the app's import wizard offers one import per use),
// and turns a legacy coordinate (`--from-store --from-stack --from-component --from-key`) into the scope path
// Atmos' `!store` reads: `{prefix}/{stack}/{component}/{key}`, with the stack split on stack_delimiter.
import { StoreRef } from '../../config';
import { isPlainObject } from '../../config/merge';
import { AppError, type SourceLocation } from '../../../shared/errors';
import type { SecretPath } from '../../stores';

/** Where a legacy expression reads from, as raw path segments (they need not name a real stack or component). */
export interface LegacySource {
  readonly store: string;
  readonly stack?: string | undefined;
  readonly component?: string | undefined;
  readonly key: string;
}

export interface LegacyStoreUse {
  readonly stack: string;
  readonly component: string;
  /** Where in the merged sections, e.g. `env.CLIENT_SECRET`. */
  readonly at: string;
  /** The expression as written, e.g. `!store legacy atmos shared client_secret`. */
  readonly expression: string;
  readonly source: LegacySource;
  readonly location: SourceLocation;
}

/** The scope path a legacy `!store` expression reads. */
export function legacySourcePath(source: LegacySource): SecretPath {
  if (source.stack && source.component)
    return { name: source.key, scope: 'instance', stack: source.stack, component: source.component };
  if (source.stack) return { name: source.key, scope: 'stack', stack: source.stack };
  if (source.component) {
    throw new AppError('USAGE', 'a legacy source with a component also needs its stack segment', {
      hint: 'Pass --from-stack as well (the stack segment of the old !store expression).',
    });
  }
  return { name: source.key, scope: 'global' };
}

/** The source a `!store` reference reads, with `!store store component key` meaning the current stack. */
export function legacySourceOf(ref: StoreRef, currentStack: string): LegacySource {
  if (ref.kind === 'store.get') return { store: ref.store, key: ref.key };
  return { store: ref.store, stack: ref.stack ?? currentStack, component: ref.component, key: ref.key };
}

/** Every `!store` reference under `v`, with its dotted position. */
export function findStoreRefs(v: unknown, at = ''): { at: string; ref: StoreRef }[] {
  const out: { at: string; ref: StoreRef }[] = [];
  const walk = (x: unknown, p: string): void => {
    if (x instanceof StoreRef) out.push({ at: p, ref: x });
    else if (Array.isArray(x)) x.forEach((item: unknown, i) => walk(item, `${p}[${i}]`));
    else if (isPlainObject(x)) for (const k of Object.keys(x)) walk(x[k], p === '' ? k : `${p}.${k}`);
  };
  walk(v, at);
  return out;
}
