// Table tests for the onepassword name mapping: what each scope path becomes, and what is refused and why.
import { describe, expect, it } from 'vitest';
import type { SecretPath } from '../paths';
import { UnmappablePathError } from '../store-errors';
import { onePasswordReference, type OnePasswordNamingOptions } from './onepassword';

const ctx = { store: 'op' };
const inst = (reference: string | undefined, stack = 'prod', component = 'api'): SecretPath => ({
  name: 'DB_PASSWORD',
  scope: 'instance',
  stack,
  component,
  reference,
});

describe('onePasswordReference', () => {
  it.each<[string, SecretPath, OnePasswordNamingOptions, string, string | undefined, string]>([
    [
      'plain reference',
      inst('op://Infra/postgres/password'),
      {},
      'op://Infra/postgres/password',
      undefined,
      'password',
    ],
    [
      'with section',
      inst('op://Infra/postgres/prod/password'),
      {},
      'op://Infra/postgres/prod/password',
      'prod',
      'password',
    ],
    [
      'templated stack',
      inst('op://{{ .atmos_stack }}/postgres/password'),
      {},
      'op://prod/postgres/password',
      undefined,
      'password',
    ],
    [
      'templated without spaces',
      inst('op://V/{{.atmos_component}}/password'),
      {},
      'op://V/api/password',
      undefined,
      'password',
    ],
    [
      'vault-relative, default vault',
      inst('Datadog/api_key'),
      { vault: 'Atmos' },
      'op://Atmos/Datadog/api_key',
      undefined,
      'api_key',
    ],
    [
      'vault-relative with slash',
      inst('/Datadog/api_key'),
      { vault: 'Atmos' },
      'op://Atmos/Datadog/api_key',
      undefined,
      'api_key',
    ],
    [
      'stack scope',
      { name: 'K', scope: 'stack', stack: 'dev', reference: 'op://{{ .atmos_stack }}/item/f' },
      {},
      'op://dev/item/f',
      undefined,
      'f',
    ],
    [
      'global scope',
      { name: 'K', scope: 'global', reference: 'op://Shared/item/f' },
      {},
      'op://Shared/item/f',
      undefined,
      'f',
    ],
    [
      'spaces in names',
      inst('op://My Vault/My Item/api key'),
      {},
      'op://My Vault/My Item/api key',
      undefined,
      'api key',
    ],
    [
      'sprig lower and replace',
      inst('op://Infra/{{ .atmos_stack | lower | replace "-" "_" }}/password', 'Plat-UE2-Dev'),
      {},
      'op://Infra/plat_ue2_dev/password',
      undefined,
      'password',
    ],
    [
      'sprig upper, trimPrefix, trimSuffix',
      inst('op://{{ .atmos_stack | trimPrefix "plat-" | trimSuffix "-dev" | upper }}/i/f', 'plat-ue2-dev'),
      {},
      'op://UE2/i/f',
      undefined,
      'f',
    ],
    [
      'sprig printf and default',
      inst('op://V/{{ printf "%s-%s" .atmos_stack .atmos_component }}/{{ "" | default "password" }}'),
      {},
      'op://V/prod-api/password',
      undefined,
      'password',
    ],
  ])('%s', (_label, path, options, reference, section, field) => {
    const r = onePasswordReference(path, options, ctx);
    expect(r.reference).toBe(reference);
    expect(r.section).toBe(section);
    expect(r.field).toBe(field);
  });

  it.each<[string, SecretPath, OnePasswordNamingOptions, RegExp]>([
    ['no reference', inst(undefined), {}, /needs `reference: op:\/\/vault\/item\/field`/],
    ['relative without vault', inst('Datadog/api_key'), {}, /store sets no default vault/],
    ['too few parts', inst('op://V/item'), {}, /must have the form/],
    ['too many parts', inst('op://V/a/b/c/d'), {}, /must have the form/],
    ['empty part', inst('op://V//field'), {}, /is empty or has characters/],
    ['bad character', inst('op://V/it"em/field'), {}, /is empty or has characters/],
    ['query', inst('op://V/item/one-time password?attribute=otp'), {}, /query parameters/],
    ['unknown function', inst('op://{{ .atmos_stack | shout }}/i/f'), {}, /does not render/],
    ['unknown variable', inst('op://{{ .atmos_tenant }}/i/f'), {}, /does not render/],
    ['unclosed action', inst('op://{{ .atmos_stack /i/f'), {}, /does not render/],
    [
      'stack variable in global scope',
      { name: 'K', scope: 'global', reference: 'op://{{ .atmos_stack }}/i/f' },
      {},
      /scope "global" has no stack/,
    ],
    [
      'component variable in stack scope',
      { name: 'K', scope: 'stack', stack: 's', reference: 'op://V/{{ .atmos_component }}/f' },
      {},
      /scope "stack" has no component/,
    ],
  ])('refuses: %s', (_label, path, options, message) => {
    expect(() => onePasswordReference(path, options, ctx)).toThrow(UnmappablePathError);
    expect(() => onePasswordReference(path, options, ctx)).toThrow(message);
  });
});
