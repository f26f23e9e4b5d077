// The secrets service: ONE object per loaded workspace that every caller (the CLI now, the IPC handlers next)
// uses for set, get, delete, list, validate, init, pull, push, import, exec and shell. Dependencies are
// injected: the workspace, the store registry (or factories), the SOPS backend when there is one, a clock and
// the confirmation callback. Values come in and go out only where the operation needs them (set/push/init
// take them, get/pull return them, exec hands them to a child's environment) and never appear in errors.
import type { Workspace } from '../config';
import { processRedactor } from '../log/redactor';
import { withRequestWarnings, type WarningSink } from './request-warnings';
import type { StoreFactoryTable, StoreRegistry } from '../stores';
import { createBackends, readOptional, type SecretBackend } from './backends/backend';
import {
  prepareEnvironment,
  runWithSecrets,
  chooseShell,
  type EnvironmentRequest,
  type PreparedEnvironment,
  type RunRequest,
  type RunResult,
} from './operations/child-env';
import { SecretsIndex, type ComponentSecrets } from './model/secrets-index';
import { ConsumersIndex, type ConsumerSummary } from './model/consumers';
import type { SopsCoordinate } from './model/coordinates';
import {
  pullSecrets,
  pushSecrets,
  type PullRequest,
  type PullResult,
  type PushRequest,
  type PushResult,
} from './operations/files';
import {
  findLegacyStoreUses,
  importFromStore,
  importRewrite,
  proposeRewrites,
  type ImportPlan,
  type ImportRequest,
  type RewritePlan,
  type RewriteProposal,
  type RewriteRequest,
} from './operations/import';
import {
  applyManifestChange,
  applyUndeclare,
  declareOptions,
  planDeclare,
  planUndeclare,
  type DeclareOptions,
  type DeclarePlan,
  type DeclareRequest,
  type ManifestChange,
  type UndeclareOptions,
  type UndeclarePlan,
  type UndeclareRequest,
} from './operations/declare';
import { initSecrets, type InitReport, type InitRequest } from './operations/init';
import type { LegacyStoreUse } from './model/legacy-stores';
import { listSecrets, streamSecrets, type ListFilter, type ListRow, type ListSummary } from './operations/list';
import { type Confirm, type LongRunning, type OperationContext } from './operations/operation-context';
import { findOrphans, type DriftReport, type DriftRequest } from './operations/drift';
import { withOperationSignal } from '../stores/operation-signal';
import { resolveReferences } from './model/references';
import { StoreCatalog } from './model/store-catalog';
import { auditSecrets, type AuditReport, type AuditRequest } from './health/audit';
import { deleteOrphan, type DeleteOrphanRequest } from './health/orphans';
import { resolveTarget, type SecretTarget } from './model/targets';
import {
  diffStacks,
  explainSecret,
  workspaceCreationRules,
  type DiffReport,
  type DiffRequest,
  type Explanation,
  type ExplainRequest,
} from './explain';
import { validateSecrets, type ValidateFilter, type ValidationReport } from './operations/validate';
import { searchSecrets, type SearchRequest, type SearchResult } from './operations/search';
import { planPush, type PushPlan, type PushPlanRequest } from './operations/push-plan';
import { deleteAllSecrets, type DeleteAllRequest, type DeleteAllResult } from './operations/delete-all';
import { restoreVersion, secretHistory, type HistoryReport, type RestoreRequest } from './operations/history';
import { listStores, testStore, type StoreInfo, type StoreTestResult } from './operations/stores';
import {
  consumersReport,
  rotateSecret,
  rotationHistory,
  type ConsumersReport,
  type RotateRequest,
  type RotateResult,
  type RotationHistory,
} from './operations/rotate';
import {
  consumersOf,
  deleteSecret,
  getSecret,
  setSecret,
  targetInfo,
  type ChangeResult,
  type DeleteRequest,
  type DeleteResult,
  type GetRequest,
  type GetResult,
  type SetRequest,
  type TargetInfo,
} from './operations/values';

