// Validate one component, one stack or every stack: each missing required secret and every configuration
// problem, with progress and cancel for the long runs.
import { useState, type ReactNode } from 'react';
import type { ValidationProblem } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { StackComponentPicker } from '../../ui/StackComponentPicker';
import { useAsync } from '../../ui/use-async';
import { useOperation } from '../../ui/use-operation';
import { VirtualTable } from '../../ui/virtual-rows';

interface Report {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: readonly ValidationProblem[];
}

export function ValidatePage(): ReactNode {
  const [stacks] = useAsync(() => call('stacks:list', {}));
  const [picked, setPicked] = useState({ stack: '', component: '' });
  const { stack, component } = picked;
  const op = useOperation();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (stacks.status === 'loading') return <Loading what="stacks" />;
  if (stacks.status === 'error') return <ErrorState error={stacks.error} />;

  function run(): void {
    setReport(null);
    setError(null);
    op.start((operationId) =>
      call('secrets:validate', {
        ...(stack ? { stack } : {}),
        ...(stack && component ? { component } : {}),
        operationId,
      }),
    ).then(setReport, setError);
  }

  return (
    <section className="page wide" aria-labelledby="validate-title">
      <h1 id="validate-title">Validate</h1>
      <div className="row">
        <StackComponentPicker
          stacks={stacks.value.stacks}
          value={picked}
          onChange={setPicked}
          allStacks
          testIds={{ stack: 'validate-stack', component: 'validate-component' }}
        />
        {op.running ? (
          <button type="button" className="ghost" onClick={op.cancel}>
            Cancel
          </button>
        ) : (
          <button type="button" onClick={run} data-testid="run-validate">
            Validate
          </button>
        )}
      </div>
      {op.running ? (
        <div data-testid="validate-progress">
          <div
            className="progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={op.total}
            aria-valuenow={op.done}
          >
            <span style={{ width: `${op.total ? (100 * op.done) / op.total : 0}%` }} />
          </div>
          <span className="muted">
            {op.done}/{op.total || '…'}
          </span>
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      {report ? <ReportView report={report} /> : null}
    </section>
  );
}

function ReportView({ report }: { report: Report }): ReactNode {
  if (report.ok) {
    return (
      <div className="state state-ok" data-testid="validate-ok">
        <strong>All good.</strong> {report.checked} secret{report.checked === 1 ? '' : 's'} checked; every required one
        is set.
      </div>
    );
  }
  if (report.problems.length === 0) return <Empty title="Validation failed without details" />;
  return <ProblemsTable problems={report.problems} />;
}

/** A row's height before it is measured: one line of message. */
const ESTIMATED_ROW_PX = 40;
const COLUMNS = 5;

/** Every problem, virtualized: a whole estate can report one per secret (ui/virtual-rows.tsx). */
function ProblemsTable({ problems }: { problems: readonly ValidationProblem[] }): ReactNode {
  return (
    <>
      <p className="muted" data-testid="validate-count">
        {problems.length} problem{problems.length === 1 ? '' : 's'}
      </p>
      <VirtualTable
        rows={problems}
        rowKey={(_p, i) => i}
        estimatePx={ESTIMATED_ROW_PX}
        columns={COLUMNS}
        headers={
          <>
            <th scope="col">Problem</th>
            <th scope="col">Stack</th>
            <th scope="col">Component</th>
            <th scope="col">Secret</th>
            <th scope="col">Where</th>
          </>
        }
        tableTestId="validate-problems"
        rowTestId="validate-problem"
        cells={(p) => (
          <>
            <td>
              <span className={`badge kind-${p.kind}`}>{p.kind}</span> {p.message}
              {p.hint ? <div className="muted small">{p.hint}</div> : null}
            </td>
            <td>{p.stack ?? ''}</td>
            <td>{p.component ?? ''}</td>
            <td>{p.secret ? <code>{p.secret}</code> : null}</td>
            <td>{p.file ? <code>{`${p.file}${p.line ? `:${p.line}` : ''}`}</code> : null}</td>
          </>
        )}
      />
    </>
  );
}
