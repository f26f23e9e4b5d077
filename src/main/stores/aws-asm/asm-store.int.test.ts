// The aws/asm store through the Secrets Manager emulator, on the real @aws-sdk/client-secrets-manager: the
// shared conformance suite, then what is special to Secrets Manager (create or put a new version, stages,
// soft delete with its recovery window, set after delete, BatchGetSecretValue batches of 20) and bad input
// (illegal names, oversize values, wrong credentials, refused connections, throttling storms, access denied
// inside a batch). A backend that is down gives an error, never "missing".
import { describe, expect, it } from 'vitest';
import { start } from '../../../../test/support/emulators/aws-asm';
import {
  describeAwsLive,
  emulatedAwsStores,
  recordingSleep,
} from '../../../../test/support/emulators/aws-json/store-fixtures';
import { rejection } from '../../../../test/support/rejection';
import { runStoreConformance } from '../../../../test/support/store-conformance';
import type { SecretPath } from '../paths';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError, ValueTooLargeError } from '../store-errors';
import { asmStoreFactory, AsmSecretStore, ASM_MAX_VALUE_BYTES } from './index';

const aws = emulatedAwsStores({
  start,
  kind: 'aws/asm',
  name: 'asm',
  factory: asmStoreFactory,
  is: (store): store is AsmSecretStore => store instanceof AsmSecretStore,
});
const makeStore = aws.makeStore;

