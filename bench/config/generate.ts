// Writes a synthetic Atmos repository for the config loader benchmark: N stacks of M components each, an
// import chain D levels deep shared by the stacks (ending in 10 abstract base components), and a catalog of C
// files of 5 components each (every stack imports M/5 of them, so each catalog file is imported by many stacks
// and must be parsed only once). The default is about 1,240 files and 1.3 MB, the shape the architecture
// notes measure. A stack that does not use exactly M catalog components still lists all it imports.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Components per catalog file: a stack imports whole files, so it lists a multiple of this many. */
export const CATALOG_COMPONENTS_PER_FILE = 5;

export interface SyntheticRepoOptions {
  readonly stacks: number;
  readonly componentsPerStack: number;
  readonly importDepth: number;
  readonly catalogSize: number;
}

export const DEFAULT_REPO: SyntheticRepoOptions = {
  stacks: 1000,
  componentsPerStack: 50,
  importDepth: 3,
  catalogSize: 200,
};

export interface GeneratedRepo {
  readonly root: string;
  readonly files: number;
  readonly bytes: number;
}

/** Write the repository under `root` (replacing it) and return what was written. */
export function generateRepo(root: string, o: SyntheticRepoOptions = DEFAULT_REPO): GeneratedRepo {
  rmSync(root, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  write(
    'atmos.yaml',
    [
      'base_path: ./',
      'components:',
      '  terraform:',
      '    base_path: components/terraform',
      'stacks:',
      '  base_path: stacks',
      '  included_paths: ["orgs/**/*"]',
      '  excluded_paths: ["**/_defaults.yaml"]',
      '  name_template: "{{ .vars.tenant }}-{{ .vars.environment }}-{{ .vars.stage }}"',
      '',
    ].join('\n'),
  );
  // Abstract bases, imported at the bottom of the chain.
  const bases: string[] = ['components:', '  terraform:'];
  for (let b = 0; b < 10; b++) {
    bases.push(
      `    base-${b}:`,
      '      metadata:',
      '        type: abstract',
      '        component: generic',
      '      vars:',
      `        tier: t${b}`,
      '        enabled: true',
      '        tags:',
      `          Base: base-${b}`,
      '      settings:',
      '        spacelift:',
      '          workspace_enabled: true',
    );
  }
  write('stacks/catalog/bases.yaml', `${bases.join('\n')}\n`);
  // The import chain: level 1 imports level 2, ... the last imports the bases.
  const tenants = 10;
  for (let t = 0; t < tenants; t++) {
    for (let d = 1; d <= o.importDepth; d++) {
      const next = d < o.importDepth ? `mixins/level${d + 1}/t${t}` : 'catalog/bases';
      write(
        `stacks/mixins/level${d}/t${t}.yaml`,
        [
          `import:`,
          `  - ${next}`,
          'vars:',
          `  level${d}: l${d}`,
          `  tenant: tenant${t}`,
          '  tags:',
          `    Level${d}: "true"`,
          'settings:',
          `  level${d}:`,
          `    enabled: true`,
          '',
        ].join('\n'),
      );
    }
  }
  // The catalog: each file defines a few components; a stack imports enough files for its component count.
  const perFile = CATALOG_COMPONENTS_PER_FILE;
  for (let c = 0; c < o.catalogSize; c++) {
    const lines = ['components:', '  terraform:'];
    for (let k = 0; k < perFile; k++) {
      const id = c * perFile + k;
      lines.push(
        `    comp-${id}:`,
        '      metadata:',
        `        component: module-${id % 20}`,
        `        inherits: [base-${id % 10}]`,
        '      vars:',
        `        name: comp-${id}`,
        `        size: ${id % 7}`,
        '        cidrs: ["10.0.0.0/16", "10.1.0.0/16"]',
        '        tags:',
        `          Component: comp-${id}`,
        '      settings:',
        `        owner: team-${id % 5}`,
      );
    }
    write(`stacks/catalog/components/c${c}.yaml`, `${lines.join('\n')}\n`);
  }
  // The stacks: the import chain, then catalog files, then the stack's own vars and a few overrides.
  const filesPerStack = Math.ceil(o.componentsPerStack / perFile);
  for (let s = 0; s < o.stacks; s++) {
    const t = s % tenants;
    const lines = ['import:', `  - mixins/level1/t${t}`];
    const first = (s * 3) % o.catalogSize;
    const comps: number[] = [];
    for (let j = 0; j < filesPerStack; j++) {
      const c = (first + j) % o.catalogSize;
      lines.push(`  - catalog/components/c${c}`);
      for (let k = 0; k < perFile && comps.length < o.componentsPerStack; k++) comps.push(c * perFile + k);
    }
    lines.push('vars:', `  environment: ue${s % 4}`, `  stage: s${s}`, 'components:', '  terraform:');
    for (const id of comps.slice(0, 3)) lines.push(`    comp-${id}:`, '      vars:', `        instance: s${s}-c${id}`);
    write(`stacks/orgs/tenant${t}/s${s}.yaml`, `${lines.join('\n')}\n`);
  }
  return { root, files, bytes };
}
