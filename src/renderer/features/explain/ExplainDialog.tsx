// "Explain" for one secret of the secrets table: every file and line that contributed to its declaration (merge
// order, the winner marked), its scope and why, where the value lives (the backend's own name, or the SOPS file
// and key), the identity and the precedence rule that chose it, who can decrypt it (SOPS), and its consumers.
// Opening it calls no backend; "Check status" asks the backend once. No value is ever shown here.
// `ExplainButton` is the per-row action the secrets table places.
import { useState, type ReactNode } from 'react';
import type { Explanation } from '../../../shared/ipc/explain-contract';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import './explain.css';

/** Consumers the dialog lists at most (the rest are counted). */
const CONSUMERS_SHOWN = 50;

export function ExplainButton({ row }: { row: SecretRow }): ReactNode {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost" onClick={() => setOpen(true)} aria-label={`Explain ${row.secret}`}>
        Explain
      </button>
      {open ? <ExplainDialog row={row} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

export function ExplainDialog(props: { row: SecretRow; onClose: () => void }): ReactNode {
  const { row } = props;
  const [verify, setVerify] = useState(false);
  const [explained, reload] = useAsync(() =>
    call('explain:secret', {
      stack: row.stack,
      component: row.component,
      secret: row.secret,
      ...(verify ? { verify: true } : {}),
    }),
  );
  return (
    <Dialog title={`Explain ${row.secret}`} onClose={props.onClose} testId="explain-dialog">
      {explained.status === 'loading' ? <Loading what="the explanation" /> : null}
      {explained.status === 'error' ? <ErrorState error={explained.error} onRetry={reload} /> : null}
      {explained.status === 'ready' ? <ExplanationView e={explained.value} /> : null}
      <div className="row end">
        {explained.status === 'ready' && explained.value.status === null ? (
          <button
            type="button"
            className="ghost"
            onClick={() => {
              setVerify(true);
              reload();
            }}
            data-testid="explain-verify"
          >
            Check status
          </button>
        ) : null}
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function where(file: string, line: number | null): string {
  return line === null ? file : `${file}:${line}`;
}

function roleText(s: Explanation['declaration']['sources'][number]): string {
  switch (s.role) {
    case 'stack':
      return 'stack level';
    case 'base':
      return `inherited from ${s.base ?? 'a base'}`;
    case 'component':
      return 'the component';
    case 'overrides':
      return 'overrides';
    default: {
      const never: never = s.role;
      return never;
    }
  }
}

function BackendView({ e }: { e: Explanation }): ReactNode {
  const b = e.backend;
  switch (b.kind) {
    case 'store':
      return (
        <>
          <dt>Store</dt>
          <dd>
            <code>{b.store}</code> ({b.storeKind})
          </dd>
          <dt>Backend name</dt>
          <dd>
            <code data-testid="explain-native-name">{b.nativeName}</code>
            <div className="muted small">scope path {b.scopePath}</div>
          </dd>
        </>
      );
    case 'sops':
      return (
        <>
          <dt>SOPS provider</dt>
          <dd>
            <code>{b.provider}</code> ({b.providerKind})
          </dd>
          <dt>File and key</dt>
          <dd>
            <code data-testid="explain-native-name">
              {b.file}: {b.key}
            </code>
            {b.exists ? null : <div className="muted small">The file does not exist yet.</div>}
          </dd>
        </>
      );
    default: {
      const never: never = b;
      return never;
    }
  }
}

function RecipientsView({ r }: { r: NonNullable<Explanation['recipients']> }): ReactNode {
  if ('source' in r) {
    return (
      <dd data-testid="explain-recipients">
        <div className="muted small">
          {r.source === 'file' ? "From the file's metadata" : 'The creation rule a new file would get'}
          {r.keyGroups.length > 1 ? `; ${r.threshold} of ${r.keyGroups.length} key groups` : ''}
        </div>
        <ul className="plain">
          {r.keyGroups.flatMap((g, i) =>
            g.map((k) => (
              <li key={`${i}:${k}`}>
                <code>{k}</code>
              </li>
            )),
          )}
        </ul>
        {r.unsupported.length > 0 ? (
          <div className="muted small">Also (not usable by this app): {r.unsupported.join(', ')}</div>
        ) : null}
      </dd>
    );
  }
  return (
    <dd data-testid="explain-recipients" className="muted">
      Cannot be told: {r.error}
    </dd>
  );
}

export function ExplanationView({ e }: { e: Explanation }): ReactNode {
  const d = e.declaration;
  const shown = e.consumers.components.slice(0, CONSUMERS_SHOWN);
  return (
    <div className="explain" data-testid="explanation">
      <p className="muted">
        {e.componentGiven ? (
          <>
            In <code>{e.stack}</code> / <code>{e.component}</code>.
          </>
        ) : (
          <>
            In <code>{e.stack}</code>, as component <code>{e.component}</code> declares it.
          </>
        )}{' '}
        Worked out from the configuration; no value is shown.
      </p>
      <h3>Declared in</h3>
      <ol className="explain-sources" data-testid="explain-sources">
        {d.sources.map((s) => (
          <li key={`${s.file}:${s.line ?? ''}:${s.keyPath}`} className={s.winner ? 'winner' : undefined}>
            <code>{where(s.file, s.line)}</code> <span className="muted small">{s.keyPath}</span>
            <div className="small">
              {roleText(s)}
              {s.file !== s.manifest ? `, included from ${s.manifest}` : ''}; sets {s.fields.join(', ') || 'nothing'}
              {s.winner ? <span className="badge">wins</span> : null}
            </div>
          </li>
        ))}
      </ol>
      <dl className="explain-facts">
        <dt>Provider</dt>
        <dd>
          <code>{d.provider}</code>
          {d.required ? <span className="badge required">required</span> : null}
          {d.description ? <div className="muted small">{d.description}</div> : null}
        </dd>
        {d.reference !== null ? (
          <>
            <dt>Reference</dt>
            <dd>
              <code>{d.reference}</code>
            </dd>
          </>
        ) : null}
        <dt>Scope</dt>
        <dd data-testid="explain-scope">
          <span className={`badge scope-${e.scope.value}`}>{e.scope.value}</span> {e.scope.rule}
        </dd>
        <BackendView e={e} />
        <dt>Identity</dt>
        <dd data-testid="explain-identity">
          {e.identity.used ? (
            <>
              <code>{e.identity.name ?? 'default chain'}</code> <span className="muted small">{e.identity.rule}</span>
            </>
          ) : (
            <span className="muted">Not used: this backend authenticates with {e.identity.unused}.</span>
          )}
        </dd>
        {e.recipients !== null ? (
          <>
            <dt>Can decrypt</dt>
            <RecipientsView r={e.recipients} />
          </>
        ) : null}
        <dt>Consumers</dt>
        <dd data-testid="explain-consumers">
          {e.consumers.count} in {e.consumers.stacks.length} stack{e.consumers.stacks.length === 1 ? '' : 's'}
          <ul className="plain">
            {shown.map((c) => (
              <li key={`${c.stack}/${c.component}`}>
                <code>
                  {c.stack}/{c.component}
                </code>
              </li>
            ))}
          </ul>
          {e.consumers.components.length > shown.length ? (
            <div className="muted small">and {e.consumers.components.length - shown.length} more</div>
          ) : null}
        </dd>
        {e.status !== null ? (
          <>
            <dt>Status</dt>
            <dd>
              <span className={`badge status-${e.status.value}`} data-testid="explain-status">
                {e.status.value}
              </span>
              {e.status.detail ? <span className="muted small"> {e.status.detail}</span> : null}
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
