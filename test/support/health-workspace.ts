// The workspace the health (audit) tests share: a `dev` and a `prod` stack (named by `vars.stage`, so the default
// production rule sees `prod`), secrets in keychain store `kc` and in SOPS provider `vault` (age key in `kc`), and
// the values that make each finding kind: one value in prod and dev (and under a second name), a repetitive value,
// a short one (in the store and in the SOPS file), an empty one, a required secret with no value. A SecretsService over memory keychains whose clock
// the test sets (rotation age is measured against it).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadWorkspace } from '../../src/main/config';
import { SecretsService, sopsBackendFor } from '../../src/main/secrets';
import { builtInStoreFactories } from '../../src/main/stores';
import type { Keychain } from '../../src/main/keychain/keychain';
import { keychainAgeAtmosYaml } from './sops-age-workspace';
import { MemoryKeychains, writeWorkspace } from './secrets-workspace';

function stack(stage: string, secrets: Readonly<Record<string, string>>): string {
  const lines = [
    `vars:`,
    `  stage: ${stage}`,
    'components:',
    '  terraform:',
    '    api:',
    '      secrets:',
    '        vars:',
  ];
  for (const [name, decl] of Object.entries(secrets)) lines.push(`          ${name}: ${decl}`);
  return `${lines.join('\n')}\n`;
}

/** The files: DB_PASSWORD (required) in both stacks; the rest in dev. */
export function healthWorkspaceFiles(atmosYaml = keychainAgeAtmosYaml()): Record<string, string> {
  return {
    'atmos.yaml': atmosYaml,
    'stacks/dev.yaml': stack('dev', {
      DB_PASSWORD: '{store: kc, required: true}',
      DB_COPY: '{store: kc}',
      WEAK: '{store: kc}',
      SHORT: '{store: kc}',
      EMPTY: '{store: kc}',
      NEEDED: '{store: kc, required: true}',
      TOKEN: '{sops: vault}',
      SOPS_PIN: '{sops: vault}',
    }),
    'stacks/prod.yaml': stack('prod', { DB_PASSWORD: '{store: kc, required: true}', TOKEN: '{sops: vault}' }),
  };
}

/** A strong random value (a canary of the test's own, so leak checks can look for it). */
export function strongValue(): string {
  return `CANARY-${randomBytes(18).toString('base64url')}`;
}

export interface HealthWorkspace {
  readonly dir: string;
  readonly svc: SecretsService;
  /** The value prod and dev share (and DB_COPY holds too). */
  readonly reused: string;
  /** Every value set, for leak checks. */
  readonly values: readonly string[];
  /** Another service over the same workspace, with keychains made by `makeKeychain` (e.g. one that fails). */
  serviceWith(makeKeychain: (service: string) => Keychain): SecretsService;
}

/** Writes the workspace, sets its values, and returns a service whose clock says `now`. */
export async function healthWorkspace(now: () => Date, keychains = new MemoryKeychains()): Promise<HealthWorkspace> {
  const dir = writeWorkspace(healthWorkspaceFiles());
  const workspace = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const env = { XDG_CONFIG_HOME: join(dir, 'no-config') };
  const serviceWith = (makeKeychain: (service: string) => Keychain): SecretsService =>
    new SecretsService({
      workspace,
      factories: builtInStoreFactories({ keychain: { makeKeychain } }),
      sops: sopsBackendFor(workspace, { keychain: (s) => makeKeychain(s ?? 'atmos-secrets'), env }),
      confirm: async () => true,
      clock: now,
      remember: () => undefined,
    });
  const svc = serviceWith((s) => keychains.get(s));
  const reused = strongValue();
  const values: [string, string, string][] = [
    ['prod', 'DB_PASSWORD', reused],
    ['dev', 'DB_PASSWORD', reused],
    ['dev', 'DB_COPY', reused],
    ['dev', 'WEAK', 'abababababababababababab'],
    ['dev', 'SHORT', 'Zx9!kq'],
    ['dev', 'EMPTY', ''],
    ['dev', 'TOKEN', strongValue()],
    ['dev', 'SOPS_PIN', '4242'],
    ['prod', 'TOKEN', strongValue()],
  ];
  for (const [s, name, value] of values) await svc.set({ stack: s, component: 'api', name, value });
  return { dir, svc, reused, values: values.map(([, , v]) => v), serviceWith };
}
