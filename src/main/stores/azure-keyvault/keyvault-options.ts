// The options of an `azure/keyvault` store in atmos.yaml, validated (Atmos' names where Atmos has them). Unknown
// options are refused: a typo must not silently change where secrets go or how we authenticate.
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { optionIssues } from '../option-issues';
import type { StoreConfig } from '../store-config';

export const DEFAULT_KEYVAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_KEYVAULT_MAX_ATTEMPTS = 4;
/** Reads in flight at once for getMany/statusMany (Key Vault has no batch read). */
export const DEFAULT_KEYVAULT_CONCURRENCY = 8;

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://my-vault.vault.azure.net/' });

const optionsSchema = z.strictObject({
  /** https://<vault>.vault.azure.net/ */
  vault_url: url.optional(),
  /** Another vault URL for local/test endpoints (an emulator); wins over vault_url, as in Atmos. */
  endpoint: url.optional(),
  prefix: z.string().optional(),
  stack_delimiter: z.string().optional(),
  /**
   * The SDK checks that the vault's host ends with the challenge's resource host (vault.azure.net); a loopback
   * or custom-domain vault fails that check. Default: off for loopback hosts, on for every other host.
   */
  disable_challenge_resource_verification: z.boolean().optional(),
  /** Atmos' names for "this endpoint is plain http": either permits an http:// vault URL (a local emulator). */
  endpoint_insecure: z.boolean().optional(),
  insecure_allow_credential_with_http: z.boolean().optional(),
  /** An emulator that takes any bearer token: send a fixed placeholder token, never a real credential. */
  without_authentication: z.boolean().optional(),
  /** A service principal; each falls back to AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET. */
  tenant_id: z.string().min(1).optional(),
  client_id: z.string().min(1).optional(),
  /** Usually `!env SOME_VAR`: a secret in atmos.yaml itself would sit in git. */
  client_secret: z.string().min(1).optional(),
  /** Per attempt. */
  timeout_ms: z.number().int().min(100).max(600_000).optional(),
  /** Attempts in all on throttling, 5xx and dropped connections. */
  max_attempts: z.number().int().min(1).max(10).optional(),
  /** Reads in flight at once for a batch. */
  concurrency: z.number().int().min(1).max(64).optional(),
});

export interface KeyVaultOptions {
  /** The vault URL without a trailing slash, e.g. https://my-vault.vault.azure.net */
  readonly vaultUrl: string;
  readonly prefix: string | undefined;
  readonly stackDelimiter: string | undefined;
  readonly allowInsecureConnection: boolean;
  readonly disableChallengeResourceVerification: boolean;
  readonly withoutAuthentication: boolean;
  readonly tenantId: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly concurrency: number;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** The Key Vault domains of the Azure clouds, which the SDK's challenge resource check accepts. */
const KEYVAULT_DOMAINS = [
  'vault.azure.net',
  'vault.azure.cn',
  'vault.usgovcloudapi.net',
  'vault.microsoftazure.de',
  'managedhsm.azure.net',
];

/**
 * The hint for a vault the SDK's challenge resource check will refuse (a host outside the Key Vault domains, with
 * the check on), or undefined.
 */
export function challengeCheckHint(o: KeyVaultOptions): string | undefined {
  if (o.disableChallengeResourceVerification) return undefined;
  const host = new URL(o.vaultUrl).hostname.toLowerCase();
  if (KEYVAULT_DOMAINS.some((d) => host.endsWith(`.${d}`))) return undefined;
  return (
    `${host} is not under a Key Vault domain (${KEYVAULT_DOMAINS[0]}, ...), so the SDK refuses the vault's challenge: ` +
    'for a custom name or an emulator set options.disable_challenge_resource_verification: true.'
  );
}

export function parseKeyVaultOptions(config: StoreConfig): KeyVaultOptions {
  const where = `store "${config.name}" (azure/keyvault)`;
  const parsed = optionsSchema.safeParse(config.options);
  if (!parsed.success) {
    const detail = optionIssues(parsed.error);
    throw new AppError('CONFIG', `${where} has invalid options: ${detail}`, {
      location: config.location,
      hint: `Options of azure/keyvault: ${Object.keys(optionsSchema.shape).sort().join(', ')}.`,
    });
  }
  const o = parsed.data;
  const raw = o.endpoint ?? o.vault_url;
  if (raw === undefined) {
    throw new AppError('CONFIG', `${where} needs options.vault_url, the vault's URL`, {
      location: config.location,
      hint: 'e.g. vault_url: https://my-vault.vault.azure.net/',
    });
  }
  const u = new URL(raw);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search !== '' || u.hash !== '' || u.username || u.password) {
    throw new AppError('CONFIG', `${where}: the vault URL ${u.origin}${u.pathname} must be the vault's address alone`, {
      location: config.location,
      hint: 'Give only scheme, host and port, e.g. https://my-vault.vault.azure.net/ (no path, query or user).',
    });
  }
  const allowInsecureConnection = o.endpoint_insecure === true || o.insecure_allow_credential_with_http === true;
  if (u.protocol === 'http:' && !allowInsecureConnection) {
    throw new AppError(
      'CONFIG',
      `${where} has a plain http vault URL (${u.origin}), which would send tokens and values unencrypted`,
      {
        location: config.location,
        hint: 'Use https, or for a local emulator set options.endpoint_insecure: true.',
      },
    );
  }
  if (o.without_authentication === true && (config.identity !== undefined || o.client_secret !== undefined)) {
    throw new AppError('CONFIG', `${where} sets without_authentication together with credentials`, {
      location: config.location,
      hint: 'without_authentication is for emulators that take any token; remove it, or remove identity/client_secret.',
    });
  }
  return {
    vaultUrl: u.origin,
    prefix: o.prefix,
    stackDelimiter: o.stack_delimiter,
    allowInsecureConnection,
    disableChallengeResourceVerification: o.disable_challenge_resource_verification ?? isLoopbackHost(u.hostname),
    withoutAuthentication: o.without_authentication === true,
    tenantId: o.tenant_id,
    clientId: o.client_id,
    clientSecret: o.client_secret,
    timeoutMs: o.timeout_ms ?? DEFAULT_KEYVAULT_TIMEOUT_MS,
    maxAttempts: o.max_attempts ?? DEFAULT_KEYVAULT_MAX_ATTEMPTS,
    concurrency: o.concurrency ?? DEFAULT_KEYVAULT_CONCURRENCY,
  };
}
