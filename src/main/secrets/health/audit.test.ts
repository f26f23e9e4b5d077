// audit over a keychain store and a SOPS provider (memory keychains, real SOPS files): each finding kind, names
// and places only, no value in the report.
import { afterAll, describe, expect, it } from 'vitest';
import { healthWorkspace, strongValue } from '../../../../test/support/health-workspace';
import { MemoryKeychains, removeWrittenWorkspaces } from '../../../../test/support/secrets-workspace';
import { AppError } from '../../../shared/errors';
import type { AuditReport, Finding, FindingKind } from '.';

afterAll(removeWrittenWorkspaces);

const DAY = 24 * 60 * 60 * 1000;

function ofKind(r: AuditReport, kind: FindingKind): Finding[] {
  return r.findings.filter((f) => f.kind === kind);
}

function secretsOf(f: Finding): string[] {
  return f.places.map((p) => `${p.stack}/${p.component}/${p.secret}`).sort();
}

describe('audit (keychain store and SOPS provider)', () => {
  it('finds reuse across environments and names, weak values and a missing required secret', async () => {
    const w = await healthWorkspace(() => new Date());
    const r = await w.svc.audit({ git: async () => undefined });

    const cross = ofKind(r, 'reused-across-environments');
    expect(cross).toHaveLength(1);
    expect(secretsOf(cross[0] as Finding)).toEqual(['dev/api/DB_COPY', 'dev/api/DB_PASSWORD', 'prod/api/DB_PASSWORD']);
    expect(cross[0]?.severity).toBe('error');
    const names = ofKind(r, 'reused-across-names');
    expect(names).toHaveLength(1);
    expect(names[0]?.message).toContain('DB_COPY, DB_PASSWORD');

    expect(ofKind(r, 'low-entropy').flatMap(secretsOf)).toEqual(['dev/api/WEAK']);
    expect(ofKind(r, 'short').flatMap(secretsOf)).toEqual(['dev/api/SHORT', 'dev/api/SOPS_PIN']);
    expect(ofKind(r, 'empty').flatMap(secretsOf)).toEqual(['dev/api/EMPTY']);
    const missing = ofKind(r, 'missing');
    expect(missing.flatMap(secretsOf)).toEqual(['dev/api/NEEDED']);
    expect(missing[0]?.action).toEqual({ kind: 'set', text: 'Set it: atmos-secret set NEEDED --stdin -s dev -c api' });
    // Each place names the manifest line that declares it.
    expect(missing[0]?.places[0]).toMatchObject({
      file: 'stacks/dev.yaml',
      line: expect.any(Number),
      provider: 'store:kc',
    });

    expect(r.summary).toMatchObject({ stacks: 2, components: 2, secrets: 10, valuesRead: 9, unchecked: 0 });
    // Keychain secrets keep no dates; the SOPS ones have their file's lastmodified.
    expect(r.summary.ageKnown).toBe(3);
    expect(r.summary.ageUnknown).toBe(6);
    expect(ofKind(r, 'stale')).toEqual([]);
    // Errors come first.
    expect(r.findings.map((f) => f.severity)).toEqual(
      [...r.findings.map((f) => f.severity)].sort((a, b) => (a === b ? 0 : a === 'error' ? -1 : 1)),
    );
    const text = JSON.stringify(r);
    for (const v of w.values.filter((x) => x.length >= 6)) expect(text).not.toContain(v);
  });

  it("flags SOPS secrets older than the maximum age, from the file's lastmodified", async () => {
    let now = new Date();
    const w = await healthWorkspace(() => now);
    now = new Date(Date.now() + 100 * DAY);
    const r = await w.svc.audit({ maxAgeDays: 30, git: async () => undefined });
    const stale = ofKind(r, 'stale');
    expect(stale.flatMap(secretsOf)).toEqual(['dev/api/SOPS_PIN', 'dev/api/TOKEN', 'prod/api/TOKEN']);
    expect(stale[0]?.message).toMatch(/last changed (99|100) days ago \(its SOPS file, .*\); the maximum is 30/);
    expect(stale[0]?.lastChanged).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(
      (await w.svc.audit({ maxAgeDays: 365, git: async () => undefined })).findings.some((f) => f.kind === 'stale'),
    ).toBe(false);
  });

  it('production is a setting: by stack-name glob, dev and prod are then both non-production', async () => {
    const w = await healthWorkspace(() => new Date());
    const r = await w.svc.audit({ production: { match: 'stack-name', globs: ['live-*'] }, git: async () => undefined });
    expect(ofKind(r, 'reused-across-environments')).toEqual([]);
    expect(ofKind(r, 'reused-across-names')).toHaveLength(1);
    expect(r.productionRule).toBe('stack name matches live-*');
  });

  it('-s narrows the audit to the stacks named: reuse is only looked for among them', async () => {
    const w = await healthWorkspace(() => new Date());
    const r = await w.svc.audit({ stacks: ['prod'], git: async () => undefined });
    expect(r.summary).toMatchObject({ stacks: 1, secrets: 2 });
    expect(r.findings).toEqual([]);
  });

  it('a keychain that cannot be read is one unreadable finding per provider; its secrets are not called missing', async () => {
    const w = await healthWorkspace(() => new Date());
    const down = (): Promise<never> => Promise.reject(new AppError('KEYCHAIN_UNAVAILABLE', 'the keyring is locked'));
    const svc = w.serviceWith((service) => ({ service, get: down, set: down, delete: down, list: down, getMany: down }));
    const r = await svc.audit({ git: async () => undefined });
    const unreadable = ofKind(r, 'unreadable');
    expect(unreadable.map((f) => f.places[0]?.provider)).toContain('store:kc');
    expect(unreadable.find((f) => f.places[0]?.provider === 'store:kc')?.message).toBe(
      'store:kc: the keyring is locked (7 secret(s) not checked)',
    );
    expect(ofKind(r, 'missing')).toEqual([]);
    expect(r.summary.unchecked).toBeGreaterThanOrEqual(7);
  });
  it("includes the orphans of drift: a value under the store's prefix that nothing declares", async () => {
    const keychains = new MemoryKeychains();
    const w = await healthWorkspace(() => new Date(), keychains);
    await keychains.get('svc').set('fx/dev/api/OLD_TOKEN', JSON.stringify(strongValue()));
    const r = await w.svc.audit({ git: async () => undefined });
    const orphans = ofKind(r, 'orphan');
    expect(orphans).toHaveLength(1);
    expect(orphans[0]).toMatchObject({
      severity: 'warning',
      action: { kind: 'declare-or-delete' },
      places: [
        { stack: 'dev', component: 'api', secret: 'OLD_TOKEN', provider: 'store:kc', where: 'fx/dev/api/OLD_TOKEN' },
      ],
    });
    // With -s prod the dev orphan is not this audit's.
    expect(ofKind(await w.svc.audit({ stacks: ['prod'], git: async () => undefined }), 'orphan')).toEqual([]);
  });

  it("deletes an orphan only while it still is one, and only a store's", async () => {
    const keychains = new MemoryKeychains();
    const w = await healthWorkspace(() => new Date(), keychains);
    const kc = keychains.get('svc');
    await kc.set('fx/dev/api/OLD_TOKEN', JSON.stringify(strongValue()));
    await expect(w.svc.deleteOrphan({ provider: 'store:kc', path: 'fx/dev/api/OLD_TOKEN' })).resolves.toEqual({
      deleted: true,
    });
    expect(await kc.list()).not.toContain('fx/dev/api/OLD_TOKEN');
    // A declared value is not an orphan: refused, still there.
    expect(await kc.list()).toContain('fx/dev/api/DB_PASSWORD');
    await expect(w.svc.deleteOrphan({ provider: 'store:kc', path: 'fx/dev/api/DB_PASSWORD' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await kc.list()).toContain('fx/dev/api/DB_PASSWORD');
    await expect(w.svc.deleteOrphan({ provider: 'sops:vault', path: 'x' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('reports its phases as progress and stops with CANCELLED once the signal is aborted', async () => {
    const w = await healthWorkspace(() => new Date());
    const controller = new AbortController();
    const labels: string[] = [];
    const run = w.svc.audit({
      git: async () => undefined,
      signal: controller.signal,
      onProgress: (p) => {
        labels.push(p.label ?? '');
        if (p.label === 'values') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(labels).toEqual(['declarations', 'values']);
    const done: string[] = [];
    await w.svc.audit({ git: async () => undefined, onProgress: (p) => done.push(`${p.done}/${p.total} ${p.label}`) });
    expect(done).toEqual(['0/4 declarations', '1/4 values', '2/4 rotation age', '3/4 other checks', '4/4 done']);
  });
});
