// The shared AWS pieces without a network: error mapping by code and status (never by message), the value form,
// and the call policy (retries only on throttling and 5xx, jittered backoff, Retry-After, timeout, cancel).
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { SecretNotFoundError, StoreAuthError, StoreThrottledError } from '../store-errors';
import { awsCall, chunks, type AwsCallPolicy } from './aws-call';
import { allPages, LazyAwsClient } from './aws-client';
import { AwsRequestError, isRetryable, mapAwsError, StoreUnavailableError, type AwsCallSubject } from './aws-errors';
import { decodeAwsValue, encodeAwsValue } from './aws-value';

const subject: AwsCallSubject = { secret: 'DB', store: 'ssm', nativeName: '/a/DB', operation: 'SSM GetParameter' };

function sdkError(name: string, message: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, ...extra });
}

describe('mapAwsError', () => {
  it.each([
    ['AccessDeniedException', 400, StoreAuthError],
    ['UnrecognizedClientException', 400, StoreAuthError],
    ['ExpiredTokenException', 400, StoreAuthError],
    ['CredentialsProviderError', undefined, StoreAuthError],
    ['SomethingElse', 403, StoreAuthError],
    ['ThrottlingException', 400, StoreThrottledError],
    ['TooManyUpdates', 400, StoreThrottledError],
    ['Whatever', 429, StoreThrottledError],
    ['InternalServerError', 500, StoreUnavailableError],
    ['Unmodeled', 502, StoreUnavailableError],
    ['ValidationException', 400, AwsRequestError],
  ])('maps %s (HTTP %s) by its code and status', (name, status, type) => {
    const mapped = mapAwsError(sdkError(name, 'words of the service', status), subject);
    expect(mapped).toBeInstanceOf(type);
    expect(mapped.message).toContain('"ssm"');
    expect(mapped.message).toContain(name === 'Whatever' || name === 'SomethingElse' ? 'words' : name);
  });

  it('maps not-found codes only where the operation says so', () => {
    expect(mapAwsError(sdkError('ParameterNotFound', ''), subject, { notFound: ['ParameterNotFound'] })).toBeInstanceOf(
      SecretNotFoundError,
    );
    expect(mapAwsError(sdkError('ParameterNotFound', ''), subject)).toBeInstanceOf(AwsRequestError);
  });

  it('maps network errors to unavailable; a refused connection is not retried, a reset is', () => {
    const refused = mapAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), subject);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(isRetryable(refused)).toBe(false);
    const reset = mapAwsError(
      new AggregateError([Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })], ''),
      subject,
    );
    expect(reset).toBeInstanceOf(StoreUnavailableError);
    expect(isRetryable(reset)).toBe(true);
  });

  it('blanks the value out of the backend words and keeps Retry-After', () => {
    const mapped = mapAwsError(sdkError('ValidationException', 'bad value hunter2-secret here', 400), subject, {
      value: 'hunter2-secret',
    });
    expect(mapped.message).not.toContain('hunter2-secret');
    expect(mapped.message).toContain('[value]');
    const throttled = mapAwsError(
      sdkError('ThrottlingException', 'Rate exceeded', 400, { $response: { headers: { 'retry-after': '2' } } }),
      subject,
    );
    expect(throttled).toBeInstanceOf(StoreThrottledError);
    expect((throttled as StoreThrottledError).retryAfterMs).toBe(2000);
    expect(throttled.message).toContain('"DB"');
  });

  it('names the secret when a credential provider fails with AUTH, keeping its hint', () => {
    const mapped = mapAwsError(new AppError('AUTH', 'No AWS keys', { hint: 'store them' }), subject);
    expect(mapped).toBeInstanceOf(StoreAuthError);
    expect(mapped.message).toContain('"DB"');
    expect(mapped.hint).toBe('store them');
  });
});

describe('value form', () => {
  it('keeps text as it is, writes empty as "" and refuses the literal ""', () => {
    const who = { secret: 'S', store: 'x' };
    expect(encodeAwsValue('{"a":1}', who)).toBe('{"a":1}');
    expect(encodeAwsValue('', who)).toBe('""');
    expect(decodeAwsValue('""')).toBe('');
    expect(decodeAwsValue('"q"')).toBe('"q"');
    expect(() => encodeAwsValue('""', who)).toThrow(/secret "S" cannot hold the two-character value/);
  });
});

