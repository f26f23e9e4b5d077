// Age keys for the workspace's SOPS providers: generate one into the provider's sink (the keychain by
// default) and see the public recipient recorded in .sops.yaml. The private key never reaches the renderer.
import { useState, type ReactNode } from 'react';
import type { Res } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';

export function AgeKeys({ onGenerated }: { onGenerated: () => void }): ReactNode {
  const [providers] = useAsync(() => call('sops:providers', {}));
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<(Res<'sops:keygen'> & { provider: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function generate(provider: string): Promise<void> {
    setBusy(provider);
    setError(null);
    setResult(null);
    try {
      setResult({ ...(await call('sops:keygen', { provider, force })), provider });
      onGenerated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  if (providers.status === 'loading') return <Loading what="SOPS providers" />;
  if (providers.status === 'error') return <ErrorState error={providers.error} />;
  const age = providers.value.providers.filter((p) => p.kind === 'sops/age');
  return (
    <div className="card" data-testid="age-keys">
      <h2>Age keys for SOPS providers</h2>
      {age.length === 0 ? (
        <Empty title="No sops/age provider in this workspace" />
      ) : (
        <>
          <ul className="list">
            {age.map((p) => (
              <li key={p.name}>
                <code className="grow">{p.name}</code>
                <button
                  type="button"
                  onClick={() => void generate(p.name)}
                  disabled={busy !== null}
                  data-testid={`keygen-${p.name}`}
                >
                  Generate key
                </button>
              </li>
            ))}
          </ul>
          <label className="check">
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            Add another key even when the provider has one (the old key is kept)
          </label>
        </>
      )}
      {error ? <ErrorState error={error} /> : null}
      {result ? (
        <div className="state state-ok" data-testid="keygen-result">
          <div>
            New key for <code>{result.provider}</code>: recipient{' '}
            <code data-testid="keygen-recipient">{result.recipient}</code>, private key in {result.storedIn}, recipient
            recorded in <code>{result.recipientsFile}</code>.
          </div>
        </div>
      ) : null}
    </div>
  );
}
