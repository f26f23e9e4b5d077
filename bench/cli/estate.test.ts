// The bench estate declares what it says: `list` over it has exactly `rows` rows (checked small, same shape).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPO } from '../config/generate';
import { memoryService } from '../../test/support/secrets-workspace';
import { generateSecretsEstate, INSTANCE_SECRETS, STACK_SECRET } from './estate';

const dir = mkdtempSync(join(tmpdir(), 'atmos-bench-estate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI bench estate', () => {
  it('lists one row per (stack, component, instance secret) plus one stack-wide row per stack', async () => {
    const estate = generateSecretsEstate(dir, 'atmos-secrets-bench-test', {
      ...DEFAULT_REPO,
      stacks: 6,
      componentsPerStack: 10,
      catalogSize: 4,
    });
    expect(estate.rows).toBe(6 * 10 * INSTANCE_SECRETS.length + 6);
    const { svc } = await memoryService(dir);
    const rows = await svc.list();
    expect(rows).toHaveLength(estate.rows);
    expect(rows.filter((r) => r.secret === STACK_SECRET && r.component === '*')).toHaveLength(6);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['missing']));
  });
});
