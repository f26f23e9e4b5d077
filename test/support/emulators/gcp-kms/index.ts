// A loopback Cloud KMS emulator over gRPC (backends-wire.md §5, §8): the KeyManagementService descriptor shipped in
// @google-cloud/kms, served by @grpc/grpc-js on 127.0.0.1, so the official client talks to it unchanged.
// Encrypt/Decrypt on symmetric keys the test creates; additionalAuthenticatedData is bound into the ciphertext;
// the CRC32C fields are checked and returned as the real API does; NOT_FOUND / PERMISSION_DENIED / INVALID_ARGUMENT
// errors use the service's wording; UNAVAILABLE and RESOURCE_EXHAUSTED can be injected; every call is counted.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CallCounter, FaultQueue } from '../http-util';
import { crc32c } from './crc32c';

export type GcpKmsFault = 'unavailable' | 'resource-exhausted' | 'internal';
export type GcpKmsOperation = 'Encrypt' | 'Decrypt';
export type GcpKeyVersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

export interface CreateGcpKmsKeyOptions {
  readonly project?: string;
  readonly location?: string;
  readonly keyRing?: string;
  readonly cryptoKey?: string;
}

export interface EmulatedGcpKmsKey {
  /** projects/P/locations/L/keyRings/R/cryptoKeys/K: what sops stores as resource_id. */
  readonly name: string;
  /** The primary version's name. */
  readonly primaryVersion: string;
}

export interface GcpKmsEmulator {
  readonly port: number;
  /** 127.0.0.1:PORT */
  readonly url: string;
  readonly calls: CallCounter;
  createKey(options?: CreateGcpKmsKeyOptions): EmulatedGcpKmsKey;
  /** Adds a new primary version; older versions still decrypt (usedPrimary: false). */
  rotateKey(name: string): string;
  setVersionState(versionName: string, state: GcpKeyVersionState): void;
  /** Makes `operation` on this key fail with PERMISSION_DENIED, as a missing IAM binding would. */
  denyAccess(name: string, operation: GcpKmsOperation): void;
  injectFault(fault: GcpKmsFault, count?: number, operation?: GcpKmsOperation): void;
  stop(): Promise<void>;
}

interface VersionRecord {
  readonly name: string;
  readonly material: Buffer;
  state: GcpKeyVersionState;
}
interface KeyRecord {
  readonly name: string;
  readonly versions: VersionRecord[];
  primary: VersionRecord;
  readonly denied: Set<GcpKmsOperation>;
}

/** A request/response wrapper type: google.protobuf.Int64Value arrives as { value } (a string with longs: String). */
interface Int64Value {
  readonly value?: string | number;
}
interface EncryptRequest {
  readonly name: string;
  readonly plaintext: Buffer;
  readonly additionalAuthenticatedData: Buffer;
  readonly plaintextCrc32c?: Int64Value | null;
  readonly additionalAuthenticatedDataCrc32c?: Int64Value | null;
}
interface DecryptRequest {
  readonly name: string;
  readonly ciphertext: Buffer;
  readonly additionalAuthenticatedData: Buffer;
  readonly ciphertextCrc32c?: Int64Value | null;
  readonly additionalAuthenticatedDataCrc32c?: Int64Value | null;
}

class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

const KEY_NAME = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;
const VERSION_NAME =
  /^(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+)\/cryptoKeyVersions\/\d+$/;
const MAX_PLAINTEXT = 64 * 1024;
const IV_LEN = 12;
const TAG_LEN = 16;

