// Fuzzing the YAML loader with fast-check: random text, and random workspaces (manifests with imports, YAML
// functions, anchors and aliases, !include between files, stray bytes). Every input either loads or fails with
// our own AppError: no other exception, and no hang (each case runs under a time limit; untrusted, so no
// `!exec` ever runs). Runs per property are in each test's name.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { describeComponent, describeStacks, loadWorkspace } from './index';
import { parseYaml } from './yaml-parse';

const TEXT_RUNS = 300;
const WORKSPACE_RUNS = 80;
/** Per case; loads of these tiny trees take milliseconds. */
const CASE_TIMEOUT_MS = 3_000;

/** Only our own error type is an acceptable failure. */
function onlyAppError(e: unknown): void {
  if (!(e instanceof AppError)) throw e;
}

// YAML-ish fragments: structure, scalars, tags, anchors, aliases, merge keys, quotes, comments, block scalars.
const FRAGMENTS = [
  'a',
  'b',
  'vars',
  'components',
  'terraform',
  'import',
  'x',
  '1',
  'true',
  'null',
  '~',
  ':',
  ': ',
  '\n',
  '  ',
  '    ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '#',
  '|',
  '>',
  '&a ',
  '&b ',
  '*a',
  '*b',
  '<<: ',
  '!secret X',
  '!store s a b',
  '!store.get s k',
  '!env HOME',
  '!exec echo hi',
  '!template "{{ .vars.a }}"',
  '!include f.yaml',
  '!include.raw f.txt',
  '!literal x',
  '!terraform.output a b',
  '!unknown',
  '{{ .vars.a }}',
  '{{',
  '}}',
  '---',
  '...',
  '%YAML 1.2',
  '\t',
  '? ',
  '\\',
  '\u00e9',
  '\uFFFD',
];

const yamlText = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));

describe('fuzz: parseYaml', () => {
  it(`random YAML-like text parses or fails with AppError (${TEXT_RUNS} runs)`, () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        try {
          parseYaml(text, 'fuzz.yaml');
        } catch (e) {
          onlyAppError(e);
        }
      }),
      { numRuns: TEXT_RUNS },
    );
  });

  it(`random anchor/alias nests parse or fail with AppError (${TEXT_RUNS} runs)`, () => {
    // Levels of lists each aliasing the previous level several times: small text, potentially huge expansion.
    const nest = fc.record({
      levels: fc.integer({ min: 1, max: 12 }),
      width: fc.integer({ min: 1, max: 12 }),
      selfRef: fc.boolean(),
      merge: fc.boolean(),
    });
    fc.assert(
      fc.property(nest, ({ levels, width, selfRef, merge }) => {
        const lines = ['l0: &l0 [x, y]'];
        for (let i = 1; i < levels; i++)
          lines.push(
            `l${i}: &l${i} [${Array(width)
              .fill(`*l${i - 1}`)
              .join(', ')}]`,
          );
        if (selfRef) lines.push('self: &s [1, *s]');
        if (merge) lines.push('m1: &m {a: *l0}', 'm2:\n  <<: *m\n  b: 1');
        try {
          parseYaml(lines.join('\n'), 'nest.yaml');
        } catch (e) {
          onlyAppError(e);
        }
      }),
      { numRuns: TEXT_RUNS },
    );
  });
});

// Random workspaces: a few manifests that import each other (cycles included), include each other or extra files,
// and hold random values, tags, anchors and sometimes invalid UTF-8.
const NAMES = ['dev', 'prod', 'catalog/base', 'catalog/app'] as const;

/** Values that load. */
const benign = fc.constantFrom(
  '1',
  'hello',
  '"plain"',
  'true',
  '"{{ .vars.a }}"',
  '"{{ .atmos_stack }}"',
  '!secret API_KEY',
  '!env HOME fallback',
  '!exec echo never-runs-untrusted',
  '!template "{{ .atmos_component }}"',
  '!store plain a b c',
  '!include.raw extra.txt',
  '!include extra.json .a',
  '{k: v}',
  '[1, 2]',
  '!literal "{{ x }}"',
);
/** Values that may fail (cycles, missing files or values, unknown tags and aliases). */
const risky = fc.constantFrom(
  '!include stacks/catalog/base.yaml',
  '!include stacks/dev.yaml',
  '!include missing.yaml',
  '*anchor',
  '[1, 2, *anchor]',
  '"{{ .vars.nope }}"',
  '!nope',
);
const value: fc.Arbitrary<string> = fc.oneof({ arbitrary: benign, weight: 30 }, { arbitrary: risky, weight: 1 });