const at = (name: string, stack = 'plat-ue2-dev', component = 'api'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

// Window 0: the suite deletes and re-creates names, and its cleanup should leave nothing scheduled.
runStoreConformance('aws/asm through the Secrets Manager emulator', () => makeStore({ recovery_window_days: 0 }), {
  declared: { versions: true, getMany: true, statusMany: true, maxValueBytes: ASM_MAX_VALUE_BYTES },
  refusedPaths: [
    { name: 'HAS SPACE', scope: 'global' },
    { name: 'COLON:NAME', scope: 'global' },
    { name: `LONG_${'x'.repeat(520)}`, scope: 'global' },
  ],
  backendCalls: () => aws.emu.calls.total,
  listing: {
    storeWithPrefix: (prefix) => makeStore({ prefix, recovery_window_days: 0 }),
    pageSize: 3,
    listCalls: () => aws.emu.calls.of('ListSecrets'),
    lastChanged: true,
  },
});

describe('aws/asm listing and scheduled deletions', () => {
  it('leaves secrets scheduled for deletion out of the listing', async () => {
    const store = makeStore({ prefix: 'listdel', recovery_window_days: 7 });
    const kept: SecretPath = { name: 'KEPT', scope: 'global' };
    const gone: SecretPath = { name: 'GONE', scope: 'global' };
    await store.set(kept, 'k');
    await store.set(gone, 'g');
    const d = await store.deleteWithRecovery(gone);
    expect(d).toEqual({
      deleted: true,
      recoveryWindowDays: 7,
      deletionDate: aws.emu.secret('listdel/GONE')?.deletionDate,
    });
    const names: string[] = [];
    for await (const e of store.listManaged()) names.push(e.name);
    expect(names).toEqual(['listdel/KEPT']);
  });
});

describe('aws/asm specifics', () => {
  it('creates, then puts new versions: stages move AWSCURRENT to the newest and AWSPREVIOUS to the one before', async () => {
    const store = makeStore({ prefix: 'stages' });
    const p = at('DB_PASSWORD');
    expect(store.locate(p)).toBe('stages/plat/ue2/dev/api/DB_PASSWORD');
    aws.emu.calls.reset();
    await store.set(p, 'one');
    expect(aws.emu.calls.snapshot()).toEqual({ CreateSecret: 1 });
    aws.emu.calls.reset();
    await store.set(p, 'two');
    expect(aws.emu.calls.snapshot()).toEqual({ CreateSecret: 1, PutSecretValue: 1 });
    await store.set(p, 'three');
    const versions = await store.versions(p);
    expect(versions.map((v) => v.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS'], []]);
    expect(versions[0]?.current).toBe(true);
    expect(versions[0]?.version).toMatch(/^[0-9a-f-]{36}$/);
    expect(aws.emu.secret('stages/plat/ue2/dev/api/DB_PASSWORD')?.current).toBe('three');
    expect(await store.get(p)).toBe('three');
    expect(await rejection(store.versions(at('NEVER')))).toBeInstanceOf(SecretNotFoundError);
  });

  it('reads an earlier version by its id (GetSecretValue VersionId), even one with no stage left, so restore works', async () => {
    const store = makeStore({ prefix: 'getver' });
    const p = at('ROLLED');
    await store.set(p, 'one');
    await store.set(p, '');
    await store.set(p, 'three');
    const versions = await store.versions(p);
    expect(versions.map((v) => v.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS'], []]);
    aws.emu.calls.reset();
    expect(await store.getVersion(p, versions[2]?.version ?? 'missing-version')).toBe('one');
    expect(await store.getVersion(p, versions[1]?.version ?? 'missing-version')).toBe('');
    expect(aws.emu.calls.snapshot()).toEqual({ GetSecretValue: 2 });
    const gone = await rejection(store.getVersion(p, '00000000-0000-4000-8000-000000000000'));
    expect(gone).toBeInstanceOf(SecretNotFoundError);
    expect(await rejection(store.getVersion(at('NEVER'), versions[0]?.version ?? ''))).toBeInstanceOf(
      SecretNotFoundError,
    );
  });

  it('stores values as Atmos does (the text itself; empty as "") and reads what Atmos wrote', async () => {
    const store = makeStore({ prefix: 'form' });
    await store.set(at('SCALAR'), '42');
    expect(aws.emu.secret('form/plat/ue2/dev/api/SCALAR')?.current).toBe('42');
    await store.set(at('EMPTY'), '');
    expect(aws.emu.secret('form/plat/ue2/dev/api/EMPTY')?.current).toBe('""');
    expect(await store.get(at('EMPTY'))).toBe('');
    aws.emu.seed('form/plat/ue2/dev/api/BY_ATMOS', '{"k":"v"}');
    expect(await store.get(at('BY_ATMOS'))).toBe('{"k":"v"}');
  });

  it('deletes with the recovery window and says when the secret is gone for good; get and status then say missing', async () => {
    const store = makeStore({ prefix: 'soft', recovery_window_days: 7 });
    expect(store.recoveryWindowDays).toBe(7);
    const p = at('SOFT');
    await store.set(p, 'v');
    const deletion = await store.deleteWithRecovery(p);
    expect(deletion.deleted).toBe(true);
    expect(deletion.recoveryWindowDays).toBe(7);
    const days = ((deletion.deletionDate?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    expect(aws.emu.secret('soft/plat/ue2/dev/api/SOFT')?.deletedAt).toBeInstanceOf(Date);
    const e = await rejection(store.get(p));
    expect(e).toBeInstanceOf(SecretNotFoundError);
    expect(String(e.cause)).toContain('marked for deletion');
    expect(await store.status(p)).toBe('missing');
    expect(await store.statusMany([p])).toEqual(['missing']);
    expect(await store.getMany([p])).toEqual([{ path: p, found: false }]);
    // Deleting again: nothing live is there.
    expect(await store.deleteWithRecovery(p)).toEqual({
      deleted: false,
      recoveryWindowDays: 7,
      deletionDate: undefined,
    });
  });

  it('setting a secret scheduled for deletion restores it and puts the new value as a new version', async () => {
    const store = makeStore({ prefix: 'revive' });
    const p = at('REVIVED');
    await store.set(p, 'before');
    await store.delete(p);
    aws.emu.calls.reset();
    await store.set(p, 'after');
    expect(aws.emu.calls.snapshot()).toEqual({
      CreateSecret: 1,
      DescribeSecret: 1,
      RestoreSecret: 1,
      PutSecretValue: 1,
    });
    expect(await store.get(p)).toBe('after');
    expect((await store.versions(p)).map((v) => v.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
  });

  it('deletes at once with window 0, and answers false for a secret that is not there', async () => {
    const store = makeStore({ prefix: 'force', recovery_window_days: 0 });
    const p = at('FORCED');
    await store.set(p, 'v');
    expect(await store.deleteWithRecovery(p)).toMatchObject({ deleted: true, recoveryWindowDays: 0 });
    expect(aws.emu.secret('force/plat/ue2/dev/api/FORCED')).toBeUndefined();
    expect(await store.delete(p)).toBe(false);
  });

  it('reads and checks many secrets with BatchGetSecretValue, 20 ids a call', async () => {
    const store = makeStore({ prefix: 'batch' });
    const paths = Array.from({ length: 45 }, (_, i) => at(`S${i}`));
    for (const [i, p] of paths.entries()) if (i % 3 === 0) await store.set(p, `v${i}`);
    aws.emu.calls.reset();
    const results = await store.getMany(paths);
    expect(aws.emu.calls.snapshot()).toEqual({ BatchGetSecretValue: 3 });
    expect(results.filter((r) => r.found)).toHaveLength(15);
    expect(results[3]).toEqual({ path: paths[3], found: true, value: 'v3' });
    expect(results[4]).toEqual({ path: paths[4], found: false });
    aws.emu.calls.reset();
    const statuses = await store.statusMany(paths);
    expect(aws.emu.calls.snapshot()).toEqual({ BatchGetSecretValue: 3 });
    expect(statuses.filter((s) => s === 'initialized')).toHaveLength(15);
  });

  it('refuses bad recovery windows and unknown options', () => {
    expect(() => makeStore({ recovery_window_days: 3 })).toThrow(
      /recovery_window_days: must be 0 \(no recovery\) or 7 to 30/,
    );
    expect(() => makeStore({ recovery_window: 7 })).toThrow(/unknown option\(s\) recovery_window/);
  });
});

describe('aws/asm bad input', () => {
  it('refuses an illegal name and an oversize value before any call, naming the secret and store', async () => {
    const store = makeStore();
    const p = at('SIZED');
    await store.set(p, 'kept');
    const before = aws.emu.calls.total;
    const name = await rejection(store.set({ name: 'BAD NAME', scope: 'global' }, 'v'));
    expect(name.code).toBe('CONFIG');
    expect(name.message).toMatch(/secret "BAD NAME" cannot be stored in store "asm" \(aws\/asm\)/);
    const big = `SECRETSTART${'y'.repeat(ASM_MAX_VALUE_BYTES)}`;
    const size = await rejection(store.set(p, big));
    expect(size).toBeInstanceOf(ValueTooLargeError);
    expect(size.message).toContain('"SIZED"');
    expect(size.message).not.toContain('SECRETSTART');
    expect(aws.emu.calls.total).toBe(before);
    expect(await store.get(p)).toBe('kept');
  });

  it('reports wrong credentials as AUTH naming the store and secret, never the value', async () => {
    const store = makeStore({}, { identity: 'wrong' });
    const e = await rejection(store.set(at('AUTHED'), 'the-value-123'));
    expect(e).toBeInstanceOf(StoreAuthError);
    expect(e.message).toContain('store "asm"');
    expect(e.message).toContain('"AUTHED"');
    expect(e.message).not.toContain('the-value-123');
    expect((await rejection(store.statusMany([at('AUTHED')]))).code).toBe('AUTH');
  });

  it('fails a batch that holds a secret the caller may not read, naming that secret', async () => {
    const store = makeStore({ prefix: 'denied' });
    await store.set(at('OPEN'), 'v');
    aws.emu.denyAccess('BatchGetSecretValue');
    try {
      const e = await rejection(store.getMany([at('OPEN'), at('OTHER')]));
      expect(e.code).toBe('AUTH');
    } finally {
      aws.emu.allowAccess();
    }
  });

  it('an endpoint that refuses connections is an error, and status is never "missing"', async () => {
    const down = await start();
    const url = down.url;
    await down.stop();
    const store = makeStore({ endpoint: url });
    const e = await rejection(store.status(at('DOWN')));
    expect(e.code).toBe('BACKEND');
    expect(e.message).toContain('store "asm" is unavailable for secret "DOWN"');
    expect((await rejection(store.statusMany([at('DOWN')]))).code).toBe('BACKEND');
    expect((await rejection(store.delete(at('DOWN')))).code).toBe('BACKEND');
  });

  it('rides out throttling and 5xx with one version written, and gives up on a storm with THROTTLED, keeping the old value', async () => {
    const { sleep, waits } = recordingSleep();
    const store = makeStore({ prefix: 'storm', max_attempts: 3 }, {}, { sleep });
    const p = at('STORMY');
    await store.set(p, 'old');
    aws.emu.injectFault('throttling', 1, 'PutSecretValue');
    aws.emu.injectFault('unavailable', 1, 'PutSecretValue');
    await store.set(p, 'new');
    expect(waits).toHaveLength(2);
    expect((await store.versions(p)).map((v) => v.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    aws.emu.injectFault('throttling', 10, 'PutSecretValue');
    try {
      const e = await rejection(store.set(p, 'newer-value-xyz'));
      expect(e).toBeInstanceOf(StoreThrottledError);
      expect(e.message).toContain('"STORMY"');
      expect(e.message).not.toContain('newer-value-xyz');
    } finally {
      aws.emu.clearFaults();
    }
    expect(await store.get(p)).toBe('new');
  });
});

describeAwsLive({
  kind: 'aws/asm',
  flag: 'ATMOS_LIVE_AWS_ASM',
  service: 'Secrets Manager',
  title: 'sets, reads, lists versions and deletes on real Secrets Manager',
  factory: asmStoreFactory,
  options: { recovery_window_days: 0 },
});
