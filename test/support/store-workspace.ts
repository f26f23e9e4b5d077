// The text of a small store workspace, shared by the store tests (spawned CLI, in-process CLI, IPC): an atmos.yaml
// over one `deploy/` stack tree named by `vars.stage`, and a `dev` stack declaring secrets per component.

/** An atmos.yaml: the one `deploy/` stack tree named by `vars.stage`, then the given lines (stores:, auth:). */
export function atmosYaml(lines: readonly string[]): string {
  return [
    'base_path: "."',
    'stacks:',
    '  base_path: stacks',
    '  included_paths: ["deploy/**/*"]',
    '  name_template: "{{ .vars.stage }}"',
    ...lines,
    '',
  ].join('\n');
}

/** A secret declaration in a stack: its store, whether it is required, and its 1Password-style reference. */
export interface SecretDecl {
  readonly store: string;
  readonly required?: boolean;
  readonly reference?: string;
}

/** The `dev` stack: terraform component -> secret name -> declaration. */
export function devStack(components: Readonly<Record<string, Readonly<Record<string, SecretDecl>>>>): string {
  const lines = ['vars:', '  stage: dev', 'components:', '  terraform:'];
  for (const [component, secrets] of Object.entries(components)) {
    lines.push(`    ${component}:`, '      secrets:', '        vars:');
    for (const [name, decl] of Object.entries(secrets)) {
      lines.push(`          ${name}:`, `            store: ${decl.store}`);
      if (decl.required) lines.push('            required: true');
      if (decl.reference !== undefined) lines.push(`            reference: ${JSON.stringify(decl.reference)}`);
    }
  }
  return [...lines, ''].join('\n');
}

/** A stack whose `api` and `worker` both read the global secret SHARED of `store`: the rotation tests' consumers. */
export function sharedGlobalStack(stage: string, store: string): string {
  const consumer = (component: string): string[] => [
    `    ${component}:`,
    '      secrets:',
    '        vars:',
    `          SHARED: {store: ${store}, scope: global}`,
  ];
  return [`vars: {stage: ${stage}}`, 'components:', '  terraform:', ...consumer('api'), ...consumer('worker'), ''].join(
    '\n',
  );
}

/** The workspace path of a store CLI suite's stack file. */
export const DEV_STACK = 'stacks/deploy/dev.yaml';