const manifest = fc.record({
  name: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.constantFrom('named', 'dev', ''), weight: 1 },
  ),
  imports: fc.oneof(
    { arbitrary: fc.constant<string[]>([]), weight: 6 },
    { arbitrary: fc.subarray([...NAMES], { maxLength: 2 }), weight: 1 },
  ),
  vars: fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'tenant', 'stage'), value), {
    maxLength: 4,
    selector: ([k]) => k,
  }),
  components: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom('vpc', 'app', 'base'),
      inherits: fc.subarray(['vpc', 'app', 'base']),
      abstract: fc.boolean(),
      metaComponent: fc.option(fc.constantFrom('vpc', 'app', 'x'), { nil: undefined }),
      vars: fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'c'), value), { maxLength: 3, selector: ([k]) => k }),
    }),
    { maxLength: 3, selector: (c) => c.name },
  ),
  anchor: fc.boolean(),
  // Rare, so most workspaces get past reading.
  badBytes: fc.integer({ min: 0, max: 19 }).map((i) => i === 0),
});

type ManifestSpec = typeof manifest extends fc.Arbitrary<infer T> ? T : never;

function renderManifest(m: ManifestSpec): Buffer {
  const lines: string[] = [];
  if (m.name !== undefined) lines.push(`name: "${m.name}"`);
  if (m.anchor) lines.push('shared: &anchor {z: 1}');
  if (m.imports.length > 0) lines.push(`import: [${m.imports.join(', ')}]`);
  if (m.vars.length > 0) lines.push('vars:', ...m.vars.map(([k, v]) => `  ${k}: ${v}`));
  if (m.components.length > 0) {
    lines.push('components:', '  terraform:');
    for (const c of m.components) {
      lines.push(`    ${c.name}:`, '      metadata:');
      if (c.abstract) lines.push('        type: abstract');
      if (c.metaComponent !== undefined) lines.push(`        component: ${c.metaComponent}`);
      if (c.inherits.length > 0) lines.push(`        inherits: [${c.inherits.join(', ')}]`);
      if (c.vars.length > 0) lines.push('      vars:', ...c.vars.map(([k, v]) => `        ${k}: ${v}`));
    }
  }
  const text = Buffer.from(`${lines.join('\n')}\n`);
  return m.badBytes ? Buffer.concat([text, Buffer.from([0xc3, 0x28, 0x0a])]) : text;
}

const workspaceFiles = fc.record({
  manifests: fc.tuple(manifest, manifest, manifest, manifest),
  nameTemplate: fc.constantFrom(
    '',
    "  name_template: '{{ .vars.tenant }}-{{ .vars.stage }}'\n",
    "  name_pattern: '{tenant}-{stage}'\n",
  ),
});

describe('fuzz: loadWorkspace', () => {
  it(`random workspaces load or fail with AppError, and describe the same way (${WORKSPACE_RUNS} runs)`, async () => {
    const base = mkdtempSync(join(tmpdir(), 'atmos-fuzz-'));
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(workspaceFiles, async ({ manifests, nameTemplate }) => {
          const root = join(base, String(n++));
          const write = (rel: string, content: string | Buffer): void => {
            mkdirSync(dirname(join(root, rel)), { recursive: true });
            writeFileSync(join(root, rel), content);
          };
          write(
            'atmos.yaml',
            `base_path: ./\nstacks:\n  base_path: stacks\n  included_paths: ['**/*']\n${nameTemplate}`,
          );
          write('extra.txt', 'text');
          write('extra.json', '{"a": [1, 2]}');
          NAMES.forEach((name, i) => write(`stacks/${name}.yaml`, renderManifest(manifests[i] as ManifestSpec)));
          try {
            const ws = await loadWorkspace({ configPath: root, env: { ATMOS_GIT_ROOT_BASEPATH: 'false' } });
            expect(ws.stackNames().join()).not.toContain('<no value>');
            try {
              describeStacks(ws, { includeEmptyStacks: true });
            } catch (e) {
              onlyAppError(e);
            }
            for (const s of ws.stackNames()) {
              for (const c of ws.components(s)) {
                try {
                  describeComponent(ws, c.name, s);
                } catch (e) {
                  onlyAppError(e);
                }
              }
            }
          } catch (e) {
            onlyAppError(e);
          }
        }),
        { numRuns: WORKSPACE_RUNS, timeout: CASE_TIMEOUT_MS, markInterruptAsFailure: true },
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 60_000);
});
