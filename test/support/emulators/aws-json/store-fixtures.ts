// Building AWS stores for tests: a store config as atmos.yaml would give it, an identity resolver whose identities
// hold static keys (so no test reaches the default chain or IMDS), the store int tests' emulator and stores
// (emulatedAwsStores), their live check against real AWS (describeAwsLive), and what a spawned CLI run against an
// emulator sets (awsCliEnv, AWS_CLI_UNSET, awsStoreYaml).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityResolver } from '../../../../src/main/auth';
import { MemoryKeychain } from '../../../../src/main/keychain/memory-keychain';
import type { AwsStoreDeps } from '../../../../src/main/stores/aws-common';
import type { SecretPath } from '../../../../src/main/stores/paths';
import type { SecretStore } from '../../../../src/main/stores/secret-store';
import { parseStoreConfig, type StoreConfig } from '../../../../src/main/stores/store-config';
import type { StoreFactory } from '../../../../src/main/stores/store-factory';
import type { AwsJsonServerOptions } from './index';

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

/**
 * What a spawned CLI run against an AWS emulator sets: the emulator key from the environment (the SDK's default
 * chain, as in CI), with the host's AWS files and instance metadata kept out (`dir`: the test's workspace).
 */
export function awsCliEnv(dir: string): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: EMULATOR_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulator-secret',
    AWS_CONFIG_FILE: `${dir}/no-aws-config`,
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/no-aws-credentials`,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The host's AWS variables a spawned CLI run drops, so neither its profile nor its session reaches the CLI. */
export const AWS_CLI_UNSET: readonly string[] = ['AWS_PROFILE', 'AWS_SESSION_TOKEN'];

/**
 * The `stores:` lines of an atmos.yaml with one store `aws` of `kind` at the emulator `url` (region us-east-1,
 * prefix atmos, 2 attempts), then `extra` option lines (e.g. `recovery_window_days: 7`).
 */
export function awsStoreYaml(kind: 'aws/ssm' | 'aws/asm', url: string, extra: readonly string[] = []): string[] {
  return [
    'stores:',
    '  aws:',
    `    kind: ${kind}`,
    '    secret: true',
    '    options:',
    '      region: us-east-1',
    `      endpoint: ${url}`,
    '      prefix: atmos',
    '      max_attempts: 2',
    ...extra.map((line) => `      ${line}`),
  ];
}

export interface EmulatedAwsStores<E, S> {
  /** The started emulator (after beforeAll). */
  readonly emu: E;
  /**
   * A store `name` of `kind` at the emulator (prefix atmos, identity `emu` unless `extra` says otherwise) on the
   * emulator identities, closed after the file's tests.
   */
  makeStore(
    options?: Readonly<Record<string, unknown>>,
    extra?: { secret?: boolean; identity?: string },
    deps?: AwsStoreDeps,
  ): S;
}

/**
 * Registers beforeAll (start the emulator, accepting EMULATOR_KEY) and afterAll (close every store made, stop the
 * emulator) in the calling test file: the store int tests of aws/ssm and aws/asm.
 */
export function emulatedAwsStores<
  E extends { readonly url: string; stop(): Promise<void> },
  S extends SecretStore & { close(): Promise<void> },
>(o: {
  readonly start: (options: AwsJsonServerOptions) => Promise<E>;
  readonly kind: 'aws/ssm' | 'aws/asm';
  readonly name: string;
  readonly factory: (deps: AwsStoreDeps) => StoreFactory;
  /** The adapter's class: a store of any other is a failed test. */
  readonly is: (store: SecretStore) => store is S;
}): EmulatedAwsStores<E, S> {
  let emu: E | undefined;
  const opened: S[] = [];
  const started = (): E => {
    if (emu === undefined) throw new Error('emulatedAwsStores: used before its beforeAll ran');
    return emu;
  };

  beforeAll(async () => {
    emu = await o.start({ accessKeyIds: [EMULATOR_KEY] });
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await emu?.stop();
  });

  return {
    get emu() {
      return started();
    },
    makeStore(options = {}, extra = {}, deps = {}) {
      const store = o.factory({ identities: emulatorIdentities(), ...deps })(
        awsStoreConfig(o.kind, o.name, { endpoint: started().url, prefix: 'atmos', ...options }, extra),
      );
      if (!o.is(store)) throw new Error(`expected the ${o.kind} adapter's store`);
      opened.push(store);
      return store;
    },
  };
}

/** Why a live test against real AWS does not run (undefined: it runs): `flag` must be 1 and a region set. */
function awsLiveSkipReason(flag: string, service: string): string | undefined {
  if (process.env[flag] !== '1')
    return `set ${flag}=1 (and AWS credentials and AWS_REGION) to run against real ${service}`;
  if (!process.env['AWS_REGION'] && !process.env['AWS_DEFAULT_REGION']) return `${flag}=1 but AWS_REGION is not set`;
  return undefined;
}

/** A store `live` of `kind` under a fresh prefix in AWS_REGION, on the SDK's default chain (no identity). */
function liveAwsStoreConfig(kind: 'aws/ssm' | 'aws/asm', options: Readonly<Record<string, unknown>> = {}): StoreConfig {
  return awsStoreConfig(
    kind,
    'live',
    {
      prefix: `atmos-secrets-live-${Date.now()}`,
      region: process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'],
      ...options,
    },
    { identity: undefined },
  );
}

/**
 * The live check of an AWS store against the real service, run only with `flag`=1 and a region (else skipped,
 * saying why): set twice, read the second value, the newest version current, delete. `options` are the store's
 * own (e.g. a 0-day recovery window, so nothing is left scheduled).
 */
export function describeAwsLive(o: {
  readonly kind: 'aws/ssm' | 'aws/asm';
  readonly flag: string;
  readonly service: string;
  readonly title: string;
  readonly factory: () => StoreFactory;
  readonly options?: Readonly<Record<string, unknown>>;
}): void {
  const liveReason = awsLiveSkipReason(o.flag, o.service);
  if (liveReason) console.info(`${o.kind} live test skipped: ${liveReason}`);

  describe(`${o.kind} live${liveReason ? ` (skipped: ${liveReason})` : ''}`, () => {
    it.skipIf(liveReason !== undefined)(o.title, async () => {
      const store = o.factory()(liveAwsStoreConfig(o.kind, o.options));
      const p: SecretPath = { name: 'LIVE_CHECK', scope: 'instance', stack: 'plat-ue2-dev', component: 'api' };
      try {
        await store.set(p, 'one');
        await store.set(p, 'two');
        expect(await store.get(p)).toBe('two');
        expect((await store.versions?.(p))?.[0]?.current).toBe(true);
      } finally {
        expect(await store.delete(p)).toBe(true);
      }
    });
  });
}