describe('awsCall', () => {
  const policy = (over: Partial<AwsCallPolicy> = {}): AwsCallPolicy & { waits: number[] } => {
    const waits: number[] = [];
    return {
      timeoutMs: 1000,
      maxAttempts: 4,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0,
      waits,
      ...over,
    };
  };

  it('retries throttling and 5xx with backoff, then succeeds', async () => {
    const p = policy();
    const failures = [sdkError('ThrottlingException', '', 400), sdkError('InternalServerError', '', 500)];
    let calls = 0;
    const out = await awsCall(subject, p, () => {
      calls++;
      const f = failures.shift();
      return f ? Promise.reject(f) : Promise.resolve('ok');
    });
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    expect(p.waits).toEqual([100, 200]);
  });

  it('does not retry a 4xx, and stops after maxAttempts', async () => {
    const p = policy({ maxAttempts: 2 });
    let calls = 0;
    const denied = awsCall(subject, p, () => {
      calls++;
      return Promise.reject(sdkError('AccessDeniedException', 'no', 400));
    });
    await expect(denied).rejects.toBeInstanceOf(StoreAuthError);
    expect(calls).toBe(1);
    const storm = awsCall(subject, p, () => {
      calls++;
      return Promise.reject(sdkError('ThrottlingException', '', 400));
    });
    await expect(storm).rejects.toBeInstanceOf(StoreThrottledError);
    expect(calls).toBe(3);
  });

  it('turns a hung call into unavailable after the timeout, and honours cancellation', async () => {
    const hang = (signal: AbortSignal): Promise<never> =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    const timedOut = await awsCall(subject, policy({ timeoutMs: 20 }), hang).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(StoreUnavailableError);
    expect((timedOut as AppError).message).toContain('no answer within 20 ms');
    const controller = new AbortController();
    const pending = awsCall(subject, policy({ signal: controller.signal }), hang).catch((e: unknown) => e);
    controller.abort();
    expect(((await pending) as AppError).code).toBe('CANCELLED');
  });

  it('stops a backoff wait at once when cancelled: CANCELLED, and no further attempt', async () => {
    const controller = new AbortController();
    let calls = 0;
    // A sleep that never ends: only the cancellation can end the wait.
    const p = policy({ signal: controller.signal, sleep: () => new Promise<void>(() => undefined) });
    const pending = awsCall(subject, p, () => {
      calls++;
      queueMicrotask(() => controller.abort());
      return Promise.reject(sdkError('ThrottlingException', '', 400));
    }).catch((e: unknown) => e);
    expect(((await pending) as AppError).code).toBe('CANCELLED');
    expect(calls).toBe(1);
  });
});

describe('batching helpers', () => {
  it('chunks in order, the last chunk short', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('allPages', () => {
  it('follows the tokens until a page has none, items in order, a page without items counting as empty', async () => {
    const asked: (string | undefined)[] = [];
    const pages: Record<string, { items: number[] | undefined; next?: string }> = {
      first: { items: [1, 2], next: 'b' },
      b: { items: undefined, next: 'c' },
      c: { items: [3] },
    };
    const all = await allPages(async (token) => {
      asked.push(token);
      return pages[token ?? 'first']!;
    });
    expect(all).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });
});

describe('LazyAwsClient', () => {
  it('loads once, destroys the client on close, and loads afresh after it', async () => {
    const destroyed: number[] = [];
    let loads = 0;
    const lazy = new LazyAwsClient(async () => {
      const n = (loads += 1);
      return { sdk: 'sdk', client: { n, destroy: () => destroyed.push(n) } };
    });
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a.client.n).toBe(1);
    expect(b.client.n).toBe(1);
    await lazy.close();
    expect(destroyed).toEqual([1]);
    expect((await lazy.get()).client.n).toBe(2);
    await lazy.close();
    await lazy.close();
    expect(destroyed).toEqual([1, 2]);
  });

  it('keeps a failed load (every call reports it) and closes it without throwing', async () => {
    let loads = 0;
    const lazy = new LazyAwsClient<string, { destroy(): void }>(() => {
      loads += 1;
      return Promise.reject(new Error('no region'));
    });
    await expect(lazy.get()).rejects.toThrow('no region');
    await expect(lazy.get()).rejects.toThrow('no region');
    expect(loads).toBe(1);
    await expect(lazy.close()).resolves.toBeUndefined();
  });
});
