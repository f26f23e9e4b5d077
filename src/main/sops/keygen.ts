// keygen: makes an age key, stores the private half in the provider's sink (the keychain by default, or a
// key file that is appended to, mode 0600) and records the public recipient in a `.sops.yaml` creation
// rule, merged with the Document API so existing rules and comments stay. An existing key needs `force`.
import { generateHybridIdentity, generateIdentity, identityToRecipient } from 'age-encryption';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type YAMLMap, YAMLSeq, type Document } from 'yaml';
import { AppError } from '../../shared/errors';
import type { Keychain } from '../keychain/keychain';
import { isFileError, updateFileAtomic } from '../files';
import { withFileLock } from './atomic-write';
import { SopsError } from './errors';
import { defaultAgeKeyFile, expandPath, parseAgeKeyList, type AgeKeyConfig } from './keysources/age/identities';
import { addKeysToText, type ImportedAgeKey } from './keysources/age/key-text';

export type AgeKeySink =
  | { readonly kind: 'keychain'; readonly keychain: Keychain; readonly account: string }
  | { readonly kind: 'file'; readonly path: string };

export interface KeygenOptions {
  readonly sink: AgeKeySink;
  /** The `.sops.yaml` to record the recipient in (created when missing). */
  readonly recipientsFile: string;
  /** The creation rule's path_regex (derived from the provider's spec.file by the caller). */
  readonly pathRegex: string;
  /** Add a key even when the provider already has one (the old key is kept, never overwritten). */
  readonly force?: boolean;
  /** A post-quantum hybrid key (age1pq1…, sops 3.12+) instead of X25519. */
  readonly postQuantum?: boolean;
  readonly now?: Date;
}

export interface KeygenResult {
  readonly recipient: string;
  /** Where the private key went: "keychain <service>/<account>" or the file path. Never the key. */
  readonly storedIn: string;
  readonly recipientsFile: string;
  /** True when a new creation rule was added (false: the recipient joined an existing rule). */
  readonly ruleCreated: boolean;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The recipients of the age identities in a key text (keys.txt or a keychain entry); malformed lines skipped. */
export async function recipientsOfKeyText(keyText: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const id of parseAgeKeyList(keyText)) {
    try {
      out.add(await identityToRecipient(id));
    } catch {
      // a malformed line is not this provider's key; it is left alone
    }
  }
  return out;
}

/** The age recipients a `.sops.yaml` rule with this path_regex lists (flat or in key groups). */
function ruleRecipients(doc: Document, pathRegex: string): string[] {
  const rule = findRule(doc, pathRegex);
  if (!rule) return [];
  const fromNode = (n: unknown): string[] => {
    if (isScalar(n) && typeof n.value === 'string')
      return n.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (isSeq(n)) return n.items.flatMap(fromNode);
    return [];
  };
  const groups = rule.get('key_groups');
  const fromGroups = isSeq(groups) ? groups.items.flatMap((g) => (isMap(g) ? fromNode(g.get('age', true)) : [])) : [];
  return [...fromNode(rule.get('age', true)), ...fromGroups];
}

function findRule(doc: Document, pathRegex: string): YAMLMap | undefined {
  const rules = doc.get('creation_rules');
  if (!isSeq(rules)) return undefined;
  return rules.items.find((r): r is YAMLMap => isMap(r) && r.get('path_regex') === pathRegex);
}

/** Adds `recipient` to the rule for `pathRegex` (created first in the list, so it wins over catch-alls). */
export function mergeRecipientIntoConfig(
  text: string | undefined,
  pathRegex: string,
  recipient: string,
): { text: string; ruleCreated: boolean } {
  const parsed = parseDocument(text ?? '');
  if (parsed.errors.length > 0)
    throw new AppError('YAML', `The recipients file does not parse: ${parsed.errors[0].message}`);
  const doc: Document = parsed;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({});
  let rules = doc.get('creation_rules');
  if (!isSeq(rules)) {
    rules = new YAMLSeq();
    doc.set('creation_rules', rules);
  }
  const seq = rules as YAMLSeq;
  const rule = findRule(doc, pathRegex);
  if (!rule) {
    seq.items.unshift(doc.createNode({ path_regex: pathRegex, age: recipient }));
    return { text: doc.toString({ lineWidth: 0 }), ruleCreated: true };
  }
  if (ruleRecipients(doc, pathRegex).includes(recipient))
    return { text: doc.toString({ lineWidth: 0 }), ruleCreated: false };
  const groups = rule.get('key_groups');
  const target = isSeq(groups) && isMap(groups.items[0]) ? (groups.items[0] as YAMLMap) : rule;
  const age = target.get('age', true);
  if (isSeq(age)) age.add(doc.createNode(recipient));
  else if (isScalar(age) && typeof age.value === 'string' && age.value.trim() !== '')
    age.value = `${age.value.trim()},${recipient}`;
  else target.set('age', isSeq(groups) ? doc.createNode([recipient]) : recipient);
  return { text: doc.toString({ lineWidth: 0 }), ruleCreated: false };
}

