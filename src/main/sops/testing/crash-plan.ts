// The write sequence of the crash-safety proof, shared by the child that runs one step of it (and is killed
// inside) and the parent that runs it step by step to know the state before and after each step. The parent
// writes it to plan.json; the child reads it from there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileAtomic } from '../../files';
import type { KeySources } from '../data-key';
import { recordExistingAgeKeys } from '../keygen';
import { createSopsFile, deleteSopsValue, setSopsValue } from '../sops-file';

export type CrashStep =
  | { readonly op: 'set'; readonly key: string; readonly value: string }
  | { readonly op: 'delete'; readonly key: string }
  | { readonly op: 'create'; readonly content: Readonly<Record<string, string>>; readonly recipient: string }
  | { readonly op: 'recipients'; readonly keyText: string; readonly pathRegex: string }
  | { readonly op: 'pull'; readonly content: string };

export interface CrashFiles {
  /** The SOPS file the sets and deletes change. */
  readonly sops: string;
  /** The SOPS file the create step makes. */
  readonly created: string;
  readonly config: string;
  readonly pull: string;
}

export function crashFiles(dir: string): CrashFiles {
  return {
    sops: join(dir, 'secrets', 'app.enc.yaml'),
    created: join(dir, 'secrets', 'new.enc.yaml'),
    config: join(dir, '.sops.yaml'),
    pull: join(dir, 'out.env'),
  };
}

export function loadPlan(dir: string): CrashStep[] {
  return JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as CrashStep[];
}

/** Runs one step of the plan in `dir` through the same writers the app uses. */
export async function runCrashStep(dir: string, step: CrashStep, keySources: KeySources): Promise<void> {
  const files = crashFiles(dir);
  switch (step.op) {
    case 'set':
      await setSopsValue(files.sops, [step.key], step.value, { keySources });
      return;
    case 'delete':
      await deleteSopsValue(files.sops, [step.key], { keySources });
      return;
    case 'create':
      await createSopsFile(files.created, step.content, {
        keySources,
        keyGroups: [[{ type: 'age', recipient: step.recipient }]],
      });
      return;
    case 'recipients':
      await recordExistingAgeKeys({ keyText: step.keyText, recipientsFile: files.config, pathRegex: step.pathRegex });
      return;
    case 'pull':
      await writePrivateFileAtomic(files.pull, step.content);
      return;
    default: {
      const never: never = step;
      throw new Error(`unknown step ${JSON.stringify(never)}`);
    }
  }
}
