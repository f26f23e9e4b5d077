// Shows a secret's value only when asked, and hides it again by itself after a short while. It draws in a cell of
// fixed width (secrets.css), masked or revealed alike, so revealing never moves the table's columns; the value
// is cut with an ellipsis there, and Copy puts the whole of it on the clipboard (main clears it after a while).
import { useEffect, useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call, errorText } from '../../ipc/client';
import { useRevealTimeoutMs } from '../../ui/settings';
import { targetOf } from './SetSecretDialog';

/** How long "Copied" shows before the button reads "Copy" again. */
const COPIED_MS = 2_000;

export function RevealValue({ row }: { row: SecretRow }): ReactNode {
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  // The Settings page's "Hide a revealed value after" (20 s by default).
  const visibleMs = useRevealTimeoutMs();

  useEffect(() => {
    if (value === null) return;
    const timer = setTimeout(() => setValue(null), visibleMs);
    return () => clearTimeout(timer);
  }, [value, visibleMs]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  async function reveal(): Promise<void> {
    setError(null);
    try {
      setValue((await call('secrets:reveal', targetOf(row))).value);
    } catch (e) {
      setError(errorText(e).message);
    }
  }

  async function copy(text: string): Promise<void> {
    setError(null);
    try {
      await call('clipboard:write', { text });
      setCopied(true);
    } catch (e) {
      setError(errorText(e).message);
    }
  }

  if (value !== null) {
    return (
      <span className="value-cell revealed">
        <code data-testid="revealed-value">{value}</code>
        <button
          type="button"
          className="ghost"
          onClick={() => void copy(value)}
          aria-label={`Copy ${row.secret}`}
          data-testid="copy-value"
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="ghost" onClick={() => setValue(null)}>
          Hide
        </button>
      </span>
    );
  }
  return (
    <span className="value-cell">
      <span className="masked" aria-hidden="true">
        ••••••
      </span>
      <button
        type="button"
        className="ghost"
        onClick={() => void reveal()}
        aria-label={`Reveal ${row.secret}`}
        disabled={row.status === 'missing'}
      >
        Reveal
      </button>
      {error ? (
        <span className="inline-error" title={error}>
          {error}
        </span>
      ) : null}
    </span>
  );
}