export interface SecretsServiceOptions {
  readonly workspace: Workspace;
  /** The stores' factories (e.g. builtInStoreFactories({keychain})); the registry is built over the valid stores. */
  readonly factories: StoreFactoryTable;
  /** The SOPS backend (compose.ts wires SopsSecretBackend). */
  readonly sops: SecretBackend<SopsCoordinate>;
  /** Answers confirmations (shared-secret changes); without it they stop with a USAGE error. */
  readonly confirm?: Confirm | undefined;
  /** `--identity` / `ATMOS_IDENTITY`. */
  readonly identity?: string | undefined;
  readonly clock?: (() => Date) | undefined;
  /** Told every value read or written (default: the process redactor, which masks them in logs and errors). */
  readonly remember?: ((value: string) => void) | undefined;
}

/**
 * Operations that may write a SOPS file take the caller's warning sink (e.g. "generated the provider's first age
 * key"), so concurrent callers of one service each hear only their own; without it, the service-wide one.
 */
export interface PerRequestWarnings {
  readonly onWarning?: WarningSink | undefined;
}

export class SecretsService {
  readonly workspace: Workspace;
  readonly stores: StoreCatalog;
  readonly registry: StoreRegistry;
  private readonly ctx: OperationContext;

  constructor(o: SecretsServiceOptions) {
    this.workspace = o.workspace;
    this.stores = StoreCatalog.fromWorkspace(o.workspace);
    this.registry = this.stores.registry(o.factories);
    const remember = o.remember ?? ((v: string) => processRedactor.remember(v));
    const index = new SecretsIndex(o.workspace, this.stores, { identityOverride: o.identity });
    this.ctx = {
      workspace: o.workspace,
      index,
      consumers: new ConsumersIndex(index),
      backends: createBackends(this.registry, o.sops, remember),
      registry: this.registry,
      clock: o.clock ?? (() => new Date()),
      confirm: o.confirm,
      remember,
    };
  }

  /** A component's validated declarations and coordinates (no backend call). */
  component(stack: string, component: string): ComponentSecrets {
    return this.ctx.index.component(this.workspace.resolveStack(stack).name, component);
  }

  /**
   * The component's merged sections with every `!secret` resolved: `<MASKED>` (no backend call) unless
   * `reveal`, then the values. An undeclared name fails either way; `!store` on a secret store is refused.
   */
  resolveSections(req: {
    readonly stack: string;
    readonly component: string;
    readonly reveal?: boolean | undefined;
  }): Promise<Readonly<Record<string, unknown>>> {
    const cs = this.component(req.stack, req.component);
    const placed = new Map(cs.secrets.map((s) => [s.name, s]));
    const broken = new Map(cs.broken.map((b) => [b.name, b.error]));
    const backends = this.ctx.backends;
    return resolveReferences(
      cs.config.sections,
      {
        isDeclared: (n) => placed.has(n) || broken.has(n),
        isSecretStore: (s) => this.stores.config(s)?.secret,
        placeOf: (n) => {
          const s = placed.get(n);
          return s && { name: n, stack: cs.stack, component: cs.component, scope: s.declaration.scope };
        },
        ...(req.reveal
          ? {
              value: async (n: string) => {
                const b = broken.get(n);
                if (b) throw b;
                const s = placed.get(n);
                return s ? readOptional(backends, s.coordinate) : undefined;
              },
            }
          : {}),
      },
      cs.component,
    ) as Promise<Readonly<Record<string, unknown>>>;
  }

  /** What NAME resolves to in (stack[, component]): scope, provider, where, identity. No backend call. */
  describe(target: SecretTarget): TargetInfo {
    return targetInfo(resolveTarget(this.ctx, target));
  }

  /** Every (stack, component) sharing the secret's value. No backend call. */
  consumers(target: SecretTarget): ConsumerSummary {
    return consumersOf(this.ctx, target);
  }

  set(req: SetRequest & PerRequestWarnings): Promise<ChangeResult> {
    return withRequestWarnings(req.onWarning, () => setSecret(this.ctx, req));
  }

  get(req: GetRequest): Promise<GetResult> {
    return getSecret(this.ctx, req);
  }

