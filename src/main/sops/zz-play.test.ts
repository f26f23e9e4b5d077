import { it } from 'vitest';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { AgeKeySource, encryptSopsDocuments, decryptSopsBytes, STORES, reencryptSopsFile } from './index';
it('play', async () => {
  const id = await generateIdentity();
  const rcp = await identityToRecipient(id);
  const src = `# top comment\nfoo: bar # inline\nnum: 7\nflt: 1.0\nbig: 1e21\nb: yes\nt: 2024-01-01\nnested:\n    # inside\n    pw: secret\n    list:\n        - a\n        - 2\n    x_unencrypted: open\nmulti: "line1\\nline2\\n"\nempty: ''\nnul: null\n---\nsecond: doc\n`;
  const docs = STORES.yaml.parse(new TextEncoder().encode(src), 'x.yaml').documents;
  const ks = { age: new AgeKeySource({ identities: [id] }) };
  const out = await encryptSopsDocuments(docs, { format: 'yaml', keyGroups: [[{ type: 'age', recipient: rcp }]], keySources: ks });
  const text = new TextDecoder().decode(out);
  console.log(text);
  const f = await decryptSopsBytes(out, 'x.yaml', 'yaml', { keySources: ks });
  console.log(new TextDecoder().decode(STORES.yaml.serialize(f.documents, undefined, f.style)));
  const again = new TextDecoder().decode(reencryptSopsFile(f));
  const a = text.split('\n'), b = again.split('\n');
  console.log('diff lines', a.filter((l, i) => l !== b[i]).length, a.length, b.length);
  for (const fmt of ['json', 'dotenv'] as const) {
    const o = await encryptSopsDocuments([{ kind: 'map', items: [{ key: 'a', value: 'x\ny' }, { key: 'n', value: 7n }] }], { format: fmt, keyGroups: [[{ type: 'age', recipient: rcp }]], keySources: ks });
    console.log(new TextDecoder().decode(o));
  }
});
