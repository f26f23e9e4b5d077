// AWS Secrets Manager names: `/`-joined exactly as Atmos writes them. `/` is a plain character there, so an
// empty prefix gives a leading `/` (Atmos does the same; kept so both read the same secrets).
import { atmosJoin, firstDisallowed, refuse, type NamingContext } from './common';
import { scopedParts, scopedPath, type SecretPath } from '../paths';

/** CreateSecret's limit. (BatchGetSecretValue documents names up to 256; the adapter batches only those.) */
export const ASM_MAX_NAME_LENGTH = 512;
const ALLOWED = /[A-Za-z0-9/_+=.@-]/;
const KIND = 'aws/asm';

export interface AsmNamingOptions {
  readonly prefix?: string;
  readonly stackDelimiter?: string;
}

export function asmSecretName(path: SecretPath, options: AsmNamingOptions, ctx: NamingContext): string {
  const sp = scopedPath(path, { prefix: options.prefix ?? '', stackDelimiter: options.stackDelimiter ?? '-' });
  const name = atmosJoin(scopedParts(sp), '/');
  const bad = firstDisallowed(name, ALLOWED);
  if (bad) {
    refuse(
      path,
      ctx,
      KIND,
      `character ${bad} is not allowed in a Secrets Manager name (letters, digits, / _ + = . @ -)`,
    );
  }
  if (name.length > ASM_MAX_NAME_LENGTH) {
    refuse(path, ctx, KIND, `the name is ${name.length} characters; Secrets Manager allows ${ASM_MAX_NAME_LENGTH}`);
  }
  return name;
}
