// `atmos-secret search` in-process over the basic fixture: the app's global search from a terminal. Every term
// must match; hits are ranked (the name equals a term, then starts with one, then the rest) and bounded by
// --limit; the total counts every match; no backend is called (a keychain that is touched fails the test).
import { afterEach, describe, expect, it } from 'vitest';
import type { CliContext } from '../context';
import { runCli } from '../program';
import type { Keychain } from '../../main/keychain/keychain';
import { copySecretsFixture, type FixtureCopy } from '../../../test/support/secrets-workspace';

let fixture: FixtureCopy | undefined;
afterEach(() => {
  fixture?.cleanup();
  fixture = undefined;
});

/** A keychain any call of which is a backend call search must not make. */
function untouchable(service = 'atmos-secrets'): Keychain {
  const refuse = (): never => {
    throw new Error(`search called the keychain (${service})`);
  };
  return { service, get: refuse, set: refuse, delete: refuse, list: refuse, getMany: refuse };
}

async function search(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  fixture ??= copySecretsFixture('basic', 'cli-search');
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), interactive: false },
    env: { XDG_CONFIG_HOME: `${fixture.dir}/no-config` },
    cwd: fixture.dir,
    keychain: untouchable,
  };
  const code = await runCli(['search', ...args, '--base-path', fixture.dir], ctx, '1.0.0');
  return { code, stdout: out.join(''), stderr: err.join('') };
}

interface Hit {
  stack: string;
  component: string;
  secret: string;
}

function parse(stdout: string): { total: number; hits: Hit[] } {
  return JSON.parse(stdout) as { total: number; hits: Hit[] };
}

const place = (h: Hit): string => `${h.stack}/${h.component}/${h.secret}`;

describe('atmos-secret search', () => {
  it('--format json: every term matches, the name equal to a term ranks first, then names starting with one', async () => {
    const r = await search('api', 'db_config', '--format', 'json');
    expect(r.code).toBe(0);
    expect(parse(r.stdout).hits.map(place)).toEqual(['dev/api/DB_CONFIG', 'prod/api/DB_CONFIG']);

    const ranked = await search('api', 'd', '--format', 'json');
    const doc = parse(ranked.stdout);
    const names = doc.hits.map((h) => h.secret);
    // Names starting with "d" (band 2) come before the hits "d" matches elsewhere (the stack, a description).
    const firstOther = names.findIndex((n) => !n.startsWith('DB_'));
    expect(names.slice(0, firstOther)).toEqual(['DB_CONFIG', 'DB_PASSWORD', 'DB_CONFIG', 'DB_PASSWORD']);
    expect(names.slice(firstOther).some((n) => n.startsWith('DB_'))).toBe(false);
    expect(firstOther).toBeLessThan(names.length);
    expect(doc.total).toBe(doc.hits.length);
  });

  it('--limit bounds the hits, the best first, and the total still counts every match', async () => {
    const all = parse((await search('api', 'd', '--format', 'json')).stdout);
    const r = await search('api', 'd', '--format', 'json', '--limit', '2');
    const doc = parse(r.stdout);
    expect(doc.hits.map(place)).toEqual(all.hits.slice(0, 2).map(place));
    expect(doc.total).toBe(all.total);
    expect(doc.total).toBeGreaterThan(2);
  });

  it('table: the hits, and how many of how many on stderr', async () => {
    const r = await search('queue_token', '--limit', '1');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STACK\s+COMPONENT\s+SECRET\s+SCOPE\s+PROVIDER\s+WHERE\s+REQUIRED\s+DESCRIPTION$/);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(/^dev\s+worker\s+QUEUE_TOKEN\s+instance\s+store:kc\s+\S+\s+yes$/);
    expect(r.stderr).toBe('1 of 2 matches (raise --limit, up to 500, or add words to narrow it)\n');
  });

  it('nothing found: exit 0, says so', async () => {
    const r = await search('no-such-secret-anywhere');
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'no declared secret matches "no-such-secret-anywhere"\n' });
  });

  it('bad usage exits 2: a limit out of bounds, an unknown format, a query too long', async () => {
    for (const args of [
      ['db', '--limit', '0'],
      ['db', '--limit', '501'],
      ['db', '--limit', 'ten'],
      ['db', '--format', 'csv'],
      ['x'.repeat(201)],
    ]) {
      const r = await search(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect((await search('db', '--limit', '0')).stderr).toContain('Give a whole number from 1 to 500');
  });
});
