// diff: declared/set in one only, equal and different values (by keyed hash, never shown), same place, store and
// scope differences; one batched read per store; a failing backend reported once, its rows unknown.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { explainFixture, stackYaml } from '../../../../test/support/explain-workspace';
import { removeWrittenWorkspaces } from '../../../../test/support/secrets-workspace';
import type { DiffReport, DiffRow } from './diff';

afterAll(removeWrittenWorkspaces);

const VALUES = {
  DB: 'same-db-password-1',
  PLAIN_DEV: 'plain-dev-value-22',
  PLAIN_PROD: 'plain-prod-value-333',
  W: 'worker-dev-only-4444',
  TOKEN: 'sops-token-equal-55555',
  Y: 'global-y-666666',
};

async function fixture() {
  const f = await explainFixture({
    files: {
      'stacks/deploy/dev.yaml': stackYaml('dev', [
        '          ONLY_DEV: {store: kc}',
        '          X: {store: kc}',
        '          Y: {store: kc, scope: global}',
      ]),
      'stacks/deploy/prod.yaml': stackYaml('prod', [
        '          ONLY_PROD: {store: kc}',
        '          X: {store: ssm2}',
        '          Y: {store: kc}',
      ]),
    },
  });
  const set = (stack: string, component: string, name: string, value: string) =>
    f.svc.set({ stack, component, name, value });
  await set('dev', 'api', 'DB', VALUES.DB);
  await set('prod', 'api', 'DB', VALUES.DB);
  await set('dev', 'api', 'PLAIN', VALUES.PLAIN_DEV);
  await set('prod', 'api', 'PLAIN', VALUES.PLAIN_PROD);
  await set('dev', 'worker', 'W', VALUES.W);
  await set('dev', 'api', 'TOKEN', VALUES.TOKEN);
  await set('prod', 'api', 'TOKEN', VALUES.TOKEN);
  await set('dev', 'worker', 'Y', VALUES.Y);
  for (const s of f.stores.values()) for (const k of Object.keys(s.calls)) s.calls[k as keyof typeof s.calls] = 0;
  return f;
}

function row(r: DiffReport, component: string, secret: string): DiffRow {
  const found = r.rows.find((x) => x.component === component && x.secret === secret);
  expect(found, `${component}/${secret}`).toBeDefined();
  return found as DiffRow;
}

/** Every form a value or an unkeyed hash of it could take in output. */
function forbiddenForms(value: string): string[] {
  const forms = [value, Buffer.from(value).toString('base64')];
  for (const alg of ['sha256', 'sha1', 'md5']) {
    const d = createHash(alg).update(value).digest();
    forms.push(d.toString('hex'), d.toString('base64'));
  }
  return forms;
}

describe('diff', () => {
  it('compares two stacks by component and name, values by keyed hash, with one batched read per store', async () => {
    const { svc, stores } = await fixture();
    const r = await svc.diff({ stacks: ['dev', 'prod'] });
    expect(r).toMatchObject({ a: 'dev', b: 'prod', component: null, problems: [] });
    expect(row(r, 'api', 'DB')).toMatchObject({ declared: 'both', set: 'both', value: 'equal', differs: false });
    expect(row(r, 'api', 'PLAIN')).toMatchObject({ set: 'both', value: 'different', differs: true });
    expect(row(r, 'api', 'TOKEN')).toMatchObject({ set: 'both', value: 'equal', differs: false });
    expect(row(r, 'worker', 'W')).toMatchObject({ set: 'a', value: 'not-comparable', differs: true });
    expect(row(r, '*', 'SHARED')).toMatchObject({ declared: 'both', set: 'neither', value: 'not-comparable' });
    expect(row(r, 'worker', 'ONLY_DEV')).toMatchObject({ declared: 'a', b: null, differs: true });
    expect(row(r, 'worker', 'ONLY_PROD')).toMatchObject({ declared: 'b', a: null, differs: true });
    expect(row(r, 'worker', 'X')).toMatchObject({ storeDiffers: true, scopeDiffers: false, differs: true });
    expect(row(r, 'worker', 'X').a?.provider).toBe('store:kc');
    expect(row(r, 'worker', 'X').b?.provider).toBe('store:ssm2');
    expect(row(r, 'worker', 'Y')).toMatchObject({ scopeDiffers: true, set: 'a', differs: true });
    expect(r.summary).toEqual({ secrets: r.rows.length, differing: 6, onlyInA: 1, onlyInB: 1, differentValues: 1 });
    // Stack-level rows first, then components by name.
    expect(r.rows[0]?.component).toBe('*');
    for (const s of stores.values()) {
      expect(s.calls.getMany, s.name).toBe(1);
      expect(s.calls.get, s.name).toBe(0);
    }
    const text = JSON.stringify(r);
    for (const v of Object.values(VALUES)) for (const f of forbiddenForms(v)) expect(text).not.toContain(f);
  });

  it('a global secret read through both stacks is the same place; one component compared with -c', async () => {
    const { svc } = await fixture();
    await svc.set({ stack: 'dev', component: 'api', name: 'SHARED', value: 'shared-dev' });
    const r = await svc.diff({ stacks: ['dev', 'prod'], component: 'api' });
    expect(r.component).toBe('api');
    expect(r.rows.map((x) => x.secret)).toEqual(['DB', 'PLAIN', 'SHARED', 'TOKEN']);
    expect(row(r, 'api', 'SHARED')).toMatchObject({ set: 'a', value: 'not-comparable' });
    const w = await svc.diff({ stacks: ['dev', 'prod'], component: 'worker' });
    // Y is global in dev (one value everywhere) and instance in prod.
    expect(row(w, 'worker', 'Y')).toMatchObject({ scopeDiffers: true });
  });

  it('reports a backend that fails once, and its rows as unknown', async () => {
    const { svc, stores } = await fixture();
    stores.get('ssm2')?.failNext(new AppError('BACKEND', 'ssm2 is down'));
    const r = await svc.diff({ stacks: ['dev', 'prod'] });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.provider).toBe('store:ssm2');
    expect(r.problems[0]?.message).toContain('ssm2 is down');
    expect(row(r, 'api', 'PLAIN')).toMatchObject({ set: 'unknown', value: 'unknown' });
    expect(row(r, 'api', 'DB')).toMatchObject({ set: 'both', value: 'equal' });
  });

  it('refuses one stack twice and a component in neither stack', async () => {
    const { svc } = await fixture();
    await expect(svc.diff({ stacks: ['dev', 'dev'] })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(svc.diff({ stacks: ['dev', 'prod'], component: 'ghost' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(svc.diff({ stacks: ['dev', 'nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
