// Table tests for the azure-keyvault name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { azureSecretName, type AzureNamingOptions } from './azure-keyvault';
import { findNameCollisions } from './collisions';

const ctx = { store: 'azure' };
const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

describe('azureSecretName', () => {
  it.each<[string, SecretPath, AzureNamingOptions, string]>([
    ['underscores become dashes', inst('DB_PASSWORD'), {}, 'plat-ue2-dev-app-DB-PASSWORD'],
    ['prefix', inst('K'), { prefix: 'atmos' }, 'atmos-plat-ue2-dev-app-K'],
    ['prefix with slashes', inst('K'), { prefix: '/atmos/secrets/' }, 'atmos-secrets-plat-ue2-dev-app-K'],
    ['nested component', inst('K', 'prod', 'infra/vpc'), {}, 'prod-infra-vpc-K'],
    ['runs of dashes collapsed', inst('A__--..B'), {}, 'plat-ue2-dev-app-A-B'],
    ['ends trimmed', inst('_K_'), { prefix: '-' }, 'plat-ue2-dev-app-K'],
    ['stack scope (Atmos refuses; we do not)', { name: 'K', scope: 'stack', stack: 'prod' }, {}, 'prod-K'],
    ['global scope (Atmos refuses; we do not)', { name: 'K', scope: 'global' }, { prefix: 'shared' }, 'shared-K'],
    ['unicode replaced', inst('CLÉ'), {}, 'plat-ue2-dev-app-CL'],
  ])('%s', (_label, path, options, expected) => {
    expect(azureSecretName(path, options, ctx)).toBe(expected);
  });

  it.each<[string, SecretPath, RegExp]>([
    ['nothing left', { name: '___', scope: 'global' }, /no letters or digits left/],
    ['too long', inst('K'.repeat(130)), /Key Vault allows 127/],
  ])('refuses: %s', (_label, path, message) => {
    expect(() => azureSecretName(path, {}, ctx)).toThrow(UnmappablePathError);
    expect(() => azureSecretName(path, {}, ctx)).toThrow(message);
  });

  it('detects two paths that map to one name, case-insensitively', () => {
    const a = inst('DB_PASSWORD');
    const b = inst('DB.PASSWORD');
    const c = inst('db-password');
    const d = inst('OTHER');
    const entries = [a, b, c, d, a].map((path) => ({ path, name: azureSecretName(path, {}, ctx) }));
    const collisions = findNameCollisions(entries, { caseInsensitive: true });
    expect(collisions).toHaveLength(1);
    expect(collisions[0]?.paths.map((p) => p.name)).toEqual(['DB_PASSWORD', 'DB.PASSWORD', 'db-password']);
    expect(findNameCollisions(entries).flatMap((x) => x.paths.map((p) => p.name))).toEqual([
      'DB_PASSWORD',
      'DB.PASSWORD',
    ]);
  });
});