  /** Deletes one value; a Secrets Manager delete says until when it can be recovered (the service's date). */
  delete(req: DeleteRequest): Promise<DeleteResult> {
    return withOperationSignal(req.signal, () => deleteSecret(this.ctx, req));
  }

  /** `delete --all`: every value the stack (or one component) uses alone (shared ones too with includeShared). */
  deleteAll(req: DeleteAllRequest): Promise<DeleteAllResult> {
    return withOperationSignal(req.signal, () => deleteAllSecrets(this.ctx, req));
  }

  /** Fails (CONFIG) on a `!secret` of an undeclared name in the selected components, as describe does. */
  async list(filter: ListFilter = {}): Promise<ListRow[]> {
    return withOperationSignal(filter.signal, () => listSecrets(this.ctx, filter));
  }

  /**
   * `list` streamed: rows go to `onRow` stack by stack (nothing holds the whole listing); a backend problem comes
   * back once per provider with the rows it affects. Fails like `list` on an undeclared `!secret` name.
   */
  async streamList(filter: ListFilter, onRow: (row: ListRow) => void | Promise<void>): Promise<ListSummary> {
    return withOperationSignal(filter.signal, () => streamSecrets(this.ctx, filter, onRow));
  }

  validate(filter: ValidateFilter = {}): Promise<ValidationReport> {
    return withOperationSignal(filter.signal, () => validateSecrets(this.ctx, filter));
  }

  init(req: InitRequest & PerRequestWarnings): Promise<InitReport> {
    return withOperationSignal(req.signal, () => withRequestWarnings(req.onWarning, () => initSecrets(this.ctx, req)));
  }

  pull(req: PullRequest): Promise<PullResult> {
    return withOperationSignal(req.signal, () => pullSecrets(this.ctx, req));
  }

  push(req: PushRequest & PerRequestWarnings): Promise<PushResult> {
    return withOperationSignal(req.signal, () => withRequestWarnings(req.onWarning, () => pushSecrets(this.ctx, req)));
  }

  /** What a push of this file would do (keys, undeclared ones, shared secrets reached). No backend call. */
  planPush(req: PushPlanRequest): PushPlan {
    return planPush(this.ctx, req);
  }

  /** The app's global search over every stack's declarations (no backend call; indexed once per load). */
  search(req: SearchRequest): Promise<SearchResult> {
    return searchSecrets(this.ctx, req);
  }

  importFromStore(req: ImportRequest & PerRequestWarnings): Promise<ImportPlan> {
    return withOperationSignal(req.signal, () =>
      withRequestWarnings(req.onWarning, () => importFromStore(this.ctx, req)),
    );
  }

  findLegacyStoreUses(opts: LongRunning & { readonly stack?: string | undefined } = {}): LegacyStoreUse[] {
    return findLegacyStoreUses(this.ctx, opts);
  }

  /** The environment exec/shell would give the child (values included: hand it only to a child process). */
  environment(req: EnvironmentRequest): Promise<PreparedEnvironment> {
    return prepareEnvironment(this.ctx, req);
  }

  exec(req: RunRequest): Promise<RunResult> {
    return runWithSecrets(this.ctx, req);
  }

  /** Every configured store: kind, identity, masked options, whether this build has its adapter. No backend call. */
  listStores(): StoreInfo[] {
    return listStores(this.stores, this.registry, this.workspace.stores);
  }

  /** Reads a path that cannot exist in the store: not-found means reachable and authorised. */
  testStore(name: string, o: { readonly signal?: AbortSignal | undefined } = {}): Promise<StoreTestResult> {
    return withOperationSignal(o.signal, () => testStore(this.registry, name, o));
  }

  /** A declared secret's versions, newest first (never a value). */
  history(target: SecretTarget): Promise<HistoryReport> {
    return secretHistory(this.ctx, target);
  }

  /** Writes an earlier version's value as the new current version (stores with versions and getVersion). */
  restoreVersion(req: RestoreRequest): Promise<ChangeResult & { readonly restored: string }> {
    return restoreVersion(this.ctx, req);
  }

  /** Every stack and component that resolves to the secret's backend path, with that path. No backend call. */
  consumersReport(target: SecretTarget): ConsumersReport {
    return consumersReport(this.ctx, target);
  }

