// The declare hooks other pages place: "Declare secret" for a stack (and component), and a row's
// "Edit declaration" / "Remove declaration". Each opens its dialog and, once the manifest is saved, reloads the
// workspace so every page shows the change.
import { useState, type ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { useWorkspaceReload } from '../../ui/refresh';
import { useToast } from '../../ui/toast';
import { DeclareDialog, type DeclareInitial } from './DeclareDialog';
import { RemoveDeclarationDialog } from './RemoveDeclarationDialog';

/** The row's component, or none for a stack-level row (component `*`). */
function componentOf(row: Pick<SecretRow, 'component'>): string | undefined {
  return row.component && row.component !== '*' ? row.component : undefined;
}

function useSaved(): (what: string) => void {
  const reload = useWorkspaceReload();
  const toast = useToast();
  return (what) => {
    toast.success(what);
    reload?.();
  };
}

export function DeclareButton(props: {
  stack: string;
  component?: string | undefined;
  /** The form's first values (an orphan's name and store). */
  initial?: DeclareInitial | undefined;
}): ReactNode {
  const [open, setOpen] = useState(false);
  const saved = useSaved();
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={!props.stack} data-testid="declare-open">
        Declare secret
      </button>
      {open ? (
        <DeclareDialog
          stack={props.stack}
          component={props.component}
          initial={props.initial}
          onClose={() => setOpen(false)}
          onSaved={(file) => {
            setOpen(false);
            saved(`Declared in ${file}`);
          }}
        />
      ) : null}
    </>
  );
}

export function DeclarationActions({ row }: { row: SecretRow }): ReactNode {
  const [open, setOpen] = useState<'edit' | 'remove' | null>(null);
  const saved = useSaved();
  const component = componentOf(row);
  return (
    <>
      {/* One short button keeps the sticky actions column narrow; removing is offered inside the dialog. */}
      <button
        type="button"
        className="ghost"
        onClick={() => setOpen('edit')}
        aria-label={`Edit declaration of ${row.secret}`}
        title="Edit or remove the declaration"
      >
        Declaration
      </button>
      {open === 'edit' ? (
        <DeclareDialog
          stack={row.stack}
          component={component}
          secret={row.secret}
          onClose={() => setOpen(null)}
          onRemove={() => setOpen('remove')}
          onSaved={(file) => {
            setOpen(null);
            saved(`Saved ${file}`);
          }}
        />
      ) : null}
      {open === 'remove' ? (
        <RemoveDeclarationDialog
          stack={row.stack}
          component={component}
          secret={row.secret}
          onClose={() => setOpen(null)}
          onRemoved={(file) => {
            setOpen(null);
            saved(`Removed ${row.secret} from ${file}`);
          }}
        />
      ) : null}
    </>
  );
}
