// The AppError a promise rejects with (or a call throws), for tests that assert on the error's code, message and
// hint. A promise that resolves, a call that returns, or any other error fails the test saying so.
import { inspect } from 'node:util';
import { AppError } from '../../src/shared/errors';

export async function rejection(p: Promise<unknown>): Promise<AppError> {
  const outcome = await p.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error('expected the call to fail');
  if (!(outcome.error instanceof AppError)) throw new Error(`expected an AppError, got ${inspect(outcome.error)}`);
  return outcome.error;
}

/** The AppError `f` throws (the synchronous twin of `rejection`). */
export function thrown(f: () => unknown): AppError {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error('expected the call to fail');
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${inspect(error)}`);
  return error;
}
