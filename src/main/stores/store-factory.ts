// How a backend folder plugs into the registry: a factory per kind that builds the store from its config.
import type { SecretStore } from './secret-store';
import type { StoreConfig } from './store-config';
import type { SecretCapableKind } from './store-kinds';

/** Builds a store from its validated config; throws a CONFIG AppError for bad options. Called lazily, once. */
export type StoreFactory = (config: StoreConfig) => SecretStore;

/** A factory for every kind whose adapter is in this build. */
export type StoreFactories = Partial<Readonly<Record<SecretCapableKind, StoreFactory>>>;
