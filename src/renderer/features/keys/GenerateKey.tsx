// Generate an age key for a sops/age provider: into the provider's keychain entry by default (or the key file
// its age_key names); the public recipient is recorded in its recipients file. The key never reaches the
// renderer: the result names the recipient and where the key went.
import { useState, type ReactNode } from 'react';
import type { Res } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { ErrorState } from '../../ui/states';
import { useRegisterActions } from '../../ui/palette/actions';
import { useToast } from '../../ui/toast';

export function GenerateKey({ providers, onDone }: { providers: readonly string[]; onDone: () => void }): ReactNode {
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<(Res<'sops:keygen'> & { provider: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const toast = useToast();
  useRegisterActions(
    providers.map((p) => ({
      id: `keys:generate-${p}`,
      label: `Generate an age key for ${p}`,
      group: 'Keys',
      keywords: 'age sops keygen keychain',
      run: () => void generate(p),
    })),
  );

  async function generate(provider: string): Promise<void> {
    setBusy(provider);
    setError(null);
    setResult(null);
    try {
      const r = await call('sops:keygen', { provider, ...(force ? { force } : {}) });
      setResult({ ...r, provider });
      toast.success(`New age key for ${provider}`, r.recipient);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  if (providers.length === 0) return <p className="muted">No sops/age provider in this workspace.</p>;
  return (
    <div role="group" aria-label="Generate an age key">
      <div className="keygen-form">
        {providers.map((p) => (
          <button
            key={p}
            type="button"
            onClick={() => void generate(p)}
            disabled={busy !== null}
            data-testid={`keygen-${p}`}
          >
            Generate a key for {p}
          </button>
        ))}
        <label className="check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
          Add another key even when the provider has one (the old key is kept)
        </label>
      </div>
      {error ? <ErrorState error={error} /> : null}
      {result ? (
        <div className="state state-ok" data-testid="keygen-result">
          <div>
            New key for <code>{result.provider}</code>: recipient{' '}
            <code className="break" data-testid="keygen-recipient">
              {result.recipient}
            </code>
            , private key in {result.storedIn}, recipient recorded in <code>{result.recipientsFile}</code>.
          </div>
        </div>
      ) : null}
    </div>
  );
}
