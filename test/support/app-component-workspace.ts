// A workspace of one stack, dev, whose component `app` declares the secrets a test gives, and the atmos.yaml
// header such tests share (stacks under stacks/, keychain store `kc`); the service is memoryService's.
import type { SecretsService } from '../../src/main/secrets';
import { memoryService, writeWorkspace } from './secrets-workspace';

/** atmos.yaml: stacks under stacks/ and keychain store `kc` (prefix t, `service`); `rest` follows that store. */
export function keychainStoreAtmosYaml(service: string, rest: string): string {
  return `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
stores:
  kc:
    kind: keychain
    options: {prefix: t, service: ${service}}
${rest}`;
}

/**
 * Writes `atmos` and stacks/dev.yaml: `beforeComponents`, then component `app` whose `secrets:` section is
 * `secrets` (YAML indented under it, ending in a newline); returns a memory-keychain service over it.
 */
export async function appComponentService(
  atmos: string,
  secrets: string,
  beforeComponents = '',
): Promise<{ svc: SecretsService; dir: string }> {
  const dir = writeWorkspace({
    'atmos.yaml': atmos,
    'stacks/dev.yaml': `${beforeComponents}components:\n  terraform:\n    app:\n      secrets:\n${secrets}`,
  });
  const { svc } = await memoryService(dir);
  return { svc, dir };
}
