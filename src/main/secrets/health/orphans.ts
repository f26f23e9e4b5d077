// Orphans for the audit: drift's "present but undeclared" (operations/drift.ts, one listing per store, key names of
// each SOPS file) as findings. An orphan is a value under a store's managed prefix, or a key in a provider's file,
// that no declaration resolves to; a store that cannot be listed is a finding of its own, never silently nothing.
// With `-s`, only orphans that map back to one of those stacks are kept (a listing is per store, not per stack).
import type { OperationContext } from '../operations/operation-context';
import { findOrphans, type DriftFinding } from '../operations/drift';
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
