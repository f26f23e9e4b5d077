// Shows a secret's value only when asked, and hides it again by itself after a short while.
import { useEffect, useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call, errorText } from '../../ipc/client';
import { targetOf } from './SetSecretDialog';

const VISIBLE_MS = 20_000;

export function RevealValue({ row }: { row: SecretRow }): ReactNode {
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (value === null) return;
    const timer = setTimeout(() => setValue(null), VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [value]);

  async function reveal(): Promise<void> {
    setError(null);
    try {
      setValue((await call('secrets:reveal', targetOf(row))).value);
    } catch (e) {
      setError(errorText(e).message);
    }
  }

  if (value !== null) {
    return (
      <span className="revealed">
        <code data-testid="revealed-value">{value}</code>
        <button type="button" className="ghost" onClick={() => setValue(null)}>
          Hide
        </button>
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        className="ghost"
        onClick={() => void reveal()}
        aria-label={`Reveal ${row.secret}`}
        disabled={row.status === 'missing'}
      >
        Reveal
      </button>
      {error ? <span className="inline-error">{error}</span> : null}
    </>
  );
}
