// End to end through the built CLI: a Key Vault store's `identity:` reaches src/main/auth (the wiring of
// secrets/compose.ts and stores/factories.ts). An azure/client-secret identity whose client secret is not in the
// OS keychain fails at the first token request, naming the keychain entry to fill (exit 1), before
// @azure/identity asks Entra ID for anything; an AWS identity on the store is a configuration error (exit 2)
// before any call. (A real token exchange needs Entra ID; keyvault-identity.int.test.ts covers the rest with a
// stand-in at the resolver's seam.)
import { describe, expect, it } from 'vitest';
import { start, DEFAULT_TENANT } from '../../../../test/support/emulators/azure-keyvault';
import { storeCliSuite } from '../../../../test/support/store-cli';
import { atmosYaml, DEV_STACK, devStack } from '../../../../test/support/store-workspace';

// Unique per run, so no keychain entry of an earlier run can exist.
const IDENTITY = `kv-ci-${Math.random().toString(36).slice(2, 10)}`;

const t = storeCliSuite({
  start: () => start(),
  files: (emu) => {
    const store = (name: string, identity: string): string[] => [
      `  ${name}:`,
      '    kind: azure/keyvault',
      '    secret: true',
      `    identity: ${identity}`,
      '    options:',
      `      vault_url: ${emu.url}`,
      '      endpoint_insecure: true',
      '      max_attempts: 1',
    ];
    return {
      'atmos.yaml': atmosYaml([
        'auth:',
        '  identities:',
        `    ${IDENTITY}:`,
        '      kind: azure/client-secret',
        `      principal: { tenant_id: ${DEFAULT_TENANT}, client_id: app-ci }`,
        '    aws-ci:',
        '      kind: aws/user',
        '      credentials: { access_key_id: AKIDEXAMPLE, secret_access_key: not-a-real-key }',
        'stores:',
        ...store('azure', IDENTITY),
        ...store('azure-aws', 'aws-ci'),
      ]),
      [DEV_STACK]: devStack({ api: { DB_PASSWORD: { store: 'azure' }, API_KEY: { store: 'azure-aws' } } }),
    };
  },
  unset: ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'],
});
const cli = (args: string[]) => t.cli(args);

describe('atmos-secret with an azure/keyvault store and an Azure auth identity (spawned CLI)', () => {
  it('a client secret missing from the keychain: exit 1 naming the store, the secret and the keychain entry', async () => {
    const run = await cli(['get', 'DB_PASSWORD', '-s', 'dev', '-c', 'api']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('store "azure" refused the credentials');
    expect(run.stderr).toContain(`No client secret is stored for azure/client-secret identity "${IDENTITY}"`);
    expect(run.stderr).toContain(`keychain service "atmos-secrets" account "auth/azure-client-secret/${IDENTITY}"`);
    // The vault saw only the SDK's unauthenticated challenge: no token was sent.
    expect(Object.keys(t.emu.calls.snapshot())).toEqual(['challenge']);
  });

  it('an AWS identity on a Key Vault store: exit 2 saying it needs Azure credentials', async () => {
    const run = await cli(['get', 'API_KEY', '-s', 'dev', '-c', 'api']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      'auth identity "aws-ci" is an AWS identity (aws/user), but store "azure-aws" (azure/keyvault) needs Azure credentials',
    );
  });
});
