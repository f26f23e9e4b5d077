// A modal dialog: focus moves in, Escape closes, the page behind is inert to clicks.
import { useEffect, useRef, type ReactNode } from 'react';

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
  return (
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
    </div>
  );
}
