// `explain`: where a secret comes from and where its value lives, from config alone. For (stack[, component],
// NAME): every file that contributed to the declaration (with line and key path, in merge order, and which one
// won), the effective scope and why, the store or SOPS provider with the exact backend name or file and key,
// the identity a backend call would use and the precedence rule that chose it, who can decrypt it (SOPS), and
// every stack and component that shares it. No backend is called unless `verify` asks for the status: then
// exactly one status call (one coordinate) is made.
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { AppError } from '../../../shared/errors';
import { formatScopePath, scopedPath, type SecretScope, type StoreKind } from '../../stores';
import type { DeclarationSource } from '../../config';
import type { IdentitySource, SecretCoordinate } from '../model/coordinates';
import { declarationSources } from '../model/declarations';
import { resolveTarget, type SecretTarget } from '../model/targets';
import type { SopsProviderKind } from '../model/providers';
import { statusesOf, type ListStatus } from '../operations/list';
import type { OperationContext } from '../operations/operation-context';
import { sopsRecipients, type CreationRuleFor, type Recipients } from './recipients';

export interface ExplainRequest extends SecretTarget {
  /** Ask the backend for the status (one call). Without it no backend is called. */
  readonly verify?: boolean | undefined;
}

export interface ExplainSource {
  /** Relative to the base path (absolute when outside it). */
  readonly file: string;
  readonly line: number | null;
  /** The YAML key path in `file`, dotted (keys that hold a dot are quoted). */
  readonly keyPath: string;
  /** The manifest the block was read through (differs from `file` for a `!include`d vars file). */
  readonly manifest: string;
  readonly role: DeclarationSource['role']['kind'];
  /** For a `base` entry: the inherited component. */
  readonly base: string | null;
  readonly position: 'stack' | 'instance';
  readonly fields: readonly string[];
  /** Fields of the merged declaration whose value this entry gives. */
  readonly wins: readonly string[];
  readonly winner: boolean;
}

export type ExplainBackend =
  | {
      readonly kind: 'store';
      readonly store: string;
      readonly storeKind: StoreKind;
      /** The scope's parts before the store's prefix and naming: `stack/component/NAME`, `stack/NAME` or `NAME`. */
      readonly scopePath: string;
      /** The backend's own name after its naming rules (SSM parameter, keychain account, Vault path, op:// reference, ...). */
      readonly nativeName: string;
    }
  | {
      readonly kind: 'sops';
      readonly provider: string;
      readonly providerKind: SopsProviderKind;
      /** As configured: relative to the base path unless absolute. */
      readonly file: string;
      /** The top-level key in the file. */
      readonly key: string;
      readonly exists: boolean;
    };

export interface Explanation {
  readonly secret: string;
  readonly stack: string;
  /** The component whose declaration is explained: the one asked for, or the first that shares a stack/global secret. */
  readonly component: string;
  readonly componentGiven: boolean;
  readonly declaration: {
    readonly description: string | null;
    readonly required: boolean;
    /** `store:<name>` or `sops:<name>`. */
    readonly provider: string;
    /** The 1Password reference as written (a template), when the declaration has one. */
    readonly reference: string | null;
    readonly sources: readonly ExplainSource[];
  };
  readonly scope: { readonly value: SecretScope; readonly rule: string };
  readonly backend: ExplainBackend;
  readonly identity: {
    readonly name: string | null;
    readonly source: IdentitySource;
    readonly rule: string;
    /** False where the backend takes no cloud identity (keychain, 1Password, Vault, age, pgp): `unused` says what it uses. */
    readonly used: boolean;
    readonly unused: string | null;
  };
  /** SOPS only: who can decrypt it, or why that cannot be told. Null for a store secret. */
  readonly recipients: (Recipients & { readonly error: null }) | { readonly error: string } | null;
  readonly consumers: {
    readonly count: number;
    readonly stacks: readonly string[];
    readonly components: readonly { readonly stack: string; readonly component: string }[];
  };
  /** Only with verify: the backend's answer. */
  readonly status: { readonly value: ListStatus; readonly detail: string | null } | null;
}

export interface ExplainDeps {
  readonly creationRule: CreationRuleFor;
}

/** The identity precedence (spec §3), in words, for the rule that chose. */
export function identityRule(source: IdentitySource, c: SecretCoordinate): string {
  switch (source) {
    case 'store':
      return c.kind === 'store' ? `the store's own identity (stores.${c.store}.identity)` : "the store's own identity";
    case 'provider':
      return c.kind === 'sops'
        ? `the SOPS provider's own identity (secrets.providers.${c.providerName}.identity)`
        : "the provider's own identity";
    case 'flag':
      return 'the --identity flag or ATMOS_IDENTITY (the store sets none)';
    case 'component':
      return "the component's effective identity (auth.identity, or its one default auth.identities entry)";
    case 'default':
      return "the SDK's default credential chain (no store, flag, ATMOS_IDENTITY or component identity)";
    default: {
      const never: never = source;
      throw new AppError('INTERNAL', `unexpected identity source ${String(never)}`);
    }
  }
}

