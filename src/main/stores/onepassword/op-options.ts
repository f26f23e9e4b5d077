// The options of a `onepassword` store, validated (unknown options refused, naming the file), and the choice of
// backend: `mode: auto` (default) uses Connect when its host and token are both present (options, else
// OP_CONNECT_HOST / OP_CONNECT_TOKEN, else the keychain token), otherwise the service account (`token`, else
// OP_SERVICE_ACCOUNT_TOKEN, else the keychain). The choice comes with a sentence saying why, for the app.
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { StoreConfig } from '../store-config';
import type { OpMode } from './op-backend';

export const DEFAULT_OP_TIMEOUT_MS = 30_000;

const optionsSchema = z.strictObject({
  mode: z.enum(['auto', 'connect', 'service-account']).optional(),
  /** Service-account token (usually `!env OP_SERVICE_ACCOUNT_TOKEN`). */
  token: z.string().min(1).optional(),
  connect_host: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://connect.example.com' })
    .optional(),
  connect_token: z.string().min(1).optional(),
  /** The default vault for vault-relative references. */
  vault: z.string().min(1).optional(),
  timeout_seconds: z.number().positive().max(600).optional(),
});

export interface OpStoreOptions {
  readonly mode: 'auto' | OpMode;
  readonly token: string | undefined;
  readonly connectHost: string | undefined;
  readonly connectToken: string | undefined;
  readonly vault: string | undefined;
  readonly timeoutMs: number;
}

export function parseOpOptions(config: StoreConfig): OpStoreOptions {
  const parsed = optionsSchema.safeParse(config.options);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) =>
        i.code === 'unrecognized_keys'
          ? `unknown option(s) ${i.keys.join(', ')} (known: ${Object.keys(optionsSchema.shape).join(', ')})`
          : `options.${i.path.join('.')}: ${i.message}`,
      )
      .join('; ');
    throw new AppError('CONFIG', `store "${config.name}" (onepassword) has invalid options: ${detail}`, {
      location: config.location,
    });
  }
  const o = parsed.data;
  return {
    mode: o.mode ?? 'auto',
    token: o.token,
    connectHost: o.connect_host,
    connectToken: o.connect_token,
    vault: o.vault,
    timeoutMs: o.timeout_seconds !== undefined ? Math.round(o.timeout_seconds * 1000) : DEFAULT_OP_TIMEOUT_MS,
  };
}

/** Where a credential came from, for messages and the app (never the credential itself). */
export type OpCredentialSource = `options.${string}` | `${string} (environment)` | 'OS keychain';

export interface OpCredentials {
  readonly connectHost: { value: string; source: OpCredentialSource } | undefined;
  readonly connectToken: { value: string; source: OpCredentialSource } | undefined;
  readonly serviceToken: { value: string; source: OpCredentialSource } | undefined;
}

export interface OpModeChoice {
  readonly mode: OpMode;
  /** Why, in one sentence (shown on the Stores page). */
  readonly reason: string;
}

/** Picks the backend from the option and the credentials present (no call is made). */
export function chooseOpMode(mode: OpStoreOptions['mode'], creds: OpCredentials): OpModeChoice {
  switch (mode) {
    case 'connect':
      return { mode: 'connect', reason: 'mode: connect is set' };
    case 'service-account':
      return { mode: 'service-account', reason: 'mode: service-account is set' };
    case 'auto': {
      const host = creds.connectHost;
      const token = creds.connectToken;
      if (host && token) {
        return {
          mode: 'connect',
          reason: `mode: auto, and a Connect host (${host.source}) and token (${token.source}) are present`,
        };
      }
      const missing = [host ? undefined : 'host', token ? undefined : 'token'].filter((m) => m !== undefined);
      return {
        mode: 'service-account',
        reason: `mode: auto, and no Connect ${missing.join(' or ')} is set (connect_host/OP_CONNECT_HOST, connect_token/OP_CONNECT_TOKEN)`,
      };
    }
    default:
      return mode satisfies never;
  }
}
