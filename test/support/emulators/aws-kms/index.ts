// A loopback AWS KMS emulator: TrentService over awsJson1_1 (Encrypt, Decrypt, GenerateDataKey) on 127.0.0.1,
// speaking to the real @aws-sdk/client-kms. Keys are created by the test; errors have the service's `__type`
// shapes (backends-wire.md §1, §8); throttling and 5xx faults can be injected; every call is counted.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { CallCounter, FaultQueue, closeServer, delay, listenLoopback, readBody, sendJson } from '../http-util';
import { blobKeyId, openBlob, sealBlob } from './ciphertext';

export type AwsKmsFault = 'throttling' | 'internal' | 'unavailable';
export type AwsKmsOperation = 'Encrypt' | 'Decrypt' | 'GenerateDataKey';

export interface AwsKmsEmulatorOptions {
  readonly account?: string;
  /** Access key ids the emulator accepts; any other gets UnrecognizedClientException. Default: any. */
  readonly accessKeyIds?: readonly string[];
  /** Added before every response. */
  readonly latencyMs?: number;
}

export interface CreateAwsKmsKeyOptions {
  readonly region?: string;
  /** Also creates `alias/<alias>` for the key. */
  readonly alias?: string;
  readonly enabled?: boolean;
}

export interface EmulatedAwsKmsKey {
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  readonly aliasArn?: string;
}

export interface AwsKmsEmulator {
  /** http://127.0.0.1:PORT, for `endpoint` or AWS_ENDPOINT_URL_KMS. */
  readonly url: string;
  readonly port: number;
  readonly account: string;
  readonly calls: CallCounter;
  /** The access key id that signed each authenticated call, in order (never a secret). */
  readonly callers: readonly string[];
  createKey(options?: CreateAwsKmsKeyOptions): EmulatedAwsKmsKey;
  setKeyEnabled(keyIdOrArn: string, enabled: boolean): void;
  /** Makes `operation` on this key fail with AccessDeniedException (as a missing key-policy grant would). */
  denyAccess(keyIdOrArn: string, operation: AwsKmsOperation): void;
  /** Fails the next `count` calls (of `operation`, or of any) with this fault. */
  injectFault(fault: AwsKmsFault, count?: number, operation?: AwsKmsOperation): void;
  stop(): Promise<void>;
}

interface KeyRecord {
  readonly keyId: string;
  readonly arn: string;
  readonly region: string;
  readonly material: Buffer;
  enabled: boolean;
  readonly denied: Set<AwsKmsOperation>;
}

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string | undefined,
    readonly status = 400,
  ) {
    super(message ?? '');
  }
}

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const contextSchema = z.record(z.string(), z.string()).optional();
const encryptSchema = z.object({ KeyId: z.string().min(1), Plaintext: b64, EncryptionContext: contextSchema });
const decryptSchema = z.object({ CiphertextBlob: b64, EncryptionContext: contextSchema, KeyId: z.string().optional() });
const generateSchema = z.object({
  KeyId: z.string().min(1),
  KeySpec: z.enum(['AES_256', 'AES_128']).optional(),
  NumberOfBytes: z.number().int().optional(),
  EncryptionContext: contextSchema,
});

const OPERATIONS = new Set<string>(['Encrypt', 'Decrypt', 'GenerateDataKey']);

/** `Credential=AKID/20261130/us-east-1/kms/aws4_request` from a SigV4 authorization header. */
function parseSigV4(header: string | undefined): { accessKeyId: string; region: string } | undefined {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/kms\/aws4_request/.exec(header ?? '');
  return m ? { accessKeyId: m[1]!, region: m[2]! } : undefined;
}

