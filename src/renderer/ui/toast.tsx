// Toasts: the result of an action, in a corner, with its detail one click away. A provider near the root holds
// them; any screen calls `useToast().success(...)` / `.error(...)`. They are announced by an aria-live region
// (polite for results, an alert for errors). Success toasts leave by themselves; errors stay until dismissed.
// Outside the provider (a page's unit test without it) the calls do nothing.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorText } from '../ipc/client';
import './toast.css';

export type ToastKind = 'success' | 'error';

export interface Toast {
  readonly id: number;
  readonly kind: ToastKind;
  readonly message: string;
  /** Shown on "Details": the hint, the file and line, the code. */
  readonly detail?: string;
}

export interface ToastApi {
  success(message: string, detail?: string): void;
  /** `error` is anything thrown (an IpcError carries main's hint and file:line); `context` says what failed. */
  error(error: unknown, context?: string): void;
}

/** How long a success toast stays. Errors stay until dismissed: they may need reading. */
export const SUCCESS_TOAST_MS = 6_000;
/** At most this many on screen: the oldest goes first. */
const MAX_TOASTS = 5;

const ToastContext = createContext<ToastApi>({ success: () => undefined, error: () => undefined });

export function ToastProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [toasts, setToasts] = useState<readonly Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback((t: Omit<Toast, 'id'>) => {
    const id = nextId.current++;
    setToasts((ts) => [...ts, { ...t, id }].slice(-MAX_TOASTS));
  }, []);

  const api = useMemo<ToastApi>(
    () => ({
      success: (message, detail) => push({ kind: 'success', message, ...(detail ? { detail } : {}) }),
      error: (error, context) => {
        const e = errorText(error);
        const detail = [e.where ? `In ${e.where}` : '', e.hint ?? '', e.code ? `Code: ${e.code}` : '']
          .filter(Boolean)
          .join('\n');
        push({
          kind: 'error',
          message: context ? `${context}: ${e.message}` : e.message,
          ...(detail ? { detail } : {}),
        });
      },
    }),
    [push],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications">
        {/* Polite for results; each error inside is an alert, which screen readers announce at once. */}
        <div aria-live="polite" aria-relevant="additions" className="toast-stack" data-testid="toasts">
          {toasts.map((t) => (
            <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
          ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }): ReactNode {
  const [open, setOpen] = useState(false);
  const { id, kind } = toast;

  useEffect(() => {
    // An opened detail is being read: it stays until dismissed.
    if (kind !== 'success' || open) return;
    const timer = setTimeout(() => onDismiss(id), SUCCESS_TOAST_MS);
    return () => clearTimeout(timer);
  }, [id, kind, open, onDismiss]);

  return (
    <div className={`toast toast-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${kind}`}>
      <div className="toast-head">
        <span className="toast-icon" aria-hidden="true">
          {kind === 'success' ? '✓' : '!'}
        </span>
        <span className="toast-message">{toast.message}</span>
        {toast.detail ? (
          <button type="button" className="ghost small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Hide details' : 'Details'}
          </button>
        ) : null}
        <button type="button" className="ghost small toast-close" aria-label="Dismiss" onClick={() => onDismiss(id)}>
          ×
        </button>
      </div>
      {open && toast.detail ? <pre className="toast-detail">{toast.detail}</pre> : null}
    </div>
  );
}

export function useToast(): ToastApi {
  return useContext(ToastContext);
}
