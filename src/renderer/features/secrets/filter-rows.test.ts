import { describe, expect, it } from 'vitest';
import { manyRows, secretRow } from '../../test-support/rows';
import { filterRows, indexRows, queryTerms } from './filter-rows';

const rows = [
  secretRow({ secret: 'DB_PASSWORD', component: 'api', required: true, description: 'Postgres admin' }),
  secretRow({ secret: 'QUEUE_TOKEN', component: 'worker', status: 'initialized' }),
  secretRow({ secret: 'DATADOG_API_KEY', component: '*', scope: 'global', provider: 'sops:demo-sops' }),
];
const names = (q: string): string[] => filterRows(indexRows(rows), q).map((r) => r.secret);

describe('filterRows', () => {
  it('returns every row, in order, for an empty or blank query', () => {
    expect(names('')).toEqual(['DB_PASSWORD', 'QUEUE_TOKEN', 'DATADOG_API_KEY']);
    expect(names('   ')).toEqual(['DB_PASSWORD', 'QUEUE_TOKEN', 'DATADOG_API_KEY']);
  });

  it('matches name, component, provider, scope, status, required and description, ignoring case', () => {
    expect(names('db_pass')).toEqual(['DB_PASSWORD']);
    expect(names('WORKER')).toEqual(['QUEUE_TOKEN']);
    expect(names('sops:')).toEqual(['DATADOG_API_KEY']);
    expect(names('global')).toEqual(['DATADOG_API_KEY']);
    expect(names('initialized')).toEqual(['QUEUE_TOKEN']);
    expect(names('required')).toEqual(['DB_PASSWORD']);
    expect(names('postgres')).toEqual(['DB_PASSWORD']);
    expect(names('whole stack')).toEqual(['DATADOG_API_KEY']);
  });

  it('requires every whitespace-separated term', () => {
    expect(queryTerms('  Api  missing ')).toEqual(['api', 'missing']);
    expect(names('api missing')).toEqual(['DB_PASSWORD', 'DATADOG_API_KEY']);
    expect(names('api missing required')).toEqual(['DB_PASSWORD']);
    expect(names('api nothing-like-this')).toEqual([]);
  });

  it('does not match across field boundaries', () => {
    // "api" + "keychain" would only match if fields ran together.
    expect(names('apikeychain')).toEqual([]);
  });

  it('filters 10,000 rows to exactly the matching ones', () => {
    const big = manyRows(10_000);
    const shown = filterRows(indexRows(big), 'comp-7 sops');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((r) => r.component === 'comp-7' && r.provider.startsWith('sops'))).toBe(true);
    expect(shown.length).toBe(big.filter((r) => r.component === 'comp-7' && r.provider.startsWith('sops')).length);
  });
});
