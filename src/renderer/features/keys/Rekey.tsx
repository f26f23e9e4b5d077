// SOPS `updatekeys` (each file's data key re-wrapped for the provider's current recipients) and data-key
// rotation (a new data key, every value re-encrypted): the plan first, per file, and the run only on
// confirmation, of exactly that plan (main keeps it; a file changed since is refused). Progress with cancel.
import { useState, type ReactNode } from 'react';
import type { Res } from '../../../shared/ipc/contract';
import type { RekeyAction } from '../../../shared/ipc/keys-contract';
import { call } from '../../ipc/client';
import { OperationProgress } from '../../ui/progress';
import { ErrorState } from '../../ui/states';
import { useRegisterActions } from '../../ui/palette/actions';
import { useToast } from '../../ui/toast';
import { useOperation } from '../../ui/use-operation';

const TITLE: Readonly<Record<RekeyAction, string>> = {
  updatekeys: 'updatekeys',
  rotate: 'data-key rotation',
};

function change(f: Res<'sops:rekeyPlan'>['files'][number], action: RekeyAction): string {
  if (!f.changes) return 'no change';
  const parts: string[] = [];
  if (action === 'rotate') parts.push(`new data key, ${f.valuesReencrypted} value(s) re-encrypted`);
  for (const k of f.added) parts.push(`+ ${k}`);
  for (const k of f.removed) parts.push(`- ${k}`);
  return parts.length > 0 ? parts.join('\n') : 'key groups reordered';
}

export function Rekey({ providers, onDone }: { providers: readonly string[]; onDone: () => void }): ReactNode {
  const [provider, setProvider] = useState(providers[0] ?? '');
  const [plan, setPlan] = useState<Res<'sops:rekeyPlan'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const op = useOperation();
  const toast = useToast();
  useRegisterActions(
    providers.length > 0
      ? (['updatekeys', 'rotate'] as const).map((action) => ({
          id: `keys:plan-${action}`,
          label: `Plan SOPS ${TITLE[action]} (${provider})`,
          group: 'Keys',
          keywords: 'sops rekey re-key data key',
          run: () => void makePlan(action),
        }))
      : [],
  );

  async function makePlan(action: RekeyAction): Promise<void> {
    setBusy(true);
    setError(null);
    setPlan(null);
    try {
      setPlan(await call('sops:rekeyPlan', { action, provider }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function apply(p: Res<'sops:rekeyPlan'>): Promise<void> {
    setError(null);
    try {
      const r = await op.start((operationId) => call('sops:rekeyApply', { planId: p.planId, operationId }));
      setPlan(null);
      toast.success(`${TITLE[p.action]} wrote ${r.written.length} file(s) of ${p.provider}`, r.written.join('\n'));
      onDone();
    } catch (e) {
      setPlan(null);
      setError(e);
    }
  }

  if (providers.length === 0) return null;
  const changing = plan ? plan.files.filter((f) => f.changes).length : 0;
  return (
    <div className="card" data-testid="rekey">
      <h2>Re-key SOPS files</h2>
      <p className="muted">
        updatekeys re-wraps each file&apos;s data key for the provider&apos;s current recipients (values keep their
        bytes); rotation makes a new data key and re-encrypts every value. The plan comes first.
      </p>
      <div className="rekey-form">
        <label>
          Provider{' '}
          <select value={provider} onChange={(e) => setProvider(e.target.value)} data-testid="rekey-provider">
            {providers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => void makePlan('updatekeys')}
          disabled={busy || op.running}
          data-testid="plan-updatekeys"
        >
          Plan updatekeys
        </button>
        <button
          type="button"
          onClick={() => void makePlan('rotate')}
          disabled={busy || op.running}
          data-testid="plan-rotate"
        >
          Plan data-key rotation
        </button>
      </div>
      {error ? <ErrorState error={error} /> : null}
      {plan ? (
        <div data-testid="rekey-plan" aria-label={`${TITLE[plan.action]} plan`} role="region">
          <h3>
            {TITLE[plan.action]} plan for <code>{plan.provider}</code>
          </h3>
          {plan.files.length === 0 ? (
            <p>This provider has no files yet; there is nothing to do.</p>
          ) : (
            <table className="table rekey-plan">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {plan.files.map((f) => (
                  <tr key={f.file} data-testid="rekey-plan-file">
                    <td>
                      <code>{f.file}</code>
                    </td>
                    <td className="plan-change">{change(f, plan.action)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="row end">
            <button type="button" className="ghost" onClick={() => setPlan(null)} disabled={op.running}>
              Discard
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => void apply(plan)}
              disabled={!plan.changes || op.running}
              data-testid="rekey-apply"
            >
              {plan.changes ? `Rewrite ${changing} file(s)` : 'Nothing to change'}
            </button>
          </div>
          <OperationProgress op={op} label={`Running ${TITLE[plan.action]}`} />
        </div>
      ) : null}
    </div>
  );
}
