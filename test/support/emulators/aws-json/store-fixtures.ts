// Building AWS stores for tests against the emulators: a store config as atmos.yaml would give it, and an
// identity resolver whose identities hold static keys (so no test reaches the default chain or IMDS).
import { IdentityResolver } from '../../../../src/main/auth';
import { MemoryKeychain } from '../../../../src/main/keychain/memory-keychain';
import { parseStoreConfig, type StoreConfig } from '../../../../src/main/stores/store-config';

/** The access key the emulators are started to accept. */
export const EMULATOR_KEY = 'AKIDEMULATOR';

/**
 * Identities: `emu` (the accepted key), `wrong` (a key the emulator does not know) and `keyless` (an aws/user
 * identity whose keys should be in the keychain and are not).
 */
export function emulatorIdentities(): IdentityResolver {
  return new IdentityResolver({
    auth: {
      identities: {
        emu: { kind: 'aws/user', credentials: { access_key_id: EMULATOR_KEY, secret_access_key: 'emulator-secret' } },
        wrong: { kind: 'aws/user', credentials: { access_key_id: 'AKIDWRONG', secret_access_key: 'nope' } },
        keyless: { kind: 'aws/user' },
      },
    },
    keychain: (service) => new MemoryKeychain(service),
    env: {},
  });
}

export function awsStoreConfig(
  kind: 'aws/ssm' | 'aws/asm',
  name: string,
  options: Readonly<Record<string, unknown>>,
  extra: { secret?: boolean; identity?: string | undefined } = {},
): StoreConfig {
  return parseStoreConfig(name, {
    kind,
    secret: extra.secret ?? true,
    // `identity: undefined` given on purpose: the SDK default chain (live tests); not given: the emulator key.
    identity: 'identity' in extra ? extra.identity : 'emu',
    options: { region: 'us-east-1', ...options },
  });
}

/** A sleep that records the waits and returns at once (backoff without wall-clock time). */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}
