// Builds the Secret Manager client of a store: @google-cloud/secret-manager and google-gax loaded with import()
// on the first call (the CLI must not pay for them at start), gRPC to Google's endpoint, another TLS endpoint or a
// loopback emulator (insecure channel, no credentials: backends-wire.md §5). Credentials: the store's identity
// (src/main/auth: a gcp/service-account key file) or application default credentials. They are checked once,
// here, so a missing or broken credential is an AUTH error naming the store before any request is sent.
import type * as SmSdk from '@google-cloud/secret-manager';
import type * as Gax from 'google-gax';
import { AppError } from '../../../shared/errors';
import { StoreAuthError } from '../store-errors';
import type { GcpEndpoint } from './gcp-options';

export type SecretManagerClient = SmSdk.SecretManagerServiceClient;

/** The audience of the credentials' self-signed JWTs (as gax asks for them). */
const SERVICE_URL = 'https://secretmanager.googleapis.com/';

export interface GcpClientSettings {
  readonly store: string;
  readonly endpoint: GcpEndpoint;
  readonly projectId: string | undefined;
  /** The identity's key file; undefined: application default credentials. */
  readonly keyFilename: string | undefined;
  /** Bounds the credential check and project lookup. */
  readonly timeoutMs: number;
}

export interface GcpConnection {
  readonly client: SecretManagerClient;
  readonly projectId: string;
}

type ClientOptions = NonNullable<ConstructorParameters<typeof SmSdk.SecretManagerServiceClient>[0]>;

/** The client options for an endpoint and identity; the gax instance is the one the client is built with. */
export function clientOptions(settings: GcpClientSettings, gax: typeof Gax): ClientOptions {
  const auth = settings.keyFilename !== undefined ? { keyFilename: settings.keyFilename } : {};
  const project = settings.projectId !== undefined ? { projectId: settings.projectId } : {};
  const endpoint = settings.endpoint;
  switch (endpoint.kind) {
    case 'default':
      return { ...auth, ...project };
    case 'tls':
      return { ...auth, ...project, apiEndpoint: endpoint.host, port: endpoint.port };
    case 'insecure':
      // With sslCreds given, gax sends no auth metadata; universeDomain keeps google-auth-library from probing
      // the GCE metadata server.
      return {
        apiEndpoint: endpoint.host,
        port: endpoint.port,
        sslCreds: gax.grpc.credentials.createInsecure(),
        universeDomain: 'googleapis.com',
        ...project,
      };
    default: {
      const never: never = endpoint;
      throw new AppError('INTERNAL', `unexpected endpoint ${String(never)}`);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: () => AppError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(what()), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function detailOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 300);
}

/** Loads the SDK, builds the client, checks the credentials and settles the project. */
export async function openClient(settings: GcpClientSettings): Promise<GcpConnection> {
  const [sdk, gax] = await Promise.all([import('@google-cloud/secret-manager'), import('google-gax')]);
  // The gax instance is passed in, so sslCreds come from the very grpc-js copy the client checks them against.
  const client = new sdk.SecretManagerServiceClient(clientOptions(settings, gax), gax);
  if (settings.endpoint.kind === 'insecure') {
    // parseGcpOptions requires project_id with an emulator.
    return { client, projectId: settings.projectId ?? '' };
  }
  const authFailed = (detail: string): StoreAuthError =>
    new StoreAuthError(settings.store, `no usable Google credentials: ${detail}`, {
      hint:
        settings.keyFilename !== undefined
          ? `Check the key file ${settings.keyFilename} of the store's identity (a service-account JSON key).`
          : 'Run gcloud auth application-default login, set GOOGLE_APPLICATION_CREDENTIALS to a key file, or give the store an identity of kind gcp/service-account.',
    });
  try {
    // Loads the key file or finds ADC, then makes the request headers once: a service-account key signs a JWT
    // locally (a key without its private key fails here), user credentials fetch a token (cached for the calls).
    await withTimeout(
      client.auth.getClient().then((auth) => auth.getRequestHeaders(SERVICE_URL)),
      settings.timeoutMs,
      () => authFailed(`getting credentials took over ${settings.timeoutMs} ms`),
    );
  } catch (e) {
    await client.close().catch(() => undefined);
    throw e instanceof AppError ? e : authFailed(detailOf(e));
  }
  if (settings.projectId !== undefined) return { client, projectId: settings.projectId };
  try {
    const projectId = await withTimeout(
      client.getProjectId(),
      settings.timeoutMs,
      () => new AppError('CONFIG', 'timed out'),
    );
    return { client, projectId };
  } catch (e) {
    await client.close().catch(() => undefined);
    throw new AppError(
      'CONFIG',
      `store "${settings.store}" (gcp/secretmanager) sets no options.project_id, and the credentials name no project: ${detailOf(e)}`,
      { hint: 'Set options.project_id on the store, or GOOGLE_CLOUD_PROJECT.' },
    );
  }
}
