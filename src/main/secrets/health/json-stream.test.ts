// The streamed audit documents: `audit --format json|sarif` print exactly what JSON.stringify of the whole
// document prints, and read the findings one piece at a time (a counting iterable stands in for 150,000 findings:
// the first piece is out before any finding is read, and each later piece reads one more).
import { describe, expect, it } from 'vitest';
import type { AuditReport } from './audit';
import { countFindings, finding, type Finding } from './findings';
import { auditJson, auditJsonText } from './json';
import { streamedJson } from './json-stream';
import { auditSarif, auditSarifText } from './sarif';

function findings(n: number): Finding[] {
  return Array.from({ length: n }, (_, i) =>
    finding(
      i % 2 === 0 ? 'missing' : 'stale',
      `SECRET_${i} in dev/api has "quotes",\na newline and ünïcode`,
      { kind: 'rotate', text: `Rotate SECRET_${i}.` },
      [
        {
          stack: 'dev',
          component: 'api',
          secret: `SECRET_${i}`,
          provider: 'store:kc',
          file: 'stacks/dev.yaml',
          line: i + 1,
        },
      ],
      i % 2 === 0 ? {} : { lastChanged: '2026-01-01T00:00:00.000Z' },
    ),
  );
}

function report(list: readonly Finding[]): AuditReport {
  const counts = countFindings([...list]);
  return {
    checkedAt: '2026-12-01T00:00:00.000Z',
    basePath: '/work/estate',
    maxAgeDays: 90,
    production: { match: 'stack-name', globs: ['prod-*'] },
    productionRule: 'stack name matches prod-*',
    summary: {
      stacks: 1,
      components: 1,
      secrets: list.length,
      valuesRead: 0,
      unchecked: 0,
      ageKnown: 0,
      ageUnknown: 0,
      byKind: counts.byKind,
      bySeverity: counts.bySeverity,
    },
    findings: list,
  };
}

/** An array whose iteration counts the findings it has handed out (indexing is not used by the writers). */
function counted(list: readonly Finding[]): { findings: readonly Finding[]; produced: () => number } {
  let produced = 0;
  const iterable = {
    length: list.length,
    *[Symbol.iterator](): Generator<Finding> {
      for (const f of list) {
        produced++;
        yield f;
      }
    },
  };
  return { findings: iterable as unknown as readonly Finding[], produced: () => produced };
}

const jsonOptions = { toolVersion: '1.2.3', failOn: 'error' as const, failed: true };
const sarifOptions = { toolVersion: '1.2.3', configFile: '/work/estate/atmos.yaml' };

describe('streamed audit documents', () => {
  it.each([0, 1, 3])('json with %i findings: the same text as JSON.stringify of the whole document', (n) => {
    const r = report(findings(n));
    expect([...auditJsonText(r, jsonOptions)].join('')).toBe(JSON.stringify(auditJson(r, jsonOptions), null, 2));
  });

  it.each([0, 1, 3])('sarif with %i findings: the same text as JSON.stringify of the whole log', (n) => {
    const r = report(findings(n));
    expect([...auditSarifText(r, sarifOptions)].join('')).toBe(JSON.stringify(auditSarif(r, sarifOptions), null, 2));
  });

  it.each([
    ['json', (r: AuditReport) => auditJsonText(r, jsonOptions)],
    ['sarif', (r: AuditReport) => auditSarifText(r, sarifOptions)],
  ] as const)('%s: output starts before any finding is read, then one finding per piece', (_label, text) => {
    const all = findings(1000);
    const source = counted(all);
    const pieces = text({ ...report(all), findings: source.findings });
    expect(pieces.next().done).toBe(false);
    expect(source.produced()).toBe(0);
    for (let i = 1; i <= 5; i++) {
      const piece = pieces.next();
      expect(piece.done).toBe(false);
      expect(source.produced()).toBe(i);
      expect(piece.value).toContain(`SECRET_${i - 1}`);
    }
    // The last finding is still unread while the output is well under way.
    expect(source.produced()).toBeLessThan(all.length);
  });

  it('streamedJson: a placeholder at any depth, items with nested values and text that looks like JSON', () => {
    const items = [{ a: [1, { b: 'x\n  ]' }], c: {} }, 'plain', [], null];
    const doc = (p: unknown): unknown => ({ top: 1, deep: [{ inner: { list: p, after: 'z' } }], tail: [] });
    expect([...streamedJson(doc, items, (x) => x)].join('')).toBe(JSON.stringify(doc(items), null, 2));
    expect(
      [
        ...streamedJson(
          (p) => p,
          items,
          (x) => x,
        ),
      ].join(''),
    ).toBe(JSON.stringify(items, null, 2));
    expect([...streamedJson(doc, [], (x) => x)].join('')).toBe(JSON.stringify(doc([]), null, 2));
  });

  it('streamedJson refuses a template without its placeholder', () => {
    expect(() => [
      ...streamedJson(
        () => ({ no: 'placeholder' }),
        [1],
        (x) => x,
      ),
    ]).toThrow(/placeholder/);
  });
});
