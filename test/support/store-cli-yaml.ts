// The atmos.yaml store sections (lines for store-workspace's atmosYaml) that the spawned-CLI int tests of the
// Key Vault and Secret Manager stores share, pointed at their emulators.

/** Store `azure`: the Key Vault emulator at `endpoint` over plain http, no authentication, prefix atmos. */
export function keyvaultStoreYaml(endpoint: string): string[] {
  return [
    'stores:',
    '  azure:',
    '    kind: azure/keyvault',
    '    secret: true',
    '    options:',
    '      vault_url: https://atmos-demo.vault.azure.net/',
    `      endpoint: ${endpoint}`,
    '      endpoint_insecure: true',
    '      without_authentication: true',
    '      prefix: atmos',
  ];
}

/** Host variables a Key Vault CLI run drops, so the host's Azure credentials never reach it. */
export const KEYVAULT_CLI_UNSET: readonly string[] = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'];

/** Store `gsm`: the Secret Manager emulator at `endpoint`, project `project`, prefix atmos, two attempts. */
export function gcpStoreYaml(project: string, endpoint: string): string[] {
  return [
    'stores:',
    '  gsm:',
    '    kind: gcp/secretmanager',
    '    secret: true',
    '    options:',
    `      project_id: ${project}`,
    `      endpoint: ${endpoint}`,
    '      prefix: atmos',
    '      max_attempts: 2',
  ];
}
