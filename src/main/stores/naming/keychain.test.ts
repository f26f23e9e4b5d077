// Table tests for the keychain name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { keychainAccount, type KeychainNamingOptions } from './keychain';

const ctx = { store: 'keychain' };
const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

describe('keychainAccount', () => {
  it.each<[string, SecretPath, KeychainNamingOptions, string]>([
    ['default prefix atmos', inst('DB_PASSWORD'), {}, 'atmos/plat/ue2/dev/app/DB_PASSWORD'],
    ['empty prefix means atmos, as Atmos', inst('K'), { prefix: '' }, 'atmos/plat/ue2/dev/app/K'],
    ['custom prefix', inst('K'), { prefix: 'team' }, 'team/plat/ue2/dev/app/K'],
    ['custom delimiter', inst('K'), { stackDelimiter: '_' }, 'atmos/plat-ue2-dev/app/K'],
    ['nested component', inst('K', 'prod', 'infra/vpc'), {}, 'atmos/prod/infra/vpc/K'],
    ['stack scope', { name: 'K', scope: 'stack', stack: 'prod-ue2' }, {}, 'atmos/prod/ue2/K'],
    ['global scope', { name: 'K', scope: 'global' }, {}, 'atmos/K'],
    ['unicode kept', inst('CLÉ 🔑'), {}, 'atmos/plat/ue2/dev/app/CLÉ 🔑'],
  ])('%s', (_label, path, options, expected) => {
    expect(keychainAccount(path, options, ctx)).toBe(expected);
  });

  it.each<[string, SecretPath, RegExp]>([
    ['newline', inst('A\nB'), /control characters/],
    ['too long', inst('K'.repeat(600)), /keychains allow 512/],
  ])('refuses: %s', (_label, path, message) => {
    expect(() => keychainAccount(path, {}, ctx)).toThrow(UnmappablePathError);
    expect(() => keychainAccount(path, {}, ctx)).toThrow(message);
  });
});
