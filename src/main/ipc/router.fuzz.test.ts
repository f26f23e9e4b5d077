// IPC fuzzing (issue 9, proof 3): random payloads on every channel of the contract, through the router the
// app runs. Each either validates (the handler gets exactly what the schema accepts) or is refused with our
// own error envelope (BAD_REQUEST / UNKNOWN_CHANNEL); dispatch never throws and never hangs (fast-check's
// per-run timeout), and no refusal quotes a value from the payload.
//
// Most properties use stub handlers that record the request and answer a fixed AppError: they are about the
// boundary (schemas, envelope). One more runs the real handlers (memory keychain, a temp data folder, no
// workspace open) on every channel but workspace:openDemo, which would copy the demo to random absolute
// paths: an accepted payload gets a contract-valid answer or one of our error codes, never INTERNAL.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import { CHANNELS, contract, type Channel } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/envelope';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryKeychain } from '../keychain/memory-keychain';
import { createLogger } from '../log/logger';
import { createServices } from '../services';
import { createHandlers } from './handlers';
import { Operations } from './operations';
import { createRouter, trustRendererUrl, type Handlers, type SenderInfo } from './router';

/** Inputs per channel per property; the totals are printed so the note can quote them. */
const RUNS_PER_CHANNEL = 150;
const PER_RUN_TIMEOUT_MS = 2_000;
const CANARY = 'FUZZ-CANARY-3b1f';
/** fast-check's seed: fixed so CI runs are repeatable; IPC_FUZZ_SEED explores others. */
const SEED = Number(process.env['IPC_FUZZ_SEED'] ?? 120_126);

const RENDERER = 'file:///app/out/renderer/index.html';
const sender: SenderInfo = { url: RENDERER, isMainFrame: true, isOwnWindow: true };

function stubRouter(): {
  dispatch: (channel: unknown, request: unknown) => Promise<Result<unknown>>;
  seen: { channel: Channel; request: unknown }[];
} {
  const seen: { channel: Channel; request: unknown }[] = [];
  const handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      (request: unknown) => {
        seen.push({ channel, request });
        throw new AppError('CANCELLED', 'stub handler');
      },
    ]),
  ) as unknown as Handlers;
  const lines: string[] = [];
  const router = createRouter(
    handlers,
    trustRendererUrl(RENDERER),
    undefined,
    createLogger((l) => lines.push(l)),
  );
  return { dispatch: (channel, request) => router.dispatch(channel, request, sender), seen };
}

/** Leaves of every JSON-ish type, including the canary, huge strings and prototype-ish keys. */
const leaf = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constant(CANARY),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => `${CANARY}${s}`),
  fc.constantFrom(
    '/abs/path',
    'relative/path',
    'C:\\win',
    '\\\\unc\\share',
    '',
    'validate-all-1',
    '__proto__',
    'constructor',
  ),
  fc.constant('x'.repeat(3 * 1024 * 1024)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('any'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'toString')),
    tie('any'),
    { maxKeys: 4 },
  ),
})).any;

/** Objects over the channel's own field names (so the schemas' inner checks are reached), plus extras. */
function nearValid(channel: Channel): fc.Arbitrary<unknown> {
  const req = contract[channel].req as unknown as z.ZodObject<Record<string, z.ZodType>>;
  const keys = Object.keys(req.shape);
  const known =
    keys.length === 0
      ? fc.constant({})
      : fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] });
  return fc.oneof(
    known,
    fc
      .tuple(known, fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 2 }))
      .map(([a, b]) => ({ ...b, ...a })),
  );
}

function schemaAccepts(schema: { safeParse(v: unknown): { success: boolean } }, request: unknown): boolean {
  try {
    return schema.safeParse(request).success;
  } catch {
    return false;
  }
}

async function checkOne(
  dispatch: ReturnType<typeof stubRouter>['dispatch'],
  seen: ReturnType<typeof stubRouter>['seen'],
  channel: Channel,
  request: unknown,
): Promise<void> {
  const before = seen.length;
  const res = await dispatch(channel, request);
  // The stub handlers never succeed, so every answer is a refusal: ours (BAD_REQUEST) or the stub's.
  if (res.ok) throw new Error(`"${channel}" answered ok, but its stub handler always fails`);
  const accepted = seen.length > before;
  // Validates, or is refused: the router's decision is exactly the schema's (a payload zod throws on, such as a
  // bounded string given `{ length: <no primitive value> }`, is refused too).
  expect(accepted).toBe(schemaAccepts(contract[channel].req, request ?? {}));
  expect(res.error.code).toBe(accepted ? 'CANCELLED' : 'BAD_REQUEST');
  expect(res.error.message.length).toBeLessThan(2_000);
  expect(JSON.stringify(res)).not.toContain(CANARY);
  expect(JSON.stringify(res)).not.toContain('xxxxxxxxxxxxxxxx');
}

