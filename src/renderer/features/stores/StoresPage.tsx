// The Stores page: each configured store with its kind, identity and options (credentials masked in main), a
// "Test connection" action (reads a path that cannot exist: not-found means reachable and authorised), and for
// kinds that take a token (Vault, 1Password) a token field that saves it to the OS keychain. A token goes
// renderer -> main once and never comes back.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { StoreSummary, StoreTestOutcome } from '../../../shared/ipc/stores-contract';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useOperation } from '../../ui/use-operation';

export function StoresPage(): ReactNode {
  const [stores, reload] = useAsync(() => call('stores:list', {}));
  return (
    <section className="page" aria-labelledby="stores-title">
      <div className="row spread">
        <h1 id="stores-title">Stores</h1>
        <button type="button" className="ghost" onClick={reload}>
          Reload
        </button>
      </div>
      <p className="muted">
        The secret stores configured in <code>atmos.yaml</code>. Credentials in their options are masked; tokens you
        save here go to your OS keychain, never to a file.
      </p>
      {stores.status === 'loading' ? <Loading what="stores" /> : null}
      {stores.status === 'error' ? <ErrorState error={stores.error} onRetry={reload} /> : null}
      {stores.status === 'ready' && stores.value.stores.length === 0 ? (
        <Empty title="atmos.yaml configures no stores">
          Add a <code>stores:</code> section (for example a <code>keychain</code> store) to keep secrets in a backend.
        </Empty>
      ) : null}
      {stores.status === 'ready' ? stores.value.stores.map((s) => <StoreCard key={s.name} store={s} />) : null}
    </section>
  );
}

function StoreCard({ store }: { store: StoreSummary }): ReactNode {
  const options = Object.entries(store.options);
  return (
    <article
      className="card stack-form"
      data-testid="store-card"
      data-store={store.name}
      aria-label={`Store ${store.name}`}
    >
      <div className="row spread">
        <div className="row">
          <strong>{store.name}</strong>
          <span className="badge">{store.kind || 'unknown kind'}</span>
          {store.secret ? <span className="badge">secret</span> : <span className="badge">plain</span>}
          {!store.problem && !store.available ? <span className="badge">not in this build</span> : null}
        </div>
        {store.problem ? null : <TestConnection store={store} />}
      </div>
      {store.problem ? (
        <div className="state state-error" role="alert">
          <strong>{store.problem}</strong>
          {store.file ? (
            <div className="hint">
              {store.file}
              {store.line ? `:${store.line}` : ''}
            </div>
          ) : null}
        </div>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Identity</dt>
          <dd>{store.identity ? <code>{store.identity}</code> : <span className="muted">SDK default chain</span>}</dd>
        </div>
        {options.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              <code data-testid="store-option">{v}</code>
            </dd>
          </div>
        ))}
      </dl>
      {store.takesToken ? <TokenField store={store} /> : null}
    </article>
  );
}

function TestConnection({ store }: { store: StoreSummary }): ReactNode {
  const op = useOperation();
  const [result, setResult] = useState<StoreTestOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function test(): Promise<void> {
    setResult(null);
    setError(null);
    try {
      setResult(await op.start((operationId) => call('stores:test', { name: store.name, operationId })));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <div className="stack-form" data-testid="store-test">
      <button
        type="button"
        onClick={() => void test()}
        disabled={op.running}
        aria-label={`Test connection to ${store.name}`}
      >
        {op.running ? 'Testing…' : 'Test connection'}
      </button>
      {op.running ? (
        <span role="status" className="muted" data-testid="store-test-running">
          Testing {store.name}…
        </span>
      ) : null}
      {result?.ok ? (
        <div className="state state-ok" role="status" data-testid="store-test-result">
          ✓ Reachable; credentials accepted.
          {store.kind === 'onepassword' && result.probe ? (
            <div className="hint" data-testid="store-test-mode">
              Mode: {result.probe}
            </div>
          ) : null}
        </div>
      ) : null}
      {result && !result.ok ? (
        <div className="state state-error" role="alert" data-testid="store-test-result">
          <strong>
            ✗ {result.code ? `[${result.code}] ` : ''}
            {result.message}
          </strong>
          {result.hint ? <div className="hint">{result.hint}</div> : null}
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </div>
  );
}

function TokenField({ store }: { store: StoreSummary }): ReactNode {
  // Uncontrolled on purpose: a controlled input mirrors its value into the markup; the token stays in the field
  // until it is sent, and the field is emptied after.
  const field = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const id = `token-${store.name}`;

  async function save(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const r = await call('stores:setToken', { name: store.name, token: field.current?.value ?? '' });
      if (field.current) field.current.value = '';
      setSaved(`Saved in the OS keychain (service ${r.service}, account ${r.account}).`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack-form" onSubmit={(e) => void save(e)} data-testid="store-token-form">
      <label htmlFor={id}>
        Token{' '}
        <span className="muted small">
          {store.tokenSaved || saved
            ? 'a token is saved in the keychain; saving replaces it'
            : 'none saved in the keychain'}
        </span>
      </label>
      <div className="row">
        <input
          id={id}
          className="grow"
          type="password"
          autoComplete="off"
          spellCheck={false}
          ref={field}
          data-testid="store-token"
        />
        <button type="submit" disabled={busy}>
          Save token
        </button>
      </div>
      {saved ? (
        <div className="notice" role="status" data-testid="store-token-saved">
          {saved}
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </form>
  );
}
