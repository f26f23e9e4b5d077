import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ageGroup, ageSources, newAgeKey, type TestAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { isAppError } from '../../shared/errors';
import { applyRekeyPlan, createSopsFile, getSopsValue, planRotate, planUpdateKeys, setSopsValue } from './index';

let alice: TestAgeKey;
let bob: TestAgeKey;
let carol: TestAgeKey;

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([newAgeKey(), newAgeKey(true), newAgeKey()]);
});

async function newFile(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'rekey-')), 's.yaml');
  await createSopsFile(
    file,
    { a: 'one', b: { c: 'two' } },
    { keySources: ageSources(alice), keyGroups: [ageGroup(alice, carol)] },
  );
  return file;
}

const encLines = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('ENC[') && !l.includes('mac:'));

describe('updatekeys', () => {
  it('plans, then adds and removes people without touching values', async () => {
    const file = await newFile();
    const before = encLines(file);
    const plan = await planUpdateKeys(file, { keyGroups: [ageGroup(alice, bob)] });
    expect(plan.added).toEqual([`age ${bob.recipient}`]);
    expect(plan.removed).toEqual([`age ${carol.recipient}`]);
    expect(plan.valuesReencrypted).toBe(0);
    expect(plan.changes).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain(bob.recipient);
    await applyRekeyPlan(plan, { keySources: ageSources(carol) });
    expect(encLines(file)).toEqual(before);
    expect(await getSopsValue(file, ['b', 'c'], { keySources: ageSources(bob) })).toBe('two');
    const denied: unknown = await getSopsValue(file, ['a'], { keySources: ageSources(carol) }).catch((e: unknown) => e);
    expect(isAppError(denied) && denied.code === 'CRYPTO').toBe(true);
    expect((await planUpdateKeys(file, { keyGroups: [ageGroup(alice, bob)] })).changes).toBe(false);
  });

  it('moves to Shamir key groups', async () => {
    const file = await newFile();
    const plan = await planUpdateKeys(file, {
      keyGroups: [ageGroup(alice), ageGroup(bob), ageGroup(carol)],
      shamirThreshold: 2,
    });
    expect(plan.thresholdAfter).toBe(2);
    await applyRekeyPlan(plan, { keySources: ageSources(alice) });
    expect(await getSopsValue(file, ['a'], { keySources: ageSources(bob, carol) })).toBe('one');
  });

  it('refuses a stale plan', async () => {
    const file = await newFile();
    const plan = await planUpdateKeys(file, { keyGroups: [ageGroup(alice)] });
    await setSopsValue(file, ['a'], 'changed', { keySources: ageSources(alice) });
    const e: unknown = await applyRekeyPlan(plan, { keySources: ageSources(alice) }).catch((err: unknown) => err);
    expect(isAppError(e) && /changed after the updatekeys plan/.test(e.message)).toBe(true);
  });
});

describe('rotate', () => {
  it('replaces the data key and re-encrypts every value', async () => {
    const file = await newFile();
    const before = encLines(file);
    const oldEnc = /enc: \|\n((?:\s+.*\n)+?)\s+recipient/.exec(readFileSync(file, 'utf8'))?.[1];
    const plan = await planRotate(file);
    expect(plan.valuesReencrypted).toBe(2);
    expect(plan.added).toEqual([]);
    expect(plan.removed).toEqual([]);
    await applyRekeyPlan(plan, { keySources: ageSources(alice) });
    const after = encLines(file);
    expect(after.some((l) => before.includes(l))).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain(oldEnc ?? '---');
    expect(await getSopsValue(file, ['b', 'c'], { keySources: ageSources(carol) })).toBe('two');
  });
});
