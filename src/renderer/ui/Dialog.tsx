// A modal dialog: focus moves in, Escape closes, the page behind is inert to clicks. It is drawn in the body
// (a portal), not where it is opened: a row action's cell is sticky, and a sticky element is a stacking context
// that would keep the dialog under the table's sticky header and actions column, whatever its z-index.
import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; testId?: string }): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, button, textarea')?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return createPortal(
    <div className="overlay">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        ref={ref}
        data-testid={props.testId}
      >
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </div>,
    document.body,
  );
}
