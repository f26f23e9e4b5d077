// pull / push: declared secrets to and from dotenv or JSON. pull writes its file with mode 0600, atomically;
// push reads every key first and refuses the whole file when any key is undeclared, before writing anything.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../../shared/errors';
import { readOptional, withBackend } from '../backends/backend';
import type { PlacedSecret } from '../model/secrets-index';
import { describeCoordinate } from '../model/coordinates';
import { formatSecretFile, parseSecretFile, type SecretFileFormat } from './dotenv';
import {
  confirmOrStop,
  reachText,
  throwIfCancelled,
  type Confirmable,
  type ConfirmItem,
  type LongRunning,
  type OperationContext,
} from './operation-context';
import { writePrivateFileAtomic } from '../../files';
import { secretsInScope, type ScopeSelection } from '../model/scope-secrets';
import { checkSize } from './values';

export interface PullRequest extends ScopeSelection, LongRunning {
  readonly format: SecretFileFormat;
  /** Write here (mode 0600, atomic); without it the content is returned. Relative to the workspace's cwd given. */
  readonly output?: string | undefined;
  /** Resolves a relative output (the CLI's cwd); default process.cwd(). */
  readonly cwd?: string | undefined;
}

export interface PullResult {
  /** The file content when no output file was given (it holds values: the caller prints it, never logs it). */
  readonly content?: string;
  readonly file?: string;
  readonly written: readonly string[];
  /** Declared but not initialized (skipped). */
  readonly missing: readonly string[];
}

export async function pullSecrets(ctx: OperationContext, req: PullRequest): Promise<PullResult> {
  const scope = secretsInScope(ctx, req);
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const names = [...scope.secrets.keys()].sort();
  let done = 0;
  for (const name of names) {
    throwIfCancelled(req.signal);
    const s = scope.secrets.get(name);
    if (!s) continue;
    const v = await readOptional(ctx.backends, s.coordinate);
    if (v === undefined) missing.push(name);
    else values[name] = v;
    req.onProgress?.({ done: ++done, total: names.length, label: name });
  }
  const content = formatSecretFile(values, req.format);
  const written = Object.keys(values);
  if (req.output === undefined) return { content, written, missing };
  const file = resolve(req.cwd ?? process.cwd(), req.output);
  await refuseFolder(file, req.output);
  await writePrivateFileAtomic(file, content);
  return { file, written, missing };
}

export interface PushRequest extends ScopeSelection, LongRunning, Confirmable {
  readonly format: SecretFileFormat;
  /** The file's text (it holds values: never logged). */
  readonly content: string;
  /** For messages: where the content came from. */
  readonly source?: string | undefined;
}

export interface PushResult {
  readonly set: readonly string[];
}

export async function pushSecrets(ctx: OperationContext, req: PushRequest): Promise<PushResult> {
  const values = parseSecretFile(req.content, req.format, req.source ?? 'input');
  const scope = secretsInScope(ctx, req);
  const keys = Object.keys(values);
  const undeclared = keys.filter((k) => !scope.secrets.has(k) && !scope.broken.has(k));
  if (undeclared.length > 0) {
    throw new AppError(
      'CONFIG',
      `push refused: ${undeclared.length === 1 ? 'key' : 'keys'} ${undeclared.map((k) => `"${k}"`).join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} not declared ${scope.component ? `by component "${scope.component}" in` : 'as a stack or global secret of'} stack ${scope.stack}; nothing was written`,
      {
        hint: `Declare ${undeclared.length === 1 ? 'it' : 'them'} under secrets.vars, remove ${undeclared.length === 1 ? 'it' : 'them'} from the file, or use import to skip undeclared keys.`,
      },
    );
  }
  const brokenKey = keys.find((k) => scope.broken.has(k));
  if (brokenKey) throw scope.broken.get(brokenKey) ?? new AppError('CONFIG', `secret "${brokenKey}" is invalid`);
  const targets: { name: string; s: PlacedSecret; value: string }[] = keys.map((k) => ({
    name: k,
    s: scope.secrets.get(k) as PlacedSecret,
    value: values[k] ?? '',
  }));
  for (const t of targets) checkSize(ctx, t.s.coordinate, t.value);
  const items: ConfirmItem[] = [];
  for (const t of targets) {
    if (t.s.declaration.scope === 'instance') continue;
    const sum = ctx.consumers.consumersOf(t.s.coordinate);
    items.push({
      secret: t.name,
      scope: t.s.declaration.scope,
      provider: t.s.coordinate.provider,
      where: describeCoordinate(t.s.coordinate),
      consumers: sum.consumers,
      stacks: sum.stacks,
    });
  }
  await confirmOrStop(
    ctx,
    {
      operation: 'push',
      items,
      message: `push changes ${items.length === 1 ? 'a shared secret' : `${items.length} shared secrets`} used by ${reachText(items)}`,
    },
    req.confirm,
  );
  const set: string[] = [];
  let done = 0;
  for (const t of targets) {
    throwIfCancelled(req.signal);
    await withBackend(ctx.backends, t.s.coordinate, (b, x) => b.set(x, t.value));
    set.push(t.name);
    req.onProgress?.({ done: ++done, total: targets.length, label: t.name });
  }
  return { set };
}

/** A folder as the output would put the lock and temp file beside it and fail late: refuse it before any write. */
async function refuseFolder(file: string, given: string): Promise<void> {
  const st = await stat(file).catch(() => undefined);
  if (st?.isDirectory()) {
    throw new AppError(
      'CONFIG',
      `pull: the output ${file}${given === '' ? ' (--output is empty)' : ''} is a folder; nothing was written`,
      {
        hint: 'Give --output a file name, e.g. --output .env.',
      },
    );
  }
}
