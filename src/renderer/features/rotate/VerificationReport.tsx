// After a rotation: each consumer green (it reads the new value) or red (and why), and "Roll back" while main
// still holds the previous value or version. A red consumer puts the roll back first.
import { useState, type ReactNode } from 'react';
import type { CheckStatus, ConsumerCheck } from '../../../shared/ipc/rotate-contract';
import type { Res } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { ErrorState } from '../../ui/states';
import './rotate.css';

export type RotateOutcome = Res<'rotate:run'>;

const STATUS_TEXT: Readonly<Record<CheckStatus, string>> = {
  ok: 'reads the new value',
  mismatch: 'reads a different value',
  missing: 'finds no value',
  elsewhere: 'reads another place',
  error: 'could not be read',
  skipped: 'not checked',
};

const ROLLBACK_TEXT = {
  version: (v: string | undefined) => `Roll back restores version ${v ?? 'before'} as a new current version.`,
  value: () => 'Roll back restores the previous value (held by the app for 15 minutes).',
  delete: () => 'The secret had no value before: roll back deletes the new one.',
} as const;

function CheckItem({ check }: { check: ConsumerCheck }): ReactNode {
  const good = check.status === 'ok';
  return (
    <li
      className={`check ${good ? 'check-ok' : 'check-failed'}`}
      data-testid="consumer-check"
      data-status={check.status}
    >
      <span className="check-mark" aria-hidden="true">
        {good ? '✓' : '✗'}
      </span>
      <code>{check.stack}</code> / <code>{check.component}</code> <span>{STATUS_TEXT[check.status]}</span>
      {check.detail && !good ? <span className="muted"> ({check.detail})</span> : null}
    </li>
  );
}

export function VerificationReport(props: {
  outcome: RotateOutcome;
  /** After a roll back: the message main returned. */
  onRolledBack?: (message: string) => void;
}): ReactNode {
  const { outcome } = props;
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const failed = outcome.checks.filter((c) => c.status !== 'ok').length;
  const rollback = outcome.rollback;

  async function rollBack(id: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await call('rotate:rollback', { id });
      setDone(r.message);
      props.onRolledBack?.(r.message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="verification" data-testid="verification">
      {outcome.verifyCancelled ? (
        <div className="notice" role="status">
          Verification was cancelled; the new value was written.
        </div>
      ) : !outcome.verified ? (
        <div className="notice" role="status">
          The new value was written; it was not read back.
        </div>
      ) : failed === 0 ? (
        <div className="verify-summary verify-ok" role="status" data-testid="verify-summary">
          All {outcome.checks.length} consumer{outcome.checks.length === 1 ? '' : 's'} read the new value.
        </div>
      ) : (
        <div className="verify-summary verify-failed" role="alert" data-testid="verify-summary">
          {failed} of {outcome.checks.length} consumer{outcome.checks.length === 1 ? '' : 's'} failed verification.
        </div>
      )}
      {outcome.failures.map((f) => (
        <div className="notice" key={f.provider}>
          <code>{f.provider}</code> could not be read back: {f.message}
        </div>
      ))}
      <ul className="checks">
        {outcome.checks.map((c) => (
          <CheckItem key={`${c.stack}/${c.component}`} check={c} />
        ))}
      </ul>
      {done ? (
        <div className="verify-summary verify-ok" role="status" data-testid="rolled-back">
          Rolled back: {done}.
        </div>
      ) : rollback ? (
        <div className={`rollback-offer${failed > 0 ? ' urgent' : ''}`}>
          <span className="muted">{ROLLBACK_TEXT[rollback.method](rollback.previousVersion)}</span>{' '}
          <button
            type="button"
            className={failed > 0 ? 'danger' : 'ghost'}
            disabled={busy}
            onClick={() => void rollBack(rollback.id)}
            data-testid="roll-back"
          >
            Roll back
          </button>
        </div>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </div>
  );
}
