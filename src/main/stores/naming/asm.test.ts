// Table tests for the asm name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { asmSecretName, type AsmNamingOptions } from './asm';

const ctx = { store: 'asm' };
const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

describe('asmSecretName', () => {
  it.each<[string, SecretPath, AsmNamingOptions, string]>([
    ['prefix', inst('DB_PASSWORD'), { prefix: 'atmos/secrets' }, 'atmos/secrets/plat/ue2/dev/app/DB_PASSWORD'],
    // Atmos joins an empty prefix too, so its names start with "/"; kept for interoperability.
    ['no prefix keeps Atmos leading slash', inst('K'), {}, '/plat/ue2/dev/app/K'],
    ['trailing slash prefix collapsed', inst('K'), { prefix: 'atmos/' }, 'atmos/plat/ue2/dev/app/K'],
    ['stack scope', { name: 'K', scope: 'stack', stack: 'prod' }, { prefix: 'p' }, 'p/prod/K'],
    ['global scope', { name: 'K', scope: 'global' }, { prefix: 'p' }, 'p/K'],
    ['custom delimiter', inst('K'), { prefix: 'p', stackDelimiter: '_' }, 'p/plat-ue2-dev/app/K'],
    ['allowed punctuation', inst('a+b=c.d@e-f_g'), { prefix: 'p' }, 'p/plat/ue2/dev/app/a+b=c.d@e-f_g'],
  ])('%s', (_label, path, options, expected) => {
    expect(asmSecretName(path, options, ctx)).toBe(expected);
  });

  it.each<[string, SecretPath, RegExp]>([
    ['space', inst('A B'), /character " " is not allowed in a Secrets Manager name/],
    ['colon', inst('A:B'), /character ":" is not allowed/],
    ['too long', inst('K'.repeat(600)), /Secrets Manager allows 512/],
  ])('refuses: %s', (_label, path, message) => {
    expect(() => asmSecretName(path, { prefix: 'p' }, ctx)).toThrow(UnmappablePathError);
    expect(() => asmSecretName(path, { prefix: 'p' }, ctx)).toThrow(message);
  });
});
