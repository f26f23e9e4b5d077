// The Health page: `atmos-secret audit` over the open workspace. Findings by kind with counts (errors first), each
// with the places it is about (stack, component, secret, manifest line) and its action: open the secret on the
// Secrets page to set or rotate it, open the store on the Stores page when a backend could not be read, declare or
// delete (after confirmation) a value stored but declared nowhere. Values
// reused across environments or names are found by a keyed hash in main: nothing here ever sees a value or hash.
// The production rule and the maximum rotation age are the app's settings.
import { useState, type ReactNode } from 'react';
import type { FindingKind, FindingPlace, HealthFinding, HealthReport } from '../../../shared/ipc/health-contract';
import { call } from '../../ipc/client';
import { useNavigate, type NavTarget } from '../../ui/navigation';
import { OperationProgress } from '../../ui/progress';
import { ErrorState } from '../../ui/states';
import { useOperation } from '../../ui/use-operation';
import { KIND_HELP, KIND_ORDER, KIND_TITLE } from './finding-kinds';
import { OrphanActions } from './OrphanActions';
import './health.css';

/** Places listed under a finding before "and N more". */
const PLACES_SHOWN = 5;

export function HealthPage(): ReactNode {
  const op = useOperation();
  const [report, setReport] = useState<HealthReport | null>(null);
  const [error, setError] = useState<unknown>(null);

  function run(): void {
    setError(null);
    op.start((operationId) => call('health:audit', { operationId })).then(setReport, setError);
  }

  return (
    <section className="page wide" aria-labelledby="health-title">
      <h1 id="health-title">Health</h1>
      <div className="card health-intro" data-testid="health-intro">
        <p>
          Looks at every secret of the workspace without showing a value: required secrets with no value, values reused
          between production and other stacks or under other names (compared by a keyed hash that never leaves the app),
          empty, short or repetitive values, and secrets not rotated within the maximum age. The same check as{' '}
          <code>atmos-secret audit</code>.
        </p>
        <div className="row">
          {op.running ? (
            <button type="button" className="ghost" onClick={op.cancel}>
              Cancel
            </button>
          ) : (
            <button type="button" onClick={run} data-testid="run-health">
              {report ? 'Run again' : 'Run'}
            </button>
          )}
        </div>
      </div>
      <OperationProgress op={op} label="Checking" />
      {error ? <ErrorState error={error} onRetry={run} /> : null}
      {report ? <ReportView report={report} /> : null}
    </section>
  );
}

