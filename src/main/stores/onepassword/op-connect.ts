// The Connect backend: `@1password/connect` (loaded with import() on first use, never at CLI start) against a
// Connect server. Its errors are plain `{status, message}` objects (the response body), turned into
// OpBackendError by status. The SDK's own HTTP client (axios) drops response headers, so a 429's Retry-After
// would be lost; we give it a small fetch-based client (its documented `httpClient` option) that keeps the wait
// and bounds the time and size of every response.
import type { FullItem, HTTPMethod, IRequestClient, ClientRequestOptions } from './connect-types';
import {
  OpBackendError,
  type OpBackend,
  type OpField,
  type OpItem,
  type OpNewItem,
  type OpSection,
  type OpVault,
} from './op-backend';
import { newSectionId } from './op-ids';
import { callSignal } from '../operation-signal';

export interface ConnectSettings {
  readonly host: string;
  readonly token: string;
  readonly timeoutMs: number;
}

/** A time as the SDK hands it over (a Date, or the JSON text when it did not convert it). */
function asDate(v: unknown): Date | undefined {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

/** A call's deadline joined with the running operation's cancellation, when there is one. */
function withCancellation(deadline: AbortSignal): AbortSignal {
  const op = callSignal();
  return op ? AbortSignal.any([op, deadline]) : deadline;
}

/** The largest response body read (a full item with many fields is far smaller). */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A fetch-based IRequestClient: rejects with `{status, message, retryAfterMs}` as the SDK's own client does. */
export class FetchRequestClient implements IRequestClient {
  readonly defaultTimeout: number;

  constructor(timeoutMs: number) {
    this.defaultTimeout = timeoutMs;
  }

  async request(
    method: HTTPMethod,
    url: string,
    opts: ClientRequestOptions,
  ): Promise<{ status: number; data: unknown }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: method.toUpperCase(),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'atmos-secrets (connect-sdk-js)',
          authorization: `Bearer ${opts.authToken}`,
        },
        body:
          opts.data === undefined ? undefined : typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data),
        // The call's time, joined with the running operation's cancellation (operation-signal.ts).
        signal: withCancellation(AbortSignal.timeout(opts.timeout ?? this.defaultTimeout)),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new OpBackendError(
        'unavailable',
        timedOut
          ? `no answer within ${Math.round(this.defaultTimeout / 1000)} s`
          : 'the Connect server cannot be reached',
      );
    }
    const text = await response.text();
    if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES) {
      throw new OpBackendError('other', `the Connect server answered with more than ${MAX_RESPONSE_BYTES} bytes`);
    }
    let data: unknown = undefined;
    if (text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
    }
    if (!response.ok) {
      const message =
        typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string'
          ? data.message
          : response.statusText;
      // A plain object, like the SDK's own client, so its callers (and ours) see one shape.
      throw { status: response.status, message, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
    }
    return { status: response.status, data };
  }
}

/** Any failure from the Connect SDK, typed by HTTP status. */
export function toConnectFailure(e: unknown): OpBackendError {
  if (e instanceof OpBackendError) return e;
  if (typeof e === 'object' && e !== null && 'status' in e && typeof e.status === 'number') {
    const message = 'message' in e && typeof e.message === 'string' ? e.message : `HTTP ${e.status}`;
    const wait = 'retryAfterMs' in e && typeof e.retryAfterMs === 'number' ? e.retryAfterMs : undefined;
    const status = e.status;
    if (status === 401) return new OpBackendError('auth', message, { status });
    if (status === 403) return new OpBackendError('forbidden', message, { status });
    if (status === 404) return new OpBackendError('not-found', message, { status });
    if (status === 429) return new OpBackendError('throttled', message, { status, retryAfterMs: wait });
    if (status >= 500) return new OpBackendError('unavailable', message, { status });
    return new OpBackendError('other', message, { status });
  }
  // A thrown Error from the SDK itself (e.g. "more than one item with that title"); its message names no value.
  return new OpBackendError('other', e instanceof Error ? e.message : 'the Connect call failed');
}

function fromFullItem(item: FullItem): OpItem {
  return {
    id: item.id ?? '',
    vaultId: item.vault.id,
    title: item.title ?? '',
    sections: (item.sections ?? []).map((s) => ({ id: s.id ?? '', label: s.label ?? '' })),
    fields: (item.fields ?? []).map((f) => ({
      id: f.id ?? '',
      label: f.label ?? '',
      sectionId: f.section?.id,
      value: f.value ?? '',
    })),
    native: item,
  };
}

export async function connectBackend(settings: ConnectSettings): Promise<OpBackend> {
  const sdk = await import('@1password/connect');
  const client = sdk.OnePasswordConnect({
    serverURL: settings.host,
    token: settings.token,
    httpClient: new FetchRequestClient(settings.timeoutMs),
  });
  const call = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      throw toConnectFailure(e);
    }
  };
  const getItem = async (vaultId: string, item: string): Promise<OpItem | undefined> => {
    try {
      return fromFullItem(await call(() => client.getItem(vaultId, item)));
    } catch (e) {
      if (e instanceof OpBackendError && e.kind === 'not-found') return undefined;
      throw e;
    }
  };
  const concealed = sdk.FieldType.Concealed;
  return {
    mode: 'connect',
    async listVaults(): Promise<OpVault[]> {
      const vaults = await call(() => client.listVaults());
      return vaults.map((v) => ({ id: v.id ?? '', title: v.name ?? '' }));
    },
    getItem,
    async listItems(vaultId) {
      const items = await call(() => client.listItems(vaultId));
      return items.map((i) => ({ id: i.id ?? '', title: i.title ?? '', updatedAt: asDate(i.updatedAt) }));
    },
    async getItems(vaultId, items) {
      // Connect has no batch read: one read per distinct item.
      const distinct = [...new Set(items)];
      const read = new Map<string, OpItem | undefined>();
      for (const title of distinct) read.set(title, await getItem(vaultId, title));
      return items.map((t) => read.get(t));
    },
    async createItem(n: OpNewItem) {
      const sectionId = n.section === undefined ? undefined : newSectionId();
      const body: FullItem = Object.assign(new sdk.FullItem(), {
        title: n.title,
        vault: { id: n.vaultId },
        category: sdk.ItemCategory.APICredential,
        sections: sectionId === undefined ? [] : [{ id: sectionId, label: n.section }],
        fields: [
          {
            type: concealed,
            label: n.field,
            value: n.value,
            ...(sectionId === undefined ? {} : { section: { id: sectionId } }),
          },
        ],
      });
      await call(() => client.createItem(n.vaultId, body));
    },
    async updateItem(item: OpItem, sections: readonly OpSection[], fields: readonly OpField[]) {
      const native = item.native as FullItem;
      const before = new Map((native.fields ?? []).map((f) => [f.id ?? '', f]));
      const body: FullItem = Object.assign(new sdk.FullItem(), native, {
        sections: sections.map((s) => ({ id: s.id, label: s.label })),
        fields: fields.map((f) => ({
          ...(before.get(f.id) ?? { type: concealed }),
          ...(f.id === '' ? {} : { id: f.id }),
          label: f.label,
          value: f.value,
          ...(f.sectionId === undefined ? {} : { section: { id: f.sectionId } }),
        })),
      });
      await call(() => client.updateItem(item.vaultId, body));
    },
    async deleteItem(vaultId, itemId) {
      await call(() => client.deleteItemById(vaultId, itemId));
    },
  };
}
