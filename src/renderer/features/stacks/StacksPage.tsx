// Stacks and their components as a tree; the selected component's merged sections beside it, exactly what
// `atmos-secret describe component` prints (secrets masked). `!store` references on plain stores are read only
// when the person turns "Read store values" on; otherwise no backend is called.
import { useState, type ReactNode } from 'react';
import { stringify } from 'yaml';
import { call } from '../../ipc/client';
import { useNavigate, useNavTarget } from '../../ui/navigation';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { StackTree, type Selection } from './StackTree';

const SECTIONS = ['vars', 'env', 'settings', 'metadata', 'backend', 'component_info', 'secrets'] as const;
/** The one-line facts `describe component` prints beside the sections. */
const FACTS = [
  ['component', 'Terraform component'],
  ['workspace', 'Terraform workspace'],
  ['backend_type', 'Backend type'],
] as const;

export function StacksPage(): ReactNode {
  const [stacks, reload] = useAsync(() => call('stacks:list', { reload: true }));
  // Sent here on a component (another page's "show in Stacks"): it starts selected.
  const target = useNavTarget();
  const [selected, setSelected] = useState<Selection | null>(
    target.page === 'stacks' && target.stack && target.component
      ? { stack: target.stack, component: target.component }
      : null,
  );

  return (
    <section className="page wide" aria-labelledby="stacks-title">
      <div className="row spread">
        <h1 id="stacks-title">Stacks</h1>
        <button type="button" className="ghost" onClick={reload}>
          Reload
        </button>
      </div>
      {stacks.status === 'loading' ? <Loading what="stacks" /> : null}
      {stacks.status === 'error' ? <ErrorState error={stacks.error} onRetry={reload} /> : null}
      {stacks.status === 'ready' ? (
        <>
          {stacks.value.warnings.map((w) => (
            <div className="warning" key={`${w.file ?? ''}:${w.line ?? ''}:${w.message}`}>
              {w.file ? <code>{`${w.file}${w.line ? `:${w.line}` : ''}`}</code> : null} {w.message}
            </div>
          ))}
          {stacks.value.stacks.length === 0 ? (
            <Empty title="No stacks found">Check stacks.base_path and included_paths in atmos.yaml.</Empty>
          ) : (
            <div className="split">
              <StackTree stacks={stacks.value.stacks} selected={selected} onSelect={setSelected} />
              {selected ? (
                <ComponentDetail key={`${selected.stack}/${selected.component}`} {...selected} />
              ) : (
                <Empty title="Select a component" />
              )}
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}

function ComponentDetail({ stack, component }: Selection): ReactNode {
  // Off by default: reading a plain store is a network call, made only when the person asks for it.
  const [readStores, setReadStores] = useState(false);
  const [doc, reload] = useAsync(() =>
    call('stacks:component', readStores ? { stack, component, readStores: true } : { stack, component }),
  );
  const navigate = useNavigate();
  const toggle = (on: boolean): void => {
    setReadStores(on);
    reload();
  };
  return (
    // `component-detail` marks a loaded document (tests wait for it); the toggle stays in place while it loads.
    <div
      className="detail"
      aria-busy={doc.status === 'loading'}
      data-testid={doc.status === 'ready' ? 'component-detail' : undefined}
    >
      <div className="row spread">
        <h2>
          {component} <span className="muted">in {stack}</span>
        </h2>
        <button
          type="button"
          className="ghost"
          onClick={() => navigate({ page: 'secrets', stack, component })}
          data-testid="open-component-secrets"
        >
          Open its secrets
        </button>
      </div>
      <label className="check">
        <input type="checkbox" checked={readStores} onChange={(e) => toggle(e.target.checked)} />
        Read store values
      </label>
      <p className="muted">
        {readStores
          ? '!store and !store.get show the values read from their stores, as atmos-secret describe component shows them.'
          : '!store and !store.get are shown as written: nothing is read from a store until you turn this on.'}
      </p>
      {doc.status === 'loading' ? <Loading what={component} /> : null}
      {doc.status === 'error' ? <ErrorState error={doc.error} onRetry={reload} /> : null}
      {doc.status === 'ready' ? <Described described={doc.value.described} notes={doc.value.notes} /> : null}
    </div>
  );
}

function Described({
  described: d,
  notes,
}: {
  described: Readonly<Record<string, unknown>>;
  notes: readonly string[];
}): ReactNode {
  return (
    <>
      {notes.length > 0 ? (
        <div className="warning" data-testid="store-notes">
          Some store references are shown as written:
          <ul>
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="facts" data-testid="component-facts">
        {FACTS.filter(([key]) => typeof d[key] === 'string' && d[key] !== '').map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>
              <code>{String(d[key])}</code>
            </dd>
          </div>
        ))}
      </dl>
      {SECTIONS.map((section) => (
        <details key={section} open={section === 'vars' || section === 'secrets'} data-testid={`section-${section}`}>
          <summary>{section}</summary>
          <pre>{isEmpty(d[section]) ? '{}' : stringify(d[section])}</pre>
        </details>
      ))}
    </>
  );
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);
}
