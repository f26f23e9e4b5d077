// How AWS stores hold a value: as Atmos writes a string, the text itself (no JSON quotes around scalars), so
// Atmos and other tools read the same value. Neither SSM nor (reliably) Secrets Manager holds an empty string,
// so an empty value is written as `""`, which is what Atmos' JSON decoding of a stored value turns back into an
// empty string. That makes the two-character value `""` itself unrepresentable: it is refused before any call
// rather than read back as empty.
import { AppError } from '../../../shared/errors';
import type { SecretErrorSubject } from '../store-errors';

export const EMPTY_VALUE_FORM = '""';

export function encodeAwsValue(value: string, subject: SecretErrorSubject): string {
  if (value === EMPTY_VALUE_FORM) {
    throw new AppError(
      'BAD_REQUEST',
      `secret "${subject.secret}" cannot hold the two-character value "" in store "${subject.store}": that is how an empty value is stored there`,
      { hint: 'Store an empty value instead, or a different value.' },
    );
  }
  return value === '' ? EMPTY_VALUE_FORM : value;
}

export function decodeAwsValue(stored: string): string {
  return stored === EMPTY_VALUE_FORM ? '' : stored;
}