export interface SinkChoice {
  readonly ageKey?: AgeKeyConfig;
  readonly ageKeyFile?: string;
  readonly providerName: string;
  /** Keychains by store name (the app: `{ keychain: new KeytarKeychain() }`). */
  readonly keychains: Readonly<Record<string, Keychain>>;
  /** Where a key goes when the provider names no sink: the app uses the keychain, a CLI may prefer the file. */
  readonly defaultSink?: 'keychain' | 'file';
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
  readonly baseDir?: string;
}

/**
 * The sink `spec.age_key` selects: a named keychain store (account = `path`, else the provider name), a key
 * file (`path`/`file`/`age_key_file`, `~` and `$VAR` expanded), or the default. An inline `value` is managed
 * by hand, so it is refused.
 */
export function resolveAgeKeySink(o: SinkChoice): AgeKeySink {
  const cfg = typeof o.ageKey === 'string' ? { value: o.ageKey } : (o.ageKey ?? {});
  const env = o.env ?? process.env;
  const home = o.homeDir ?? homedir();
  if (cfg.value !== undefined) {
    throw new AppError(
      'CONFIG',
      `Provider "${o.providerName}" takes its age key inline (age_key.value); keygen does not replace it.`,
      {
        hint: 'Remove age_key.value (or point age_key.store at a keychain) to let keygen manage the key.',
      },
    );
  }
  const keychainFor = (store: string): AgeKeySink => {
    const keychain = o.keychains[store];
    if (!keychain) {
      throw new AppError(
        'CONFIG',
        `age_key.store "${store}" of provider "${o.providerName}" is not a keychain store.`,
        {
          hint: 'Configure a store of kind keychain with that name, or use store: file.',
        },
      );
    }
    return { kind: 'keychain', keychain, account: cfg.path ?? o.providerName };
  };
  if (cfg.store !== undefined && cfg.store !== 'file') return keychainFor(cfg.store);
  const path = cfg.file ?? cfg.path ?? o.ageKeyFile;
  if (path) return { kind: 'file', path: expandPath(path, env, home, o.baseDir) };
  if (cfg.store === 'file' || o.defaultSink === 'file') {
    const fromEnv = env.SOPS_AGE_KEY_FILE;
    return {
      kind: 'file',
      path: fromEnv ? expandPath(fromEnv, env, home) : defaultAgeKeyFile(env, process.platform, home),
    };
  }
  return keychainFor('keychain');
}

/**
 * A creation rule's path_regex for a provider's `spec.file` template: `{{ .atmos_stack }}`-style actions
 * match one or more path-free characters, everything else literally; anchored like the rest of the path.
 */
