// The 1,000-stack estate of issue 8 with secrets declared: bench/config's synthetic repository (1,000 stacks x 50
// components) plus a keychain store and, on every one of the 10 abstract bases the components inherit, three
// instance secrets, and one stack secret per stack: 1,000 x 50 x 3 + 1,000 = 151,000 `list` rows.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CATALOG_COMPONENTS_PER_FILE,
  DEFAULT_REPO,
  generateRepo,
  type GeneratedRepo,
  type SyntheticRepoOptions,
} from '../config/generate';

export const INSTANCE_SECRETS = ['DB_PASSWORD', 'API_TOKEN', 'SIGNING_KEY'] as const;
export const STACK_SECRET = 'STACK_TOKEN';

export interface SecretsEstate extends GeneratedRepo {
  /** Rows `list` prints: one per (stack, component, instance secret) plus one stack-wide row per stack. */
  readonly rows: number;
  readonly stacks: number;
}

/** Writes the estate under `root` (replacing it); its store `kc` uses keychain service `service`. */
export function generateSecretsEstate(
  root: string,
  service: string,
  o: SyntheticRepoOptions = DEFAULT_REPO,
): SecretsEstate {
  const repo = generateRepo(root, o);
  const atmos = join(root, 'atmos.yaml');
  writeFileSync(
    atmos,
    `${readFileSync(atmos, 'utf8')}stores:\n  kc:\n    kind: keychain\n    options:\n      prefix: bench\n      service: ${service}\n`,
  );
  // Every component inherits one of the abstract bases: declare the instance secrets there.
  const bases = join(root, 'stacks/catalog/bases.yaml');
  const secrets = [
    '      secrets:',
    '        vars:',
    ...INSTANCE_SECRETS.flatMap((name) => [
      `          ${name}:`,
      '            store: kc',
      '            required: true',
    ]),
    '      settings:',
  ].join('\n');
  writeFileSync(bases, readFileSync(bases, 'utf8').replaceAll('      settings:', secrets));
  // One stack-wide secret per stack, from the top of every stack's import chain.
  for (let t = 0; t < 10; t++) {
    const mixin = join(root, `stacks/mixins/level1/t${t}.yaml`);
    writeFileSync(mixin, `${readFileSync(mixin, 'utf8')}secrets:\n  vars:\n    ${STACK_SECRET}:\n      store: kc\n`);
  }
  return {
    ...repo,
    stacks: o.stacks,
    // A stack lists every component of the catalog files it imports (whole files), not just componentsPerStack.
    rows: o.stacks * listedComponents(o.componentsPerStack) * INSTANCE_SECRETS.length + o.stacks,
  };
}

function listedComponents(perStack: number): number {
  return Math.ceil(perStack / CATALOG_COMPONENTS_PER_FILE) * CATALOG_COMPONENTS_PER_FILE;
}
