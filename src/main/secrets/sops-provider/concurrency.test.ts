// Concurrent sets of different keys of one SOPS file by separate service instances (each one stands for a
// separate process: its own backend, its own first-key bookkeeping) sharing one keychain, from three starting
// states. Every reported success must be present afterwards, readable with the one key the keychain holds,
// and .sops.yaml must name exactly that key.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKeychains, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { keychainAgeAtmosYaml, memoryKeychainService } from '../../../../test/support/sops-age-workspace';
import { loadWorkspace } from '../../config';
import { identityToRecipient } from 'age-encryption';
import { createAgeKeySource, openSopsFile, parseAgeKeyList, parseSopsConfig, toPlain } from '../../sops';
import { ageKeyAccount } from './sops-keys';

afterAll(removeWrittenWorkspaces);

const N = 20;
const NAMES = Array.from({ length: N }, (_, i) => `K${i}`);
const ATMOS = keychainAgeAtmosYaml();
const STACK = `vars: {stage: dev}
secrets:
  vars:
${NAMES.map((n) => `    ${n}: {sops: vault}`).join('\n')}
components:
  terraform:
    app: {}
`;

type Start = 'nothing' | 'key, no file' | 'key and file';

async function race(start: Start): Promise<void> {
  const dir = writeWorkspace({ 'atmos.yaml': ATMOS, 'stacks/dev.yaml': STACK });
  const keychains = new MemoryKeychains();
  const ws = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const service = (): ReturnType<typeof memoryKeychainService> => memoryKeychainService(ws, dir, keychains);
  if (start !== 'nothing') await service().set({ stack: 'dev', name: 'K0', value: 'seed' });
  if (start === 'key, no file') {
    rmSync(join(dir, 'vault/dev.enc.yaml'));
  }
  const results = await Promise.allSettled(
    NAMES.map((name, i) => service().set({ stack: 'dev', name, value: `value-${i}` })),
  );
  expect(
    results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
  ).toEqual([]);

  const stored = (await keychains.get('svc').get(ageKeyAccount('fx', 'vault'))) ?? '';
  const identities = parseAgeKeyList(stored);
  expect(identities).toHaveLength(1);
  const recipient = await identityToRecipient(identities[0] ?? '');
  const config = parseSopsConfig(readFileSync(join(dir, '.sops.yaml'), 'utf8'), join(dir, '.sops.yaml'));
  expect(config.rules.map((r) => r.keyGroups)).toEqual([[[{ type: 'age', recipient }]]]);
  const f = await openSopsFile(join(dir, 'vault/dev.enc.yaml'), {
    keySources: { age: createAgeKeySource({ ageKey: identities[0] ?? '' }) },
  });
  expect(f.metadata.keyGroups.map((g) => g.map((k) => ('recipient' in k ? k.recipient : k.type)))).toEqual([
    [recipient],
  ]);
  expect(toPlain(f.documents[0]!)).toEqual(Object.fromEntries(NAMES.map((n, i) => [n, `value-${i}`])));
}

describe(`${N} concurrent sets of different keys into one SOPS file`, () => {
  it.each<Start>(['nothing', 'key, no file', 'key and file'])('from %s: every success is there, one key', race, 30_000);
});
