// An in-memory stand-in for the 1Password SDK's `Client` (service-account mode), at the narrowest interface the
// adapter uses (OpSdkClient: items.create/getAll/put/delete/list, vaults.list), typed with the SDK's own exported
// types. The SDK's protocol runs inside WASM with no endpoint override, so no HTTP emulator is possible
// (backends-wire.md §7). It follows the SDK's documented behaviour: getAll answers per item with
// `{content}` or `{error: {type: "itemNotFound"}}`, put replaces the whole item, list returns overviews.
import { randomBytes } from 'node:crypto';
import {
  RateLimitExceededError,
  VaultType,
  type Item,
  type ItemCreateParams,
  type ItemOverview,
  type ItemsGetAllResponse,
  type VaultOverview,
} from '@1password/sdk';
import type { OpSdkClient } from '../../../../src/main/stores/onepassword';
import { connectId } from './index';

export type SdkFakeOperation =
  'vaults.list' | 'items.list' | 'items.getAll' | 'items.create' | 'items.put' | 'items.delete';

export class SdkFake implements OpSdkClient {
  private readonly vaultList: VaultOverview[];
  private readonly store = new Map<string, Map<string, Item>>();
  private readonly counts = new Map<SdkFakeOperation, number>();
  private readonly faults: Error[] = [];

  constructor(vaultNames: readonly string[] = ['Infra']) {
    this.vaultList = vaultNames.map((title) => ({
      id: connectId(),
      title,
      description: '',
      vaultType: VaultType.UserCreated,
      activeItemCount: 0,
      contentVersion: 1,
      attributeVersion: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
    }));
    for (const v of this.vaultList) this.store.set(v.id, new Map());
  }

  /** The next call throws the SDK's rate-limit error. */
  throttleNext(): void {
    this.faults.push(new RateLimitExceededError('rate limit exceeded'));
  }

  /** The next call throws `error` (e.g. the SDK's AuthExpiredError). */
  failNext(error: Error): void {
    this.faults.push(error);
  }

  calls(op?: SdkFakeOperation): number {
    return op === undefined ? [...this.counts.values()].reduce((a, b) => a + b, 0) : (this.counts.get(op) ?? 0);
  }

  itemsOf(vaultTitle: string): Item[] {
    const v = this.vaultList.find((x) => x.title === vaultTitle);
    return v ? [...(this.store.get(v.id)?.values() ?? [])] : [];
  }

  private enter(op: SdkFakeOperation): void {
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    const fault = this.faults.shift();
    if (fault) throw fault;
  }

  private vault(vaultId: string): Map<string, Item> {
    const v = this.store.get(vaultId);
    // The SDK's own words are unverified (backends-wire.md §7): a plain Error, as the SDK throws.
    if (!v) throw new Error(`vault ${vaultId} not found or not accessible`);
    return v;
  }

  readonly vaults = {
    list: async (): Promise<VaultOverview[]> => {
      this.enter('vaults.list');
      return this.vaultList.map((v) => ({ ...v }));
    },
  };

  readonly items = {
    list: async (vaultId: string): Promise<ItemOverview[]> => {
      this.enter('items.list');
      return [...this.vault(vaultId).values()].map((i) => ({
        id: i.id,
        title: i.title,
        category: i.category,
        vaultId: i.vaultId,
        websites: i.websites,
        tags: i.tags,
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
        state: 'active' as ItemOverview['state'],
      }));
    },
    getAll: async (vaultId: string, itemIds: string[]): Promise<ItemsGetAllResponse> => {
      this.enter('items.getAll');
      const v = this.vault(vaultId);
      return {
        individualResponses: itemIds.map((id) => {
          const item = v.get(id);
          return item ? { content: structuredClone(item) } : { error: { type: 'itemNotFound' as const } };
        }),
      };
    },
    create: async (params: ItemCreateParams): Promise<Item> => {
      this.enter('items.create');
      const v = this.vault(params.vaultId);
      const now = new Date();
      const item: Item = {
        id: connectId(),
        title: params.title,
        category: params.category,
        vaultId: params.vaultId,
        fields: (params.fields ?? []).map((f) => ({ ...f, id: f.id || randomBytes(8).toString('hex') })),
        sections: params.sections ?? [],
        notes: params.notes ?? '',
        tags: params.tags ?? [],
        websites: params.websites ?? [],
        version: 1,
        files: [],
        createdAt: now,
        updatedAt: now,
      };
      v.set(item.id, item);
      return structuredClone(item);
    },
    put: async (item: Item): Promise<Item> => {
      this.enter('items.put');
      const v = this.vault(item.vaultId);
      const old = v.get(item.id);
      if (!old) throw new Error(`item ${item.id} not found`);
      for (const f of item.fields) {
        if (f.sectionId !== undefined && !item.sections.some((s) => s.id === f.sectionId)) {
          throw new Error(`field ${f.id} is in section ${f.sectionId}, which the item does not have`);
        }
      }
      const next: Item = { ...structuredClone(item), version: old.version + 1, updatedAt: new Date() };
      v.set(item.id, next);
      return structuredClone(next);
    },
    delete: async (vaultId: string, itemId: string): Promise<void> => {
      this.enter('items.delete');
      const v = this.vault(vaultId);
      if (!v.delete(itemId)) throw new Error(`item ${itemId} not found`);
    },
  };
}
