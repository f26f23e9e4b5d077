// Reuse of one value by different coordinates, found by keyed hash: each value is hashed with HMAC-SHA-256 under a
// key drawn at random for this run (crypto.randomBytes), never stored and never output, so no hash leaves the
// process and none can be compared with another run's or looked up. Only coordinates (names and places) come out.
// One coordinate shared by many consumers (a stack or global secret) is one value by design, not reuse.
import { createHmac, randomBytes } from 'node:crypto';
import { finding, type Finding, type FindingPlace } from './findings';
import type { AuditedSecret } from './estate';

/** Groups coordinates by their value's keyed hash. The key lives only as long as this object. */
export class ValueFingerprints {
  private readonly key = randomBytes(32);
  /** Keyed digest (binary string) -> coordinate keys. */
  private readonly groups = new Map<string, string[]>();

  add(coordinateKey: string, value: string): void {
    const digest = createHmac('sha256', this.key).update(value, 'utf8').digest('base64');
    const group = this.groups.get(digest);
    if (group) group.push(coordinateKey);
    else this.groups.set(digest, [coordinateKey]);
  }

  /** Coordinate keys that share a value with another, by group (the digests themselves are not given out). */
  sharedGroups(): string[][] {
    return [...this.groups.values()].filter((g) => g.length > 1);
  }
}

function placeLabel(p: FindingPlace): string {
  const at = p.component && p.component !== '*' ? `${p.stack}/${p.component}` : (p.stack ?? '');
  return `${p.secret ?? '?'} in ${at}`;
}

function listed(places: readonly FindingPlace[], max = 3): string {
  const shown = places.slice(0, max).map(placeLabel).join(', ');
  return places.length > max ? `${shown} and ${places.length - max} more` : shown;
}

/**
 * Findings for each group of coordinates with one value: across production and non-production (an error), and
 * across different secret names (a warning). A group that is both gets both.
 */
export function reuseFindings(groups: readonly string[][], secrets: ReadonlyMap<string, AuditedSecret>): Finding[] {
  const out: Finding[] = [];
  for (const keys of groups) {
    const members = keys.flatMap((k) => {
      const s = secrets.get(k);
      return s ? [s] : [];
    });
    if (members.length < 2) continue;
    const places = members.flatMap((m) => m.places);
    const prod = members.filter((m) => m.production);
    const nonProd = members.filter((m) => m.nonProduction);
    // Different coordinates, one in production and another outside it (a coordinate in both is one value by design).
    const crossesEnvironments = prod.some((p) => nonProd.some((n) => n !== p));
    if (crossesEnvironments) {
      out.push(
        finding(
          'reused-across-environments',
          `one value is used in production and outside it: ${listed(places)}`,
          {
            kind: 'rotate',
            text: 'Give the production secret a value of its own (rotate it), then update its consumers.',
          },
          places,
        ),
      );
    }
    const names = new Set(places.map((p) => p.secret));
    if (names.size > 1) {
      out.push(
        finding(
          'reused-across-names',
          `one value is shared by secrets of different names (${[...names].sort().join(', ')}): ${listed(places)}`,
          {
            kind: 'rotate',
            text: 'Give each secret a value of its own, or declare one shared (stack or global) secret.',
          },
          places,
        ),
      );
    }
  }
  return out;
}
