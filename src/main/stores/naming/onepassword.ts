// 1Password addressing is by reference, not by composed name: each declaration carries `reference:
// op://vault/item[/section]/field`, a Go template over {{ .atmos_stack }} and {{ .atmos_component }} with sprig
// functions (as Atmos). A
// vault-relative reference (`item/field`) is expanded with the store's `vault` option.
import { renderTemplate, TemplateError } from '../../config/go-template';
import { refuse, type NamingContext } from './common';
import { assertValidSecretPath, type SecretPath } from '../paths';

export const OP_SCHEME = 'op://';
const KIND = 'onepassword';
// The characters 1Password's secret-reference syntax accepts in a name (anything else needs the item's ID).
const NAME_PART = /^[\p{L}\p{N}\-_. ]+$/u;
const STACK_VAR = /\.atmos_stack\b/;
const COMPONENT_VAR = /\.atmos_component\b/;

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
  // The loader's own Go-template engine (with its sprig subset: lower, upper, replace, trimPrefix, trimSuffix,
  // default, printf, ...), so a reference renders exactly as a SOPS `spec.file` or a stack value does. A scope
  // that lacks the stack or component is checked first, by the variable's name, so the error says why.
  if (STACK_VAR.test(template) && (path.scope === 'global' || !path.stack)) {
    refuse(path, ctx, KIND, `the reference uses {{ .atmos_stack }} but scope "${path.scope}" has no stack`);
  }
  if (COMPONENT_VAR.test(template) && (path.scope !== 'instance' || !path.component)) {
    refuse(path, ctx, KIND, `the reference uses {{ .atmos_component }} but scope "${path.scope}" has no component`);
  }
  const data: Record<string, string> = {};
  if (path.stack !== undefined && path.scope !== 'global') data['atmos_stack'] = path.stack;
  if (path.component !== undefined && path.scope === 'instance') data['atmos_component'] = path.component;
  try {
    return renderTemplate(template, data, { missingKey: 'error', env: {} });
  } catch (e) {
    if (e instanceof TemplateError) {
      return refuse(path, ctx, KIND, `the reference template "${template}" does not render: ${e.message}`);
    }
    throw e;
  }
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
