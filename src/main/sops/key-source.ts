// The seam between the SOPS file format and the things that wrap a data key: age, pgp, AWS KMS, GCP KMS.
// The format code (sops/*.ts) knows only this interface; each key source lives in sops/keysources/<type>/.
// A key source wraps the 32-byte data key (or a 33-byte Shamir share) for one master key, and unwraps it again.

/** One master-key entry as it is stored in a file's `sops:` block (field names as sops writes them). */
export type MasterKeyEntry =
  | { readonly type: 'age'; readonly recipient: string; readonly enc: string }
  | { readonly type: 'pgp'; readonly fp: string; readonly enc: string; readonly created_at: string }
  | {
      readonly type: 'kms';
      readonly arn: string;
      readonly role?: string;
      readonly context?: Readonly<Record<string, string>>;
      readonly aws_profile?: string;
      readonly enc: string;
      readonly created_at: string;
    }
  | { readonly type: 'gcp_kms'; readonly resource_id: string; readonly enc: string; readonly created_at: string };

export type MasterKeyType = MasterKeyEntry['type'];

/** What a person configures: who should be able to decrypt (before any data key is wrapped for them). */
export type MasterKeySpec =
  | { readonly type: 'age'; readonly recipient: string }
  | { readonly type: 'pgp'; readonly fp: string }
  | {
      readonly type: 'kms';
      readonly arn: string;
      readonly role?: string;
      readonly context?: Readonly<Record<string, string>>;
      readonly aws_profile?: string;
    }
  | { readonly type: 'gcp_kms'; readonly resource_id: string };

export interface KeySource<T extends MasterKeyType = MasterKeyType> {
  readonly type: T;
  /** Wraps `dataKey` (32 bytes, or a 33-byte share) for one master key and returns the entry to store. */
  wrap(dataKey: Uint8Array, spec: Extract<MasterKeySpec, { type: T }>): Promise<Extract<MasterKeyEntry, { type: T }>>;
  /**
   * Unwraps the data key from one stored entry. Throws an AppError (code CRYPTO) that names the key
   * (recipient, fingerprint, ARN or resource id) and how to supply it when this source cannot.
   */
  unwrap(entry: Extract<MasterKeyEntry, { type: T }>): Promise<Uint8Array>;
  /**
   * Whether this machine holds the private key for `spec`, when the source can tell without a network call
   * (age: its identities' recipients); undefined or absent: it cannot tell (pgp agents, KMS).
   */
  holds?(spec: Extract<MasterKeySpec, { type: T }>): Promise<boolean | undefined>;
}
