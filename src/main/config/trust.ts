// Workspace trust: a cloned repository must not run code because it was opened. `!exec` is the only YAML
// function this loader evaluates that runs code (`!terraform.output`/`!terraform.state` are never run: they stay
// as written), so an untrusted workspace keeps every `!exec` unevaluated and says so once, with how to trust it.
import { type SourceLocation } from '../../shared/errors';
import { type ConfigWarning } from './atmos-config';

/** How a user trusts a workspace, for messages (the CLI flag and the app's prompt). */
export const HOW_TO_TRUST =
  'pass --trust to atmos-secret (or list its folder in ATMOS_SECRETS_TRUSTED_FOLDERS), or choose "Trust" when the app asks about this workspace';

/** The one warning an untrusted workspace with `!exec` calls records. */
export function untrustedWarning(sites: readonly SourceLocation[]): ConfigWarning {
  const first = sites[0];
  const count = sites.length === 1 ? 'one !exec command was' : `${sites.length} !exec commands were`;
  return {
    message: `workspace not trusted: ${count} not run and show as written. To run them, trust the workspace: ${HOW_TO_TRUST}.`,
    ...(first ? { location: first } : {}),
  };
}
