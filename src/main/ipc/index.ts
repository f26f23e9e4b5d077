// IPC's public face: one call builds the router with every handler and the shared operations registry.
import type { AppServices } from '../services';
import { createHandlers } from './handlers';
import { Operations } from './operations';
import { createRouter, type IpcRouter, type SenderPolicy } from './router';

export function createAppRouter(services: AppServices, policy: SenderPolicy): IpcRouter {
  const operations = new Operations();
  return createRouter(createHandlers(services, operations), policy, operations, services.log);
}

export { trustOrigins, trustRendererUrl, type IpcRouter, type SenderInfo, type SenderPolicy } from './router';
