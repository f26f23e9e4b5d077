// Table tests for the gcp-secretmanager name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { findNameCollisions } from './collisions';
import { gcpSecretId, type GcpNamingOptions } from './gcp-secretmanager';

const ctx = { store: 'gcp' };
const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

describe('gcpSecretId', () => {
  it.each<[string, SecretPath, GcpNamingOptions, string]>([
    ['stack split on "-" and joined with "_"', inst('DB_PASSWORD'), {}, 'plat_ue2_dev_app_DB_PASSWORD'],
    ['prefix', inst('K'), { prefix: 'atmos' }, 'atmos_plat_ue2_dev_app_K'],
    ['slashes become underscores', inst('K', 'prod', 'infra/vpc'), { prefix: 'a/b' }, 'a_b_prod_infra_vpc_K'],
    ['double underscore collapsed', inst('A__B'), {}, 'plat_ue2_dev_app_A_B'],
    // Go's ReplaceAll makes one pass: "___" becomes "__", as Atmos writes it.
    ['one collapse pass, as Atmos', inst('A___B'), {}, 'plat_ue2_dev_app_A__B'],
    ['ends trimmed', { name: '_K_', scope: 'global' }, { prefix: '/' }, 'K'],
    ['dashes kept', inst('A-B'), {}, 'plat_ue2_dev_app_A-B'],
    ['stack scope', { name: 'K', scope: 'stack', stack: 'prod' }, {}, 'prod_K'],
    ['global scope', { name: 'K', scope: 'global' }, { prefix: 'shared' }, 'shared_K'],
  ])('%s', (_label, path, options, expected) => {
    expect(gcpSecretId(path, options, ctx)).toBe(expected);
  });

  it.each<[string, SecretPath, RegExp]>([
    ['dot', inst('A.B'), /character "\." is not allowed in a Secret Manager id/],
    ['space', inst('A B'), /character " " is not allowed/],
    ['empty', { name: '//', scope: 'global' }, /empty after normalisation/],
    ['too long', inst('K'.repeat(260)), /Secret Manager allows 255/],
  ])('refuses: %s', (_label, path, message) => {
    expect(() => gcpSecretId(path, {}, ctx)).toThrow(UnmappablePathError);
    expect(() => gcpSecretId(path, {}, ctx)).toThrow(message);
  });

  it('detects collisions from the lossy mapping', () => {
    const a: SecretPath = { name: 'A/B', scope: 'global' };
    const b: SecretPath = { name: 'A_B', scope: 'global' };
    const c: SecretPath = { name: 'a_b', scope: 'global' };
    const collisions = findNameCollisions([a, b, c].map((path) => ({ path, name: gcpSecretId(path, {}, ctx) })));
    expect(collisions).toEqual([{ name: 'A_B', paths: [a, b] }]);
  });
});
