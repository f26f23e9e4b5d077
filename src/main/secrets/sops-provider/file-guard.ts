// A SOPS provider's files stay inside the workspace: a `spec.file` template rendered with a stack name such as
// `../../..` (or an absolute path) must never make set, get or delete touch a file outside the base path.
import { isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SopsCoordinate } from '../model/coordinates';

/** CONFIG error (before any read or write) when the coordinate's file resolves outside `basePath`. */
export function checkSopsFileInside(c: SopsCoordinate, basePath: string): void {
  const rel = relative(resolve(basePath), resolve(c.absoluteFile));
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return;
  throw new AppError(
    'CONFIG',
    `SOPS provider "${c.providerName}" places secret "${c.path.name}" in ${c.absoluteFile}, outside the base path ${basePath}; it was not read or written.`,
    {
      location: c.sopsProvider.record.location,
      hint: 'Check spec.file (and the stack and component names it uses): it must resolve to a file below the base path.',
    },
  );
}
