// A secrets-table row as the rotation channels' target (stack and global rows carry component `*`, which main
// reads as "no component").
import type { SecretRow } from '../../../shared/ipc/secrets-contract';

export function rowTarget(row: SecretRow): { stack: string; component: string; secret: string } {
  return { stack: row.stack, component: row.component, secret: row.secret };
}