function ReportView({ report }: { report: HealthReport }): ReactNode {
  const s = report.summary;
  const kinds = KIND_ORDER.filter((k) => (s.byKind[k] ?? 0) > 0);
  return (
    <>
      <div className="health-summary" data-testid="health-summary">
        <span>
          <strong data-testid="health-count">
            {report.findings.length + report.omittedFindings} finding
            {report.findings.length + report.omittedFindings === 1 ? '' : 's'}
          </strong>{' '}
          <span className="muted">
            · {s.bySeverity['error'] ?? 0} error(s), {s.bySeverity['warning'] ?? 0} warning(s) · {s.secrets} secret(s)
            in {s.stacks} stack(s), {s.valuesRead} value(s) read
          </span>
        </span>
        <span className="muted small" data-testid="health-settings">
          Production: {report.productionRule}. Maximum age: {report.maxAgeDays} days (Settings).
          {s.ageUnknown > 0 ? ` ${s.ageUnknown} secret(s) keep no change date.` : ''}
        </span>
        {kinds.length > 0 ? (
          <ul className="kind-counts" aria-label="Findings by kind">
            {kinds.map((k) => (
              <li key={k} data-testid={`health-count-${k}`}>
                <a href={`#health-${k}`} title={KIND_HELP[k]}>
                  {KIND_TITLE[k]}
                </a>{' '}
                <span className="badge">{s.byKind[k]}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {kinds.length === 0 ? (
        <div className="state state-ok" data-testid="health-ok">
          <strong>No findings.</strong> {s.secrets} secret(s) checked.
        </div>
      ) : null}
      {report.omittedFindings > 0 ? (
        <div className="notice" role="status">
          Showing the first {report.findings.length} findings; {report.omittedFindings} more are in{' '}
          <code>atmos-secret audit --format json</code>.
        </div>
      ) : null}
      {kinds.map((k) => (
        <KindSection key={k} kind={k} findings={report.findings.filter((f) => f.kind === k)} />
      ))}
    </>
  );
}

function KindSection({ kind, findings }: { kind: FindingKind; findings: readonly HealthFinding[] }): ReactNode {
  if (findings.length === 0) return null;
  return (
    <section className="health-kind" id={`health-${kind}`} aria-labelledby={`health-${kind}-title`}>
      <h2 id={`health-${kind}-title`}>
        {KIND_TITLE[kind]} <span className="badge">{findings.length}</span>
      </h2>
      <p className="muted small">{KIND_HELP[kind]}</p>
      <ul className="health-findings">
        {findings.map((f, i) => (
          <FindingItem key={i} finding={f} />
        ))}
      </ul>
    </section>
  );
}

function placeText(p: FindingPlace): string {
  const at = [p.stack, p.component && p.component !== '*' ? p.component : undefined].filter(Boolean).join(' / ');
  return [p.secret, at ? `in ${at}` : undefined].filter(Boolean).join(' ') || (p.provider ?? '');
}

/** Where the finding's action takes the person, when the app can do it itself. */
export function actionTarget(f: HealthFinding): NavTarget | undefined {
  const p = f.places.find((x) => x.secret && x.stack);
  switch (f.action.kind) {
    case 'set':
    case 'rotate':
      return p?.stack && p.secret
        ? {
            page: 'secrets',
            stack: p.stack,
            ...(p.component && p.component !== '*' ? { component: p.component } : {}),
            secret: p.secret,
            // The Set dialog sets and rotates alike (it can generate the value in main).
            action: 'set',
          }
        : undefined;
    case 'check-access':
      return { page: 'stores' };
    case 'fix-config':
    case 'declare-or-delete':
      return undefined;
    default: {
      const never: never = f.action.kind;
      return never;
    }
  }
}

function actionLabel(f: HealthFinding): string {
  switch (f.action.kind) {
    case 'set':
      return 'Set it';
    case 'rotate':
      return 'Rotate it';
    case 'check-access':
      return 'Open stores';
    case 'fix-config':
    case 'declare-or-delete':
      return '';
    default: {
      const never: never = f.action.kind;
      return never;
    }
  }
}

function FindingItem({ finding }: { finding: HealthFinding }): ReactNode {
  const navigate = useNavigate();
  const [deleted, setDeleted] = useState(false);
  const target = actionTarget(finding);
  const more = finding.places.length - PLACES_SHOWN + finding.omittedPlaces;
  const orphan = finding.action.kind === 'declare-or-delete' ? finding.places[0] : undefined;
  return (
    <li className={`health-finding severity-${finding.severity}`} data-testid="health-finding" data-kind={finding.kind}>
      <div className="health-finding-head">
        <span className={`badge severity-${finding.severity}`}>{finding.severity}</span>
        <span className="health-message">{finding.message}</span>
        {target ? (
          <button type="button" className="ghost" onClick={() => navigate(target)} data-testid="health-action">
            {actionLabel(finding)}
          </button>
        ) : null}
        {orphan && !deleted ? <OrphanActions place={orphan} onDeleted={() => setDeleted(true)} /> : null}
        {deleted ? (
          <span className="badge" role="status">
            deleted
          </span>
        ) : null}
      </div>
      <ul className="health-places">
        {finding.places.slice(0, PLACES_SHOWN).map((p, i) => (
          <li key={i}>
            {placeText(p)}
            {p.file ? <code className="where">{`${p.file}${p.line ? `:${p.line}` : ''}`}</code> : null}
          </li>
        ))}
        {more > 0 ? <li className="muted">and {more} more</li> : null}
      </ul>
      <div className="muted small">{finding.action.text}</div>
    </li>
  );
}