export function pathRegexFromTemplate(template: string): string {
  const parts = template.replace(/^\.\//, '').split(/\{\{[^}]*\}\}/);
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^${escaped.join('[^/]+')}$`;
}

function keyBlock(identity: string, recipient: string, now: Date): string {
  return `# created: ${now.toISOString().replace(/\.\d+Z$/, 'Z')}\n# public key: ${recipient}\n${identity}\n`;
}

/**
 * Makes a key, stores it, and records its recipient. One keygen per recipients file at a time across
 * processes, so racing first uses cannot each make a key (the losers see key-exists).
 */
export function keygen(o: KeygenOptions): Promise<KeygenResult> {
  return withFileLock(o.recipientsFile, () => keygenLocked(o));
}

function keyExists(why: string): SopsError {
  return new SopsError('key-exists', `An age key for this provider already exists (${why}); no new key was made.`, {
    hint: 'Use the existing key, or run keygen again with --force to add another key (the existing one is kept).',
  });
}

/** The stored text must hold the identity of `recipient`, else the key is not where we think it is. */
async function checkKept(text: string | null | undefined, recipient: string, where: string): Promise<void> {
  if (text && (await recipientsOfKeyText(text)).has(recipient)) return;
  throw new SopsError(
    'key-not-kept',
    `The new age key (recipient ${recipient}) was stored in ${where}, but reading it back did not return it; its recipient was not recorded.`,
    {
      hint: 'Another program may have replaced the entry at the same moment. Run keygen again and check the key store.',
    },
  );
}

async function keygenLocked(o: KeygenOptions): Promise<KeygenResult> {
  const configText = await readText(o.recipientsFile);
  const listed = new Set(configText === undefined ? [] : ruleRecipients(parseDocument(configText), o.pathRegex));

  const identity = o.postQuantum ? await generateHybridIdentity() : await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const block = keyBlock(identity, recipient, o.now ?? new Date());
  let storedIn: string;

  if (o.sink.kind === 'keychain') {
    const { keychain, account } = o.sink;
    const current = await keychain.get(account);
    if (current && parseAgeKeyList(current).length > 0 && !o.force) throw keyExists(`keychain entry "${account}"`);
    // With force the new key is added to the entry's key list; an existing key is never destroyed.
    await keychain.set(
      account,
      current && parseAgeKeyList(current).length > 0 ? `${current.trimEnd()}\n${block}` : block,
    );
    storedIn = `keychain ${keychain.service}/${account}`;
    await checkKept(await keychain.get(account), recipient, storedIn);
  } else {
    const { path } = o.sink;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // Appended under the key file's lock, to the content as it is now.
    await updateFileAtomic(
      path,
      async (buf) => {
        const current = buf?.toString('utf8');
        const mine = [...(await recipientsOfKeyText(current ?? ''))].filter((r) => listed.has(r));
        if (mine.length > 0 && !o.force) throw keyExists(`${path} holds the key for ${mine[0]}`);
        return current && current.trim() !== ''
          ? `${current.endsWith('\n') ? current : `${current}\n`}${block}`
          : block;
      },
      { mode: 0o600, forceMode: true },
    );
    storedIn = path;
    await checkKept(await readText(path), recipient, storedIn);
  }

  const ruleCreated = await recordRecipient(o.recipientsFile, o.pathRegex, recipient);
  return { recipient, storedIn, recipientsFile: o.recipientsFile, ruleCreated };
}

/**
 * Records the recipients of keys that already exist (a keychain entry whose keygen was cut short before its
 * recipient was written, or a key put there by hand) in the creation rule for `pathRegex`. Idempotent.
 */
export async function recordExistingAgeKeys(o: {
  readonly keyText: string;
  readonly recipientsFile: string;
  readonly pathRegex: string;
}): Promise<string[]> {
  const recipients = [...(await recipientsOfKeyText(o.keyText))];
  await withFileLock(o.recipientsFile, async () => {
    for (const r of recipients) await recordRecipient(o.recipientsFile, o.pathRegex, r);
  });
  return recipients;
}

// A writer that does not take our lock (an editor) may change .sops.yaml between our read and our write.
const CONFIG_WRITE_ATTEMPTS = 3;

/** Merges the recipient into `.sops.yaml` as it is now; rewritten only if unchanged since read, else again. */
async function recordRecipient(file: string, pathRegex: string, recipient: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    let ruleCreated = false;
    try {
      await updateFileAtomic(
        file,
        (buf) => {
          const merged = mergeRecipientIntoConfig(buf?.toString('utf8'), pathRegex, recipient);
          ruleCreated = merged.ruleCreated;
          return merged.text;
        },
        { mode: 0o644 },
      );
      return ruleCreated;
    } catch (e) {
      const raced = isFileError(e, 'changed') || isFileError(e, 'exists');
      if (!raced || attempt >= CONFIG_WRITE_ATTEMPTS) throw e;
    }
  }
}

/** The age recipients of one `age:` node (a comma-separated scalar or a list). */
function ageNodeRecipients(n: unknown): string[] {
  if (isScalar(n) && typeof n.value === 'string')
    return n.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (isSeq(n)) return n.items.flatMap(ageNodeRecipients);
  return [];
}

/** Every map holding an `age:` list in the rules: each rule, and each of its key groups. */
function ageHolders(doc: Document): YAMLMap[] {
  const rules = doc.get('creation_rules');
  if (!isSeq(rules)) return [];
  const out: YAMLMap[] = [];
  for (const r of rules.items) {
    if (!isMap(r)) continue;
    out.push(r);
    const groups = r.get('key_groups');
    if (isSeq(groups)) for (const g of groups.items) if (isMap(g)) out.push(g);
  }
  return out;
}

/** The path_regex of every creation rule that lists `recipient` (flat or in a key group). */
export function rulesListingRecipient(text: string, recipient: string): string[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return [];
  const rules = doc.get('creation_rules');
  if (!isSeq(rules)) return [];
  const out: string[] = [];
  for (const r of rules.items) {
    if (!isMap(r)) continue;
    const groups = r.get('key_groups');
    const holders = [r, ...(isSeq(groups) ? groups.items.filter((g): g is YAMLMap => isMap(g)) : [])];
    if (holders.some((h) => ageNodeRecipients(h.get('age', true)).includes(recipient))) {
      const re = r.get('path_regex');
      out.push(typeof re === 'string' ? re : '(every file)');
    }
  }
  return out;
}