export async function start(options: AwsKmsEmulatorOptions = {}): Promise<AwsKmsEmulator> {
  const account = options.account ?? '111122223333';
  const keys = new Map<string, KeyRecord>(); // by key id
  const aliases = new Map<string, string>(); // alias ARN -> key id
  const calls = new CallCounter();
  const callers: string[] = [];
  const faults = new FaultQueue<AwsKmsFault>();

  function resolveKey(keyIdRef: string, region: string): KeyRecord {
    let id: string | undefined;
    if (keyIdRef.startsWith('arn:')) {
      const m = /^arn:aws[\w-]*:kms:([^:]+):(\d+):(key|alias)\/(.+)$/.exec(keyIdRef);
      if (!m) throw new KmsError('NotFoundException', `Invalid arn ${keyIdRef}`);
      if (m[3] === 'alias') {
        id = aliases.get(keyIdRef);
        if (!id || m[1] !== region) throw new KmsError('NotFoundException', `Alias ${keyIdRef} is not found.`);
      } else {
        id = m[4];
        if (m[1] !== region || m[2] !== account) id = undefined;
      }
    } else if (keyIdRef.startsWith('alias/')) {
      id = aliases.get(`arn:aws:kms:${region}:${account}:${keyIdRef}`);
      if (!id)
        throw new KmsError('NotFoundException', `Alias arn:aws:kms:${region}:${account}:${keyIdRef} is not found.`);
    } else {
      id = keyIdRef;
    }
    const key = id === undefined ? undefined : keys.get(id);
    if (!key || key.region !== region) {
      const arn = keyIdRef.startsWith('arn:') ? keyIdRef : `arn:aws:kms:${region}:${account}:key/${keyIdRef}`;
      throw new KmsError('NotFoundException', `Key '${arn}' does not exist`);
    }
    return key;
  }

  function usable(key: KeyRecord, operation: AwsKmsOperation): void {
    if (key.denied.has(operation)) {
      throw new KmsError(
        'AccessDeniedException',
        `User: arn:aws:iam::${account}:user/test is not authorized to perform: kms:${operation} on resource: ${key.arn} because no resource-based policy allows the kms:${operation} action`,
      );
    }
    if (!key.enabled) throw new KmsError('DisabledException', `${key.arn} is disabled.`);
  }

  function parse<T>(schema: z.ZodType<T>, body: unknown): T {
    const r = schema.safeParse(body);
    if (!r.success)
      throw new KmsError(
        'ValidationException',
        `1 validation error detected: ${r.error.issues[0]?.message ?? 'invalid input'}`,
      );
    return r.data;
  }

  function handle(operation: AwsKmsOperation, body: unknown, region: string): unknown {
    switch (operation) {
      case 'Encrypt': {
        const req = parse(encryptSchema, body);
        const key = resolveKey(req.KeyId, region);
        usable(key, operation);
        const plaintext = Buffer.from(req.Plaintext, 'base64');
        if (plaintext.length < 1 || plaintext.length > 4096) {
          throw new KmsError(
            'ValidationException',
            "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and 4096",
          );
        }
        const blob = sealBlob(key.keyId, key.material, plaintext, req.EncryptionContext);
        return { CiphertextBlob: blob.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      }
      case 'Decrypt': {
        const req = parse(decryptSchema, body);
        const blob = Buffer.from(req.CiphertextBlob, 'base64');
        const id = blobKeyId(blob);
        // Real KMS answers a blob it cannot parse, or one for a key it does not hold here, without a message.
        const key = id === undefined ? undefined : keys.get(id);
        if (!key || key.region !== region) throw new KmsError('InvalidCiphertextException', undefined);
        if (req.KeyId !== undefined) {
          let named: KeyRecord | undefined;
          try {
            named = resolveKey(req.KeyId, region);
          } catch {
            named = undefined;
          }
          if (named?.keyId !== key.keyId) {
            throw new KmsError(
              'IncorrectKeyException',
              'The key ID in the request does not identify a CMK that can perform this operation.',
            );
          }
        }
        usable(key, operation);
        const plaintext = openBlob(blob, key.material, req.EncryptionContext);
        if (!plaintext) throw new KmsError('InvalidCiphertextException', undefined);
        return { KeyId: key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
      }
      case 'GenerateDataKey': {
        const req = parse(generateSchema, body);
        if ((req.KeySpec === undefined) === (req.NumberOfBytes === undefined)) {
          throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
        }
        const size = req.KeySpec === 'AES_128' ? 16 : req.KeySpec === 'AES_256' ? 32 : (req.NumberOfBytes ?? 0);
        if (size < 1 || size > 1024) {
          throw new KmsError(
            'ValidationException',
            "1 validation error detected: Value at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024",
          );
        }
        const key = resolveKey(req.KeyId, region);
        usable(key, operation);
        const plaintext = randomBytes(size);
        const blob = sealBlob(key.keyId, key.material, plaintext, req.EncryptionContext);
        return { CiphertextBlob: blob.toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: key.arn };
      }
      default: {
        const never: never = operation;
        throw new KmsError('UnknownOperationException', `unknown operation ${String(never)}`);
      }
    }
  }

  function sendError(res: ServerResponse, e: KmsError): void {
    sendJson(res, e.status, e.message ? { __type: e.type, message: e.message } : { __type: e.type }, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
    });
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.headers['x-amz-target'];
    const operation =
      typeof target === 'string' && target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
    calls.record(operation || '(none)');
    const raw = await readBody(req);
    await delay(options.latencyMs ?? 0);
    try {
      if (req.method !== 'POST' || !OPERATIONS.has(operation))
        throw new KmsError('UnknownOperationException', undefined);
      const auth = parseSigV4(req.headers.authorization);
      if (!auth) throw new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      callers.push(auth.accessKeyId);
      if (options.accessKeyIds && !options.accessKeyIds.includes(auth.accessKeyId)) {
        throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      const fault = faults.take(operation);
      if (fault === 'throttling')
        throw new KmsError(
          'ThrottlingException',
          'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.',
        );
      if (fault === 'internal') throw new KmsError('KMSInternalException', 'An internal error occurred.', 500);
      if (fault === 'unavailable') throw new KmsError('ServiceUnavailableException', 'Service Unavailable', 503);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8') || '{}');
      } catch {
        throw new KmsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      const out = handle(operation as AwsKmsOperation, body, auth.region);
      sendJson(res, 200, out, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    } catch (e) {
      sendError(
        res,
        e instanceof KmsError ? e : new KmsError('KMSInternalException', 'An internal error occurred.', 500),
      );
    }
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) sendError(res, new KmsError('KMSInternalException', 'An internal error occurred.', 500));
    });
  });
  const port = await listenLoopback(server);

  function lookup(keyIdOrArn: string): KeyRecord {
    const id = keyIdOrArn.startsWith('arn:')
      ? (aliases.get(keyIdOrArn) ?? keyIdOrArn.split('/').pop() ?? '')
      : keyIdOrArn;
    const key = keys.get(id);
    if (!key) throw new Error(`emulator: no key ${keyIdOrArn}`);
    return key;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    account,
    calls,
    callers,
    createKey(o = {}) {
      const region = o.region ?? 'us-east-1';
      const keyId = randomUUID();
      const arn = `arn:aws:kms:${region}:${account}:key/${keyId}`;
      keys.set(keyId, { keyId, arn, region, material: randomBytes(32), enabled: o.enabled ?? true, denied: new Set() });
      const aliasArn = o.alias ? `arn:aws:kms:${region}:${account}:alias/${o.alias}` : undefined;
      if (aliasArn) aliases.set(aliasArn, keyId);
      return { keyId, arn, region, ...(aliasArn ? { aliasArn } : {}) };
    },
    setKeyEnabled(keyIdOrArn, enabled) {
      lookup(keyIdOrArn).enabled = enabled;
    },
    denyAccess(keyIdOrArn, operation) {
      lookup(keyIdOrArn).denied.add(operation);
    },
    injectFault(fault, count = 1, operation) {
      faults.push(fault, count, operation);
    },
    stop: () => closeServer(server),
  };
}
