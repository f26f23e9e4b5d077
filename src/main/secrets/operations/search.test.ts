// The global search's answers on a small workspace: every term must match, the name equal to a term first, then
// names starting with one, then the rest; a stack-level declaration once per stack; the backend path searchable.
import { afterAll, describe, expect, it } from 'vitest';
import { keychainStoreAtmosYaml } from '../../../../test/support/app-component-workspace';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';

afterAll(removeWrittenWorkspaces);

const stack = (name: string): string => `vars:
  stage: ${name}
secrets:
  vars:
    SHARED_TOKEN: {store: kc}
components:
  terraform:
    api:
      secrets:
        vars:
          DB: {store: kc, description: the api database}
          DB_PASSWORD: {store: kc}
          OLD_DB_PASSWORD: {store: kc}
    worker:
      secrets:
        vars:
          QUEUE: {store: kc}
`;

async function service() {
  const dir = writeWorkspace({
    'atmos.yaml': keychainStoreAtmosYaml('svc', ''),
    'stacks/dev.yaml': stack('dev'),
    'stacks/prod.yaml': stack('prod'),
  });
  return (await memoryService(dir)).svc;
}

const ids = (hits: readonly { stack: string; component: string; secret: string }[]): string[] =>
  hits.map((h) => `${h.stack}/${h.component}/${h.secret}`);

describe('global search', () => {
  it('ranks the exact name first, then names starting with a term, then the rest, each in stack order', async () => {
    const svc = await service();
    const r = await svc.search({ query: 'db_password', limit: 10 });
    expect(ids(r.hits)).toEqual([
      'dev/api/DB_PASSWORD',
      'prod/api/DB_PASSWORD',
      'dev/api/OLD_DB_PASSWORD',
      'prod/api/OLD_DB_PASSWORD',
    ]);
    const db = await svc.search({ query: 'DB', limit: 10 });
    expect(ids(db.hits).slice(0, 2)).toEqual(['dev/api/DB', 'prod/api/DB']);
    expect(db.total).toBe(6);
  });

  it('needs every term, matches stack, component, description and backend path, and bounds the answer', async () => {
    const svc = await service();
    expect(ids((await svc.search({ query: 'prod queue', limit: 10 })).hits)).toEqual(['prod/worker/QUEUE']);
    expect(ids((await svc.search({ query: 'database', limit: 10 })).hits)).toEqual(['dev/api/DB', 'prod/api/DB']);
    // The keychain account: prefix t, then the stack and component.
    expect(ids((await svc.search({ query: 't/prod/worker', limit: 10 })).hits)).toEqual(['prod/worker/QUEUE']);
    const bounded = await svc.search({ query: 'kc', limit: 3 });
    expect(bounded.hits).toHaveLength(3);
    // Per stack: the stack-level token once, three api secrets, one worker secret.
    expect(bounded.total).toBe(10);
  });

  it('lists a stack-level secret once per stack, as component *', async () => {
    const svc = await service();
    const r = await svc.search({ query: 'shared_token', limit: 10 });
    expect(ids(r.hits)).toEqual(['dev/*/SHARED_TOKEN', 'prod/*/SHARED_TOKEN']);
    expect(r.hits[0]?.scope).toBe('stack');
  });

  it('refuses an empty query', async () => {
    const svc = await service();
    await expect(svc.search({ query: '  ', limit: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