/**
 * Removes `recipient` from every creation rule (and key group) of a `.sops.yaml`, through the Document API so
 * comments, order and the other rules stay. An `age:` left empty is removed; the rule itself stays.
 */
export function removeRecipientFromConfig(text: string, recipient: string): { text: string; rulesChanged: number } {
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0)
    throw new AppError('YAML', `The recipients file does not parse: ${parsed.errors[0].message}`);
  const doc: Document = parsed;
  let rulesChanged = 0;
  for (const holder of ageHolders(doc)) {
    const age = holder.get('age', true);
    const listed = ageNodeRecipients(age);
    if (!listed.includes(recipient)) continue;
    rulesChanged += 1;
    const rest = listed.filter((r) => r !== recipient);
    if (rest.length === 0) holder.delete('age');
    else if (isSeq(age))
      age.items = age.items.filter(
        (i) => !(isScalar(i) && typeof i.value === 'string' && i.value.trim() === recipient),
      );
    else if (isScalar(age)) age.value = rest.join(',');
  }
  return { text: rulesChanged > 0 ? doc.toString({ lineWidth: 0 }) : text, rulesChanged };
}

/**
 * Takes `recipient` out of a recipients file (atomic, under its lock, re-checked before replace). Returns how
 * many rules listed it (0: the file, or its absence, is left alone).
 */
export async function unrecordRecipient(file: string, recipient: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    let changed = 0;
    try {
      await updateFileAtomic(
        file,
        (buf) => {
          if (buf === undefined) return undefined;
          const r = removeRecipientFromConfig(buf.toString('utf8'), recipient);
          changed = r.rulesChanged;
          return r.rulesChanged > 0 ? r.text : undefined;
        },
        { mode: 0o644 },
      );
      return changed;
    } catch (e) {
      const raced = isFileError(e, 'changed');
      if (!raced || attempt >= CONFIG_WRITE_ATTEMPTS) throw e;
    }
  }
}

export interface ImportAgeKeysOptions {
  readonly keychain: Keychain;
  readonly account: string;
  /** Validated keys (parseKeyImport). */
  readonly keys: readonly ImportedAgeKey[];
  /** Where to record the recipients (undefined: not recorded, e.g. a provider that pins age_recipients). */
  readonly record?: { readonly recipientsFile: string; readonly pathRegex: string } | undefined;
  /** The lock that serialises key changes of this provider with keygen (its recipients file). */
  readonly lockFile: string;
  readonly now?: Date;
}

export interface ImportAgeKeysResult {
  /** Recipients of the keys that were added to the entry. */
  readonly added: readonly string[];
  /** Recipients of the keys the entry held already (left as they were). */
  readonly alreadyHeld: readonly string[];
  /** Where the keys went: "keychain <service>/<account>". Never a key. */
  readonly storedIn: string;
  /** Recipients newly written into the recipients file. */
  readonly recorded: readonly string[];
}

/**
 * Adds imported keys to a keychain entry (keys it holds are kept; the new ones appended), reads the entry
 * back, and records the recipients in the creation rule. Under the same lock as keygen, so neither loses the
 * other's key.
 */
export function importAgeKeys(o: ImportAgeKeysOptions): Promise<ImportAgeKeysResult> {
  return withFileLock(o.lockFile, async () => {
    const current = await o.keychain.get(o.account);
    const { text, added } = await addKeysToText(current, o.keys, { ...(o.now ? { now: o.now } : {}) });
    const storedIn = `keychain ${o.keychain.service}/${o.account}`;
    if (added.length > 0) {
      await o.keychain.set(o.account, text);
      const back = await o.keychain.get(o.account);
      for (const r of added) await checkKept(back, r, storedIn);
    }
    const recorded: string[] = [];
    if (o.record) {
      const before = await readText(o.record.recipientsFile);
      const listed = new Set(before === undefined ? [] : ruleRecipients(parseDocument(before), o.record.pathRegex));
      for (const k of o.keys) {
        if (listed.has(k.recipient)) continue;
        await recordRecipient(o.record.recipientsFile, o.record.pathRegex, k.recipient);
        recorded.push(k.recipient);
      }
    }
    return {
      added,
      alreadyHeld: o.keys.map((k) => k.recipient).filter((r) => !added.includes(r)),
      storedIn,
      recorded,
    };
  });
}
