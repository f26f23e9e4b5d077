// Table tests for the vault name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { vaultLocation, type VaultNamingOptions } from './vault';

const ctx = { store: 'vault' };
const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

describe('vaultLocation', () => {
  it.each<[string, SecretPath, VaultNamingOptions, string, string]>([
    // Atmos' Vault store splits stacks on "/" by default, so a dashed stack stays one segment.
    [
      'instance, default delimiter',
      inst('DB_PASSWORD'),
      { mount: 'secret' },
      'plat-ue2-dev/app/DB_PASSWORD',
      'secret/data/plat-ue2-dev/app/DB_PASSWORD',
    ],
    [
      'prefix',
      inst('K'),
      { mount: 'secret', prefix: 'atmos' },
      'atmos/plat-ue2-dev/app/K',
      'secret/data/atmos/plat-ue2-dev/app/K',
    ],
    [
      'leading-slash prefix trimmed',
      inst('K'),
      { mount: '/kv/', prefix: '/atmos/' },
      'atmos/plat-ue2-dev/app/K',
      'kv/data/atmos/plat-ue2-dev/app/K',
    ],
    [
      'dash delimiter',
      inst('K'),
      { mount: 'secret', stackDelimiter: '-' },
      'plat/ue2/dev/app/K',
      'secret/data/plat/ue2/dev/app/K',
    ],
    ['stack scope', { name: 'K', scope: 'stack', stack: 'prod' }, { mount: 'secret' }, 'prod/K', 'secret/data/prod/K'],
    [
      'global scope',
      { name: 'K', scope: 'global' },
      { mount: 'secret', prefix: 'shared' },
      'shared/K',
      'secret/data/shared/K',
    ],
    [
      'segments URL-encoded',
      inst('A B?#'),
      { mount: 'secret' },
      'plat-ue2-dev/app/A B?#',
      'secret/data/plat-ue2-dev/app/A%20B%3F%23',
    ],
    ['nested mount', inst('K'), { mount: 'teams/kv' }, 'plat-ue2-dev/app/K', 'teams/kv/data/plat-ue2-dev/app/K'],
  ])('%s', (_label, path, options, inner, dataPath) => {
    const loc = vaultLocation(path, options, ctx);
    expect(loc.path).toBe(inner);
    expect(loc.dataPath).toBe(dataPath);
    expect(loc.metadataPath).toBe(dataPath.replace('/data/', '/metadata/'));
    expect(loc.field).toBe('value');
  });

  it.each<[string, SecretPath, RegExp]>([
    ['dot segment', inst('..'), /"\." or "\.\." segment/],
    ['empty segment', inst('A///B'), /empty path segment/],
    ['control character', inst('A\tB'), /control characters/],
  ])('refuses: %s', (_label, path, message) => {
    expect(() => vaultLocation(path, { mount: 'secret' }, ctx)).toThrow(UnmappablePathError);
    expect(() => vaultLocation(path, { mount: 'secret' }, ctx)).toThrow(message);
  });

  it('needs a mount', () => {
    expect(() => vaultLocation(inst('K'), { mount: '' }, ctx)).toThrow(AppError);
    expect(() => vaultLocation(inst('K'), { mount: '/' }, ctx)).toThrow(/needs options.mount/);
  });
});
