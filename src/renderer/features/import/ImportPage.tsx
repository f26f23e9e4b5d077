// The `!store` import wizard: scan the workspace for `!store`/`!store.get` uses on secret stores, adjust the
// proposed declarations (name, scope, store, or skip one), see the dry-run plan (what is copied where, declared
// and rewritten, with each file's diff), then run it and read the per-item report. Copy only: sources stay. Main
// reads and writes everything; the run refuses files changed since the plan shown.
import { useState, type ReactNode } from 'react';
import type { RewriteChoiceInput, RewritePlanView, RewriteProposalView } from '../../../shared/ipc/declare-contract';
import { call } from '../../ipc/client';
import { OperationProgress } from '../../ui/progress';
import { useWorkspaceReload } from '../../ui/refresh';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useOperation } from '../../ui/use-operation';
import { DiffView } from '../declare/DiffView';
import '../declare/declare.css';

type Scope = 'instance' | 'stack' | 'global';
const SCOPES: readonly Scope[] = ['instance', 'stack', 'global'];

interface Choice {
  name: string;
  scope: Scope;
  store: string;
  skip: boolean;
}

function choicesOf(
  proposals: readonly RewriteProposalView[],
  edits: Readonly<Record<string, Choice>>,
): RewriteChoiceInput[] {
  return proposals.map((p) => {
    const c = edits[p.id];
    return c ? { id: p.id, name: c.name, scope: c.scope, store: c.store, skip: c.skip } : { id: p.id };
  });
}