  /** Rotates: a generated or given value, written once, read back through every consumer (operations/rotate.ts). */
  rotate(req: RotateRequest & PerRequestWarnings): Promise<RotateResult> {
    return withRequestWarnings(req.onWarning, () => rotateSecret(this.ctx, req));
  }

  /** The secret's history and rotation age against `maxAgeDays` (default 90). Never a value. */
  rotationHistory(target: SecretTarget, maxAgeDays?: number): Promise<RotationHistory> {
    return rotationHistory(this.ctx, target, maxAgeDays);
  }

  /** Estate health: missing, reused, weak and stale secrets (and more sources); names and places only. */
  audit(req: AuditRequest = {}): Promise<AuditReport> {
    return auditSecrets(this.ctx, req);
  }

  /** Deletes one store value no declaration resolves to, after listing the store again to be sure it still is one. */
  deleteOrphan(req: DeleteOrphanRequest): Promise<{ readonly deleted: boolean }> {
    return deleteOrphan(this.ctx, req);
  }

  /**
   * Drift, "present but undeclared": what each store holds under its prefix, and each SOPS provider's files
   * hold, that no declaration resolves to; stores that cannot be listed are findings too. Never a value.
   */
  drift(req: DriftRequest = {}): Promise<DriftReport> {
    return withOperationSignal(req.signal, () => findOrphans(this.ctx, req));
  }

  /** An interactive shell ($SHELL unless `shell` says otherwise) with the secrets in its environment. */
  shell(req: Omit<RunRequest, 'command'> & { readonly shell?: string | undefined }): Promise<RunResult> {
    return runWithSecrets(this.ctx, { ...req, command: chooseShell(req.baseEnv, req.shell) });
  }

  /** What the declare form offers for (stack[, component]): secret stores, providers, the existing declaration. */
  declareOptions(req: { readonly stack: string; readonly component?: string; readonly name?: string }): DeclareOptions {
    return declareOptions(this.ctx, req);
  }

  /** Plans adding or editing a declaration in place (the diff, where its value lives). Writes nothing. */
  planDeclare(req: DeclareRequest): Promise<DeclarePlan> {
    return planDeclare(this.ctx, req);
  }

  /** Plans removing a declaration from the file that holds it. Writes nothing. */
  planUndeclare(req: UndeclareRequest): Promise<UndeclarePlan> {
    return planUndeclare(this.ctx, req);
  }

  /** Saves a planned manifest change; refuses (ManifestChangedError) when the file changed on disk since. */
  applyManifestChange(change: Pick<ManifestChange, 'file' | 'hash' | 'after' | 'unchanged'>): Promise<void> {
    return applyManifestChange(change);
  }

  /** Removes a planned declaration, deleting its stored value first when asked (with the consumers confirmation). */
  undeclare(plan: UndeclarePlan, o: UndeclareOptions = {}): Promise<{ readonly valueDeleted: boolean }> {
    return applyUndeclare(this.ctx, plan, o);
  }

  /** Every `!store` expression on a secret store, grouped where it is written, with a proposed declaration. */
  proposeRewrites(opts: LongRunning & { readonly stack?: string | undefined } = {}): RewriteProposal[] {
    return proposeRewrites(this.ctx, opts);
  }

  /** `import --rewrite`: the plan, or with `apply` the run (copy, declare, rewrite to `!secret`), per item. */
  importRewrite(req: RewriteRequest & PerRequestWarnings): Promise<RewritePlan> {
    return withRequestWarnings(req.onWarning, () => importRewrite(this.ctx, req));
  }

  /** Where a secret comes from and lives: provenance, scope, backend name, identity, recipients, consumers. */
  explain(req: ExplainRequest): Promise<Explanation> {
    return explainSecret(this.ctx, req, {
      creationRule: workspaceCreationRules(this.stores, this.workspace.basePath),
    });
  }

  /** Two stacks (or one component in both) compared: declared, set, equal values by keyed hash. Never a value. */
  diff(req: DiffRequest): Promise<DiffReport> {
    return withOperationSignal(req.signal, () => diffStacks(this.ctx, req));
  }
}
