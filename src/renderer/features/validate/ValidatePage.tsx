// Validate one component, one stack or every stack: each missing required secret and every configuration
// problem, counted by kind (named as the CLI's `validate` names them), each row with what the app can do about
// it: "Set" the secret, "Import" a legacy `!store`, "Open file" where the problem is. "Set what is missing" is
// the CLI's `init` for the chosen scope. Progress and cancel for the long runs.
import { useState, type ReactNode } from 'react';
import type { ValidationProblem } from '../../../shared/ipc/secrets-contract';
import { VALIDATION_KINDS, VALIDATION_KIND_HELP, type ValidationKind } from '../../../shared/validation-kinds';
import { call, errorText } from '../../ipc/client';
import { useNavigate } from '../../ui/navigation';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { StackComponentPicker } from '../../ui/StackComponentPicker';
import { useAsync } from '../../ui/use-async';
import { useOperation } from '../../ui/use-operation';
import { VirtualTable } from '../../ui/virtual-rows';
import { ProgressCount } from './ProgressCount';
import { SetMissingDialog } from './SetMissingDialog';
import './validate.css';

interface Report {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: readonly ValidationProblem[];
}

export function ValidatePage(): ReactNode {
  const [stacks, reloadStacks] = useAsync(() => call('stacks:list', {}));
  const [picked, setPicked] = useState({ stack: '', component: '' });
  const { stack, component } = picked;
  const op = useOperation();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [settingMissing, setSettingMissing] = useState(false);

  const scope = { ...(stack ? { stack } : {}), ...(stack && component ? { component } : {}) };
  const scopeText = stack ? (component ? `${stack} / ${component}` : `stack ${stack}`) : 'all stacks';

  function run(): void {
    setReport(null);
    setError(null);
    setNote(null);
    op.start((operationId) => call('secrets:validate', { ...scope, operationId })).then(setReport, setError);
  }

  return (
    <section className="page wide" aria-labelledby="validate-title">
      <h1 id="validate-title">Validate</h1>
      <Explanation />
      {/* A load error (a stack file that does not parse) shows above the controls, with "Try again". */}
      {stacks.status === 'error' ? <ErrorState error={stacks.error} onRetry={reloadStacks} /> : null}
      {stacks.status === 'loading' ? <Loading what="stacks" /> : null}
      <div className="row wrap">
        <StackComponentPicker
          stacks={stacks.status === 'ready' ? stacks.value.stacks : []}
          value={picked}
          onChange={(p) => {
            setPicked(p);
            setReport(null);
          }}
          allStacks
          testIds={{ stack: 'validate-stack', component: 'validate-component' }}
        />
        {op.running ? (
          <button type="button" className="ghost" onClick={op.cancel}>
            Cancel
          </button>
        ) : (
          <button type="button" onClick={run} data-testid="run-validate">
            Run
          </button>
        )}
        <button
          type="button"
          className="ghost"
          onClick={() => setSettingMissing(true)}
          disabled={op.running}
          data-testid="set-missing"
          title={`Set every required secret of ${scopeText} that has no value (atmos-secret init)`}
        >
          Set what is missing
        </button>
      </div>
      {op.running ? (
        <div data-testid="validate-progress">
          <ProgressCount op={op} label="Validating" />
        </div>
      ) : null}
      {note ? (
        <div className="notice" role="status" data-testid="validate-note">
          {note}
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      {report ? <ReportView report={report} onNote={setNote} /> : null}
      {settingMissing ? (
        <SetMissingDialog
          scope={scope}
          scopeText={scopeText}
          onClose={() => setSettingMissing(false)}
          onDone={() => {
            setSettingMissing(false);
            run();
          }}
        />
      ) : null}
    </section>
  );
}

/** What the page does, before anything has run (the page used to start blank). */
function Explanation(): ReactNode {
  return (
    <div className="card validate-intro" data-testid="validate-intro">
      <p>
        Checks that every <strong>required</strong> secret has a value in its backend, and that the configuration is
        sound: stores, declarations, <code>!secret</code> references, the paths each backend can hold, and secrets that
        would share one name or SOPS key. Choose all stacks, one stack, or one component, then <strong>Run</strong>. The
        same check as <code>atmos-secret validate</code>.
      </p>
      <details>
        <summary>The kinds of problem it reports</summary>
        <dl className="kind-list">
          {VALIDATION_KINDS.map((k) => (
            <div key={k}>
              <dt>
                <span className={`badge kind-${k}`}>{k}</span>
              </dt>
              <dd>{VALIDATION_KIND_HELP[k]}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}

function ReportView({ report, onNote }: { report: Report; onNote: (note: string) => void }): ReactNode {
  if (report.ok) {
    return (
      <div className="state state-ok" data-testid="validate-ok">
        <strong>All good.</strong> {report.checked} secret{report.checked === 1 ? '' : 's'} checked; every required one
        is set.
      </div>
    );
  }
  if (report.problems.length === 0) return <Empty title="Validation failed without details" />;
  return (
    <>
      <Summary problems={report.problems} checked={report.checked} />
      <ProblemsTable problems={report.problems} onNote={onNote} />
    </>
  );
}

/** How many problems of each kind, in the CLI's order of kinds. */
export function countByKind(problems: readonly ValidationProblem[]): [ValidationKind, number][] {
  const counts = new Map<ValidationKind, number>();
  for (const p of problems) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1);
  return VALIDATION_KINDS.filter((k) => counts.has(k)).map((k) => [k, counts.get(k) ?? 0]);
}

function Summary({ problems, checked }: { problems: readonly ValidationProblem[]; checked: number }): ReactNode {
  return (
    <div className="validate-summary" data-testid="validate-summary">
      <span data-testid="validate-count">
        <strong>
          {problems.length} problem{problems.length === 1 ? '' : 's'}
        </strong>
        <span className="muted">
          {' '}
          · {checked} required secret{checked === 1 ? '' : 's'} checked
        </span>
      </span>
      <ul className="kind-counts" aria-label="Problems by kind">
        {countByKind(problems).map(([kind, n]) => (
          <li key={kind} title={VALIDATION_KIND_HELP[kind]} data-testid={`count-${kind}`}>
            <span className={`badge kind-${kind}`}>{kind}</span> {n}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A row's height before it is measured: one line of message. */
const ESTIMATED_ROW_PX = 40;
const COLUMNS = 6;

/** Every problem, virtualized: a whole estate can report one per secret (ui/virtual-rows.tsx). */
function ProblemsTable({
  problems,
  onNote,
}: {
  problems: readonly ValidationProblem[];
  onNote: (note: string) => void;
}): ReactNode {
  return (
    <VirtualTable
      rows={problems}
      rowKey={(_p, i) => i}
      estimatePx={ESTIMATED_ROW_PX}
      columns={COLUMNS}
      headers={
        <>
          <th scope="col">Problem</th>
          <th scope="col" className="col-stack">
            Stack
          </th>
          <th scope="col" className="col-component">
            Component
          </th>
          <th scope="col">Secret</th>
          <th scope="col" className="col-where">
            Where
          </th>
          <th scope="col" className="actions">
            <span className="sr-only">Actions</span>
          </th>
        </>
      }
      tableTestId="validate-problems"
      rowTestId="validate-problem"
      rowData={(p) => ({ 'data-kind': p.kind })}
      cells={(p) => (
        <>
          <td>
            <span className={`badge kind-${p.kind}`} title={VALIDATION_KIND_HELP[p.kind]}>
              {p.kind}
            </span>{' '}
            {p.message}
            {/* The app's own action replaces a CLI command; advice without one is still worth reading. */}
            {p.hint && !hasAppAction(p) ? <div className="muted small">{p.hint}</div> : null}
          </td>
          <td className="col-stack">
            <Clipped text={p.stack} />
          </td>
          <td className="col-component">
            <Clipped text={p.component} />
          </td>
          <td>{p.secret ? <code>{p.secret}</code> : null}</td>
          <td className="col-where">
            {p.file ? (
              <code className="clipped where" title={`${p.file}${p.line ? `:${p.line}` : ''}`}>
                {`${p.file}${p.line ? `:${p.line}` : ''}`}
              </code>
            ) : null}
          </td>
          <td className="actions">
            <ProblemActions problem={p} onNote={onNote} />
          </td>
        </>
      )}
    />
  );
}

/** One line, cut with an ellipsis; the whole text in its tooltip (stack names are long). */
function Clipped({ text }: { text: string | undefined }): ReactNode {
  if (!text) return null;
  return (
    <span className="clipped" title={text}>
      {text}
    </span>
  );
}

/** Whether the app does for this problem what its CLI hint says to run. */
function hasAppAction(p: ValidationProblem): boolean {
  return (p.kind === 'missing' && p.stack !== undefined && p.secret !== undefined) || p.kind === 'store-function';
}

function ProblemActions({
  problem: p,
  onNote,
}: {
  problem: ValidationProblem;
  onNote: (n: string) => void;
}): ReactNode {
  const navigate = useNavigate();
  const openFile = (file: string): void => {
    call('workspace:revealFile', { file }).then(
      (r) => {
        if (!r.shown) onNote(r.message ?? `Open ${file} in your editor.`);
      },
      (e: unknown) => onNote(errorText(e).message),
    );
  };
  return (
    <>
      {p.kind === 'missing' && p.stack && p.secret ? (
        <button
          type="button"
          onClick={() =>
            navigate({
              page: 'secrets',
              stack: p.stack,
              ...(p.component ? { component: p.component } : {}),
              secret: p.secret,
              action: 'set',
            })
          }
          aria-label={`Set ${p.secret} in ${p.stack}`}
        >
          Set
        </button>
      ) : null}
      {p.kind === 'store-function' ? (
        <button
          type="button"
          onClick={() => navigate({ page: 'import', ...(p.stack ? { stack: p.stack } : {}) })}
          aria-label={`Import the !store use${p.stack ? ` in ${p.stack}` : ''}`}
        >
          Import
        </button>
      ) : null}
      {p.file ? (
        <button
          type="button"
          className="ghost"
          onClick={() => openFile(p.file ?? '')}
          aria-label={`Open file ${p.file}`}
        >
          Open file
        </button>
      ) : null}
    </>
  );
}