function loadService(): grpc.ServiceDefinition {
  const require = createRequire(import.meta.url);
  const json: unknown = JSON.parse(readFileSync(require.resolve('@google-cloud/kms/build/protos/protos.json'), 'utf8'));
  const def = protoLoader.fromJSON(json as Parameters<typeof protoLoader.fromJSON>[0], {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const service = def['google.cloud.kms.v1.KeyManagementService'];
  if (!service || !('Encrypt' in service)) throw new Error('KeyManagementService not found in protos.json');
  return service as grpc.ServiceDefinition;
}

function checkCrc(field: string, data: Buffer, given: Int64Value | null | undefined): boolean {
  if (!given || given.value === undefined) return false;
  if (BigInt(given.value) !== BigInt(crc32c(data))) {
    const dataField = field.replace(/_crc32c$/, '');
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `The checksum in field ${field} did not match the data in field ${dataField}.`,
    );
  }
  return true;
}

export async function start(): Promise<GcpKmsEmulator> {
  const keys = new Map<string, KeyRecord>();
  const calls = new CallCounter();
  const faults = new FaultQueue<GcpKmsFault>();

  function keyOf(name: string, operation: GcpKmsOperation): { key: KeyRecord; version?: VersionRecord } {
    const versionMatch = VERSION_NAME.exec(name);
    const keyName = versionMatch ? versionMatch[1]! : name;
    if (!KEY_NAME.test(keyName) || (operation === 'Decrypt' && versionMatch)) {
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `Resource name [${name}] does not match any known resource name pattern.`,
      );
    }
    const key = keys.get(keyName);
    const permission = operation === 'Encrypt' ? 'useToEncrypt' : 'useToDecrypt';
    if (key?.denied.has(operation)) {
      throw new RpcError(
        grpc.status.PERMISSION_DENIED,
        `Permission 'cloudkms.cryptoKeyVersions.${permission}' denied on resource '${keyName}' (or it may not exist).`,
      );
    }
    if (!key) throw new RpcError(grpc.status.NOT_FOUND, `CryptoKey ${keyName} not found.`);
    if (!versionMatch) return { key };
    const version = key.versions.find((v) => v.name === name);
    if (!version) throw new RpcError(grpc.status.NOT_FOUND, `CryptoKeyVersion ${name} not found.`);
    return { key, version };
  }

  function enabled(version: VersionRecord): void {
    if (version.state !== 'ENABLED') {
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `${version.name} is not enabled, current state is: ${version.state}.`,
      );
    }
  }

  function encrypt(req: EncryptRequest): unknown {
    const { key, version: named } = keyOf(req.name, 'Encrypt');
    const version = named ?? key.primary;
    enabled(version);
    if (req.plaintext.length === 0 || req.plaintext.length > MAX_PLAINTEXT) {
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `The request field plaintext must be between 1 and ${MAX_PLAINTEXT} bytes.`,
      );
    }
    const verifiedPlaintext = checkCrc('plaintext_crc32c', req.plaintext, req.plaintextCrc32c);
    const verifiedAad = checkCrc(
      'additional_authenticated_data_crc32c',
      req.additionalAuthenticatedData,
      req.additionalAuthenticatedDataCrc32c,
    );
    const id = Buffer.from(version.name, 'utf8');
    const header = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
    const iv = randomBytes(IV_LEN);
    const cipher = createCipheriv('aes-256-gcm', version.material, iv);
    cipher.setAAD(Buffer.concat([header, req.additionalAuthenticatedData]));
    const ct = Buffer.concat([cipher.update(req.plaintext), cipher.final()]);
    const ciphertext = Buffer.concat([header, iv, cipher.getAuthTag(), ct]);
    return {
      name: version.name,
      ciphertext,
      ciphertextCrc32c: { value: String(crc32c(ciphertext)) },
      verifiedPlaintextCrc32c: verifiedPlaintext,
      verifiedAdditionalAuthenticatedDataCrc32c: verifiedAad,
      protectionLevel: 'SOFTWARE',
    };
  }

  function decrypt(req: DecryptRequest): unknown {
    const { key } = keyOf(req.name, 'Decrypt');
    checkCrc('ciphertext_crc32c', req.ciphertext, req.ciphertextCrc32c);
    checkCrc(
      'additional_authenticated_data_crc32c',
      req.additionalAuthenticatedData,
      req.additionalAuthenticatedDataCrc32c,
    );
    const wrongKey = new RpcError(
      grpc.status.INVALID_ARGUMENT,
      "Decryption failed: verify that 'name' refers to the correct CryptoKey.",
    );
    const idLen = req.ciphertext.length >= 2 ? (req.ciphertext[0]! << 8) | req.ciphertext[1]! : -1;
    if (idLen < 0 || req.ciphertext.length < 2 + idLen + IV_LEN + TAG_LEN) throw wrongKey;
    const header = req.ciphertext.subarray(0, 2 + idLen);
    const version = key.versions.find((v) => v.name === header.subarray(2).toString('utf8'));
    if (!version) throw wrongKey;
    enabled(version);
    const iv = req.ciphertext.subarray(header.length, header.length + IV_LEN);
    const tag = req.ciphertext.subarray(header.length + IV_LEN, header.length + IV_LEN + TAG_LEN);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', version.material, iv);
      decipher.setAAD(Buffer.concat([header, req.additionalAuthenticatedData]));
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([
        decipher.update(req.ciphertext.subarray(header.length + IV_LEN + TAG_LEN)),
        decipher.final(),
      ]);
    } catch {
      throw wrongKey;
    }
    return {
      plaintext,
      plaintextCrc32c: { value: String(crc32c(plaintext)) },
      usedPrimary: version === key.primary,
      protectionLevel: 'SOFTWARE',
    };
  }

  function unary<Req>(operation: GcpKmsOperation, fn: (req: Req) => unknown): grpc.handleUnaryCall<Req, unknown> {
    return (call, callback) => {
      calls.record(operation);
      try {
        const fault = faults.take(operation);
        if (fault === 'unavailable')
          throw new RpcError(grpc.status.UNAVAILABLE, 'The service is currently unavailable.');
        if (fault === 'resource-exhausted') {
          throw new RpcError(
            grpc.status.RESOURCE_EXHAUSTED,
            `Quota exceeded for quota metric 'Cryptographic requests' of service 'cloudkms.googleapis.com'.`,
          );
        }
        if (fault === 'internal') throw new RpcError(grpc.status.INTERNAL, 'Internal error encountered.');
        callback(null, fn(call.request));
      } catch (e) {
        const err = e instanceof RpcError ? e : new RpcError(grpc.status.INTERNAL, 'Internal error encountered.');
        callback({ code: err.code, details: err.details, metadata: new grpc.Metadata() });
      }
    };
  }

  const server = new grpc.Server();
  server.addService(loadService(), {
    Encrypt: unary<EncryptRequest>('Encrypt', encrypt),
    Decrypt: unary<DecryptRequest>('Decrypt', decrypt),
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });

  function find(name: string): KeyRecord {
    const key = keys.get(VERSION_NAME.exec(name)?.[1] ?? name);
    if (!key) throw new Error(`emulator: no key ${name}`);
    return key;
  }

  function newVersion(key: { name: string; versions: VersionRecord[] }): VersionRecord {
    const version = {
      name: `${key.name}/cryptoKeyVersions/${key.versions.length + 1}`,
      material: randomBytes(32),
      state: 'ENABLED' as const,
    };
    key.versions.push(version);
    return version;
  }

  let counter = 0;
  return {
    port,
    url: `127.0.0.1:${port}`,
    calls,
    createKey(o = {}) {
      counter += 1;
      const name = `projects/${o.project ?? 'test-project'}/locations/${o.location ?? 'global'}/keyRings/${o.keyRing ?? 'sops'}/cryptoKeys/${o.cryptoKey ?? `key-${counter}`}`;
      if (keys.has(name)) throw new Error(`emulator: key ${name} exists`);
      const versions: VersionRecord[] = [];
      const primary = newVersion({ name, versions });
      keys.set(name, { name, versions, primary, denied: new Set() });
      return { name, primaryVersion: primary.name };
    },
    rotateKey(name) {
      const key = find(name);
      key.primary = newVersion(key);
      return key.primary.name;
    },
    setVersionState(versionName, state) {
      const version = find(versionName).versions.find((v) => v.name === versionName);
      if (!version) throw new Error(`emulator: no version ${versionName}`);
      version.state = state;
    },
    denyAccess(name, operation) {
      find(name).denied.add(operation);
    },
    injectFault(fault, count = 1, operation) {
      faults.push(fault, count, operation);
    },
    stop() {
      // In-flight calls are cancelled; tests stop after their calls are done.
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}
