// The folders the person trusted (or declined to trust) to run their code: a workspace's `!exec` commands run
// only in a trusted folder, as editors ask before running a cloned repository's tasks. Kept in the app's data
// folder (trusted-folders.json), never in the repository, written through the one atomic, locked writer.
//
// A folder is known by its real path, so a symlink to it shares its decision. A damaged file counts as
// "no decision" (the app asks again): the safe side, since unknown means untrusted.
import { mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { TrustDecision } from '../../shared/ipc/contract';
import { updateFileAtomic } from '../files';

const TrustFile = z.object({
  version: z.literal(1),
  folders: z.array(z.object({ path: z.string(), trusted: z.boolean(), decidedAt: z.string() })),
});
type Entry = z.infer<typeof TrustFile>['folders'][number];

export class TrustedFolders {
  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async decision(folder: string): Promise<TrustDecision> {
    const key = await canonical(folder);
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return 'unasked';
    }
    const entry = parse(text).find((e) => e.path === key);
    if (!entry) return 'unasked';
    return entry.trusted ? 'trusted' : 'declined';
  }

  async isTrusted(folder: string): Promise<boolean> {
    return (await this.decision(folder)) === 'trusted';
  }

  /** Records the person's answer for `folder`, replacing any earlier one. */
  async decide(folder: string, trusted: boolean): Promise<TrustDecision> {
    const key = await canonical(folder);
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    await updateFileAtomic(this.file, (current) => {
      const rest = (current === undefined ? [] : parse(current.toString('utf8'))).filter((e) => e.path !== key);
      const folders: Entry[] = [...rest, { path: key, trusted, decidedAt: this.now().toISOString() }];
      return `${JSON.stringify({ version: 1, folders }, null, 2)}\n`;
    });
    return trusted ? 'trusted' : 'declined';
  }
}

async function canonical(folder: string): Promise<string> {
  const absolute = resolve(folder);
  try {
    return await realpath(absolute);
  } catch {
    return absolute;
  }
}

function parse(text: string): Entry[] {
  try {
    const parsed = TrustFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.folders : [];
  } catch {
    return [];
  }
}
