// Declarations: a component's merged `secrets.vars.<NAME>` records, validated with zod and against the
// configured stores and SOPS providers (spec §3). Every violation is a CONFIG AppError naming the secret, with
// the declaration's file and line and a hint. Atmos lets `sops` win silently over `store`; we refuse both.
import { z } from 'zod';
import type {
  ComponentConfig,
  DeclarationSource,
  ProviderRecord,
  SecretDeclaration,
  Workspace,
} from '../../config';
import { AppError, type SourceLocation } from '../../../shared/errors';
import { onePasswordReference, UnmappablePathError, type SecretScope, type StoreConfig } from '../../stores';
import { parseSopsProvider, type SopsProvider } from './providers';
import type { StoreCatalog } from './store-catalog';

/** Which backend a declaration names: a `secret: true` store or a SOPS provider. */
export type BackendRef =
  | { readonly type: 'store'; readonly name: string }
  | { readonly type: 'sops'; readonly name: string; readonly provider: SopsProvider };

export interface Declaration {
  readonly name: string;
  readonly description: string | undefined;
  readonly backend: BackendRef;
  readonly reference: string | undefined;
  readonly required: boolean;
  readonly scope: SecretScope;
  /** Where the winning declaration sits: a stack's top-level `secrets:` block or a component's. */
  readonly position: 'stack' | 'instance';
  readonly location: SourceLocation;
}

/** `store:<name>` or `sops:<name>`, as `list` shows it. */
export function providerLabel(backend: Pick<BackendRef, 'type' | 'name'>): string {
  return `${backend.type}:${backend.name}`;
}

// YAML `description:` with nothing after it is null: treat it as absent.
const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

const declarationSchema = z.strictObject({
  description: optional(z.string()),
  store: optional(z.string().min(1, 'must name a store')),
  sops: optional(z.string().min(1, 'must name a SOPS provider')),
  reference: optional(z.string().min(1, 'must not be empty')),
  required: optional(z.boolean()),
  scope: optional(z.enum(['instance', 'stack', 'global'])),
});

function fail(decl: Pick<SecretDeclaration, 'name' | 'location'>, message: string, hint: string): never {
  throw new AppError('CONFIG', `secret "${decl.name}" ${message}`, { location: decl.location, hint });
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `has unknown field(s) ${issue.keys.join(', ')}`;
  const field = issue.path.join('.');
  return `field "${field}" ${issue.message}`;
}

/** Validates one declaration; throws the first violation. */
export function parseDeclaration(
  decl: SecretDeclaration,
  stores: StoreCatalog,
  providers: Readonly<Record<string, ProviderRecord>>,
): Declaration {
  const parsed = declarationSchema.safeParse(decl.fields);
  if (!parsed.success) {
    fail(
      decl,
      parsed.error.issues.map(issueText).join('; '),
      'A declaration takes description, store or sops, reference, required and scope.',
    );
  }
  const f = parsed.data;
  const store = f.store ?? undefined;
  const sops = f.sops ?? undefined;
  if (store !== undefined && sops !== undefined) {
    fail(decl, `sets both store "${store}" and sops "${sops}"`, 'Set exactly one of store or sops.');
  }
  if (store === undefined && sops === undefined) {
    fail(
      decl,
      'sets neither store nor sops',
      'Set store: <a secret: true store> or sops: <a secrets.providers entry>.',
    );
  }

  // The loader stamps the scope; re-check so a hand-built ComponentConfig cannot slip past the position rule.
  const scope = f.scope ?? decl.scope;
  if (scope !== 'global' && scope !== decl.position) {
    fail(
      decl,
      `declares scope "${scope}" but its position implies "${decl.position}"`,
      `Remove scope: ${scope}, use scope: global, or move the declaration.`,
    );
  }

  let backend: BackendRef;
  if (store !== undefined) {
    const broken = stores.failure(store);
    if (broken)
      fail(
        decl,
        `uses store "${store}", which is invalid: ${broken.message}`,
        broken.hint ?? 'Fix the store in atmos.yaml.',
      );
    const config = stores.config(store);
    if (!config) {
      const known = stores.names();
      fail(
        decl,
        `uses store "${store}", which is not configured`,
        known.length > 0
          ? `Configured stores: ${known.join(', ')}.`
          : 'atmos.yaml has no stores; add one under stores:.',
      );
    }
    if (!config.secret) {
      throw new AppError('CONFIG', `store "${store}" is not a secret store (set secret: true)`, {
        location: decl.location,
        hint: `Secret "${decl.name}" uses it. Add \`secret: true\` to stores.${store} in atmos.yaml${config.location ? ` (${config.location.file}${config.location.line ? `:${config.location.line}` : ''})` : ''}.`,
      });
    }
    backend = { type: 'store', name: store };
  } else {
    const name = sops ?? '';
    const record = providers[name];
    if (!record) {
      const known = Object.keys(providers).sort();
      fail(
        decl,
        `uses SOPS provider "${name}", which is not configured`,
        known.length > 0
          ? `Configured providers: ${known.join(', ')}.`
          : 'Declare it under secrets.providers in atmos.yaml, the stack, or the component.',
      );
    }
    let provider: SopsProvider;
    try {
      provider = parseSopsProvider(record);
    } catch (e) {
      if (e instanceof AppError)
        fail(decl, `uses SOPS provider "${name}", which is invalid: ${e.message}`, e.hint ?? 'Fix the provider.');
      throw e;
    }
    backend = { type: 'sops', name, provider };
  }

  return {
    name: decl.name,
    description: f.description ?? undefined,
    backend,
    reference: f.reference ?? undefined,
    required: f.required ?? false,
    scope,
    position: decl.position,
    location: decl.location,
  };
}

