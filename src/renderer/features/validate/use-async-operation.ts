// A long operation that starts when the screen opens (useOperation runs it with a fresh id, so it can be
// cancelled), with its result or error: the "what is missing" plan of the Set-what-is-missing dialog.
import { useEffect, useRef, useState } from 'react';
import { useOperation } from '../../ui/use-operation';

export interface AsyncOperation<T> {
  readonly running: boolean;
  readonly value: T | null;
  readonly error: unknown;
  cancel(): void;
}

export function useAsyncOperation<T>(run: (operationId: string) => Promise<T>): AsyncOperation<T> {
  const op = useOperation();
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  const runRef = useRef(run);
  const startRef = useRef(op.start);
  useEffect(() => {
    runRef.current = run;
    startRef.current = op.start;
  });
  useEffect(() => {
    // Once per mount (React's development double effects included).
    if (started.current) return;
    started.current = true;
    startRef.current((id) => runRef.current(id)).then(setValue, setError);
  }, []);
  return { running: op.running || (value === null && error === null), value, error, cancel: op.cancel };
}
