// Generate an age key for a sops/age provider: into the provider's keychain entry by default (or the key file
// its age_key names); the public recipient is recorded in its recipients file. The key never reaches the renderer.
import { useState, type ReactNode } from 'react';
import { call } from '../../ipc/client';
import { useToast } from '../../ui/toast';

export function GenerateKey({ providers, onDone }: { providers: readonly string[]; onDone: () => void }): ReactNode {
  const [provider, setProvider] = useState(providers[0] ?? '');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const toast = useToast();

  async function generate(): Promise<void> {
    setBusy(true);
    try {
      const r = await call('sops:keygen', { provider, ...(force ? { force } : {}) });
      toast.success(
        `New age key for ${provider}: ${r.recipient}`,
        `Private key in ${r.storedIn}; recipient recorded in ${r.recipientsFile}.`,
      );
      onDone();
    } catch (e) {
      toast.error(e, `Generating a key for ${provider}`);
    } finally {
      setBusy(false);
    }
  }

  if (providers.length === 0) return <p className="muted">No sops/age provider in this workspace.</p>;
  return (
    <div className="keygen-form" role="group" aria-label="Generate an age key">
      <label>
        Provider{' '}
        <select value={provider} onChange={(e) => setProvider(e.target.value)} data-testid="keygen-provider">
          {providers.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void generate()} disabled={busy || provider === ''} data-testid="keygen">
        Generate key
      </button>
      <label className="check">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
        Add another key even when the provider has one (the old key is kept)
      </label>
    </div>
  );
}
