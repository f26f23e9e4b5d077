// A secrets service of the spec's own over a demo copy (the same OS keychain and files as the app's), to seed
// values before the test drives the app.
import { join } from 'node:path';
import { loadWorkspace } from '../../src/main/config';
import { KeytarKeychain } from '../../src/main/keychain/keytar-keychain';
import { createSecretsService, type SecretsService } from '../../src/main/secrets';

export async function demoService(dir: string): Promise<SecretsService> {
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  return createSecretsService(ws, {
    keychain: (s) => new KeytarKeychain(s),
    confirm: async () => true,
    env: { XDG_CONFIG_HOME: join(dir, 'no-config') },
    remember: () => undefined,
  });
}
