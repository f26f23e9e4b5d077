// Proof 3 (issue 9), fuzzing the SOPS parser with fast-check: truncated files, and single bit flips in the
// values, the MAC, the metadata and the recipients. Every input either opens to exactly the original values
// or fails with our own AppError: no other exception, no hang (each case runs under a time bound), and a set
// into a damaged file leaves it byte for byte as it was, with no temp file beside it.
import fc from 'fast-check';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageGroup, ageSources, newAgeKey } from '../../../test/support/fixtures/sops/age-keys';
import { isAppError } from '../../shared/errors';
import type { KeySources } from './data-key';
import { decryptSopsBytes } from './sops-codec';
import { createSopsFile, setSopsValue } from './sops-file';
import type { SopsFormat } from './stores';
import { toPlain } from './tree';

/** Runs per property (recorded in the test names and printed with the totals). */
const RUNS = { truncation: 150, values: 120, mac: 80, metadata: 80, recipients: 80, set: 50 } as const;
/** Each case must settle within this (a parser that loops is caught here, not by the suite timeout). */
const CASE_MS = 2_000;
const SEED = 9_2026;

const CONTENT = {
  db: { user: 'admin', password: 'fuzz-canary-password' },
  port: 5432n,
  ratio: 0.25,
  enabled: true,
  list: ['a', 'b'],
  note_unencrypted: 'plain',
};

let keySources: KeySources;
const originals: Partial<Record<SopsFormat, { bytes: Buffer; plain: unknown }>> = {};
const tried: Record<string, number> = {};

beforeAll(async () => {
  const key = await newAgeKey();
  keySources = ageSources(key);
  const dir = mkdtempSync(join(tmpdir(), 'sops-fuzz-'));
  for (const [format, ext] of [
    ['yaml', 'yaml'],
    ['json', 'json'],
  ] as const) {
    const file = join(dir, `base.${ext}`);
    await createSopsFile(file, CONTENT, { keySources, keyGroups: [ageGroup(key)] });
    const bytes = readFileSync(file);
    const opened = await decryptSopsBytes(bytes, file, format, { keySources });
    originals[format] = { bytes, plain: toPlain(opened.documents[0]!) };
  }
});

afterAll(() => {
  console.info(`SOPS fuzz inputs tried: ${JSON.stringify(tried)}`);
});

function original(format: SopsFormat): { bytes: Buffer; plain: unknown } {
  const o = originals[format];
  if (!o) throw new Error(`no ${format} original`);
  return o;
}

/** Opens or fails with an AppError; when it opens, the values are exactly the original ones. */
async function opensOrRefuses(format: SopsFormat, bytes: Uint8Array): Promise<void> {
  let plain: unknown;
  try {
    const f = await decryptSopsBytes(bytes, `fuzz.${format}`, format, { keySources });
    plain = toPlain(f.documents[0]!);
  } catch (e) {
    if (!isAppError(e)) throw new Error(`not an AppError: ${String(e)}`, { cause: e });
    return;
  }
  expect(plain).toEqual(original(format).plain);
}

/** Byte ranges [start, end) of the first capture group of every match of `re` in the YAML original. */
function ranges(re: RegExp): [number, number][] {
  const text = original('yaml').bytes.toString('latin1');
  const out: [number, number][] = [];
  for (const m of text.matchAll(new RegExp(re.source, `${re.flags.replace('g', '')}g`))) {
    const start = (m.index ?? 0) + m[0].indexOf(m[1] ?? '');
    out.push([start, start + (m[1] ?? '').length]);
  }
  if (out.length === 0) throw new Error(`no region for ${String(re)}`);
  return out;
}

const REGIONS = {
  // The ENC[] values of the document (everything before the sops block).
  values: () => ranges(/^( *(?:- |[a-z_]+: )ENC\[[^\]]*\])$/m).filter(([, end]) => end < sopsStart()),
  mac: () => ranges(/^ *mac: (ENC\[[^\]]*\])$/m),
  metadata: () => ranges(/^ *((?:lastmodified|version|unencrypted_suffix): .*)$/m),
  recipients: () => [...ranges(/^ *(?:- )?recipient: (age1\w+)$/m), ...ranges(/enc: \|\n((?: +.*\n)+)/m)],
} as const;

function sopsStart(): number {
  return original('yaml').bytes.indexOf('\nsops:');
}

/** A byte position in one of the ranges and a bit to flip there. */
function flipIn(rs: readonly [number, number][]): fc.Arbitrary<{ at: number; bit: number }> {
  const total = rs.reduce((n, [a, b]) => n + (b - a), 0);
  return fc.record({ offset: fc.nat({ max: total - 1 }), bit: fc.nat({ max: 7 }) }).map(({ offset, bit }) => {
    let left = offset;
    for (const [a, b] of rs) {
      if (left < b - a) return { at: a + left, bit };
      left -= b - a;
    }
    throw new Error('offset out of range');
  });
}

function flipped(bytes: Buffer, at: number, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ (1 << bit);
  return copy;
}

async function check<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  runs: number,
  body: (v: T) => Promise<void>,
): Promise<void> {
  tried[name] = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (v) => {
      tried[name] = (tried[name] ?? 0) + 1;
      await body(v);
    }),
    { numRuns: runs, seed: SEED, plugins: [fc.timeout(CASE_MS)] },
  );
  expect(tried[name]).toBeGreaterThanOrEqual(runs);
}

describe('fuzz: the SOPS parser', () => {
  it.each(['yaml', 'json'] as const)(
    `truncated %s files open or fail with an AppError (${RUNS.truncation} runs)`,
    async (format) => {
      const { bytes } = original(format);
      await check(`truncation-${format}`, fc.nat({ max: bytes.length - 1 }), RUNS.truncation, (n) =>
        opensOrRefuses(format, bytes.subarray(0, n)),
      );
    },
  );

  it.each(Object.keys(REGIONS) as (keyof typeof REGIONS)[])(
    'a bit flip in the %s opens to the same values or fails with an AppError',
    async (region) => {
      const { bytes } = original('yaml');
      await check(`flip-${region}`, flipIn(REGIONS[region]()), RUNS[region], ({ at, bit }) =>
        opensOrRefuses('yaml', flipped(bytes, at, bit)),
      );
    },
  );

  it(`a set into a damaged file writes nothing: the file stays as it was, no temp file (${RUNS.set} runs)`, async () => {
    const { bytes } = original('yaml');
    const all = [...REGIONS.values(), ...REGIONS.mac(), ...REGIONS.metadata(), ...REGIONS.recipients()];
    await check('set-into-damaged', flipIn(all), RUNS.set, async ({ at, bit }) => {
      const dir = mkdtempSync(join(tmpdir(), 'sops-fuzz-set-'));
      const file = join(dir, 'secrets.enc.yaml');
      const damaged = flipped(bytes, at, bit);
      writeFileSync(file, damaged);
      const outcome = await setSopsValue(file, ['NEW'], 'x', { keySources }).then(
        () => 'written',
        (e: unknown) => (isAppError(e) ? 'refused' : `not an AppError: ${String(e)}`),
      );
      expect(['written', 'refused']).toContain(outcome);
      expect(outcome === 'written' || readFileSync(file).equals(damaged), 'a refused set changed the file').toBe(true);
      expect(readdirSync(dir)).toEqual(['secrets.enc.yaml']);
    });
  });
});
