// Table tests for nameMapperFor (every kind from its atmos.yaml options) and collision detection across backends.
import { describe, expect, it } from 'vitest';
import type { SecretPath } from '../paths';
import { parseStoreConfig } from '../store-config';
import { checkStoreNames, findNameCollisions, nameMapperFor, namesAreCaseInsensitive } from './index';

const path: SecretPath = {
  name: 'DB_PASSWORD',
  scope: 'instance',
  stack: 'plat-ue2-dev',
  component: 'app',
  reference: 'op://Infra/{{ .atmos_stack }}/password',
};

describe('nameMapperFor', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['aws/ssm', { prefix: '/atmos' }, '/atmos/plat/ue2/dev/app/DB_PASSWORD'],
    ['aws/asm', { prefix: 'atmos' }, 'atmos/plat/ue2/dev/app/DB_PASSWORD'],
    ['hashicorp/vault', { mount: 'secret' }, 'plat-ue2-dev/app/DB_PASSWORD'],
    ['hashicorp/vault', { path: 'kv', stack_delimiter: '-' }, 'plat/ue2/dev/app/DB_PASSWORD'],
    ['azure/keyvault', {}, 'plat-ue2-dev-app-DB-PASSWORD'],
    ['gcp/secretmanager', { prefix: 'atmos' }, 'atmos_plat_ue2_dev_app_DB_PASSWORD'],
    ['onepassword', {}, 'op://Infra/plat-ue2-dev/password'],
    ['keychain', {}, 'atmos/plat/ue2/dev/app/DB_PASSWORD'],
  ])('maps for %s %j', (kind, options, expected) => {
    expect(nameMapperFor(parseStoreConfig('s', { kind, options })).locate(path)).toBe(expected);
  });

  it('has no mapping for plaintext stores', () => {
    expect(() => nameMapperFor(parseStoreConfig('cache', { kind: 'redis' }))).toThrow(/plaintext store/);
  });

  it('finds collisions caused by stack splitting, on any backend', () => {
    const config = parseStoreConfig('ssm', { kind: 'aws/ssm', secret: true });
    const mapper = nameMapperFor(config);
    const a: SecretPath = { name: 'K', scope: 'instance', stack: 'plat-ue2', component: 'dev/app' };
    const b: SecretPath = { name: 'K', scope: 'instance', stack: 'plat-ue2-dev', component: 'app' };
    const shared: SecretPath = { name: 'S', scope: 'stack', stack: 'plat', component: 'x' };
    const sharedToo: SecretPath = { ...shared, component: 'y' };
    const found = findNameCollisions(
      [a, b, shared, sharedToo].map((p) => ({ path: p, name: mapper.locate(p) })),
      {
        caseInsensitive: namesAreCaseInsensitive(config),
      },
    );
    expect(found).toEqual([{ name: '/plat/ue2/dev/app/K', paths: [a, b] }]);
  });

  it('checks a store for validate: collisions and every refused path', () => {
    const config = parseStoreConfig('az', { kind: 'azure/keyvault', secret: true });
    const a: SecretPath = { name: 'API_KEY', scope: 'global' };
    const b: SecretPath = { name: 'api.key', scope: 'global' };
    const bad1: SecretPath = { name: '___', scope: 'global' };
    const bad2: SecretPath = { name: 'K'.repeat(200), scope: 'global' };
    const result = checkStoreNames(config, [a, b, bad1, bad2]);
    expect(result.collisions).toEqual([{ name: 'API-KEY', paths: [a, b] }]);
    expect(result.refused.map((e) => e.secret)).toEqual(['___', 'K'.repeat(200)]);
  });
});
