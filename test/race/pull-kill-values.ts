// The values pull-kill-child.ts sets before pulling, shared with the test so it knows what plaintext looks like.

/** In every value: a file holding it holds plaintext. */
export const PULL_CANARY = 'PULLKILL-CANARY-7f3a';

/** Instance secrets of the basic fixture's api component (store "kc"). */
export const PULLED_SECRETS = ['DB_PASSWORD', 'OPTIONAL_KEY'] as const;

/** 24 KB per value: a write of the pull file takes several syscalls, so kills land inside it. */
export function pullValue(tag: 'A' | 'B', name: string): string {
  return `${PULL_CANARY}-${tag}-${name}-${tag.repeat(24 * 1024)}`;
}
