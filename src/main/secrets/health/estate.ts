// The estate an audit looks at, from config alone (no backend call): every coordinate the selected stacks'
// components resolve to, each once, with the places that declare it (stack, component, secret, manifest file and
// line) and whether those places are production; and the configuration problems met on the way (a declaration
// or component that does not load, a store record that is wrong) as `config` findings. Components are walked one
// at a time and their merged configuration let go (componentOnce), as `list` does on a 50,000-component estate.
import { isAbsolute, relative } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SecretCoordinate } from '../model/coordinates';
import { describeCoordinate } from '../model/coordinates';
import type { ComponentSecrets } from '../model/secrets-index';
import { throwIfCancelled, type OperationContext } from '../operations/operation-context';
import { finding, type Finding, type FindingPlace } from './findings';
import type { IsProduction } from './production';

/** One coordinate and who declares it. */
export interface AuditedSecret {
  readonly coordinate: SecretCoordinate;
  /** Every (stack, component-or-`*`, name) that resolves to it, in walk order. */
  readonly places: FindingPlace[];
  /** Some place requires a value. */
  required: boolean;
  /** Some place is in a production stack / in a non-production one. */
  production: boolean;
  nonProduction: boolean;
}

export interface Estate {
  /** By coordinate key. */
  readonly secrets: Map<string, AuditedSecret>;
  readonly config: Finding[];
  readonly stacks: number;
  readonly components: number;
}

export interface EstateRequest {
  /** Canonical or alias stack names; empty or absent: every stack. */
  readonly stacks?: readonly string[] | undefined;
  readonly isProduction: IsProduction;
  readonly signal?: AbortSignal | undefined;
}

/** A file as reports show it: relative to the base path when inside it. */
export function shownFile(basePath: string, file: string): string {
  const rel = relative(basePath, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function fixConfig(e: AppError): Finding['action'] {
  return { kind: 'fix-config', text: e.hint ?? 'Fix the configuration at the file and line shown.' };
}

export function collectEstate(ctx: OperationContext, req: EstateRequest): Estate {
  const basePath = ctx.workspace.basePath;
  const stacks =
    req.stacks && req.stacks.length > 0
      ? [...new Set(req.stacks.map((s) => ctx.workspace.resolveStack(s).name))]
      : ctx.workspace.stackNames();
  const secrets = new Map<string, AuditedSecret>();
  // A stack-level declaration is seen from each of its stack's components: its place is kept once. (An instance
  // declaration is seen once per component, so only stack-level places need remembering.)
  const stackPlaces = new Set<string>();
  const config: Finding[] = [];
  const seenConfig = new Set<string>();
  const addConfig = (e: AppError, place: FindingPlace): void => {
    const id = JSON.stringify([e.message, e.location?.file, e.location?.line]);
    if (seenConfig.has(id)) return;
    seenConfig.add(id);
    const where = e.location
      ? { file: shownFile(basePath, e.location.file), ...(e.location.line ? { line: e.location.line } : {}) }
      : {};
    config.push(finding('config', e.message, fixConfig(e), [{ ...place, ...where }]));
  };
  for (const e of ctx.index.stores.allFailures()) addConfig(e, {});

  let components = 0;
  for (const stack of stacks) {
    throwIfCancelled(req.signal);
    for (const c of ctx.index.listing(stack)) {
      if (c.abstract) continue;
      components++;
      let cs: ComponentSecrets;
      try {
        cs = ctx.index.componentOnce(stack, c.name, c.type);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        addConfig(e, { stack, component: c.name });
        continue;
      }
      const production = req.isProduction(stack, cs.config.sections);
      for (const b of cs.broken) {
        addConfig(b.error, { stack, component: b.position === 'stack' ? '*' : cs.component, secret: b.name });
      }
      for (const s of cs.secrets) {
        const key = s.coordinate.key;
        let audited = secrets.get(key);
        if (!audited) {
          audited = { coordinate: s.coordinate, places: [], required: false, production: false, nonProduction: false };
          secrets.set(key, audited);
        }
        audited.required ||= s.declaration.required;
        if (production) audited.production = true;
        else audited.nonProduction = true;
        const component = s.declaration.position === 'stack' ? '*' : cs.component;
        if (component === '*') {
          const id = `${key}\0${stack}\0${s.name}`;
          if (stackPlaces.has(id)) continue;
          stackPlaces.add(id);
        }
        audited.places.push({
          stack,
          component,
          secret: s.name,
          provider: s.coordinate.provider,
          where: describeCoordinate(s.coordinate),
          file: shownFile(basePath, s.declaration.location.file),
          ...(s.declaration.location.line ? { line: s.declaration.location.line } : {}),
        });
      }
    }
  }
  return { secrets, config, stacks: stacks.length, components };
}
