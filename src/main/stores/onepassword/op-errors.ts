// The 1Password store's own errors, each typed so callers (and tests) tell them apart without reading messages.
// Every message names the secret and its reference; none carries a value or a token. The errors about what a
// reference names (item, section, field, vault) carry the declaration's file and line (`SecretPath.source`):
// the reference is written there, not in atmos.yaml.
import { AppError, type SourceLocation } from '../../../shared/errors';
import { SecretNotFoundError, StoreThrottledError, type SecretErrorSubject } from '../store-errors';

/** What is missing behind a reference. */
export type OpMissing = 'item' | 'section' | 'field';

/** The reference names an item, section or field that does not exist (a kind of SecretNotFoundError). */
export class OpSecretNotFoundError extends SecretNotFoundError {
  readonly missing: OpMissing;
  readonly reference: string;
  /** The declaration's file and line, when the store was given them. */
  override readonly location: SourceLocation | undefined;

  constructor(
    subject: SecretErrorSubject,
    reference: string,
    missing: OpMissing,
    detail: string,
    source?: SourceLocation,
  ) {
    super(subject, `${reference}: ${detail}${declaredAt(source)}`);
    this.name = 'OpSecretNotFoundError';
    this.missing = missing;
    this.reference = reference;
    this.location = source;
  }
}

/** ` (declared at file:line)`: a listing or a report shows an error's message without its location. */
export function declaredAt(source: SourceLocation | undefined): string {
  if (!source) return '';
  return ` (declared at ${source.file}${source.line === undefined ? '' : `:${source.line}`})`;
}

/** The reference's vault is not one the token can see (absent, or not granted to it). */
export class OpVaultNotVisibleError extends AppError {
  readonly vault: string;

  constructor(subject: SecretErrorSubject, reference: string, vault: string, hint: string, source?: SourceLocation) {
    super(
      'AUTH',
      `secret "${subject.secret}" (${reference}) is in vault "${vault}", which the token of store "${subject.store}" cannot see${declaredAt(source)}`,
      { hint, ...(source ? { location: source } : {}) },
    );
    this.name = 'OpVaultNotVisibleError';
    this.vault = vault;
  }
}

/** 1Password's rate limit: says how long the server asked us to wait, and is never retried automatically. */
export class OpThrottledError extends StoreThrottledError {
  constructor(subject: SecretErrorSubject, reference: string, retryAfterMs: number | undefined) {
    super(subject.store, retryAfterMs === undefined ? {} : { retryAfterMs });
    this.name = 'OpThrottledError';
    const wait =
      retryAfterMs === undefined
        ? 'the server did not say for how long; service accounts allow about 1,000 reads and 100 writes an hour'
        : `the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s`;
    this.message = `store "${subject.store}" hit 1Password's rate limit reading or writing secret "${subject.secret}" (${reference}): ${wait}`;
  }
}
