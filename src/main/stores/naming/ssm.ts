// AWS SSM Parameter Store names: `/`-joined, always starting with `/`, as Atmos writes them (prefix, stack
// split on stack_delimiter, component split on `/`, NAME). Refuses what the service would reject.
import { atmosJoin, firstDisallowed, refuse, type NamingContext } from './common';
import { scopedParts, scopedPath, type SecretPath } from '../paths';

export const SSM_MAX_LEVELS = 15;
/** AWS: 2048 characters, of which 1037 are reserved; the usable 1011 include the parameter ARN's prefix. */
export const SSM_MAX_ARN_LENGTH = 1011;
const ALLOWED = /[A-Za-z0-9_.\-/]/;
const KIND = 'aws/ssm';

export interface SsmNamingOptions {
  readonly prefix?: string;
  readonly stackDelimiter?: string;
  /** Sets the ARN length the name must fit in; a long region name when unknown. */
  readonly region?: string;
}

function arnPrefixLength(region: string | undefined): number {
  const r = region ?? 'ap-southeast-1';
  const partition = r.startsWith('cn-') ? 'aws-cn' : r.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  // arn:<partition>:ssm:<region>:<12-digit account>:parameter, followed by the name (its leading `/` included).
  return `arn:${partition}:ssm:${r}:123456789012:parameter`.length;
}

export function ssmParameterName(path: SecretPath, options: SsmNamingOptions, ctx: NamingContext): string {
  const sp = scopedPath(path, { prefix: options.prefix ?? '', stackDelimiter: options.stackDelimiter ?? '-' });
  let name = atmosJoin(scopedParts(sp), '/');
  // Hierarchical names must start with `/`; Atmos' GetKey forces it too.
  if (!name.startsWith('/')) name = `/${name}`;

  const bad = firstDisallowed(name, ALLOWED);
  if (bad)
    refuse(path, ctx, KIND, `character ${bad} is not allowed in an SSM parameter name (letters, digits, _ . - /)`);
  const segments = name.slice(1).split('/');
  if (segments.some((s) => s === '')) refuse(path, ctx, KIND, `"${name}" has an empty path segment`);
  if (segments.length > SSM_MAX_LEVELS) {
    refuse(path, ctx, KIND, `"${name}" has ${segments.length} levels; SSM allows at most ${SSM_MAX_LEVELS}`);
  }
  if (/^(aws|ssm)/i.test(segments[0] ?? '')) {
    refuse(path, ctx, KIND, `"${name}" starts with "aws" or "ssm", which SSM reserves; set a store prefix`);
  }
  const max = SSM_MAX_ARN_LENGTH - arnPrefixLength(options.region);
  if (name.length > max) {
    refuse(path, ctx, KIND, `"${name.slice(0, 40)}..." is ${name.length} characters; SSM allows ${max} here`);
  }
  return name;
}
