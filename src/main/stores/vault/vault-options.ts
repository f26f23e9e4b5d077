// The options of a `hashicorp/vault` store in atmos.yaml, validated. Unknown options are refused (a typo such
// as `namspace:` must not silently send requests to the root namespace).
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { optionIssues } from '../option-issues';
import type { StoreConfig } from '../store-config';

/** What every call waits at most, unless `timeout_seconds` says otherwise. */
export const DEFAULT_VAULT_TIMEOUT_MS = 15_000;
/** Vault's own default address (the Vault CLI and node-vault use it too). */
export const DEFAULT_VAULT_ADDR = 'http://127.0.0.1:8200';

const optionsSchema = z.strictObject({
  /** Vault's address, e.g. https://vault.example.com:8200. `address` is accepted as another name for it. */
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://vault.example.com:8200' })
    .optional(),
  address: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://vault.example.com:8200' })
    .optional(),
  /** Usually `!env VAULT_TOKEN`; absent: VAULT_TOKEN, then the OS keychain. */
  token: z.string().min(1).optional(),
  /** Vault Enterprise namespace, sent as X-Vault-Namespace; absent: VAULT_NAMESPACE. */
  namespace: z.string().optional(),
  /** The KV v2 mount; `path` is Atmos' older name for it. */
  mount: z.string().optional(),
  path: z.string().optional(),
  prefix: z.string().optional(),
  stack_delimiter: z.string().optional(),
  timeout_seconds: z.number().positive().max(600).optional(),
  /** A PEM file of the CA that signed Vault's certificate (absolute path); absent: VAULT_CACERT. */
  ca_cert: z.string().min(1).optional(),
});

export interface VaultStoreOptions {
  readonly url: string | undefined;
  readonly token: string | undefined;
  readonly namespace: string | undefined;
  readonly mount: string;
  readonly prefix: string | undefined;
  readonly stackDelimiter: string | undefined;
  readonly timeoutMs: number;
  readonly caCert: string | undefined;
}

export function parseVaultOptions(config: StoreConfig): VaultStoreOptions {
  const where = `store "${config.name}" (hashicorp/vault)`;
  const parsed = optionsSchema.safeParse(config.options);
  if (!parsed.success) {
    const detail = optionIssues(parsed.error, Object.keys(optionsSchema.shape));
    throw new AppError('CONFIG', `${where} has invalid options: ${detail}`, { location: config.location });
  }
  const o = parsed.data;
  if (o.url !== undefined && o.address !== undefined && o.url !== o.address) {
    throw new AppError('CONFIG', `${where} sets both options.url and options.address, to different values`, {
      location: config.location,
      hint: 'Keep one of them.',
    });
  }
  if (o.mount !== undefined && o.path !== undefined && o.mount !== o.path) {
    throw new AppError('CONFIG', `${where} sets both options.mount and options.path, to different values`, {
      location: config.location,
      hint: 'Keep options.mount (options.path is its older name).',
    });
  }
  if (o.ca_cert !== undefined && !isAbsolute(o.ca_cert)) {
    throw new AppError('CONFIG', `${where} options.ca_cert must be an absolute path; got "${o.ca_cert}"`, {
      location: config.location,
    });
  }
  const mount = (o.mount ?? o.path ?? '').replace(/^\/+|\/+$/g, '');
  if (mount === '') {
    throw new AppError('CONFIG', `${where} needs options.mount, the KV version 2 mount (e.g. "secret")`, {
      location: config.location,
    });
  }
  return {
    url: o.url ?? o.address,
    token: o.token,
    namespace: o.namespace,
    mount,
    prefix: o.prefix,
    stackDelimiter: o.stack_delimiter,
    caCert: o.ca_cert,
    timeoutMs: o.timeout_seconds !== undefined ? Math.round(o.timeout_seconds * 1000) : DEFAULT_VAULT_TIMEOUT_MS,
  };
}
