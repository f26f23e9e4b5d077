// A secret's consumers: every stack and component that reads the same backend path, as a list (with the path)
// or as a graph (secret -> stacks -> components). No backend call: it comes from the configuration.
import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { ConsumersReport } from '../../../shared/ipc/rotate-contract';
import { Loading } from '../../ui/states';
import './rotate.css';

const ConsumersGraph = lazy(() => import('./ConsumersGraph'));

export type ConsumersMode = 'list' | 'graph';

export function ConsumersView(props: { report: ConsumersReport; initial?: ConsumersMode }): ReactNode {
  const { report } = props;
  const [mode, setMode] = useState<ConsumersMode>(props.initial ?? 'list');
  const components = report.consumers.length;
  const stacks = report.stacks.length;
  return (
    <div className="consumers-view" data-testid="consumers-view">
      <p>
        <strong>{report.secret}</strong> <span className={`badge scope-${report.scope}`}>{report.scope}</span> is read
        from <code>{report.where}</code> by{' '}
        <strong data-testid="consumers-summary">
          {components} component{components === 1 ? '' : 's'} in {stacks} stack{stacks === 1 ? '' : 's'}
        </strong>
        .
      </p>
      <div className="segmented" role="group" aria-label="Show consumers as">
        <button type="button" aria-pressed={mode === 'list'} onClick={() => setMode('list')}>
          List
        </button>
        <button type="button" aria-pressed={mode === 'graph'} onClick={() => setMode('graph')}>
          Graph
        </button>
      </div>
      {mode === 'list' ? (
        <table className="table consumers-table" data-testid="consumers-table">
          <thead>
            <tr>
              <th scope="col">Stack</th>
              <th scope="col">Component</th>
              <th scope="col">Reads from</th>
            </tr>
          </thead>
          <tbody>
            {report.consumers.map((c) => (
              <tr key={`${c.stack}/${c.component}`} data-testid="consumer-row">
                <td>{c.stack}</td>
                <td>{c.component}</td>
                <td>
                  <code>{c.where}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Suspense fallback={<Loading what="the graph" />}>
          <ConsumersGraph report={report} />
        </Suspense>
      )}
      {report.skipped.length > 0 ? (
        <div className="notice" data-testid="consumers-skipped">
          Left out because their configuration does not load:{' '}
          {report.skipped.map((s) => `${s.stack}/${s.component}`).join(', ')}. The Validate page says why.
        </div>
      ) : null}
    </div>
  );
}
