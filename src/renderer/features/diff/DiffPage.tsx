// Diff: two stacks side by side (or one component in both). Per secret: how each stack declares it (provider,
// scope) and whether it holds a value, then the verdict: declared or set in one only, equal or different values,
// different stores or scopes. Values are compared in main by a keyed hash that never leaves it: only
// "equal"/"different" reaches this page. Reading values takes a while on a large estate: progress and cancel.
import { useMemo, useState, type ReactNode } from 'react';
import type { DiffReport, DiffRow, DiffSide } from '../../../shared/ipc/explain-contract';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useOperation } from '../../ui/use-operation';
import '../explain/explain.css';
import './diff.css';

interface Picked {
  readonly a: string;
  readonly b: string;
  readonly component: string;
}

export function DiffPage(): ReactNode {
  const [stacks] = useAsync(() => call('stacks:list', {}));
  const [picked, setPicked] = useState<Picked | null>(null);
  const [report, setReport] = useState<DiffReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const op = useOperation();

  if (stacks.status === 'loading') return <Loading what="stacks" />;
  if (stacks.status === 'error') return <ErrorState error={stacks.error} />;
  const names = stacks.value.stacks.map((s) => s.name);
  // Until the person picks, the first two stacks.
  const sel: Picked = picked ?? { a: names[0] ?? '', b: names[1] ?? names[0] ?? '', component: '' };
  const components = [
    ...new Set(
      stacks.value.stacks
        .filter((s) => s.name === sel.a || s.name === sel.b)
        .flatMap((s) => s.components.filter((c) => !c.abstract).map((c) => c.name)),
    ),
  ].sort();
  const change = (p: Partial<Picked>): void => {
    setPicked({ ...sel, ...p });
    setReport(null);
  };

  function compare(): void {
    setReport(null);
    setError(null);
    op.start((operationId) =>
      call('diff:stacks', { a: sel.a, b: sel.b, ...(sel.component ? { component: sel.component } : {}), operationId }),
    ).then(setReport, setError);
  }

  return (
    <section className="page wide diff-page" aria-labelledby="diff-title">
      <h1 id="diff-title">Diff</h1>
      <p className="muted">
        Compare the secrets of two stacks: declared or set in one only, different stores or scopes, and whether the
        values are equal. Values are compared inside the app by a keyed hash made for this comparison alone; no value is
        shown or kept.
      </p>
      {names.length < 2 ? (
        <Empty title="One stack only">A diff needs two stacks.</Empty>
      ) : (
        <div className="row wrap">
          <label>
            Stack A{' '}
            <select value={sel.a} onChange={(e) => change({ a: e.target.value })} data-testid="diff-stack-a">
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            Stack B{' '}
            <select value={sel.b} onChange={(e) => change({ b: e.target.value })} data-testid="diff-stack-b">
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            Component{' '}
            <select
              value={sel.component}
              onChange={(e) => change({ component: e.target.value })}
              data-testid="diff-component"
            >
              <option value="">All components</option>
              {components.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          {op.running ? (
            <>
              <span className="muted" data-testid="diff-progress">
                Reading {op.done}/{op.total || '…'}
              </span>
              <button type="button" className="ghost" onClick={op.cancel}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" onClick={compare} disabled={sel.a === sel.b} data-testid="diff-run">
              Compare
            </button>
          )}
          {sel.a === sel.b ? <span className="muted">Pick two different stacks.</span> : null}
        </div>
      )}
      {error ? <ErrorState error={error} /> : null}
      {report ? <DiffResult report={report} onlyDiffering={onlyDiffering} onOnlyDiffering={setOnlyDiffering} /> : null}
    </section>
  );
}

function sideCell(s: DiffSide | null): ReactNode {
  if (s === null) return <span className="muted">not declared</span>;
  return (
    <>
      <code>{s.provider}</code> <span className={`badge scope-${s.scope}`}>{s.scope}</span>{' '}
      <span className={`badge status-${s.status}`}>{s.status}</span>
      <div className="muted small clip" title={s.where}>
        {s.where}
      </div>
    </>
  );
}

/** The row's verdict in words. */
export function verdict(r: DiffRow): string {
  const parts: string[] = [];
  if (r.declared !== 'both') parts.push(`declared in ${r.declared.toUpperCase()} only`);
  if (r.set === 'a' || r.set === 'b') parts.push(`set in ${r.set.toUpperCase()} only`);
  if (r.set === 'neither' && r.declared === 'both') parts.push('set in neither');
  if (r.set === 'unknown') parts.push('could not be read');
  switch (r.value) {
    case 'equal':
      parts.push('equal values');
      break;
    case 'different':
      parts.push('different values');
      break;
    case 'same-place':
      parts.push('one shared value');
      break;
    case 'not-comparable':
    case 'unknown':
      break;
    default: {
      const never: never = r.value;
      return never;
    }
  }
  if (r.storeDiffers) parts.push('different stores');
  if (r.scopeDiffers) parts.push('different scopes');
  return parts.join('; ');
}

function DiffResult(props: {
  report: DiffReport;
  onlyDiffering: boolean;
  onOnlyDiffering: (v: boolean) => void;
}): ReactNode {
  const { report } = props;
  const rows = useMemo(
    () => (props.onlyDiffering ? report.rows.filter((r) => r.differs) : report.rows),
    [report, props.onlyDiffering],
  );
  const s = report.summary;
  return (
    <>
      <div className="row wrap">
        <span data-testid="diff-summary" aria-live="polite">
          {s.secrets} secret{s.secrets === 1 ? '' : 's'}: {s.differing} differ ({s.onlyInA} only in A, {s.onlyInB} only
          in B, {s.differentValues} with different values)
        </span>
        <label className="check">
          <input
            type="checkbox"
            checked={props.onlyDiffering}
            onChange={(e) => props.onOnlyDiffering(e.target.checked)}
            data-testid="diff-only-differing"
          />{' '}
          Only differences
        </label>
      </div>
      {report.problems.map((p) => (
        <div className="notice" key={p.provider} role="status" data-testid="diff-problem">
          {p.message}
        </div>
      ))}
      {rows.length === 0 ? (
        <Empty title={report.rows.length === 0 ? 'No secrets declared in either stack' : 'No differences'}>
          {report.rows.length === 0 ? 'Declare secrets to compare them.' : 'Every secret matches.'}
        </Empty>
      ) : (
        <table className="table diff-table" data-testid="diff-table">
          <thead>
            <tr>
              <th scope="col">Component</th>
              <th scope="col">Secret</th>
              <th scope="col">A: {report.a}</th>
              <th scope="col">B: {report.b}</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={`${r.component}/${r.secret}`}
                data-testid="diff-row"
                data-secret={r.secret}
                data-differs={r.differs ? 'yes' : 'no'}
                className={r.differs ? 'differs' : undefined}
              >
                <td>{r.component === '*' ? <span className="muted">whole stack</span> : r.component}</td>
                <td>
                  <code>{r.secret}</code>
                </td>
                <td>{sideCell(r.a)}</td>
                <td>{sideCell(r.b)}</td>
                <td data-testid="diff-verdict">
                  <span className={`badge ${r.differs ? 'diff-differs' : 'diff-same'}`}>
                    {r.differs ? 'differs' : 'same'}
                  </span>{' '}
                  {verdict(r)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
