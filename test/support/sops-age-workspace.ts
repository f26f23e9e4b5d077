// The small SOPS/age workspace the sops-provider unit tests write: one stack per file (named by `vars.stage`),
// age keys in keychain store `kc` (prefix fx, service svc), and a `vault` provider; plus a SecretsService over
// memory keychains that asks nothing and remembers nothing.
import { join } from 'node:path';
import type { Workspace } from '../../src/main/config';
import { createSecretsService } from '../../src/main/secrets/compose';
import type { MemoryKeychains } from './secrets-workspace';

/**
 * atmos.yaml with the `vault` provider writing `vaultFile`; `moreProviders` (YAML at the providers' indent, ending
 * in a newline) follows it.
 */
export function keychainAgeAtmosYaml(vaultFile = 'vault/{{ .atmos_stack }}.enc.yaml', moreProviders = ''): string {
  return `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
stores:
  kc:
    kind: keychain
    options: {prefix: fx, service: svc}
secrets:
  providers:
    vault:
      kind: sops/age
      spec:
        file: "${vaultFile}"
        age_key: {store: kc}
${moreProviders}`;
}

/** A service over `keychains` for the workspace in `dir`; user config is looked for in a folder that is not there. */
export function memoryKeychainService(
  ws: Workspace,
  dir: string,
  keychains: MemoryKeychains,
): ReturnType<typeof createSecretsService> {
  return createSecretsService(ws, {
    keychain: (s) => keychains.get(s),
    env: { XDG_CONFIG_HOME: join(dir, 'no-config') },
    remember: () => undefined,
    confirm: async () => true,
  });
}

/**
 * atmos.yaml (one stack per file, named by `vars.stage`) whose sops/age providers `names` each write
 * `<name>/<stack>.enc.yaml` with an age key of their own in keychain store `kc` (path `<name>`).
 */
export function ageProvidersAtmosYaml(keychain: { prefix: string; service: string }, names: readonly string[]): string {
  const providers = names.map(
    (n) => `    ${n}:
      kind: sops/age
      spec:
        file: "${n}/{{ .atmos_stack }}.enc.yaml"
        age_key: {store: kc, path: ${n}}
`,
  );
  return `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["*.yaml"]
  name_template: "{{ .vars.stage }}"
stores:
  kc:
    kind: keychain
    options: {prefix: ${keychain.prefix}, service: ${keychain.service}}
secrets:
  providers:
${providers.join('')}`;
}
