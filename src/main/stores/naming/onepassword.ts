// 1Password addressing is by reference, not by composed name: each declaration carries `reference:
// op://vault/item[/section]/field`, templated over {{ .atmos_stack }} and {{ .atmos_component }} (as Atmos). A
// vault-relative reference (`item/field`) is expanded with the store's `vault` option.
import { refuse, type NamingContext } from './common';
import { assertValidSecretPath, type SecretPath } from '../paths';

export const OP_SCHEME = 'op://';
const KIND = 'onepassword';
// The characters 1Password's secret-reference syntax accepts in a name (anything else needs the item's ID).
const NAME_PART = /^[\p{L}\p{N}\-_. ]+$/u;
const TEMPLATE = /\{\{(.*?)\}\}/g;

export interface OnePasswordNamingOptions {
  /** The default vault for vault-relative references. */
  readonly vault?: string;
}

export interface OnePasswordReference {
  readonly vault: string;
  readonly item: string;
  readonly section: string | undefined;
  readonly field: string;
  /** The full `op://...` reference. */
  readonly reference: string;
}

function render(template: string, path: SecretPath, ctx: NamingContext): string {
  // Only the two variables Atmos documents; sprig functions are not supported here.
  return template.replace(TEMPLATE, (_whole, inner: string) => {
    const expr = inner.trim();
    if (expr === '.atmos_stack') {
      if (path.scope === 'global' || !path.stack) {
        refuse(path, ctx, KIND, `the reference uses {{ .atmos_stack }} but scope "${path.scope}" has no stack`);
      }
      return path.stack;
    }
    if (expr === '.atmos_component') {
      if (path.scope !== 'instance' || !path.component) {
        refuse(path, ctx, KIND, `the reference uses {{ .atmos_component }} but scope "${path.scope}" has no component`);
      }
      return path.component;
    }
    return refuse(
      path,
      ctx,
      KIND,
      `the reference template {{${inner}}} is not supported (only {{ .atmos_stack }} and {{ .atmos_component }})`,
    );
  });
}

export function onePasswordReference(
  path: SecretPath,
  options: OnePasswordNamingOptions,
  ctx: NamingContext,
): OnePasswordReference {
  assertValidSecretPath(path);
  const template = path.reference?.trim();
  if (!template) {
    refuse(path, ctx, KIND, 'a 1Password secret needs `reference: op://vault/item/field` in its declaration');
  }
  let reference = render(template, path, ctx).trim();
  if (!reference.startsWith(OP_SCHEME)) {
    const vault = options.vault?.trim();
    if (!vault) {
      refuse(
        path,
        ctx,
        KIND,
        `"${reference}" is not an op://vault/item/field reference and the store sets no default vault`,
      );
    }
    reference = `${OP_SCHEME}${vault}/${reference.replace(/^\/+/, '')}`;
  }
  if (reference.includes('?')) refuse(path, ctx, KIND, 'reference query parameters (?attribute=...) cannot be written');
  const parts = reference.slice(OP_SCHEME.length).split('/');
  if (parts.length < 3 || parts.length > 4) {
    refuse(path, ctx, KIND, `"${reference}" must have the form op://vault/item/field or op://vault/item/section/field`);
  }
  const bad = parts.find((p) => !NAME_PART.test(p));
  if (bad !== undefined) {
    refuse(
      path,
      ctx,
      KIND,
      `"${bad}" in "${reference}" is empty or has characters a secret reference cannot carry (letters, digits, - _ . and spaces; use the ID instead)`,
    );
  }
  const [vault = '', item = '', third = '', fourth] = parts;
  return fourth === undefined
    ? { vault, item, section: undefined, field: third, reference }
    : { vault, item, section: third, field: fourth, reference };
}
