// The service-account backend: `@1password/sdk` (WASM, loaded with import() on first use). Its protocol runs
// inside the WASM core with no endpoint override, so tests inject an in-memory client typed by `OpSdkClient`, the
// narrowest slice of the SDK's own `Client` this backend uses (the real client satisfies it structurally).
import type * as SdkModule from '@1password/sdk';
import type {
  Item,
  ItemCreateParams,
  ItemListFilter,
  ItemOverview,
  ItemsGetAllResponse,
  VaultListParams,
  VaultOverview,
} from '@1password/sdk';
import { OpBackendError, type OpBackend, type OpField, type OpItem, type OpSection } from './op-backend';
import { newOpId } from './op-ids';

type Sdk = typeof SdkModule;

/** The parts of the SDK's `Client` the backend calls. */
export interface OpSdkClient {
  readonly items: {
    create(params: ItemCreateParams): Promise<Item>;
    getAll(vaultId: string, itemIds: string[]): Promise<ItemsGetAllResponse>;
    put(item: Item): Promise<Item>;
    delete(vaultId: string, itemId: string): Promise<void>;
    list(vaultId: string, ...filters: ItemListFilter[]): Promise<ItemOverview[]>;
  };
  readonly vaults: {
    list(params?: VaultListParams): Promise<VaultOverview[]>;
  };
}

/** Any SDK failure, typed by the SDK's error classes. */
export function toSdkFailure(
  e: unknown,
  sdk: Pick<Sdk, 'RateLimitExceededError' | 'AuthExpiredError'>,
): OpBackendError {
  if (e instanceof OpBackendError) return e;
  // The SDK's rate-limit error carries no wait; service accounts' limits are hourly.
  if (e instanceof sdk.RateLimitExceededError) return new OpBackendError('throttled', e.message, { status: 429 });
  if (e instanceof sdk.AuthExpiredError) return new OpBackendError('auth', e.message, { status: 401 });
  return new OpBackendError('other', e instanceof Error ? e.message : 'the 1Password SDK call failed');
}

function fromSdkItem(item: Item): OpItem {
  return {
    id: item.id,
    vaultId: item.vaultId,
    title: item.title,
    sections: item.sections.map((s) => ({ id: s.id, label: s.title })),
    fields: item.fields.map((f) => ({ id: f.id, label: f.title, sectionId: f.sectionId, value: f.value })),
    native: item,
  };
}

export function sdkBackend(client: OpSdkClient, sdk: Sdk): OpBackend {
  const call = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      throw toSdkFailure(e, sdk);
    }
  };
  /** Item ids for titles (or ids), from one listing of the vault. */
  const idsOf = async (vaultId: string, items: readonly string[]): Promise<(string | undefined)[]> => {
    const overviews = await call(() => client.items.list(vaultId));
    return items.map((wanted) => {
      const byId = overviews.find((o) => o.id === wanted);
      if (byId) return byId.id;
      const byTitle = overviews.filter((o) => o.title === wanted);
      if (byTitle.length > 1) {
        throw new OpBackendError(
          'other',
          `more than one item is titled "${wanted}"; use the item's ID in the reference`,
        );
      }
      return byTitle[0]?.id;
    });
  };
  const getItems = async (vaultId: string, items: readonly string[]): Promise<(OpItem | undefined)[]> => {
    const ids = await idsOf(vaultId, items);
    const wanted = [...new Set(ids.filter((id): id is string => id !== undefined))];
    const byId = new Map<string, OpItem>();
    if (wanted.length > 0) {
      const response = await call(() => client.items.getAll(vaultId, wanted));
      for (const r of response.individualResponses) {
        if (r.content) byId.set(r.content.id, fromSdkItem(r.content));
        else if (r.error?.type === 'internal') throw new OpBackendError('other', r.error.message);
      }
    }
    return ids.map((id) => (id === undefined ? undefined : byId.get(id)));
  };
  return {
    mode: 'service-account',
    async listVaults() {
      const vaults = await call(() => client.vaults.list());
      return vaults.map((v) => ({ id: v.id, title: v.title }));
    },
    async listItems(vaultId) {
      const overviews = await call(() => client.items.list(vaultId));
      return overviews.map((o) => ({ id: o.id, title: o.title, updatedAt: o.updatedAt }));
    },
    async getItem(vaultId, item) {
      const [found] = await getItems(vaultId, [item]);
      return found;
    },
    getItems,
    async createItem(n) {
      const sectionId = n.section === undefined ? undefined : newOpId();
      await call(() =>
        client.items.create({
          category: sdk.ItemCategory.ApiCredentials,
          vaultId: n.vaultId,
          title: n.title,
          sections: sectionId === undefined || n.section === undefined ? [] : [{ id: sectionId, title: n.section }],
          fields: [
            {
              id: newOpId(),
              title: n.field,
              fieldType: sdk.ItemFieldType.Concealed,
              value: n.value,
              ...(sectionId === undefined ? {} : { sectionId }),
            },
          ],
        }),
      );
    },
    async updateItem(item: OpItem, sections: readonly OpSection[], fields: readonly OpField[]) {
      const native = item.native as Item;
      const before = new Map(native.fields.map((f) => [f.id, f]));
      const next: Item = {
        ...native,
        sections: sections.map((s) => ({ id: s.id, title: s.label })),
        fields: fields.map((f) => {
          const old = before.get(f.id);
          const id = f.id === '' ? newOpId() : f.id;
          const base = old ?? { id, title: f.label, fieldType: sdk.ItemFieldType.Concealed, value: f.value };
          return { ...base, id, title: f.label, value: f.value, sectionId: f.sectionId };
        }),
      };
      await call(() => client.items.put(next));
    },
    async deleteItem(vaultId, itemId) {
      await call(() => client.items.delete(vaultId, itemId));
    },
  };
}

/** The real service-account backend: authenticates at once (a malformed token fails offline). */
export async function loadSdkBackend(token: string, integrationVersion: string): Promise<OpBackend> {
  const sdk = await import('@1password/sdk');
  let client: OpSdkClient;
  try {
    client = await sdk.createClient({ auth: token, integrationName: 'Atmos Secrets', integrationVersion });
  } catch (e) {
    const failure = toSdkFailure(e, sdk);
    // createClient fails only on authentication (a malformed, revoked or expired token) or the network.
    throw failure.kind === 'other' ? new OpBackendError('auth', failure.message) : failure;
  }
  return sdkBackend(client, sdk);
}
