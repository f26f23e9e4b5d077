// Orphans for the audit: drift's "present but undeclared" (operations/drift.ts, one listing per store, key names of
// each SOPS file) as findings. An orphan is a value under a store's managed prefix, or a key in a provider's file,
// that no declaration resolves to; a store that cannot be listed is a finding of its own, never silently nothing.
// With `-s`, only orphans that map back to one of those stacks are kept (a listing is per store, not per stack).
// `deleteOrphan` is the Health page's "Delete it": one store orphan, after listing the store again.
import { AppError } from '../../../shared/errors';
import type { SecretPath } from '../../stores';
import { throwIfCancelled, type OperationContext } from '../operations/operation-context';
import { findOrphans, type DriftFinding, type OrphanFinding } from '../operations/drift';
import type { FindingSource } from './audit';
import { finding, type Finding } from './findings';

function findingOf(d: DriftFinding): Finding {
  switch (d.kind) {
    case 'orphan': {
      const p = d.place;
      const where = p?.stack ? ` (${[p.stack, p.component].filter(Boolean).join('/')})` : '';
      const named = p ? p.name : d.path;
      return finding(
        'orphan',
        `${d.provider} holds ${d.path}${where}, which no declaration resolves to${p ? '' : ` (${d.placeNote ?? 'its place cannot be told from its name'})`}`,
        {
          kind: 'declare-or-delete',
          text: p
            ? `Declare ${named} where it belongs (atmos-secret declare), or delete it from ${d.provider} if nothing uses it.`
            : `Check what uses ${d.path}, then declare it or delete it from ${d.provider}.`,
        },
        [
          {
            ...(p?.stack ? { stack: p.stack } : {}),
            ...(p?.component ? { component: p.component } : {}),
            ...(p ? { secret: p.name } : {}),
            provider: d.provider,
            where: d.path,
            ...(d.file ? { file: d.file } : {}),
          },
        ],
        { lastChanged: d.lastChanged },
      );
    }
    case 'cannot-list':
      return finding(
        'cannot-list',
        `${d.provider}: ${d.reason}`,
        { kind: 'check-access', text: d.hint ?? `Allow the identity of ${d.provider} to list it.` },
        [{ provider: d.provider }],
      );
    default: {
      const never: never = d;
      return never;
    }
  }
}

export const orphanSource: FindingSource = async (ctx: OperationContext, scope) => {
  const report = await findOrphans(ctx, { signal: scope.signal });
  const stacks = scope.stacks && scope.stacks.length > 0 ? new Set(scope.stacks) : undefined;
  return report.findings
    .filter((d) => !stacks || d.kind === 'cannot-list' || (d.place?.stack !== undefined && stacks.has(d.place.stack)))
    .map(findingOf);
};

export interface DeleteOrphanRequest {
  /** `store:<name>`: only store orphans can be deleted here (a SOPS key is removed by editing its file). */
  readonly provider: string;
  /** The backend's own name, as the orphan finding gave it (`where`). */
  readonly path: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Deletes one orphan after checking again that it still is one: the store is listed anew and the entry must still
 * be there with no declaration resolving to it (a teammate may have declared it since), and its Atmos path must
 * map to exactly that backend name. Anything else refuses, and nothing is deleted.
 */
export async function deleteOrphan(ctx: OperationContext, req: DeleteOrphanRequest): Promise<{ deleted: boolean }> {
  if (!req.provider.startsWith('store:')) {
    throw new AppError('BAD_REQUEST', `${req.provider} is not a store: remove the key from its SOPS file instead`, {
      hint: 'Edit the file with sops, or delete the declared secret from the Secrets page.',
    });
  }
  const storeName = req.provider.slice('store:'.length);
  const report = await findOrphans(ctx, { provider: storeName, signal: req.signal });
  const orphan = report.findings.find(
    (d): d is OrphanFinding => d.kind === 'orphan' && d.provider === req.provider && d.path === req.path,
  );
  if (!orphan) {
    throw new AppError('NOT_FOUND', `${req.provider} holds no undeclared ${req.path} any more; nothing was deleted`, {
      hint: 'Run the audit again: it may have been declared or deleted since.',
    });
  }
  const p = orphan.place;
  if (!p) {
    throw new AppError(
      'BAD_REQUEST',
      `${req.path} cannot be mapped back to a stack and component (${orphan.placeNote ?? 'its name is not one this app writes'}); nothing was deleted`,
      { hint: `Delete it with the backend's own tools if nothing uses it.` },
    );
  }
  const path: SecretPath = {
    name: p.name,
    scope: p.scope,
    ...(p.stack !== undefined ? { stack: p.stack } : {}),
    ...(p.component !== undefined ? { component: p.component } : {}),
  };
  const store = ctx.registry.secretStore(storeName);
  if (store.locate(path) !== orphan.path) {
    throw new AppError(
      'BAD_REQUEST',
      `${req.path} does not map back to one name in ${req.provider}; nothing was deleted`,
      {
        hint: `Delete it with the backend's own tools if nothing uses it.`,
      },
    );
  }
  throwIfCancelled(req.signal);
  return { deleted: await store.delete(path) };
}