export interface ParsedDeclarations {
  /** The valid declarations, sorted by name. */
  readonly declarations: readonly Declaration[];
  /** One error per invalid declaration. */
  readonly errors: readonly AppError[];
}

/** All of a component's declarations: the valid ones and one error per invalid one. */
export function parseDeclarations(
  cc: Pick<ComponentConfig, 'secretDeclarations' | 'secretProviders'>,
  stores: StoreCatalog,
): ParsedDeclarations {
  const declarations: Declaration[] = [];
  const errors: AppError[] = [];
  for (const name of Object.keys(cc.secretDeclarations).sort()) {
    const decl = cc.secretDeclarations[name];
    if (!decl) continue;
    try {
      declarations.push(parseDeclaration(decl, stores, cc.secretProviders));
    } catch (e) {
      if (e instanceof AppError) errors.push(e);
      else throw e;
    }
  }
  return { declarations, errors };
}

/** The exact refusal for a name the component does not declare (spec §3). */
export function notDeclaredError(name: string, location?: SourceLocation, component?: string): AppError {
  return new AppError('CONFIG', `secret is not declared: "${name}" (declare it under the component's secrets.vars)`, {
    ...(location ? { location } : {}),
    hint: component
      ? `Add secrets.vars.${name} with store: or sops: to component "${component}".`
      : `Add secrets.vars.${name} with store: or sops:.`,
  });
}

/** One declaration of a component by name; the spec's not-declared error when it has none. */
export function declarationOf(
  cc: Pick<ComponentConfig, 'secretDeclarations' | 'secretProviders' | 'component'>,
  name: string,
  stores: StoreCatalog,
  location?: SourceLocation,
): Declaration {
  const decl = Object.hasOwn(cc.secretDeclarations, name) ? cc.secretDeclarations[name] : undefined;
  if (!decl) throw notDeclaredError(name, location, cc.component);
  return parseDeclaration(decl, stores, cc.secretProviders);
}

export type { DeclarationSource } from '../../config';

/**
 * Provenance: every file that contributed to a component's declaration of `name`, in merge order (imports,
 * catalog defaults, inherited bases, the component, overrides; `!include`d vars files by their own file and
 * line), each with the fields it sets and wins; the last one won. The spec's not-declared error when none does.
 */
export function declarationSources(
  workspace: Pick<Workspace, 'declarationSources'>,
  stack: string,
  component: string,
  name: string,
  type?: string,
): DeclarationSource[] {
  const sources = workspace.declarationSources(stack, component, name, type);
  if (sources.length === 0) throw notDeclaredError(name, undefined, component);
  return sources;
}

/** Where a declaration is, as `file:line`, for messages whose text is all a listing shows. */
function whereText(location: SourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

/**
 * A 1Password declaration's `reference` rendered for one place (stack, component), or the refusal at the
 * declaration's own file and line: the reference is written there, not in atmos.yaml where the store is. The
 * message names the file too, since a listing shows only the message (issue 11: found when the workspace
 * loads, naming the secret, the file and the line).
 */
export function onePasswordReferenceAt(
  config: Pick<StoreConfig, 'name' | 'kind' | 'options'>,
  decl: Pick<SecretDeclaration, 'name' | 'location'> & { readonly scope: SecretScope },
  reference: string | undefined,
  place: { readonly stack: string; readonly component: string },
): string {
  const vault = config.options['vault'];
  try {
    return onePasswordReference(
      {
        name: decl.name,
        scope: decl.scope,
        ...(decl.scope !== 'global' ? { stack: place.stack } : {}),
        ...(decl.scope === 'instance' ? { component: place.component } : {}),
        ...(reference !== undefined ? { reference } : {}),
      },
      { ...(typeof vault === 'string' ? { vault } : {}) },
      { store: config.name, location: decl.location },
    ).reference;
  } catch (e) {
    if (!(e instanceof UnmappablePathError)) throw e;
    throw new UnmappablePathError(
      { secret: e.secret, store: e.store },
      'onepassword',
      `${e.rule} (declared at ${whereText(decl.location)})`,
      decl.location,
    );
  }
}

const onePasswordPresence = new WeakMap<object, boolean>();

function hasOnePasswordStore(stores: Pick<StoreCatalog, 'configs'>): boolean {
  let has = onePasswordPresence.get(stores);
  if (has === undefined) {
    has = stores.configs().some((c) => c.kind === 'onepassword');
    onePasswordPresence.set(stores, has);
  }
  return has;
}

/**
 * Every 1Password declaration of a component has a reference that parses for this place; throws the first
 * that does not (for describe, which checks without building the secrets index).
 */
export function checkOnePasswordReferences(
  cc: Pick<ComponentConfig, 'stack' | 'component' | 'secretDeclarations'>,
  stores: Pick<StoreCatalog, 'config' | 'configs'>,
): void {
  // describe checks every component of every stack: a workspace without a 1Password store costs nothing.
  if (!hasOnePasswordStore(stores)) return;
  for (const name of Object.keys(cc.secretDeclarations).sort()) {
    const decl = cc.secretDeclarations[name];
    const store = decl?.fields['store'];
    if (!decl || typeof store !== 'string') continue;
    const config = stores.config(store);
    if (config?.kind !== 'onepassword') continue;
    const reference = decl.fields['reference'];
    onePasswordReferenceAt(config, decl, typeof reference === 'string' ? reference : undefined, cc);
  }
}
