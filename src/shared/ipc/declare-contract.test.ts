import { describe, expect, it } from 'vitest';
import { declareContract } from './declare-contract';

describe('declare contract', () => {
  it('takes what the form sends: the other backend as "" and every field of an edit', () => {
    const r = declareContract['declare:plan'].req.safeParse({
      stack: 'plat-ue2-dev',
      component: 'api',
      secret: 'API_TOKEN',
      fields: { description: '', store: 'keychain', sops: '', required: false, reference: '' },
    });
    expect(r.success).toBe(true);
  });

  it('refuses a name that cannot be a secret name, unknown fields and a runaway description', () => {
    const base = { stack: 's', secret: 'OK', fields: { store: 'k' } };
    const parse = (x: unknown) => declareContract['declare:plan'].req.safeParse(x).success;
    expect(parse(base)).toBe(true);
    expect(parse({ ...base, secret: '1BAD' })).toBe(false);
    expect(parse({ ...base, fields: { store: 'k', value: 'x' } })).toBe(false);
    expect(parse({ ...base, extra: 1 })).toBe(false);
    expect(parse({ ...base, fields: { store: 'k', description: 'x'.repeat(2001) } })).toBe(false);
  });

  it('bounds the wizard: choices are strict, the run names its planned files', () => {
    const run = declareContract['storeImport:run'].req;
    expect(
      run.safeParse({ choices: [{ id: 'a.yaml:1', name: 'X' }], planned: [{ file: 'a.yaml', hash: 'h' }] }).success,
    ).toBe(true);
    expect(run.safeParse({ choices: [{ id: 'a.yaml:1', value: 'v' }], planned: [] }).success).toBe(false);
    expect(run.safeParse({ choices: [], planned: [{ file: 'a.yaml' }] }).success).toBe(false);
  });
});
