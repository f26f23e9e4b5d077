// Tokens and ACL policies, as far as a KV v2 client can see them: a token belongs to a namespace and carries
// path rules (`secret/data/app/*`, `+` for one segment) with capabilities. A path no rule grants is denied.
// Vault picks the most specific matching rule; here the longest matching pattern wins, which agrees for the
// shapes tests use (a literal path beats a glob, a longer glob beats a shorter one).

export type Capability = 'create' | 'read' | 'update' | 'delete' | 'list' | 'deny';

export interface PolicyRule {
  /** Relative to the token's namespace, e.g. `secret/data/team/*`. */
  readonly path: string;
  readonly capabilities: readonly Capability[];
}

export interface TokenRecord {
  /** The namespace the token was created in ('' is root). Valid there and in child namespaces. */
  readonly namespace: string;
  /** undefined: a root token, allowed everything. */
  readonly rules: readonly PolicyRule[] | undefined;
}

function patternMatches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*');
  const body = glob ? pattern.slice(0, -1) : pattern;
  const pSegs = body.split('/');
  const segs = path.split('/');
  if (!glob && pSegs.length !== segs.length) return false;
  if (glob && segs.length < pSegs.length) return false;
  for (let i = 0; i < pSegs.length; i++) {
    const p = pSegs[i] ?? '';
    const s = segs[i] ?? '';
    const last = i === pSegs.length - 1;
    if (p === '+') continue;
    if (last && glob) {
      if (!s.startsWith(p)) return false;
    } else if (p !== s) {
      return false;
    }
  }
  return true;
}

/** Whether `token` may use `capability` on `path` in namespace `namespace` (both without slashes at the ends). */
export function allowed(token: TokenRecord, namespace: string, path: string, capability: Capability): boolean {
  const inside = token.namespace === '' || namespace === token.namespace || namespace.startsWith(`${token.namespace}/`);
  if (!inside) return false;
  if (token.rules === undefined) return true;
  const relNs = token.namespace === '' ? namespace : namespace.slice(token.namespace.length).replace(/^\//, '');
  const full = relNs === '' ? path : `${relNs}/${path}`;
  const matching = token.rules
    .filter((r) => patternMatches(r.path, full))
    .sort((a, b) => b.path.length - a.path.length);
  const rule = matching[0];
  if (!rule || rule.capabilities.includes('deny')) return false;
  return rule.capabilities.includes(capability);
}
