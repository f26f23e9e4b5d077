// The GCP KMS key source: Encrypt/Decrypt of a SOPS data key on a Cloud KMS cryptoKey with @google-cloud/kms 5.x,
// as sops does (no AAD; enc = base64 ciphertext), plus the CRC32C end-to-end checks Google recommends.
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { z } from 'zod';
import { AppError } from '../../../../shared/errors';
import { type KeySource, type MasterKeyEntry, type MasterKeySpec } from '../../key-source';
import { crc32c } from './crc32c';
import { mapGcpKmsError } from './errors';

type GcpEntry = Extract<MasterKeyEntry, { type: 'gcp_kms' }>;
type GcpSpec = Extract<MasterKeySpec, { type: 'gcp_kms' }>;

export type GcpKmsClientOptions = NonNullable<ConstructorParameters<typeof KeyManagementServiceClient>[0]>;

export interface GcpEncryptRequest {
  readonly name: string;
  readonly plaintext: Uint8Array;
  readonly plaintextCrc32c: { readonly value: number };
}
export interface GcpDecryptRequest {
  readonly name: string;
  readonly ciphertext: Uint8Array;
  readonly ciphertextCrc32c: { readonly value: number };
}

/** The two calls the key source makes; responses are the raw protobuf objects, parsed here. */
export interface GcpKmsApi {
  encrypt(request: GcpEncryptRequest): Promise<unknown>;
  decrypt(request: GcpDecryptRequest): Promise<unknown>;
  close(): Promise<void>;
}

export type GcpKmsClientFactory = (options: GcpKmsClientOptions) => GcpKmsApi;

export interface GcpKmsKeySourceOptions {
  /**
   * Passed to KeyManagementServiceClient: apiEndpoint/port/sslCreds for an emulator, credentials, keyFilename or
   * authClient for an injected identity. Without any identity: GOOGLE_CREDENTIALS (as sops), else ADC.
   */
  readonly clientOptions?: GcpKmsClientOptions;
  readonly clientFactory?: GcpKmsClientFactory;
  /** Where GOOGLE_CREDENTIALS is read from. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
}

export type GcpKmsKeySource = KeySource<'gcp_kms'> & { close(): Promise<void> };

const RESOURCE_ID = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Bytes arrive as Buffer over gRPC and as base64 text over the REST fallback. */
const bytes = z
  .union([z.instanceof(Uint8Array), z.string()])
  .transform((v) => (typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'base64')) : v));
/** google.protobuf.Int64Value: a number, a decimal string, or a Long (whose toString is decimal). */
const int64 = z
  .object({ value: z.unknown() })
  .nullish()
  .transform((v) => (v && v.value !== null && v.value !== undefined ? String(v.value) : undefined));
const encryptResponse = z.object({
  ciphertext: bytes,
  ciphertextCrc32c: int64,
  verifiedPlaintextCrc32c: z.boolean().nullish(),
});
const decryptResponse = z.object({ plaintext: bytes, plaintextCrc32c: int64 });
const serviceAccountJson = z.looseObject({ client_email: z.string(), private_key: z.string() });

export function defaultGcpKmsClientFactory(options: GcpKmsClientOptions): GcpKmsApi {
  const client = new KeyManagementServiceClient(options);
  return {
    encrypt: async (request) => (await client.encrypt(request))[0],
    decrypt: async (request) => (await client.decrypt(request))[0],
    close: () => client.close(),
  };
}

/** sops removes spaces from resource ids; anything but a cryptoKey name is a configuration error. */
export function normalizeResourceId(raw: string): string {
  const id = raw.replace(/\s+/g, '');
  if (!RESOURCE_ID.test(id)) {
    throw new AppError('CONFIG', `"${raw}" is not a GCP KMS key resource id.`, {
      hint: 'Use projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY',
    });
  }
  return id;
}

