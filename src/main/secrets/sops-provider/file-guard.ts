// A SOPS provider's files stay inside the workspace: a `spec.file` template rendered with a stack name such as
// `../../..` (or an absolute path) must never make set, get or delete touch a file outside the base path.
// Placement (model/providers.ts) refuses such a file already, so validate reports it as configuration; this
// guard re-checks right before any read or write, whoever built the coordinate.
import { AppError } from '../../../shared/errors';
import type { SopsCoordinate } from '../model/coordinates';
import { isInsideBasePath } from '../model/providers';

/** CONFIG error (before any read or write) when the coordinate's file resolves outside `basePath`. */
export function checkSopsFileInside(c: SopsCoordinate, basePath: string): void {
  if (isInsideBasePath(c.absoluteFile, basePath)) return;
  throw new AppError(
    'CONFIG',
    `SOPS provider "${c.providerName}" places secret "${c.path.name}" in ${c.absoluteFile}, outside the base path ${basePath}; it was not read or written.`,
    {
      location: c.sopsProvider.record.location,
      hint: 'Check spec.file (and the stack and component names it uses): it must resolve to a file below the base path.',
    },
  );
}
