// The stores channels: the configured stores, a connection test, a token typed into the app (to the OS
// keychain, never to a file, never sent back or logged), and a secret's version history and restore.
import { AppError } from '../../shared/errors';
import { processRedactor } from '../log/redactor';
import { STACK_WIDE, saveStoreToken, type SecretTarget } from '../secrets';
import { STORE_TOKEN_SERVICE } from '../stores/store-token';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type StoresChannels = 'stores:list' | 'stores:test' | 'stores:setToken' | 'secrets:history' | 'secrets:restoreVersion';

/** The contract's target (`secret`, component `*` for a stack-level row) as the service's. */
function target(req: { stack: string; component?: string | undefined; secret: string }): SecretTarget {
  return {
    stack: req.stack,
    name: req.secret,
    component: req.component && req.component !== STACK_WIDE ? req.component : undefined,
  };
}

/** Names of the saved store tokens; a keychain that cannot be listed shows none saved rather than no stores. */
async function savedAccounts(s: AppServices): Promise<ReadonlySet<string>> {
  try {
    return new Set(await s.keychainFor(STORE_TOKEN_SERVICE).list());
  } catch (e) {
    if (e instanceof AppError) return new Set();
    throw e;
  }
}

export function createStoresHandlers(s: AppServices): Pick<Handlers, StoresChannels> {
  return {
    'stores:list': async () => {
      const service = await s.session.secrets();
      const saved = await savedAccounts(s);
      return {
        stores: service.listStores().map((st) => ({
          name: st.name,
          kind: st.kind,
          secret: st.secret,
          options: st.options,
          available: st.available,
          takesToken: st.takesToken,
          tokenSaved: st.tokenAccount !== undefined && saved.has(st.tokenAccount),
          ...(st.identity ? { identity: st.identity } : {}),
          ...(st.tokenAccount ? { tokenAccount: st.tokenAccount } : {}),
          ...(st.problem ? { problem: st.problem } : {}),
          ...(st.file ? { file: st.file } : {}),
          ...(st.line ? { line: st.line } : {}),
        })),
      };
    },
    'stores:test': async ({ name }, ctx) => {
      const service = await s.session.secrets();
      ctx.progress({ done: 0, total: 1, message: `Testing ${name}` });
      const r = await service.testStore(name, { signal: ctx.signal });
      ctx.progress({ done: 1, total: 1 });
      return r.ok
        ? { store: r.store, kind: r.kind, ok: true, probe: r.probe }
        : {
            store: r.store,
            kind: r.kind,
            ok: false,
            code: r.code,
            message: r.message,
            ...(r.probe ? { probe: r.probe } : {}),
            ...(r.hint ? { hint: r.hint } : {}),
          };
    },
    'stores:setToken': async ({ name, token }) => {
      // Masked in every log line and error from now on, whatever quotes it.
      processRedactor.remember(token.replace(/\r?\n$/, ''));
      const service = await s.session.secrets();
      const keychain = s.keychainFor(STORE_TOKEN_SERVICE);
      const { account } = await saveStoreToken(keychain, service.stores, name, token);
      return { service: keychain.service, account };
    },
    'secrets:history': async (req) => {
      const service = await s.session.secrets();
      const h = await service.history(target(req));
      return {
        secret: h.target.secret,
        scope: h.target.scope,
        provider: h.target.provider,
        where: h.target.where,
        supported: h.supported,
        canRestore: h.canRestore,
        versions: h.versions.map((v) => ({
          version: v.version,
          current: v.current,
          ...(v.createdAt ? { createdAt: v.createdAt } : {}),
          ...(v.stages ? { stages: [...v.stages] } : {}),
          ...(v.state ? { state: v.state } : {}),
        })),
        ...(h.note ? { note: h.note } : {}),
      };
    },
    'secrets:restoreVersion': async (req, ctx) => {
      const service = await s.session.secrets();
      const r = await service.restoreVersion({
        ...target(req),
        version: req.version,
        confirm: async () => req.confirmed,
        signal: ctx.signal,
      });
      return { restored: r.restored, consumers: r.components };
    },
  };
}
