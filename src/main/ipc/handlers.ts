// One handler per channel of the contract, each a thin call into a service.
import { AppError } from '../../shared/errors';
import { describeComponent } from '../config';
import { evaluateStoreRefs, workspaceStoreOpener } from '../secrets';
import type { AppServices } from '../services';
import { copyDemo, describeWorkspaceFolder } from '../session/folders';
import type { Operations } from './operations';
import type { Handlers } from './router';
import { createKeysHandlers } from './keys-handlers';
import { createHealthHandlers } from './health-handlers';
import { createSecretsHandlers } from './secrets-handlers';
import { createRotateHandlers } from './rotate-handlers';
import { createStoresHandlers } from './stores-handlers';
import { createDeclareHandlers } from './declare-handlers';
import { createExplainHandlers } from './explain-handlers';
import { createSettingsHandlers } from './settings-handlers';

export function createHandlers(s: AppServices, operations: Operations): Handlers {
  return {
    ...createSecretsHandlers(s),
    ...createRotateHandlers(s),
    ...createHealthHandlers(s),
    ...createStoresHandlers(s),
    ...createDeclareHandlers(s),
    ...createExplainHandlers(s),
    ...createKeysHandlers(s),
    ...createSettingsHandlers(s),
    'op:cancel': ({ operationId }) => ({ cancelled: operations.cancel(operationId) }),
    // Sensitive unless the caller says otherwise: marked for clipboard managers, cleared after the setting.
    'clipboard:write': ({ text, sensitive }) => s.clipboard.copy(text, sensitive !== false),
    'app:info': () => ({
      name: s.appName,
      version: s.version,
      platform: process.platform,
      canPickFolder: s.pickFolder !== null,
    }),
    'workspace:pickFolder': async ({ title }) => ({ path: s.pickFolder ? await s.pickFolder(title) : null }),
    'workspace:open': async ({ path }) => {
      const info = await describeWorkspaceFolder(path);
      // Untrusted until the person says otherwise: the loader shows `!exec` unevaluated and runs nothing.
      s.session.open(info, await s.trust.isTrusted(info.path));
      await s.watcher.watch(info.path);
      await s.recent.add(info.path);
      return info;
    },
    'workspace:recent': async () => ({ items: await s.recent.list() }),
    'workspace:forget': async ({ path }) => ({ items: await s.recent.remove(path) }),
    'workspace:openDemo': async ({ target }) => {
      const info = await copyDemo(s.demoDir, target);
      // The demo is ours, copied by us just now: trusted without asking.
      await s.trust.decide(info.path, true);
      s.session.open(info, true);
      await s.watcher.watch(info.path);
      await s.recent.add(info.path);
      return info;
    },
    'trust:get': async () => {
      const current = s.session.current;
      return current
        ? { path: current.path, decision: await s.trust.decision(current.path) }
        : { path: null, decision: 'unasked' as const };
    },
    'trust:set': async ({ trusted }) => {
      const current = s.session.current;
      if (!current) throw new AppError('USAGE', 'No workspace is open.', { hint: 'Open a workspace first.' });
      const decision = await s.trust.decide(current.path, trusted);
      s.session.setTrusted(trusted);
      return { path: current.path, decision };
    },
    'stacks:list': async ({ reload }) => {
      const ws = await s.session.workspace(reload === true);
      return {
        stacks: ws
          .stackNames()
          .map((stack) => ({
            name: stack,
            manifest: ws.resolveStack(stack).manifest,
            components: ws.components(stack),
          })),
        warnings: ws.warnings.map((w) => ({ message: w.message, file: w.location?.file, line: w.location?.line })),
      };
    },
    'stacks:component': async ({ stack, component, readStores }) => {
      const ws = await s.session.workspace();
      const described = { ...describeComponent(ws, component, stack) };
      // Reading a plain store is a network call: made only when the person asks, never on opening a stack.
      if (readStores !== true) return { described, notes: [] };
      const config = ws.componentConfig(ws.resolveStack(stack).name, component);
      const shown = await evaluateStoreRefs(
        described,
        config.sections,
        config.stack,
        workspaceStoreOpener(ws, { keychain: s.keychainFor }),
      );
      return { described: shown.described, notes: [...shown.notes] };
    },
  };
}
