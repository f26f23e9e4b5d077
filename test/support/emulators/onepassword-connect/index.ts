// A loopback 1Password Connect server emulator: the REST API of Connect's OpenAPI spec (v1.7.1; backends-wire.md
// §6) on 127.0.0.1, spoken to by the real `@1password/connect` client unmodified.
//  - Routes: GET /v1/vaults (optional `filter=name eq "..."`), GET /v1/vaults/{id}, GET /v1/vaults/{id}/items
//    (optional `filter=title eq "..."`; with or without the trailing slash, as the SDK sends both), POST
//    /v1/vaults/{id}/items, GET/PUT/DELETE /v1/vaults/{id}/items/{itemId}, GET /health.
//  - Ids are 26 lowercase letters and digits: the client treats such a string as an id and anything else as a title.
//  - Errors are Connect's `{status, message}` bodies: 401 "Invalid token signature" (missing or wrong token),
//    403 "vault {id} is not in scope" (a vault the token was not granted), 404 "vault/item {id} not found",
//    400 "Invalid item category" (CUSTOM, DOCUMENT or unknown), 429 with Retry-After (a queued fault).
//  - Item overviews (lists) carry no fields; a full item does. Every request is logged (method, path, status;
//    never a token or a body) and counted by operation.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLoopback, readBodyCapped, sendJson } from '../http-util';

export type ConnectOperation =
  'listVaults' | 'getVault' | 'listItems' | 'getItem' | 'createItem' | 'updateItem' | 'deleteItem';
export type ConnectFault = { status: 429; retryAfterSeconds: number } | { status: 500 | 503 };

export interface ConnectVault {
  readonly id: string;
  readonly name: string;
}

export interface ConnectEmulatorOptions {
  /** Vault names to create (default: ["Infra"]). */
  readonly vaults?: readonly string[];
  /** Vault names the token may NOT see (they exist, answer 403, and are not listed). */
  readonly outOfScope?: readonly string[];
}

