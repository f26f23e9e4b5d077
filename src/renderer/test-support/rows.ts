// Test support: secret rows and stack listings as the main process would send them.
import type { StackListing } from '../../shared/ipc/contract';
import type { SecretRow } from '../../shared/ipc/secrets-contract';

export function secretRow(over: Partial<SecretRow> & Pick<SecretRow, 'secret'>): SecretRow {
  return {
    stack: 'plat-ue2-dev',
    component: 'api',
    scope: 'instance',
    provider: 'keychain',
    status: 'missing',
    required: false,
    ...over,
  };
}

/** `n` distinct rows over a few components, providers and scopes, as a large estate lists them. */
export function manyRows(n: number): SecretRow[] {
  const scopes = ['instance', 'stack', 'global'] as const;
  const statuses = ['initialized', 'missing'] as const;
  return Array.from({ length: n }, (_, i) =>
    secretRow({
      secret: `SECRET_${i}`,
      component: `comp-${i % 50}`,
      provider: i % 3 === 0 ? 'sops:platform' : 'keychain',
      scope: scopes[i % 3] ?? 'instance',
      status: statuses[i % 2] ?? 'missing',
      required: i % 5 === 0,
      ...(i % 7 === 0 ? { description: `Rotated by team ${i % 4}` } : {}),
    }),
  );
}

export function stackListing(
  name: string,
  components: readonly string[],
  abstract: readonly string[] = [],
): StackListing {
  return {
    name,
    manifest: `stacks/orgs/${name}.yaml`,
    components: [
      ...components.map((c) => ({ name: c, type: 'terraform', abstract: false })),
      ...abstract.map((c) => ({ name: c, type: 'terraform', abstract: true })),
    ],
  };
}
