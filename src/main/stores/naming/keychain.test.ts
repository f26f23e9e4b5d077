// Table tests for the keychain name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { keychainAccount, keychainNamer, type KeychainNamingOptions } from './keychain';

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

describe('keychainNamer (keychainAccount with the last scope remembered)', () => {
  // Runs of one scope (the remembered head is reused), changes of scope, and the cases where Atmos' `//`
  // collapse could cross the `/` before the name (a prefix ending in `/`, a name starting with one).
  const paths: SecretPath[] = [
    inst('A'),
    inst('B'),
    inst('B//C'),
    inst('/LEAD'),
    inst('A', 'plat-ue2-prod'),
    inst('A', 'plat--ue2', 'infra//vpc/'),
    inst('A', 'plat--ue2', 'infra//vpc/'),
    { name: 'S', scope: 'stack', stack: 'plat-ue2-dev' },
    { name: 'S', scope: 'stack', stack: 'plat-ue2-dev', component: 'app' },
    { name: 'G', scope: 'global' },
    { name: '/G', scope: 'global' },
    inst('A'),
  ];
  it.each<[string, KeychainNamingOptions]>([
    ['default prefix', {}],
    ['prefix ending in /', { prefix: 'team/' }],
    ['prefix with //', { prefix: 'a//b' }],
    ['prefix of one /', { prefix: '/' }],
    ['delimiter _', { stackDelimiter: '_' }],
    ['empty delimiter', { stackDelimiter: '' }],
  ])('names every path as keychainAccount does: %s', (_label, options) => {
    const name = keychainNamer(options, ctx);
    expect(paths.map((p) => name(p))).toEqual(paths.map((p) => keychainAccount(p, options, ctx)));
  });

  it.each<[string, SecretPath, RegExp]>([
    ['newline in the name', inst('A\nB'), /control characters/],
    ['newline in the component', inst('K', 'plat-ue2-dev', 'a\nb'), /control characters/],
    ['too long', inst('K'.repeat(600)), /keychains allow 512/],
    ['an empty name', inst(' '), /non-empty name/],
  ])('refuses as keychainAccount does, in a new scope and a remembered one: %s', (_label, path, message) => {
    const name = keychainNamer({}, ctx);
    expect(name(inst('FIRST', 'other-stack'))).toBe('atmos/other/stack/app/FIRST');
    expect(() => name(path)).toThrow(message);
    expect(() => name(path)).toThrow(message);
    expect(() => keychainAccount(path, {}, ctx)).toThrow(message);
  });
});
