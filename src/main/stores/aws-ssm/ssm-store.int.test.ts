// The aws/ssm store through the SSM emulator, on the real @aws-sdk/client-ssm: the shared conformance suite,
// then what is special to SSM (SecureString vs String, Atmos' value form, history, batches of 10, tiers) and bad
// input (illegal names, oversize values, wrong or missing credentials, refused connections, timeouts,
// throttling storms, 5xx, cancellation). A backend that is down gives an error, never "missing".
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/aws-ssm';
import {
  describeAwsLive,
  emulatedAwsStores,
  emulatorIdentities,
  recordingSleep,
} from '../../../../test/support/emulators/aws-json/store-fixtures';
import { rejection } from '../../../../test/support/rejection';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError, ValueTooLargeError } from '../store-errors';
import { ssmStoreFactory, SsmSecretStore, SSM_STANDARD_MAX_BYTES } from './index';

const aws = emulatedAwsStores({
  start,
  kind: 'aws/ssm',
  name: 'ssm',
  factory: ssmStoreFactory,
  is: (store): store is SsmSecretStore => store instanceof SsmSecretStore,
});
const makeStore = aws.makeStore;

const at = (name: string, stack = 'plat-ue2-dev', component = 'api'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

runStoreConformance('aws/ssm through the SSM emulator', () => makeStore(), {
  declared: { versions: true, getMany: true, statusMany: true, maxValueBytes: SSM_STANDARD_MAX_BYTES },
  refusedPaths: [
    { name: 'HAS SPACE', scope: 'global' },
    { name: 'COLON:NAME', scope: 'global' },
    { name: 'DEEP', scope: 'instance', stack: 'a-b-c-d-e-f-g-h-i-j-k-l-m', component: 'x' },
  ],
  backendCalls: () => aws.emu.calls.total,
  listing: {
    storeWithPrefix: (prefix) => makeStore({ prefix }),
    pageSize: 3,
    listCalls: () => aws.emu.calls.of('DescribeParameters'),
    lastChanged: true,
  },
});

describe('aws/ssm specifics', () => {
  it('writes SecureString in a secret store and String in a plain one, with Overwrite, under the Atmos name', async () => {
    const secret = makeStore();
    await secret.set(at('DB_PASSWORD'), 'hunter2');
    await secret.set(at('DB_PASSWORD'), 'hunter3');
    expect(secret.locate(at('DB_PASSWORD'))).toBe('/atmos/plat/ue2/dev/api/DB_PASSWORD');
    expect(aws.emu.parameter('/atmos/plat/ue2/dev/api/DB_PASSWORD')).toMatchObject({
      type: 'SecureString',
      value: 'hunter3',
      version: 2,
      keyId: 'alias/aws/ssm',
    });
    const plain = makeStore({ prefix: 'plain' }, { secret: false });
    await plain.set(at('HOST'), 'db.internal');
    expect(aws.emu.parameter('/plain/plat/ue2/dev/api/HOST')).toMatchObject({ type: 'String', value: 'db.internal' });
    const keyed = makeStore({ prefix: 'keyed', kms_key_id: 'alias/app' });
    await keyed.set(at('K'), 'v');
    expect(aws.emu.parameter('/keyed/plat/ue2/dev/api/K')?.keyId).toBe('alias/app');
  });

  it('stores values as Atmos does: the text itself, no JSON quotes; empty as "" and reads what Atmos wrote', async () => {
    const store = makeStore({ prefix: 'form' });
    await store.set(at('SCALAR'), 'true');
    expect(aws.emu.parameter('/form/plat/ue2/dev/api/SCALAR')?.value).toBe('true');
    await store.set(at('EMPTY'), '');
    expect(aws.emu.parameter('/form/plat/ue2/dev/api/EMPTY')?.value).toBe('""');
    expect(await store.get(at('EMPTY'))).toBe('');
    aws.emu.seed('/form/plat/ue2/dev/api/BY_ATMOS', '{"user":"app"}');
    expect(await store.get(at('BY_ATMOS'))).toBe('{"user":"app"}');
    const before = aws.emu.calls.total;
    const e = await rejection(store.set(at('QUOTES'), '""'));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toContain('"QUOTES"');
    expect(aws.emu.calls.total).toBe(before);
  });

  it('lists history newest first across GetParameterHistory pages, without reading values', async () => {
    const store = makeStore({ prefix: 'hist' });
    const p = at('ROTATED');
    for (let i = 1; i <= 60; i++) await store.set(p, `value-${i}`);
    aws.emu.calls.reset();
    const versions = await store.versions(p);
    expect(aws.emu.calls.snapshot()).toEqual({ GetParameterHistory: 2 });
    expect(versions).toHaveLength(60);
    expect(versions.map((v) => v.version).slice(0, 3)).toEqual(['60', '59', '58']);
    expect(versions[0]?.current).toBe(true);
    expect(versions.filter((v) => v.current)).toHaveLength(1);
    expect(versions[0]?.createdAt).toBeInstanceOf(Date);
    expect(JSON.stringify(versions)).not.toContain('value-');
    expect(await rejection(store.versions(at('NEVER')))).toBeInstanceOf(SecretNotFoundError);
  });

  it('reads an earlier version by number (GetParameter name:version, decrypted), so restore works', async () => {
    const store = makeStore({ prefix: 'getver' });
    const p = at('ROLLED');
    await store.set(p, 'one');
    await store.set(p, 'two');
    await store.set(p, '{"k":"three"}');
    aws.emu.calls.reset();
    expect(await store.getVersion(p, '1')).toBe('one');
    expect(await store.getVersion(p, '3')).toBe('{"k":"three"}');
    expect(aws.emu.calls.snapshot()).toEqual({ GetParameter: 2 });
    expect(await rejection(store.getVersion(p, '9'))).toBeInstanceOf(SecretNotFoundError);
    expect(await rejection(store.getVersion(at('NEVER'), '1'))).toBeInstanceOf(SecretNotFoundError);
    const bad = await rejection(store.getVersion(p, 'latest:1'));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toContain('ROLLED');
    expect(bad.hint).toBe(
      'Pick a version number that history lists: atmos-secret history ROLLED -s plat-ue2-dev -c api',
    );
  });

  it('reads and checks many secrets with GetParameters, 10 names a call', async () => {
    const store = makeStore({ prefix: 'batch' });
    const paths = Array.from({ length: 25 }, (_, i) => at(`S${i}`));
    for (const [i, p] of paths.entries()) if (i % 2 === 0) await store.set(p, `v${i}`);
    aws.emu.calls.reset();
    const results = await store.getMany(paths);
    expect(aws.emu.calls.snapshot()).toEqual({ GetParameters: 3 });
    expect(results.filter((r) => r.found)).toHaveLength(13);
    expect(results[4]).toEqual({ path: paths[4], found: true, value: 'v4' });
    expect(results[5]).toEqual({ path: paths[5], found: false });
    aws.emu.calls.reset();
    const statuses = await store.statusMany(paths);
    expect(aws.emu.calls.snapshot()).toEqual({ GetParameters: 3 });
    expect(statuses.filter((s) => s === 'initialized')).toHaveLength(13);
    expect(statuses[1]).toBe('missing');
  });

  it('holds 8 KB in the Advanced tier and says so', async () => {
    const store = makeStore({ prefix: 'adv', tier: 'Advanced' });
    expect(store.capabilities.maxValueBytes).toBe(8192);
    await store.set(at('BIG'), 'x'.repeat(8192));
    expect(aws.emu.parameter('/adv/plat/ue2/dev/api/BIG')).toMatchObject({ tier: 'Advanced' });
  });

  it('overwrites a parameter someone made Advanced without trying to downgrade it (no tier option: no Tier sent)', async () => {
    const store = makeStore({ prefix: 'tiered' });
    aws.emu.seed('/tiered/plat/ue2/dev/api/WIDE', 'x'.repeat(5000));
    expect(aws.emu.parameter('/tiered/plat/ue2/dev/api/WIDE')?.tier).toBe('Advanced');
    await store.set(at('WIDE'), 'short now');
    expect(aws.emu.parameter('/tiered/plat/ue2/dev/api/WIDE')).toMatchObject({ tier: 'Advanced', value: 'short now' });
  });

  it('refuses unknown options, and Atmos role options with the identity to use instead', () => {
    expect(() => makeStore({ regoin: 'us-east-1' })).toThrow(/unknown option\(s\) regoin/);
    expect(() => makeStore({ read_role_arn: 'arn:aws:iam::1:role/r' })).toThrow(/read_role_arn/);
    expect(() => makeStore({ tier: 'Premium' })).toThrow(/options\.tier/);
  });
});

describe('aws/ssm bad input', () => {
  it('refuses an illegal name naming the secret, the store and the rule, before any call', async () => {
    const store = makeStore();
    const before = aws.emu.calls.total;
    const e = await rejection(store.set({ name: 'BAD NAME', scope: 'global' }, 'v'));
    expect(e.code).toBe('CONFIG');
    expect(e.message).toMatch(/secret "BAD NAME" cannot be stored in store "ssm" \(aws\/ssm\): character " "/);
    const reserved = makeStore({ prefix: 'aws' });
    expect((await rejection(reserved.get({ name: 'X', scope: 'global' }))).message).toContain('set a store prefix');
    expect(aws.emu.calls.total).toBe(before);
  });

  it('refuses an oversize value before any call, without echoing it, keeping the old value', async () => {
    const store = makeStore();
    const p = at('SIZED');
    await store.set(p, 'kept');
    const before = aws.emu.calls.total;
    const big = `SECRETSTART${'y'.repeat(SSM_STANDARD_MAX_BYTES)}`;
    const e = await rejection(store.set(p, big));
    expect(e).toBeInstanceOf(ValueTooLargeError);
    expect(e.message).toContain('"SIZED"');
    expect(e.message).toContain('4096');
    expect(e.message).not.toContain('SECRETSTART');
    expect(aws.emu.calls.total).toBe(before);
    expect(await store.get(p)).toBe('kept');
  });

  it('reports wrong credentials as AUTH naming the store and the secret, and never the value', async () => {
    const store = makeStore({}, { identity: 'wrong' });
    const e = await rejection(store.set(at('AUTHED'), 'the-value-123'));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.message).toContain('store "ssm"');
    expect(e.message).toContain('"AUTHED"');
    expect(e.message).toContain('UnrecognizedClientException');
    expect(e.message).not.toContain('the-value-123');
    expect(aws.emu.callers.at(-1)).toBe('AKIDWRONG');
    const status = await rejection(store.status(at('AUTHED')));
    expect(status.code).toBe('AUTH');
  });

  it('reports missing credentials as AUTH with the fix, before any call', async () => {
    const store = makeStore({}, { identity: 'keyless' });
    const before = aws.emu.calls.total;
    const e = await rejection(store.get(at('NOKEYS')));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('"NOKEYS"');
    expect(e.message).toContain('No AWS keys are stored for aws/user identity "keyless"');
    expect(e.hint).toContain('auth/aws-user/keyless');
    expect(aws.emu.calls.total).toBe(before);
  });

  it('a store with no region anywhere is a configuration error naming the store and the fix, before any call', async () => {
    const saved = { ...process.env };
    process.env['AWS_CONFIG_FILE'] = '/nonexistent/aws-config';
    for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[key];
    try {
      const store = ssmStoreFactory({ identities: emulatorIdentities() })(
        parseStoreConfig('ssm', { kind: 'aws/ssm', secret: true, identity: 'emu', options: { endpoint: aws.emu.url } }),
      );
      const before = aws.emu.calls.total;
      const e = await rejection(store.get(at('NO_REGION')));
      expect(e.code).toBe('CONFIG');
      expect(e.message).toBe('store "ssm" (aws/ssm) has no AWS region');
      expect(e.hint).toContain('options.region');
      expect(aws.emu.calls.total).toBe(before);
    } finally {
      process.env = saved;
    }
  });

  it('maps access denied to AUTH', async () => {
    const store = makeStore();
    aws.emu.denyAccess('GetParameter');
    try {
      const e = await rejection(store.get(at('DENIED')));
      expect(e).toBeInstanceOf(StoreAuthError);
      expect(e.message).toContain('AccessDeniedException');
    } finally {
      aws.emu.allowAccess();
    }
  });

  it('an endpoint that refuses connections is an error naming the store, and status is never "missing"', async () => {
    const down = await start();
    const url = down.url;
    await down.stop();
    const store = makeStore({ endpoint: url });
    const e = await rejection(store.get(at('DOWN')));
    expect(e.code).toBe('BACKEND');
    expect(e.message).toContain('store "ssm" is unavailable for secret "DOWN"');
    expect(e.message).toContain('ECONNREFUSED');
    const status = await rejection(store.status(at('DOWN')));
    expect(status.code).toBe('BACKEND');
    expect((await rejection(store.statusMany([at('DOWN'), at('DOWN2')]))).code).toBe('BACKEND');
  });

  it('a call that hangs times out as unavailable', async () => {
    const store = makeStore({ timeout_ms: 200 });
    aws.emu.injectFault('timeout', 1, 'GetParameters');
    const e = await rejection(store.status(at('SLOW')));
    expect(e.code).toBe('BACKEND');
    expect(e.message).toContain('no answer within 200 ms');
  });

  it('injected latency past the timeout is a timeout naming the secret', async () => {
    const store = makeStore({ timeout_ms: 100 });
    aws.emu.setLatency(300);
    try {
      const e = await rejection(store.get(at('LAGGY')));
      expect(e.code).toBe('BACKEND');
      expect(e.message).toContain('"LAGGY"');
      expect(e.message).toContain('no answer within 100 ms');
    } finally {
      aws.emu.setLatency(0);
    }
  });

  it('a batched check rides out throttling of some of its batches and loses no row', async () => {
    const { sleep } = recordingSleep();
    const store = makeStore({ prefix: 'stormbatch' }, {}, { sleep });
    const paths = Array.from({ length: 25 }, (_, i) => at(`B${i}`));
    for (const [i, p] of paths.entries()) if (i % 2 === 0) await store.set(p, `v${i}`);
    aws.emu.calls.reset();
    aws.emu.injectFault('throttling', 3, 'GetParameters');
    const statuses = await store.statusMany(paths);
    expect(aws.emu.calls.of('GetParameters')).toBe(6);
    expect(statuses).toEqual(paths.map((_, i) => (i % 2 === 0 ? 'initialized' : 'missing')));
  });

  it('rides out a short throttling storm and 5xx with jittered backoff, losing nothing', async () => {
    const { sleep, waits } = recordingSleep();
    const store = makeStore({ prefix: 'storm' }, {}, { sleep, random: () => 0.5 });
    aws.emu.calls.reset();
    aws.emu.injectFault('throttling', 2, 'PutParameter');
    aws.emu.injectFault('internal', 1, 'PutParameter');
    await store.set(at('STORMY'), 'survived');
    expect(aws.emu.calls.of('PutParameter')).toBe(4);
    expect(waits).toEqual([150, 300, 600]);
    expect(await store.get(at('STORMY'))).toBe('survived');
  });

  it('gives up on a long throttling storm with THROTTLED naming the secret and store; the old value stays', async () => {
    const { sleep, waits } = recordingSleep();
    const store = makeStore({ prefix: 'storm', max_attempts: 3 }, {}, { sleep });
    await store.set(at('KEPT'), 'old');
    aws.emu.injectFault('throttling', 10, 'PutParameter');
    try {
      const e = await rejection(store.set(at('KEPT'), 'new-value-xyz'));
      expect(e).toBeInstanceOf(StoreThrottledError);
      expect(e.message).toContain('store "ssm"');
      expect(e.message).toContain('"KEPT"');
      expect(e.message).not.toContain('new-value-xyz');
      expect(waits).toHaveLength(2);
    } finally {
      aws.emu.clearFaults();
    }
    expect(await store.get(at('KEPT'))).toBe('old');
  });

  it('does not retry a refusal (4xx)', async () => {
    const { sleep, waits } = recordingSleep();
    const store = makeStore({}, {}, { sleep });
    aws.emu.denyAccess('PutParameter');
    aws.emu.calls.reset();
    try {
      await rejection(store.set(at('ONCE'), 'v'));
    } finally {
      aws.emu.allowAccess();
    }
    expect(aws.emu.calls.of('PutParameter')).toBe(1);
    expect(waits).toEqual([]);
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    const store = makeStore({}, {}, { signal: controller.signal });
    aws.emu.injectFault('timeout', 1, 'GetParameter');
    const pending = rejection(store.get(at('CANCELLED')));
    setTimeout(() => controller.abort(), 50);
    const e = await pending;
    expect(e.code).toBe('CANCELLED');
    expect(e.message).toContain('"CANCELLED"');
    expect((await rejection(store.get(at('CANCELLED')))).code).toBe('CANCELLED');
  });
});

describeAwsLive({
  kind: 'aws/ssm',
  flag: 'ATMOS_LIVE_AWS_SSM',
  service: 'SSM',
  title: 'sets, reads, lists history and deletes on real SSM',
  factory: ssmStoreFactory,
});