export interface ConnectRequestLog {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface ConnectEmulator {
  readonly url: string;
  readonly token: string;
  vault(name: string): ConnectVault;
  /** The stored full item (JSON as the server holds it), by vault name and title. */
  item(vaultName: string, title: string): StoredItem | undefined;
  items(vaultName: string): StoredItem[];
  /** Queues a fault answered by the next request (of `op`, or any). */
  fail(fault: ConnectFault, op?: ConnectOperation): void;
  calls(op?: ConnectOperation): number;
  readonly requests: ConnectRequestLog[];
  stop(): Promise<void>;
}

export interface StoredField {
  id: string;
  type: string;
  purpose?: string;
  label?: string;
  value?: string;
  section?: { id: string };
}

export interface StoredItem {
  id: string;
  title: string;
  vault: { id: string };
  category: string;
  version: number;
  sections: { id: string; label?: string }[];
  fields: StoredField[];
  tags: string[];
  urls: unknown[];
  createdAt: string;
  updatedAt: string;
  lastEditedBy: string;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function connectId(): string {
  let id = '';
  for (const b of randomBytes(26)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

const CREATABLE = new Set([
  'LOGIN',
  'PASSWORD',
  'API_CREDENTIAL',
  'SERVER',
  'DATABASE',
  'CREDIT_CARD',
  'MEMBERSHIP',
  'PASSPORT',
  'SOFTWARE_LICENSE',
  'OUTDOOR_LICENSE',
  'SECURE_NOTE',
  'WIRELESS_ROUTER',
  'BANK_ACCOUNT',
  'DRIVER_LICENSE',
  'IDENTITY',
  'REWARD_PROGRAM',
  'EMAIL_ACCOUNT',
  'SOCIAL_SECURITY_NUMBER',
]);
const FIELD_TYPES = new Set(['STRING', 'EMAIL', 'CONCEALED', 'URL', 'OTP', 'TOTP', 'DATE', 'MONTH_YEAR', 'MENU']);
const MAX_BODY = 4 * 1024 * 1024;

/** `title eq "x"` / `name eq "x"`: the value, or undefined for another filter. */
function eqFilter(filter: string | null, key: string): string | undefined {
  if (filter === null) return undefined;
  const m = new RegExp(`^${key} eq "(.*)"$`).exec(filter);
  return m?.[1];
}

export async function start(options: ConnectEmulatorOptions = {}): Promise<ConnectEmulator> {
  const token = `connect-${randomBytes(16).toString('hex')}`;
  const vaults = new Map<string, ConnectVault & { items: Map<string, StoredItem> }>();
  const outOfScope = new Set<string>();
  for (const name of [...(options.vaults ?? ['Infra']), ...(options.outOfScope ?? [])]) {
    const v = { id: connectId(), name, items: new Map<string, StoredItem>() };
    vaults.set(v.id, v);
    if (options.outOfScope?.includes(name)) outOfScope.add(v.id);
  }
  const faults: { fault: ConnectFault; op: ConnectOperation | undefined }[] = [];
  const counts = new Map<ConnectOperation, number>();
  const requests: ConnectRequestLog[] = [];

  const vaultByName = (name: string): ConnectVault & { items: Map<string, StoredItem> } => {
    const v = [...vaults.values()].find((x) => x.name === name);
    if (!v) throw new Error(`emulator: no vault ${name}`);
    return v;
  };
  const err = (status: number, message: string): [number, unknown] => [status, { status, message }];
  const vaultJson = (v: ConnectVault & { items: Map<string, StoredItem> }): unknown => ({
    id: v.id,
    name: v.name,
    type: 'USER_CREATED',
    items: v.items.size,
    attributeVersion: 1,
    contentVersion: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  });
  const overview = (i: StoredItem): unknown => {
    const { fields: _f, sections: _s, ...rest } = i;
    return rest;
  };

  /** Checks and completes an item body; an error reply when it is not one Connect accepts. */
  const normalise = (
    body: unknown,
    vaultId: string,
    existing: StoredItem | undefined,
  ): StoredItem | [number, unknown] => {
    if (typeof body !== 'object' || body === null) return err(400, 'Invalid request body');
    const b = body as Partial<StoredItem>;
    if (typeof b.category !== 'string' || !CREATABLE.has(b.category)) return err(400, 'Invalid item category');
    if (b.vault?.id !== vaultId) return err(400, "Item's vault does not match the request");
    const sections = (b.sections ?? []).map((s) => ({ ...s, id: s.id || connectId() }));
    const fields: StoredField[] = [];
    for (const f of b.fields ?? []) {
      if (typeof f.type !== 'string' || !FIELD_TYPES.has(f.type))
        return err(400, `Invalid field type ${String(f.type)}`);
      if (f.section && !sections.some((s) => s.id === f.section?.id)) {
        return err(400, `Field references section ${f.section.id} which does not exist`);
      }
      fields.push({ ...f, id: f.id || connectId() });
    }
    const now = new Date().toISOString();
    return {
      id: existing?.id ?? connectId(),
      title: b.title ?? '',
      vault: { id: vaultId },
      category: b.category,
      version: (existing?.version ?? 0) + 1,
      sections,
      fields,
      tags: b.tags ?? [],
      urls: b.urls ?? [],
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastEditedBy: 'EMULATORUSER',
    };
  };

  async function route(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ op?: ConnectOperation; answer: [number, unknown]; headers?: Record<string, string> }> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/health' || path === '/heartbeat') return { answer: [200, { name: '1Password Connect API' }] };
    if (req.headers.authorization !== `Bearer ${token}`) return { answer: err(401, 'Invalid token signature') };
    const parts = path.split('/').filter((p, i, all) => p !== '' || i === all.length - 1);
    // ['', 'v1', 'vaults', vid?, 'items'?, itemId?] with a trailing '' when the path ends with '/'.
    if (parts[0] !== 'v1' || parts[1] !== 'vaults') return { answer: err(404, 'Not found') };
    const rest = parts.slice(2).filter((p) => p !== '');
    let op: ConnectOperation | undefined;
    if (rest.length === 0 && method === 'GET') op = 'listVaults';
    else if (rest.length === 1 && method === 'GET') op = 'getVault';
    else if (rest.length === 2 && rest[1] === 'items' && method === 'GET') op = 'listItems';
    else if (rest.length === 2 && rest[1] === 'items' && method === 'POST') op = 'createItem';
    else if (rest.length === 3 && rest[1] === 'items' && method === 'GET') op = 'getItem';
    else if (rest.length === 3 && rest[1] === 'items' && method === 'PUT') op = 'updateItem';
    else if (rest.length === 3 && rest[1] === 'items' && method === 'DELETE') op = 'deleteItem';
    if (op === undefined) return { answer: err(404, `no route ${method} ${path}`) };
    counts.set(op, (counts.get(op) ?? 0) + 1);
    const faultAt = faults.findIndex((f) => f.op === undefined || f.op === op);
    if (faultAt >= 0) {
      const fault = (faults.splice(faultAt, 1)[0] as { fault: ConnectFault }).fault;
      if (fault.status === 429) {
        return {
          op,
          answer: err(429, 'Too many requests'),
          headers: { 'retry-after': String(fault.retryAfterSeconds) },
        };
      }
      return { op, answer: err(fault.status, 'Internal server error') };
    }
    if (op === 'listVaults') {
      const name = eqFilter(url.searchParams.get('filter'), 'name');
      const visible = [...vaults.values()].filter(
        (v) => !outOfScope.has(v.id) && (name === undefined || v.name === name),
      );
      return { op, answer: [200, visible.map(vaultJson)] };
    }
    const vaultId = rest[0] ?? '';
    const vault = vaults.get(vaultId);
    if (!vault) return { op, answer: err(404, `vault ${vaultId} not found`) };
    if (outOfScope.has(vaultId)) return { op, answer: err(403, `vault ${vaultId} is not in scope`) };
    switch (op) {
      case 'getVault':
        return { op, answer: [200, vaultJson(vault)] };
      case 'listItems': {
        const title = eqFilter(url.searchParams.get('filter'), 'title');
        const list = [...vault.items.values()].filter((i) => title === undefined || i.title === title);
        return { op, answer: [200, list.map(overview)] };
      }
      case 'createItem':
      case 'updateItem': {
        const raw = await readBodyCapped(req, MAX_BODY);
        if (raw === 'too-large') return { op, answer: err(413, 'Request body too large') };
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return { op, answer: err(400, 'Invalid JSON') };
        }
        let existing: StoredItem | undefined;
        if (op === 'updateItem') {
          existing = vault.items.get(rest[2] ?? '');
          if (!existing) return { op, answer: err(404, `item ${rest[2] ?? ''} not found`) };
          if ((body as { id?: unknown }).id !== existing.id)
            return { op, answer: err(400, "Item's id does not match the path") };
        }
        const item = normalise(body, vaultId, existing);
        if (Array.isArray(item)) return { op, answer: item };
        vault.items.set(item.id, item);
        return { op, answer: [200, item] };
      }
      case 'getItem': {
        const item = vault.items.get(rest[2] ?? '');
        return { op, answer: item ? [200, item] : err(404, `item ${rest[2] ?? ''} not found`) };
      }
      case 'deleteItem': {
        const id = rest[2] ?? '';
        if (!vault.items.delete(id)) return { op, answer: err(404, `item ${id} not found`) };
        return { op, answer: [204, undefined] };
      }
      default:
        return { op, answer: err(404, 'Not found') };
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    route(req, url)
      .then(({ answer: [status, body], headers }) => {
        requests.push({ method: req.method ?? '', path: url.pathname, status });
        if (status === 204) {
          res.writeHead(204);
          res.end();
        } else {
          sendJson(res, status, body, headers);
        }
      })
      .catch(() => {
        requests.push({ method: req.method ?? '', path: url.pathname, status: 500 });
        sendJson(res, 500, { status: 500, message: 'emulator error' });
      });
  });
  const port = await listenLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    vault: (name) => {
      const v = vaultByName(name);
      return { id: v.id, name: v.name };
    },
    item: (vaultName, title) => [...vaultByName(vaultName).items.values()].find((i) => i.title === title),
    items: (vaultName) => [...vaultByName(vaultName).items.values()],
    fail: (fault, op) => {
      faults.push({ fault, op });
    },
    calls: (op) => (op === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(op) ?? 0)),
    requests,
    stop: () => closeServer(server),
  };
}
