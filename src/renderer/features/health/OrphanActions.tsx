// An orphan's actions on the Health page: "Declare secret" (the declare form, at the stack and component the
// value's name maps back to) and "Delete it" (after a confirmation naming the store and the backend name; main
// lists the store again first, so a value declared since is not deleted).
import { useState, type ReactNode } from 'react';
import type { FindingPlace } from '../../../shared/ipc/health-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import type { DeclareInitial } from '../declare/DeclareDialog';
import { DeclareButton } from '../declare/DeclarationActions';

export function OrphanActions({ place, onDeleted }: { place: FindingPlace; onDeleted: () => void }): ReactNode {
  const [confirming, setConfirming] = useState(false);
  const storeOrphan = place.provider?.startsWith('store:') === true && place.where !== undefined;
  return (
    <span className="health-actions">
      {place.stack ? (
        <DeclareButton
          stack={place.stack}
          component={place.component === '*' ? undefined : place.component}
          initial={initialOf(place)}
        />
      ) : null}
      {storeOrphan ? (
        <button type="button" className="ghost danger" onClick={() => setConfirming(true)} data-testid="orphan-delete">
          Delete it
        </button>
      ) : null}
      {confirming && place.provider && place.where ? (
        <DeleteOrphanDialog
          provider={place.provider}
          path={place.where}
          onClose={() => setConfirming(false)}
          onDeleted={() => {
            setConfirming(false);
            onDeleted();
          }}
        />
      ) : null}
    </span>
  );
}

/** The declare form's first values: the orphan's name and its store or SOPS provider ("store:x", "sops:y"). */
function initialOf(place: FindingPlace): DeclareInitial {
  const [kind, name] = place.provider?.split(':', 2) ?? [];
  return {
    name: place.secret,
    ...(kind === 'store' ? { store: name } : {}),
    ...(kind === 'sops' ? { sops: name } : {}),
  };
}

function DeleteOrphanDialog(props: {
  provider: string;
  path: string;
  onClose: () => void;
  onDeleted: () => void;
}): ReactNode {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  function remove(): void {
    setBusy(true);
    setError(null);
    call('health:deleteOrphan', { provider: props.provider, path: props.path, confirmed: true }).then(
      (r) => {
        toast.success(r.deleted ? `Deleted ${props.path} from ${props.provider}` : `${props.path} was already gone`);
        props.onDeleted();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  }
  return (
    <Dialog title="Delete an undeclared value" onClose={props.onClose} testId="orphan-delete-dialog">
      <p>
        Delete <code>{props.path}</code> from <code>{props.provider}</code>? No declaration uses it. Where the store
        keeps no versions, the value is gone for good.
      </p>
      {error ? <ErrorState error={error} /> : null}
      <div className="row">
        <button type="button" className="ghost" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={remove} disabled={busy} data-testid="orphan-delete-confirm">
          Delete
        </button>
      </div>
    </Dialog>
  );
}
