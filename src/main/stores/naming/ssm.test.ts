// Table tests for the ssm name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { ssmParameterName, type SsmNamingOptions } from './ssm';

const ctx = { store: 'ssm-secrets' };
const inst = (name: string, stack = 'plat-ue2-dev', component = 'app'): SecretPath => ({
  name,
  scope: 'instance',
  stack,
  component,
});

describe('ssmParameterName', () => {
  it.each<[string, SecretPath, SsmNamingOptions, string]>([
    ['instance, no prefix', inst('DB_PASSWORD'), {}, '/plat/ue2/dev/app/DB_PASSWORD'],
    [
      'instance, prefix with slash',
      inst('DB_PASSWORD'),
      { prefix: '/atmos/secrets' },
      '/atmos/secrets/plat/ue2/dev/app/DB_PASSWORD',
    ],
    ['prefix without slash gets one', inst('K'), { prefix: 'myapp' }, '/myapp/plat/ue2/dev/app/K'],
    ['prefix with trailing slash', inst('K'), { prefix: '/myapp/' }, '/myapp/plat/ue2/dev/app/K'],
    ['nested component', inst('K', 'prod', 'infra/vpc'), { prefix: '/p' }, '/p/prod/infra/vpc/K'],
    ['stack scope', { name: 'K', scope: 'stack', stack: 'plat-ue2-dev', component: 'ignored' }, {}, '/plat/ue2/dev/K'],
    ['global scope', { name: 'K', scope: 'global' }, { prefix: '/shared' }, '/shared/K'],
    ['global scope, no prefix', { name: 'K', scope: 'global' }, {}, '/K'],
    ['delimiter "/" keeps dashed stack', inst('K'), { stackDelimiter: '/' }, '/plat-ue2-dev/app/K'],
    ['empty delimiter keeps stack whole', inst('K'), { stackDelimiter: '' }, '/plat-ue2-dev/app/K'],
    ['empty stack segments dropped', inst('K', 'plat--dev'), {}, '/plat/dev/app/K'],
    ['dots, dashes and underscores allowed', inst('a.b-c_d'), {}, '/plat/ue2/dev/app/a.b-c_d'],
  ])('%s', (_label, path, options, expected) => {
    expect(ssmParameterName(path, options, ctx)).toBe(expected);
  });

  it.each<[string, SecretPath, SsmNamingOptions, RegExp]>([
    ['space', inst('DB PASSWORD'), {}, /character " " is not allowed/],
    ['unicode', inst('CLÉ'), {}, /character "É" is not allowed/],
    ['newline', inst('A\nB'), {}, /character "\\n" is not allowed/],
    ['reserved aws prefix', { name: 'K', scope: 'global' }, { prefix: '/aws' }, /starts with "aws" or "ssm"/],
    ['reserved ssm prefix, any case', { name: 'K', scope: 'global' }, { prefix: 'SSM' }, /starts with "aws" or "ssm"/],
    ['reserved first segment from the stack', inst('K', 'aws-ue2'), {}, /starts with "aws" or "ssm"/],
    ['empty segment in the name', inst('A///B'), {}, /empty path segment/],
    ['too deep', inst('K', 'a-b-c-d-e-f-g-h-i-j-k-l-m-n'), {}, /has 16 levels; SSM allows at most 15/],
    ['too long', inst('K'.repeat(1000)), {}, /characters; SSM allows/],
  ])('refuses: %s', (_label, path, options, message) => {
    let caught: unknown;
    try {
      ssmParameterName(path, options, ctx);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnmappablePathError);
    const err = caught as UnmappablePathError;
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain(`secret "${path.name}"`);
    expect(err.message).toContain('store "ssm-secrets" (aws/ssm)');
    expect(err.message).toMatch(message);
  });

  it('allows exactly 15 levels', () => {
    expect(ssmParameterName(inst('K', 'a-b-c-d-e-f-g-h-i-j-k-l-m'), {}, ctx).split('/').length - 1).toBe(15);
  });

  it('fits the length limit to the region ARN', () => {
    const long = inst('K'.repeat(940)); // 958 characters: fits us-east-1 (967), not us-gov-west-1 (956)
    expect(ssmParameterName(long, { region: 'us-east-1' }, ctx)).toContain('KKK');
    expect(() => ssmParameterName(long, { region: 'us-gov-west-1' }, ctx)).toThrow(/SSM allows/);
  });

  it('refuses a scope path missing its stack before naming', () => {
    expect(() => ssmParameterName({ name: 'K', scope: 'stack' }, {}, ctx)).toThrow(AppError);
  });
});
