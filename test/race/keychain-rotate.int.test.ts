// Proof 2 (issue 9), the keychain part: two rotations of one keychain-backed secret race. Two built CLI
// processes `set --stdin --yes` different values into the same secret at once, round after round, against the
// real Secret Service (run under scripts/with-keyring.mjs). Each round one wins cleanly: both exit 0, the
// keychain holds exactly one entry for the secret, its value is exactly one of the two (never a mix, a
// truncation or empty), and `get` prints that same value.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarKeychain } from '../../src/main/keychain/keytar-keychain';
import { runCliProcess, type CliRun } from '../support/cli';
import { emptyKeychain } from '../support/keychain';
import { copySecretsFixture, type FixtureCopy } from '../support/secrets-workspace';

const ROUNDS = 20;
/** Where the basic fixture's store "kc" keeps DB_PASSWORD of stack dev, component api. */
const ACCOUNT = 'fx/dev/api/DB_PASSWORD';
const TARGET = ['DB_PASSWORD', '-s', 'dev', '-c', 'api'];

let fx: FixtureCopy;
let keychain: KeytarKeychain;

beforeAll(() => {
  fx = copySecretsFixture('basic', 'race');
  keychain = new KeytarKeychain(fx.service);
});
afterAll(async () => {
  await emptyKeychain(keychain);
  fx.cleanup();
});

function cli(args: readonly string[], stdin?: string): Promise<CliRun> {
  return runCliProcess(['--base-path', fx.dir, ...args], {
    cwd: fx.dir,
    stdin,
    env: { ...process.env, ATMOS_STACK: '', ATMOS_COMPONENT: '' },
  });
}

/**
 * Two values that differ from the first byte and in length, each marked with its round and a random tag, so
 * any mix, truncation or stale value from another round is told apart from both. A few KB each, so a write
 * is more than one D-Bus message's worth of small talk.
 */
function contenders(round: number): [string, string] {
  const tag = randomBytes(4).toString('hex');
  return [`A-${round}-${tag}-${'a'.repeat(4096)}`, `B-${round}-${tag}-${'b'.repeat(3000)}`];
}

/** The stored value of the secret, decoded as the keychain store writes it (JSON). */
async function stored(): Promise<string | null> {
  const raw = await keychain.get(ACCOUNT);
  return raw === null ? null : (JSON.parse(raw) as string);
}

async function race(round: number): Promise<void> {
  const values = contenders(round);
  const [a, b] = await Promise.all(values.map((v) => cli(['set', ...TARGET, '--stdin', '--yes'], v)));
  expect(a?.code, `round ${round}, writer A: ${a?.stderr}`).toBe(0);
  expect(b?.code, `round ${round}, writer B: ${b?.stderr}`).toBe(0);
  const winner = await stored();
  expect(values, `round ${round}: the stored value is exactly one of the two`).toContain(winner);
  // One item, not a duplicate made by two writers that each found none (a later read could pick either).
  expect((await keychain.list()).filter((n) => n === ACCOUNT)).toEqual([ACCOUNT]);
  const get = await cli(['get', ...TARGET, '--raw']);
  expect(get.code, get.stderr).toBe(0);
  expect(get.stdout, `round ${round}: get prints the winner`).toBe(winner);
}

describe('two rotations of one keychain entry race (spawned CLI, real keychain)', () => {
  it(
    `${ROUNDS} rounds of two concurrent set --stdin --yes into one secret: both succeed, one value wins whole`,
    { timeout: 300_000 },
    async () => {
      const first = await cli(['set', ...TARGET, '--stdin', '--yes'], 'initial value');
      expect(first.code, first.stderr).toBe(0);
      expect(await stored()).toBe('initial value');
      for (let round = 0; round < ROUNDS; round++) await race(round);
    },
  );

  it('two first writes of a secret with no value yet race the same way', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 5; round++) {
      await keychain.delete(ACCOUNT);
      expect(await stored()).toBeNull();
      await race(ROUNDS + round);
    }
  });
});
