// Type-only imports from `@1password/connect` (erased at build: nothing loads the SDK at start).
import type { IRequestClient } from '@1password/connect';

export type { FullItem, IRequestClient, ClientRequestOptions } from '@1password/connect';
export type HTTPMethod = Parameters<IRequestClient['request']>[0];
