// Which leaves sops encrypts: at most one rule (suffix, regex or comment regex), tested against every key on
// the leaf's path (and the comments above it), as sops.go:shouldBeEncrypted does.

export type EncryptionRule =
  | { readonly kind: 'unencrypted_suffix'; readonly value: string }
  | { readonly kind: 'encrypted_suffix'; readonly value: string }
  | { readonly kind: 'unencrypted_regex'; readonly value: string }
  | { readonly kind: 'encrypted_regex'; readonly value: string }
  | { readonly kind: 'unencrypted_comment_regex'; readonly value: string }
  | { readonly kind: 'encrypted_comment_regex'; readonly value: string };

export type EncryptionRuleKind = EncryptionRule['kind'];

export const RULE_KINDS: readonly EncryptionRuleKind[] = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
];

export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

export interface LeafSelector {
  /** True when a leaf at `path` (map keys, root first), under the given comments, is to be encrypted. */
  (path: readonly string[], comments: readonly string[]): boolean;
}

/** A selector for one rule; no rule (the binary store) encrypts everything. */
export function leafSelector(rule: EncryptionRule | undefined): LeafSelector {
  if (!rule) return () => true;
  switch (rule.kind) {
    case 'unencrypted_suffix':
      return (path) => !path.some((k) => k.endsWith(rule.value));
    case 'encrypted_suffix':
      return (path) => path.some((k) => k.endsWith(rule.value));
    case 'unencrypted_regex': {
      const re = new RegExp(rule.value);
      return (path) => !path.some((k) => re.test(k));
    }
    case 'encrypted_regex': {
      const re = new RegExp(rule.value);
      return (path) => path.some((k) => re.test(k));
    }
    case 'unencrypted_comment_regex': {
      const re = new RegExp(rule.value);
      return (_path, comments) => !comments.some((c) => re.test(c));
    }
    case 'encrypted_comment_regex': {
      const re = new RegExp(rule.value);
      return (_path, comments) => comments.some((c) => re.test(c));
    }
    default: {
      const never: never = rule;
      return never;
    }
  }
}
