// `import NAME --from-store --from-stack --from-component --from-key`: copies a value that legacy `!store`
// usage left at a hand-built path into the declaration's computed coordinate. It copies and never deletes the
// source; a dry run reads the source to prove it is there and returns the plan (never the value). Also the
// finder for every `!store` use on a secret store, for the app's import wizard.
import { AppError } from '../../../shared/errors';
import { SecretNotFoundError, type SecretStore } from '../../stores';
import { readOptional, withBackend } from '../backends/backend';
import { describeCoordinate } from '../model/coordinates';
import {
  findStoreRefs,
  legacySourceOf,
  legacySourcePath,
  type LegacySource,
  type LegacyStoreUse,
} from '../model/legacy-stores';
import {
  confirmOrStop,
  reachText,
  sharedReach,
  throwIfCancelled,
  type Confirmable,
  type ConfirmItem,
  type LongRunning,
  type OperationContext,
} from './operation-context';
import { resolveTarget, type SecretTarget } from '../model/targets';
import { checkSize, targetInfo, type TargetInfo } from './values';

export interface ImportRequest extends SecretTarget, Confirmable {
  /** Default: the declaration's own store. */
  readonly fromStore?: string | undefined;
  readonly fromStack?: string | undefined;
  readonly fromComponent?: string | undefined;
  /** Default: the secret's name. */
  readonly fromKey?: string | undefined;
  readonly dryRun?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ImportPlan {
  readonly source: LegacySource & { readonly nativeName: string };
  readonly target: TargetInfo;
  /** The target already holds a value (replacing it needs confirmation). */
  readonly targetInitialized: boolean;
  /** Source and target are the same backend entry: nothing to copy. */
  readonly sameEntry: boolean;
  /** False for a dry run (or when there was nothing to copy). */
  readonly applied: boolean;
}

function sourceStore(ctx: OperationContext, name: string): SecretStore {
  const config = ctx.index.stores.config(name);
  if (!config) {
    const known = ctx.index.stores.names();
    throw new AppError('CONFIG', `store "${name}" is not configured`, {
      hint: known.length > 0 ? `Configured stores: ${known.join(', ')}.` : 'atmos.yaml has no stores.',
    });
  }
  if (!config.secret) {
    throw new AppError('CONFIG', `store "${name}" is not a secret store (set secret: true), so import cannot read it`, {
      location: config.location,
      hint: `Mark stores.${name} secret: true (its !store uses then need importing anyway).`,
    });
  }
  return ctx.registry.secretStore(name);
}

export async function importFromStore(ctx: OperationContext, req: ImportRequest): Promise<ImportPlan> {
  const t = resolveTarget(ctx, req);
  const c = t.secret.coordinate;
  const storeName = req.fromStore ?? (c.kind === 'store' ? c.store : undefined);
  if (!storeName) throw new AppError('USAGE', `secret "${t.secret.name}" is not store-backed; pass --from-store`);
  const source: LegacySource = {
    store: storeName,
    stack: req.fromStack || undefined,
    component: req.fromComponent || undefined,
    key: req.fromKey || t.secret.name,
  };
  const path = legacySourcePath(source);
  const store = sourceStore(ctx, storeName);
  const nativeName = store.locate(path);
  const sameEntry = c.kind === 'store' && c.store === storeName && c.nativeName === nativeName;
  let value: string;
  try {
    value = await store.get(path);
    ctx.remember(value);
  } catch (e) {
    if (e instanceof SecretNotFoundError) {
      throw new AppError(
        'SECRET_NOT_FOUND',
        `nothing to import: store "${storeName}" holds no value at ${nativeName}`,
        {
          hint: 'Check --from-stack/--from-component/--from-key against the old !store expression.',
        },
      );
    }
    throw e;
  }
  const targetInitialized = sameEntry || (await readOptional(ctx.backends, c)) !== undefined;
  const plan = { source: { ...source, nativeName }, target: targetInfo(t), targetInitialized, sameEntry };
  if (req.dryRun || sameEntry) return { ...plan, applied: false };
  checkSize(ctx, c, value);
  const items: ConfirmItem[] = sharedReach(ctx, t);
  if (targetInitialized && items.length === 0) {
    items.push({
      secret: t.secret.name,
      scope: t.secret.declaration.scope,
      provider: c.provider,
      where: describeCoordinate(c),
      consumers: [
        { stack: t.stack, component: t.component.component, secret: t.secret.name, scope: t.secret.declaration.scope },
      ],
      stacks: [t.stack],
    });
  }
  await confirmOrStop(
    ctx,
    {
      operation: 'import',
      items,
      message: `import ${targetInitialized ? 'replaces the current value of' : 'sets'} ${t.secret.name}, used by ${reachText(items)}`,
    },
    req.confirm,
  );
  throwIfCancelled(req.signal);
  await withBackend(ctx.backends, c, (b, x) => b.set(x, value));
  return { ...plan, applied: true };
}

/**
 * Every `!store`/`!store.get` on a secret store in the deployable components of the workspace (or one stack),
 * from each component's merged sections; when the loader refuses a component's merged configuration, from its
 * own configuration instead (before inheritance and evaluation).
 */
export function findLegacyStoreUses(
  ctx: OperationContext,
  opts: LongRunning & { readonly stack?: string | undefined } = {},
): LegacyStoreUse[] {
  const stacks = opts.stack ? [ctx.workspace.resolveStack(opts.stack).name] : ctx.workspace.stackNames();
  const out: LegacyStoreUse[] = [];
  let done = 0;
  for (const stack of stacks) {
    throwIfCancelled(opts.signal);
    for (const c of ctx.workspace.components(stack)) {
      if (c.abstract) continue;
      let sections: Readonly<Record<string, unknown>>;
      try {
        sections = ctx.workspace.componentConfig(stack, c.name, c.type).sections;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        sections = ctx.workspace.ownComponentConfig(stack, c.type, c.name) ?? {};
      }
      for (const [section, value] of Object.entries(sections)) {
        if (section === 'secrets' || section === 'metadata') continue;
        for (const { at, ref } of findStoreRefs(value, section)) {
          if (ctx.index.stores.config(ref.store)?.secret !== true) continue;
          out.push({
            stack,
            component: c.name,
            at,
            expression: ref.toString(),
            source: legacySourceOf(ref, stack),
            location: ref.location,
          });
        }
      }
    }
    opts.onProgress?.({ done: ++done, total: stacks.length, label: stack });
  }
  return out;
}