/** What a backend that takes no cloud identity authenticates with; null when the identity is used. */
export function identityUnused(c: SecretCoordinate): string | null {
  const kind = c.kind === 'store' ? c.storeKind : c.providerKind;
  switch (kind) {
    case 'aws/ssm':
    case 'aws/asm':
    case 'gcp/secretmanager':
    case 'azure/keyvault':
    case 'sops/aws-kms':
    case 'sops/gcp-kms':
      return null;
    case 'keychain':
      return "the OS keychain of this machine (the person's login)";
    case 'onepassword':
      return 'a 1Password Connect or service-account token';
    case 'hashicorp/vault':
      return 'a Vault token';
    case 'sops/age':
      return "an age private key (the provider's age_key)";
    case 'sops/pgp':
      return 'the local GnuPG keyring';
    case 'redis':
    case 'artifactory':
      return 'no secret store identity (a plaintext store)';
    default: {
      const never: never = kind;
      throw new AppError('INTERNAL', `unexpected backend kind ${String(never)}`);
    }
  }
}

function scopeRule(scope: SecretScope, position: 'stack' | 'instance', explicit: boolean): string {
  if (scope === 'global') return 'scope: global is declared: one value for every stack and component';
  const where =
    position === 'stack'
      ? "the winning declaration is in a stack-level secrets block, which implies scope stack: one value for the stack's components"
      : "the winning declaration is under the component's secrets, which implies scope instance: this component's own value";
  return explicit ? `${where} (its scope: agrees)` : where;
}

function keyPathText(path: readonly string[]): string {
  return path.map((k) => (/^[\w-]+$/.test(k) ? k : JSON.stringify(k))).join('.');
}

function backendOf(c: SecretCoordinate): ExplainBackend {
  switch (c.kind) {
    case 'store':
      return {
        kind: 'store',
        store: c.store,
        storeKind: c.storeKind,
        scopePath: formatScopePath(scopedPath(c.path, { stackDelimiter: '' })),
        nativeName: c.nativeName,
      };
    case 'sops':
      return {
        kind: 'sops',
        provider: c.providerName,
        providerKind: c.providerKind,
        file: c.file,
        key: c.keyPath,
        exists: existsSync(c.absoluteFile),
      };
    default: {
      const never: never = c;
      throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
    }
  }
}

export async function explainSecret(
  ctx: OperationContext,
  req: ExplainRequest,
  deps: ExplainDeps,
): Promise<Explanation> {
  const t = resolveTarget(ctx, req);
  const { declaration: d, coordinate: c } = t.secret;
  const cs = t.component;
  const basePath = ctx.workspace.basePath;
  const rel = (file: string): string => {
    const r = relative(basePath, file);
    return r === '' || r.startsWith('..') || isAbsolute(r) ? file : r;
  };
  const sources = declarationSources(ctx.workspace, t.stack, cs.component, d.name, cs.type).map((s): ExplainSource => ({
    file: rel(s.file),
    line: s.line ?? null,
    keyPath: keyPathText(s.keyPath),
    manifest: rel(s.layerFile),
    role: s.role.kind,
    base: s.role.kind === 'base' ? s.role.component : null,
    position: s.position,
    fields: s.fields.map((f) => f.name),
    wins: s.wins,
    winner: s.winner,
  }));
  // The merged fields carry the scope the loader stamped: whether one was written is in the sources.
  const explicitScope = sources.some((x) => x.fields.includes('scope'));
  const unused = identityUnused(c);
  const consumers = ctx.consumers.consumersOf(c);
  let recipients: Explanation['recipients'] = null;
  if (c.kind === 'sops') {
    const r = await sopsRecipients(c, deps.creationRule);
    recipients = 'error' in r ? { error: r.error.message } : { ...r.recipients, error: null };
  }
  let status: Explanation['status'] = null;
  if (req.verify) {
    const s = (await statusesOf(ctx, [c], true)).get(c.key);
    status = { value: s?.status ?? 'unknown', detail: s?.detail ?? null };
  }
  return {
    secret: d.name,
    stack: t.stack,
    component: cs.component,
    componentGiven: req.component !== undefined && req.component !== '',
    declaration: {
      description: d.description ?? null,
      required: d.required,
      provider: c.provider,
      reference: d.reference ?? null,
      sources,
    },
    scope: { value: d.scope, rule: scopeRule(d.scope, d.position, explicitScope) },
    backend: backendOf(c),
    identity: {
      name: c.identity.name ?? null,
      source: c.identity.source,
      rule: identityRule(c.identity.source, c),
      used: unused === null,
      unused,
    },
    recipients,
    consumers: {
      count: consumers.consumers.length,
      stacks: consumers.stacks,
      components: consumers.consumers.map((x) => ({ stack: x.stack, component: x.component })),
    },
    status,
  };
}