describe('IPC fuzz: random payloads on every channel', () => {
  const { dispatch, seen } = stubRouter();
  const totals = { anything: 0, nearValid: 0, accepted: 0, realHandlers: 0 };

  it.each(CHANNELS.map((c) => [c]))(
    '%s: any value validates or is refused with our envelope',
    { timeout: 120_000 },
    async (channel) => {
      await fc.assert(
        fc.asyncProperty(value, async (request) => {
          totals.anything++;
          await checkOne(dispatch, seen, channel, request);
        }),
        { numRuns: RUNS_PER_CHANNEL, timeout: PER_RUN_TIMEOUT_MS, markInterruptAsFailure: true, seed: SEED },
      );
    },
  );

  it.each(CHANNELS.map((c) => [c]))(
    '%s: objects over its own fields validate or are refused',
    { timeout: 120_000 },
    async (channel) => {
      const acceptedBefore = seen.length;
      await fc.assert(
        fc.asyncProperty(nearValid(channel), async (request) => {
          totals.nearValid++;
          await checkOne(dispatch, seen, channel, request);
        }),
        { numRuns: RUNS_PER_CHANNEL, timeout: PER_RUN_TIMEOUT_MS, markInterruptAsFailure: true, seed: SEED },
      );
      totals.accepted += seen.length - acceptedBefore;
    },
  );

  it('unknown channels are refused by name, whatever the payload', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        value.filter((c) => !(typeof c === 'string' && (CHANNELS as readonly string[]).includes(c))),
        value,
        async (channel, request) => {
          const res = await dispatch(channel, request);
          expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
          expect(JSON.stringify(res).length).toBeLessThan(400);
        },
      ),
      { numRuns: RUNS_PER_CHANNEL * 2, timeout: PER_RUN_TIMEOUT_MS, markInterruptAsFailure: true, seed: SEED },
    );
  });

  it(
    'the real handlers (no workspace open) answer every accepted payload without an internal error',
    { timeout: 300_000 },
    async () => {
      const userDataDir = mkdtempSync(join(tmpdir(), 'atmos-fuzz-'));
      try {
        const lines: string[] = [];
        const services = createServices({
          version: '0.0.0',
          keychain: new MemoryKeychain(),
          keychainFor: (service) => new MemoryKeychain(service),
          userDataDir,
          demoDir: '/nonexistent',
          log: createLogger((l) => lines.push(l)),
        });
        const operations = new Operations();
        const router = createRouter(
          createHandlers(services, operations),
          trustRendererUrl(RENDERER),
          operations,
          services.log,
        );
        const channels = CHANNELS.filter((c) => c !== 'workspace:openDemo');
        const input = fc
          .constantFrom(...channels)
          .chain((channel) => fc.tuple(fc.constant(channel), nearValid(channel)));
        await fc.assert(
          fc.asyncProperty(input, async ([channel, request]) => {
            totals.realHandlers++;
            const res = await router.dispatch(channel, request, sender);
            if (res.ok) {
              expect(contract[channel].res.safeParse(res.value).success).toBe(true);
            } else {
              expect(res.error.code).not.toBe('INTERNAL');
              expect(JSON.stringify(res)).not.toContain(CANARY);
            }
          }),
          { numRuns: RUNS_PER_CHANNEL * 4, timeout: PER_RUN_TIMEOUT_MS, markInterruptAsFailure: true, seed: SEED },
        );
        expect(lines).toEqual([]);
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  );

  it('tried every channel the planned number of times', () => {
    expect(totals.anything).toBe(CHANNELS.length * RUNS_PER_CHANNEL);
    expect(totals.nearValid).toBe(CHANNELS.length * RUNS_PER_CHANNEL);
    // Some near-valid inputs must get through, or the property never reached a handler.
    expect(totals.accepted).toBeGreaterThan(0);
    expect(totals.realHandlers).toBe(RUNS_PER_CHANNEL * 4);
    console.info(
      `IPC fuzz: ${CHANNELS.length} channels x ${RUNS_PER_CHANNEL} runs x 2 properties = ${totals.anything + totals.nearValid} payloads (${totals.accepted} accepted), ${RUNS_PER_CHANNEL * 2} unknown channels, ${totals.realHandlers} through the real handlers`,
    );
  });
});
