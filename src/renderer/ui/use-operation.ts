// Runs a long IPC operation the renderer can follow and cancel: a fresh operation id, its progress events,
// and `op:cancel`.
import { useEffect, useState } from 'react';
import { call, newOperationId, onProgress } from '../ipc/client';

export interface OperationState {
  readonly running: boolean;
  readonly done: number;
  readonly total: number;
  /** Starts `run` with a new operation id; the promise it returns ends the operation. */
  start<T>(run: (operationId: string) => Promise<T>): Promise<T>;
  cancel(): void;
}

export function useOperation(): OperationState {
  const [opId, setOpId] = useState<string | null>(null);
  const [progress, setProgress] = useState({ done: 0, total: 0 });

  useEffect(() => {
    if (!opId) return;
    return onProgress((e) => {
      if (e.operationId === opId) setProgress({ done: e.done, total: e.total });
    });
  }, [opId]);

  return {
    running: opId !== null,
    ...progress,
    start: (run) => {
      const id = newOperationId();
      setOpId(id);
      setProgress({ done: 0, total: 0 });
      return run(id).finally(() => setOpId(null));
    },
    cancel: () => {
      if (opId) void call('op:cancel', { operationId: opId });
    },
  };
}