function Proposals(props: {
  proposals: readonly RewriteProposalView[];
  stores: readonly string[];
  edits: Readonly<Record<string, Choice>>;
  onEdit: (id: string, c: Choice) => void;
  disabled: boolean;
}): ReactNode {
  return (
    <table className="import-table" data-testid="import-proposals">
      <thead>
        <tr>
          <th scope="col">Use</th>
          <th scope="col">Read by</th>
          <th scope="col">Declare as</th>
          <th scope="col">Scope</th>
          <th scope="col">Store</th>
          <th scope="col">Skip</th>
        </tr>
      </thead>
      <tbody>
        {props.proposals.map((p) => {
          const c = props.edits[p.id] ?? { name: p.name, scope: p.scope, store: p.store, skip: false };
          const edit = (patch: Partial<Choice>): void => props.onEdit(p.id, { ...c, ...patch });
          return (
            <tr key={p.id} data-testid="import-proposal">
              <td>
                <code>{p.expression}</code>
                <div className="muted small">
                  {p.id} · {p.at}
                </div>
              </td>
              <td className="small">{p.uses.map((u) => `${u.stack}/${u.component}`).join(', ')}</td>
              <td>
                <input
                  type="text"
                  value={c.name}
                  aria-label={`Name for ${p.id}`}
                  disabled={props.disabled || c.skip}
                  onChange={(e) => edit({ name: e.target.value })}
                  data-testid="import-name"
                />
              </td>
              <td>
                <select
                  value={c.scope}
                  aria-label={`Scope for ${p.id}`}
                  disabled={props.disabled || c.skip}
                  onChange={(e) => edit({ scope: SCOPES.find((s) => s === e.target.value) ?? c.scope })}
                  data-testid="import-scope"
                >
                  {SCOPES.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select
                  value={c.store}
                  aria-label={`Store for ${p.id}`}
                  disabled={props.disabled || c.skip}
                  onChange={(e) => edit({ store: e.target.value })}
                  data-testid="import-store"
                >
                  {props.stores.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="checkbox"
                  checked={c.skip}
                  aria-label={`Skip ${p.id}`}
                  disabled={props.disabled}
                  onChange={(e) => edit({ skip: e.target.checked })}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Report({ plan }: { plan: RewritePlanView }): ReactNode {
  return (
    <table className="import-table" data-testid={plan.applied ? 'import-report' : 'import-plan'}>
      <thead>
        <tr>
          <th scope="col">Use</th>
          <th scope="col">Secret</th>
          <th scope="col">Copy</th>
          <th scope="col">Declare</th>
          <th scope="col">Rewrite</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {plan.items.map((i) => (
          <tr key={i.id} data-testid="import-item">
            <td>
              <code>{i.expression}</code>
              <div className="muted small">{i.id}</div>
            </td>
            <td>
              <code>{i.name}</code>{' '}
              <span className="muted small">
                ({i.scope}, {i.store})
              </span>
            </td>
            <td className="small">
              {i.copies.map((c) => (
                <div key={`${c.from}>${c.to}`}>
                  <span className={`import-state-${c.state}`}>{c.state}</span> {c.from} → {c.to}
                  {c.reason ? <span className="muted"> ({c.reason})</span> : null}
                </div>
              ))}
            </td>
            <td className={`import-state-${i.declared}`}>{i.declared}</td>
            <td className={`import-state-${i.rewritten}`}>{i.rewritten}</td>
            <td className={`import-state-${i.outcome}`} data-testid="import-outcome">
              {i.outcome}
              {i.reason ? <div className="small">{i.reason}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ImportPage(): ReactNode {
  const [scan, rescan] = useAsync(() => call('storeImport:scan', {}));
  const [edits, setEdits] = useState<Record<string, Choice>>({});
  const [plan, setPlan] = useState<RewritePlanView | null>(null);
  const [report, setReport] = useState<RewritePlanView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const op = useOperation();
  const reloadWorkspace = useWorkspaceReload();

  const title = (
    <h1 id="import-title">
      Import <code>!store</code> uses
    </h1>
  );
  if (scan.status === 'loading')
    return (
      <section className="page wide">
        {title}
        <Loading what="!store uses" />
      </section>
    );
  if (scan.status === 'error')
    return (
      <section className="page wide" aria-labelledby="import-title">
        {title}
        <ErrorState error={scan.error} onRetry={rescan} />
      </section>
    );
  const { proposals, stores } = scan.value;

  async function makePlan(): Promise<void> {
    setError(null);
    setReport(null);
    try {
      setPlan(
        await op.start((operationId) =>
          call('storeImport:plan', { choices: choicesOf(proposals, edits), operationId }),
        ),
      );
    } catch (e) {
      setError(e);
    }
  }

  async function run(p: RewritePlanView): Promise<void> {
    setError(null);
    try {
      const r = await op.start((operationId) =>
        call('storeImport:run', {
          choices: choicesOf(proposals, edits),
          planned: p.files.map((f) => ({ file: f.file, hash: f.hash })),
          operationId,
        }),
      );
      setReport(r);
      setPlan(null);
      reloadWorkspace?.();
    } catch (e) {
      setError(e);
    }
  }

  const going = plan ? plan.items.filter((i) => i.outcome === 'planned').length : 0;
  return (
    <section className="page wide" aria-labelledby="import-title">
      {title}
      <p className="muted">
        Each <code>!store</code> or <code>!store.get</code> on a secret store becomes a declared secret: its value is
        copied to the secret&apos;s own path (the source stays), the secret is declared beside the use, and the use is
        rewritten to <code>!secret NAME</code> in place, comments kept. The plan always comes first.
      </p>
      {report ? null : proposals.length === 0 ? (
        <Empty title="No !store uses on secret stores">
          <p>Nothing to import: every secret here is declared.</p>
        </Empty>
      ) : (
        <>
          <h2>1. Proposals</h2>
          <Proposals
            proposals={proposals}
            stores={stores}
            edits={edits}
            disabled={op.running}
            onEdit={(id, c) => {
              setEdits({ ...edits, [id]: c });
              setPlan(null);
            }}
          />
          <div className="import-steps">
            <button
              type="button"
              onClick={() => void makePlan()}
              disabled={op.running}
              data-testid="import-plan-button"
            >
              Plan (dry run)
            </button>
            <button type="button" className="ghost" onClick={rescan} disabled={op.running}>
              Scan again
            </button>
          </div>
        </>
      )}
      {op.running ? <OperationProgress op={op} label="Working" /> : null}
      {error ? <ErrorState error={error} /> : null}
      {plan ? (
        <>
          <h2>2. Plan</h2>
          <Report plan={plan} />
          {plan.files.map((f) => (
            <div key={f.file}>
              <p className="muted small">
                <code>{f.file}</code>
              </p>
              <DiffView diff={f.diff} testId="import-diff" />
            </div>
          ))}
          <p className="muted">
            {going} of {plan.items.length} use(s) will be copied, declared and rewritten.
          </p>
          <div className="import-steps">
            <button
              type="button"
              onClick={() => void run(plan)}
              disabled={op.running || going === 0}
              data-testid="import-run"
            >
              Run
            </button>
          </div>
        </>
      ) : null}
      {report ? (
        <>
          <h2>3. Report</h2>
          <p data-testid="import-summary">
            {report.items.filter((i) => i.outcome === 'done').length} done,{' '}
            {report.items.filter((i) => i.outcome === 'failed').length} failed,{' '}
            {report.items.filter((i) => i.outcome === 'skipped').length} skipped.
          </p>
          <Report plan={report} />
          <div className="import-steps">
            <button
              type="button"
              className="ghost"
              onClick={() => {
                setReport(null);
                setEdits({});
                rescan();
              }}
            >
              Scan again
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
