// The age keys the app holds in the OS keychain: each recipient (public), its keychain entry, the providers
// that read it and the SOPS files it opens (from the files' recipient stanzas; nothing is decrypted). Actions:
// generate, import a keys.txt, copy a recipient for a teammate, remove after seeing what it would no longer open.
import { useState, type ReactNode } from 'react';
import type { HeldAgeKey } from '../../../shared/ipc/keys-contract';
import { call } from '../../ipc/client';
import { Empty } from '../../ui/states';
import { useRegisterActions } from '../../ui/palette/actions';
import { useToast } from '../../ui/toast';
import { GenerateKey } from './GenerateKey';
import { ImportKeysDialog } from './ImportKeysDialog';
import { RemoveKeyDialog } from './RemoveKeyDialog';

function Opens({ k, workspaceOpen }: { k: HeldAgeKey; workspaceOpen: boolean }): ReactNode {
  if (!workspaceOpen) return <span className="muted">no workspace open</span>;
  if (k.files.length === 0) return <span className="muted">no file of this workspace</span>;
  const onlyHere = k.files.filter((f) => f.lostHere).length;
  return (
    <details>
      <summary>
        {k.files.length} file{k.files.length === 1 ? '' : 's'}
        {onlyHere > 0 ? <span className="only-key">only key here for {onlyHere}</span> : null}
      </summary>
      <ul className="key-files">
        {k.files.map((f) => (
          <li key={f.file} title={`${f.file} (${f.provider})`}>
            <code>{f.file}</code>
            {f.lostHere ? <span className="only-key">only key</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function AgeKeys(props: {
  ageKeys: readonly HeldAgeKey[];
  /** sops/age providers of the open workspace (empty without one). */
  providers: readonly string[];
  workspaceOpen: boolean;
  canPickFile: boolean;
  onChanged: () => void;
}): ReactNode {
  const [importing, setImporting] = useState(false);
  const [removing, setRemoving] = useState<HeldAgeKey | null>(null);
  const toast = useToast();
  useRegisterActions(
    props.workspaceOpen && props.providers.length > 0
      ? [
          {
            id: 'keys:import',
            label: 'Import age keys (keys.txt)…',
            group: 'Keys',
            keywords: 'age sops keychain',
            run: () => setImporting(true),
          },
        ]
      : [],
  );

  async function copy(recipient: string): Promise<void> {
    try {
      // A recipient is public: copied plainly, not as a secret (no clipboard clearing or concealment).
      await call('clipboard:write', { text: recipient, sensitive: false });
      toast.success('Recipient copied: give it to your teammate for their .sops.yaml', recipient);
    } catch (e) {
      toast.error(e, 'Copying the recipient');
    }
  }

  return (
    <div className="card" data-testid="age-keys">
      <div className="section-head">
        <h2>Age keys</h2>
        {props.workspaceOpen ? (
          <button
            type="button"
            onClick={() => setImporting(true)}
            disabled={props.providers.length === 0}
            data-testid="import-keys"
          >
            Import keys…
          </button>
        ) : null}
      </div>
      {props.workspaceOpen ? (
        <GenerateKey providers={props.providers} onDone={props.onChanged} />
      ) : (
        <p className="muted">Open a workspace to generate or import keys and see the SOPS files each opens.</p>
      )}
      {props.ageKeys.length === 0 ? (
        <Empty title="No age key in the keychain yet">Generate one for a SOPS provider, or import a keys.txt.</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table keys-table" data-testid="keys-table">
            <thead>
              <tr>
                <th scope="col" className="col-recipient">
                  Recipient (public)
                </th>
                <th scope="col" className="col-entry">
                  Keychain entry
                </th>
                <th scope="col" className="col-providers">
                  Providers
                </th>
                <th scope="col" className="col-opens">
                  Opens
                </th>
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.ageKeys.map((k) => (
                <tr key={`${k.service}/${k.account}/${k.recipient}`} data-testid="key-row">
                  <td>
                    <code className="recipient" title={k.recipient}>
                      {k.recipient}
                    </code>
                    {k.created ? <div className="muted small">created {k.created}</div> : null}
                  </td>
                  <td title={`${k.service} / ${k.account}`}>
                    <code>{k.account}</code>
                  </td>
                  <td>{k.providers.length > 0 ? k.providers.join(', ') : <span className="muted">none</span>}</td>
                  <td>
                    <Opens k={k} workspaceOpen={props.workspaceOpen} />
                  </td>
                  <td className="actions">
                    <div className="key-actions">
                      <button
                        type="button"
                        className="ghost"
                        onClick={() => void copy(k.recipient)}
                        aria-label={`Copy recipient ${k.recipient}`}
                        data-testid="copy-recipient"
                      >
                        Copy recipient
                      </button>
                      <button
                        type="button"
                        className="ghost"
                        onClick={() => setRemoving(k)}
                        aria-label={`Remove key ${k.recipient}`}
                        data-testid="remove-key"
                      >
                        Remove
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {importing ? (
        <ImportKeysDialog
          providers={props.providers}
          canPickFile={props.canPickFile}
          onClose={() => setImporting(false)}
          onImported={props.onChanged}
        />
      ) : null}
      {removing ? (
        <RemoveKeyDialog
          ageKey={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            props.onChanged();
          }}
        />
      ) : null}
    </div>
  );
}
