// The narrow port the 1Password store talks to, implemented twice: over a Connect server (`@1password/connect`,
// op-connect.ts) and over a service account (`@1password/sdk`, op-sdk.ts). The store (op-store.ts) owns every
// rule (which field a reference names, creating the item or field, deleting the item with its last field); a
// backend only moves whole items, so both modes behave alike by construction and tests can run one contract suite
// against both.

export type OpMode = 'connect' | 'service-account';

export interface OpVault {
  readonly id: string;
  readonly title: string;
}

export interface OpSection {
  readonly id: string;
  readonly label: string;
}

export interface OpField {
  readonly id: string;
  readonly label: string;
  /** The section's id, when the field is in one. */
  readonly sectionId: string | undefined;
  readonly value: string;
}

/** A whole item, as both backends can read and write it. `native` is the backend's own object, kept for updates. */
export interface OpItem {
  readonly id: string;
  readonly vaultId: string;
  readonly title: string;
  readonly sections: readonly OpSection[];
  readonly fields: readonly OpField[];
  readonly native: unknown;
}

/** What `createItem` writes: an API Credential item holding one concealed field (in a section when named). */
export interface OpNewItem {
  readonly vaultId: string;
  readonly title: string;
  readonly section: string | undefined;
  readonly field: string;
  readonly value: string;
}

/** An item as a vault listing gives it: no field, no value. */
export interface OpItemSummary {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: Date | undefined;
}

export interface OpBackend {
  readonly mode: OpMode;
  /** Every vault the token can see. */
  listVaults(): Promise<OpVault[]>;
  /** The items of a vault (one listing call; titles and times only). */
  listItems(vaultId: string): Promise<OpItemSummary[]>;
  /** The item titled (or with the id) `item` in a vault, or undefined when there is none. */
  getItem(vaultId: string, item: string): Promise<OpItem | undefined>;
  /** Several items of one vault in as few calls as the backend allows (each read once), in the order given. */
  getItems(vaultId: string, items: readonly string[]): Promise<(OpItem | undefined)[]>;
  createItem(item: OpNewItem): Promise<void>;
  /** Replaces the item with `fields` and `sections` (the rest of `native` kept). */
  updateItem(item: OpItem, sections: readonly OpSection[], fields: readonly OpField[]): Promise<void>;
  deleteItem(vaultId: string, itemId: string): Promise<void>;
}

/** Why a backend call failed, decided from status codes and the SDK's error classes, never from message text. */
export type OpFailureKind = 'auth' | 'forbidden' | 'not-found' | 'throttled' | 'unavailable' | 'other';

/** A backend failure, typed. `detail` is the backend's own words (never a value or a token). */
export class OpBackendError extends Error {
  readonly kind: OpFailureKind;
  readonly status: number | undefined;
  /** For `throttled`: the wait the server asked for, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: OpFailureKind, detail: string, extra: { status?: number; retryAfterMs?: number } = {}) {
    super(detail);
    this.name = 'OpBackendError';
    this.kind = kind;
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
  }
}
