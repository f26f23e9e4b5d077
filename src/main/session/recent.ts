// The recently opened workspaces, kept in the app's user-data folder (never in the repository). Every change
// is a read-modify-write under the file's lock through the one atomic writer (src/main/files): concurrent
// adds lose nothing, and a crash mid-write leaves the old list whole.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type { RecentWorkspace } from '../../shared/ipc/contract';
import { updateFileAtomic } from '../files';

const MAX_RECENT = 10;
const RecentFile = z.object({
  version: z.literal(1),
  items: z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() })),
});

export class RecentWorkspaces {
  constructor(
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(): Promise<RecentWorkspace[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return [];
    }
    return parse(text);
  }

  async add(path: string): Promise<RecentWorkspace[]> {
    return this.update((items) => {
      const rest = items.filter((i) => i.path !== path);
      return [{ path, name: basename(path), openedAt: this.now().toISOString() }, ...rest].slice(0, MAX_RECENT);
    });
  }

  async remove(path: string): Promise<RecentWorkspace[]> {
    return this.update((items) => items.filter((i) => i.path !== path));
  }

  private async update(change: (items: RecentWorkspace[]) => RecentWorkspace[]): Promise<RecentWorkspace[]> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    let result: RecentWorkspace[] = [];
    await updateFileAtomic(this.file, (current) => {
      result = change(current === undefined ? [] : parse(current.toString('utf8')));
      return JSON.stringify({ version: 1, items: result }, null, 2);
    });
    return result;
  }
}

// A damaged list is not worth an error dialog: it is only a convenience, so start afresh.
function parse(text: string): RecentWorkspace[] {
  try {
    const parsed = RecentFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.items : [];
  } catch {
    return [];
  }
}