/** sops reads GOOGLE_CREDENTIALS as a key file path or as the JSON itself; only used when nothing is injected. */
function withEnvCredentials(options: GcpKmsClientOptions, env: NodeJS.ProcessEnv): GcpKmsClientOptions {
  const injected = options.credentials || options.keyFilename || options.authClient || options.sslCreds;
  const raw = env.GOOGLE_CREDENTIALS?.trim();
  if (injected || !raw) return options;
  if (!raw.startsWith('{')) return { ...options, keyFilename: raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const account = serviceAccountJson.safeParse(parsed);
  if (!account.success) {
    throw new AppError('AUTH', 'GOOGLE_CREDENTIALS holds JSON that is not a service-account key.', {
      hint: 'Set it to a service-account key file path or its JSON, or unset it to use application default credentials.',
    });
  }
  return { ...options, credentials: account.data };
}

function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function corrupted(resourceId: string, what: string): AppError {
  return new AppError(
    'BACKEND',
    `GCP KMS ${what} for key ${resourceId} failed its CRC32C check (corrupted in transit).`,
    {
      hint: 'Try again; if it persists, check proxies between you and Cloud KMS.',
    },
  );
}

export function createGcpKmsKeySource(options: GcpKmsKeySourceOptions = {}): GcpKmsKeySource {
  const factory = options.clientFactory ?? defaultGcpKmsClientFactory;
  const now = options.now ?? (() => new Date());
  let api: GcpKmsApi | undefined;

  // Created on first use: loading gax and resolving credentials is not free, and most files need no GCP.
  function client(): GcpKmsApi {
    api ??= factory(withEnvCredentials(options.clientOptions ?? {}, options.env ?? process.env));
    return api;
  }

  async function wrap(dataKey: Uint8Array, spec: GcpSpec): Promise<GcpEntry> {
    const name = normalizeResourceId(spec.resource_id);
    let raw: unknown;
    try {
      raw = await client().encrypt({ name, plaintext: dataKey, plaintextCrc32c: { value: crc32c(dataKey) } });
    } catch (e) {
      throw mapGcpKmsError(e, name, 'wrap');
    }
    const parsed = encryptResponse.safeParse(raw);
    if (!parsed.success) throw new AppError('BACKEND', `GCP KMS returned no ciphertext for key ${name}.`);
    const { ciphertext, ciphertextCrc32c, verifiedPlaintextCrc32c } = parsed.data;
    if (verifiedPlaintextCrc32c !== true) throw corrupted(name, 'encrypt request');
    if (ciphertextCrc32c !== undefined && ciphertextCrc32c !== String(crc32c(ciphertext)))
      throw corrupted(name, 'encrypt response');
    return {
      type: 'gcp_kms',
      resource_id: name,
      enc: Buffer.from(ciphertext).toString('base64'),
      created_at: rfc3339Seconds(now()),
    };
  }

  async function unwrap(entry: GcpEntry): Promise<Uint8Array> {
    const name = normalizeResourceId(entry.resource_id);
    const enc = entry.enc.replace(/\s+/g, '');
    if (!BASE64.test(enc))
      throw new AppError('SOPS', `The gcp_kms entry for ${name} does not hold a base64 ciphertext.`);
    const ciphertext = new Uint8Array(Buffer.from(enc, 'base64'));
    let raw: unknown;
    try {
      raw = await client().decrypt({ name, ciphertext, ciphertextCrc32c: { value: crc32c(ciphertext) } });
    } catch (e) {
      throw mapGcpKmsError(e, name, 'unwrap');
    }
    const parsed = decryptResponse.safeParse(raw);
    if (!parsed.success) throw new AppError('BACKEND', `GCP KMS returned no plaintext for key ${name}.`);
    const { plaintext, plaintextCrc32c } = parsed.data;
    if (plaintextCrc32c !== undefined && plaintextCrc32c !== String(crc32c(plaintext))) {
      plaintext.fill(0);
      throw corrupted(name, 'decrypt response');
    }
    // A plain Uint8Array (gRPC hands us a Buffer, often a view on a pooled one), and the SDK's copy wiped.
    const key = new Uint8Array(plaintext);
    plaintext.fill(0);
    return key;
  }

  async function close(): Promise<void> {
    const current = api;
    api = undefined;
    await current?.close();
  }

  return { type: 'gcp_kms', wrap, unwrap, close };
}
