// Backend tokens the app saved in the OS keychain (typed on the Stores page): store and entry names only,
// each removable after a confirmation.
import { useState, type ReactNode } from 'react';
import type { HeldToken } from '../../../shared/ipc/keys-contract';
import { call } from '../../ipc/client';
import { InlineConfirm } from '../../ui/InlineConfirm';
import { Empty } from '../../ui/states';
import { useToast } from '../../ui/toast';

export function Tokens({ tokens, onChanged }: { tokens: readonly HeldToken[]; onChanged: () => void }): ReactNode {
  const [confirming, setConfirming] = useState<string | null>(null);
  const toast = useToast();

  async function remove(account: string, store: string): Promise<void> {
    try {
      await call('keys:delete', { name: account });
      toast.success(`Removed the saved token of store ${store}`);
      setConfirming(null);
      onChanged();
    } catch (e) {
      toast.error(e, `Removing the token of ${store}`);
    }
  }

  return (
    <div className="card" data-testid="tokens">
      <h2>Backend tokens</h2>
      {tokens.length === 0 ? (
        <Empty title="No backend token saved">Tokens you save on the Stores page appear here.</Empty>
      ) : (
        <table className="table" data-testid="tokens-table">
          <thead>
            <tr>
              <th scope="col">Store</th>
              <th scope="col">Keychain entry</th>
              <th scope="col" className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.account} data-testid="token-row">
                <td>{t.store}</td>
                <td>
                  <code>{t.account}</code>
                </td>
                <td className="actions">
                  <InlineConfirm
                    asking={confirming === t.account}
                    onAsk={() => setConfirming(t.account)}
                    onCancel={() => setConfirming(null)}
                    onConfirm={() => void remove(t.account, t.store)}
                    action="Remove"
                    actionLabel={`Remove the token of ${t.store}`}
                    question="Remove the token?"
                    groupLabel={`Confirm removing the token of ${t.store}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
