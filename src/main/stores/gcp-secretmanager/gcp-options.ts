// The options a gcp/secretmanager store takes in atmos.yaml (Atmos' GSM store options, plus endpoint, timeout and
// concurrency), validated with the store's name in every error. Unknown options are refused: a typo must not
// silently change where secrets go.
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { optionIssues } from '../option-issues';
import type { StoreConfig } from '../store-config';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_ATTEMPTS = 4;
/** Reads in flight at once for getMany/statusMany (Secret Manager has no batch read). */
export const DEFAULT_CONCURRENCY = 16;

/** A project id (6-30 lowercase letters, digits, hyphens) or a project number. */
const PROJECT = /^([a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})$/;
/** A Secret Manager location such as us-east1 or europe-west4. */
const LOCATION = /^[a-z]+(-[a-z]+)*\d*(-[a-z0-9]+)*$/;

export const gcpOptionsSchema = z.strictObject({
  /** Else the credentials' project (GOOGLE_CLOUD_PROJECT, the key file's, gcloud's): the SDK's chain. */
  project_id: z.string().regex(PROJECT, 'must be a GCP project id (such as my-project-123) or number').optional(),
  prefix: z.string().optional(),
  stack_delimiter: z.string().optional(),
  /** User-managed replication to these locations (Atmos' option); absent: automatic replication. */
  locations: z.array(z.string().regex(LOCATION, 'must be a location such as us-east1')).min(1).optional(),
  /**
   * Another endpoint: https://HOST[:PORT] (a regional or Private Service Connect endpoint: TLS and your
   * credentials), or http://127.0.0.1:PORT (an emulator on this machine: plaintext, no credentials sent).
   */
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Per attempt. */
  timeout_ms: z.number().int().min(100).max(600_000).optional(),
  /** Attempts in all on throttling and UNAVAILABLE/INTERNAL. */
  max_attempts: z.number().int().min(1).max(10).optional(),
  /** Reads in flight at once when checking many secrets. */
  concurrency: z.number().int().min(1).max(64).optional(),
});

export type GcpOptions = z.infer<typeof gcpOptionsSchema>;

/** Where the client connects: Google's default endpoint, another TLS endpoint, or a loopback emulator. */
export type GcpEndpoint =
  | { readonly kind: 'default' }
  | { readonly kind: 'tls'; readonly host: string; readonly port: number }
  | { readonly kind: 'insecure'; readonly host: string; readonly port: number };

export interface GcpSettings {
  readonly projectId: string | undefined;
  readonly prefix: string | undefined;
  readonly stackDelimiter: string | undefined;
  readonly locations: readonly string[] | undefined;
  readonly endpoint: GcpEndpoint;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly concurrency: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function configError(config: StoreConfig, detail: string, hint: string): AppError {
  return new AppError('CONFIG', `store "${config.name}" (${config.kind}) ${detail}`, {
    location: config.location,
    hint,
  });
}

function parseEndpoint(config: StoreConfig, raw: string | undefined): GcpEndpoint {
  if (raw === undefined) return { kind: 'default' };
  const url = new URL(raw);
  if (url.pathname !== '/' || url.search !== '' || url.username !== '' || url.password !== '') {
    throw configError(
      config,
      `has options.endpoint ${JSON.stringify(raw)} with a path, query or user; Secret Manager speaks gRPC to a host and port`,
      'Use https://HOST[:PORT], or http://127.0.0.1:PORT for an emulator.',
    );
  }
  if (url.protocol === 'http:') {
    // Plaintext would carry values (and, were they sent, credentials) over the network: only this machine.
    if (!LOOPBACK.has(url.hostname)) {
      throw configError(
        config,
        `has options.endpoint ${JSON.stringify(raw)}: plain http is only for an emulator on this machine`,
        'Use https:// for a remote endpoint, or http://127.0.0.1:PORT for a local emulator.',
      );
    }
    return { kind: 'insecure', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
  }
  return { kind: 'tls', host: url.hostname, port: Number(url.port || 443) };
}

/** Validates a store's options; CONFIG errors name the store, the option and the fix. */
export function parseGcpOptions(config: StoreConfig): GcpSettings {
  if (config.options['credentials'] !== undefined) {
    throw configError(
      config,
      'sets options.credentials (a service-account key in atmos.yaml), which Atmos Secrets does not use',
      `Declare an auth identity of kind gcp/service-account with credentials.key_file and set \`identity:\` on stores.${config.name}, or use application default credentials.`,
    );
  }
  const parsed = gcpOptionsSchema.safeParse(config.options);
  if (!parsed.success) {
    const detail = optionIssues(parsed.error);
    throw configError(
      config,
      `has invalid options: ${detail}`,
      `Options of ${config.kind}: ${Object.keys(gcpOptionsSchema.shape).sort().join(', ')}.`,
    );
  }
  const o = parsed.data;
  const endpoint = parseEndpoint(config, o.endpoint);
  if (endpoint.kind === 'insecure' && o.project_id === undefined) {
    throw configError(
      config,
      'points at an emulator (http endpoint) but sets no options.project_id',
      'Set options.project_id: there are no credentials to take a project from.',
    );
  }
  if (endpoint.kind === 'insecure' && config.identity !== undefined) {
    throw configError(
      config,
      `sets identity "${config.identity}" with a plain http endpoint, where no credentials are sent`,
      'Remove `identity:` for the emulator, or use an https endpoint.',
    );
  }
  return {
    projectId: o.project_id,
    prefix: o.prefix,
    stackDelimiter: o.stack_delimiter,
    locations: o.locations,
    endpoint,
    timeoutMs: o.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    maxAttempts: o.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
  };
}
