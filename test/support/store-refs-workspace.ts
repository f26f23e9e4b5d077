// The workspace of the `!store` / `!store.get` tests over the SSM emulator: stacks under stacks/deploy (named by
// `vars.stage`), a plain aws/ssm store `outputs` at the emulator (prefix atmos) and a Redis store `cache` that
// nothing listens on; the dev stack's `api` component holds the references, `vpc` is what they point at.

/** atmos.yaml with the emulator at `url`; `moreStores` (store lines at the stores' indent) go before `cache`. */
export function storeRefsAtmosYaml(url: string, moreStores: readonly string[] = []): string {
  return [
    'base_path: "."',
    'stacks:',
    '  base_path: stacks',
    '  included_paths: ["deploy/**/*"]',
    '  name_template: "{{ .vars.stage }}"',
    'stores:',
    '  outputs:',
    '    kind: aws/ssm',
    '    options:',
    '      region: us-east-1',
    `      endpoint: ${url}`,
    '      prefix: atmos',
    '      max_attempts: 2',
    ...moreStores,
    '  cache:',
    '    kind: redis',
    '    options:',
    '      url: redis://127.0.0.1:1',
    '',
  ].join('\n');
}

/** Where the dev stack's file goes. */
export const STORE_REFS_DEV_STACK = 'stacks/deploy/dev.yaml';

/** The dev stack: component `vpc`, and `api` whose vars are `apiVars` (YAML lines at the vars' indent). */
export function storeRefsDevStack(apiVars: readonly string[]): string {
  return [
    'vars:',
    '  stage: dev',
    'components:',
    '  terraform:',
    '    vpc:',
    '      vars: {}',
    '    api:',
    '      vars:',
    ...apiVars.map((v) => `        ${v}`),
    '',
  ].join('\n');
}
