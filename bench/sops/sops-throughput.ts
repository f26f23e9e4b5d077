// Decrypt/encrypt throughput of a 10,000-value SOPS YAML file, against the raw AES-256-GCM floor (the same
// values through node:crypto alone), printed as ratios. Wall-clock numbers are for people, never asserted.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import {
  AgeKeySource,
  STORES,
  decryptSopsBytes,
  encryptSopsDocuments,
  reencryptSopsFile,
  setPath,
} from '../../src/main/sops/index';

const VALUES = Number(process.env.SOPS_BENCH_VALUES ?? 10_000);
const RUNS = Number(process.env.SOPS_BENCH_RUNS ?? 7);
const WITH_SOPS_AGE = !process.argv.includes('--no-sops-age');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(label: string, fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  console.log(
    `  ${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms  ${((VALUES / ms) * 1000).toFixed(0).padStart(9)} values/s`,
  );
  return ms;
}

async function main(): Promise<void> {
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const keySources = { age: new AgeKeySource({ identities: [identity] }) };
  const plain = Array.from(
    { length: VALUES },
    (_, i) => `SECRET_${i}: value-${i}-${randomBytes(8).toString('hex')}\n`,
  ).join('');
  const plainBytes = new TextEncoder().encode(plain);
  const docs = STORES.yaml.parse(plainBytes, 'bench.yaml').documents;
  const enc = await encryptSopsDocuments(docs, {
    format: 'yaml',
    keyGroups: [[{ type: 'age', recipient }]],
    keySources,
  });
  console.log(
    `SOPS throughput: ${VALUES} values, ${(enc.length / 1024).toFixed(0)} KiB encrypted YAML, median of ${RUNS} runs (Node ${process.version})`,
  );

  // The floor: the same number of AES-256-GCM operations on values of the same size, nothing else.
  const key = randomBytes(32);
  const values = Array.from({ length: VALUES }, (_, i) => Buffer.from(`value-${i}-${randomBytes(8).toString('hex')}`));
  const sealed = values.map((v, i) => {
    const iv = randomBytes(32);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(`SECRET_${i}:`));
    const data = Buffer.concat([c.update(v), c.final()]);
    return { iv, data, tag: c.getAuthTag(), aad: Buffer.from(`SECRET_${i}:`) };
  });
  const floorDecrypt = await measure('raw AES-GCM decrypt (floor)', () => {
    for (const s of sealed) {
      const d = createDecipheriv('aes-256-gcm', key, s.iv);
      d.setAAD(s.aad);
      d.setAuthTag(s.tag);
      d.update(s.data);
      d.final();
    }
  });
  const ivs = randomBytes(32 * VALUES);
  const floorEncrypt = await measure('raw AES-GCM encrypt (floor)', () => {
    for (const [i, v] of values.entries()) {
      const c = createCipheriv('aes-256-gcm', key, ivs.subarray(i * 32, i * 32 + 32));
      c.setAAD(sealed[i].aad);
      c.update(v);
      c.final();
      c.getAuthTag();
    }
  });
  const parseMs = await measure('YAML parse only (yaml 2.9, no crypto)', () => STORES.yaml.parse(enc, 'bench.yaml'));
  const dec = await measure('decrypt file (parse + data key + values + MAC)', () =>
    decryptSopsBytes(enc, 'bench.yaml', 'yaml', { keySources }),
  );
  const encMs = await measure('encrypt new file (fresh key, wrap, serialize)', () =>
    encryptSopsDocuments(docs, { format: 'yaml', keyGroups: [[{ type: 'age', recipient }]], keySources }),
  );
  const setMs = await measure('set one key (decrypt + re-encrypt in place)', async () => {
    const f = await decryptSopsBytes(enc, 'bench.yaml', 'yaml', { keySources });
    setPath(f.documents[0], ['SECRET_1'], 'changed');
    reencryptSopsFile(f);
  });
  let sopsAgeMs: number | undefined;
  if (WITH_SOPS_AGE) {
    const { decryptSops } = await import('sops-age');
    const text = new TextDecoder().decode(enc);
    sopsAgeMs = await measure(
      'sops-age decrypt (independent JS, no MAC)',
      () => decryptSops(text, { secretKey: identity, fileType: 'yaml' }),
      1,
    );
  }
  console.log('Ratios (lower is better; 1.0 = the AES-GCM floor):');
  console.log(`  decrypt / floor: ${(dec / floorDecrypt).toFixed(1)}x`);
  console.log(`  decrypt without the YAML parse / floor: ${(Math.max(0, dec - parseMs) / floorDecrypt).toFixed(1)}x`);
  console.log(`  encrypt / floor: ${(encMs / floorEncrypt).toFixed(1)}x`);
  console.log(`  set one key / decrypt floor + encrypt floor: ${(setMs / (floorDecrypt + floorEncrypt)).toFixed(1)}x`);
  if (sopsAgeMs !== undefined) console.log(`  sops-age decrypt / ours: ${(sopsAgeMs / dec).toFixed(1)}x`);
}

await main();
