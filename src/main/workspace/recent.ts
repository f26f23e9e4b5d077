// The recently opened workspaces, kept in the app's user-data folder (never in the repository).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type { RecentWorkspace } from '../../shared/ipc/contract';

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
    // A damaged list is not worth an error dialog: it is only a convenience, so start afresh.
    try {
      const parsed = RecentFile.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data.items : [];
    } catch {
      return [];
    }
  }

  async add(path: string): Promise<RecentWorkspace[]> {
    const items = (await this.list()).filter((i) => i.path !== path);
    items.unshift({ path, name: basename(path), openedAt: this.now().toISOString() });
    return this.save(items.slice(0, MAX_RECENT));
  }

  async remove(path: string): Promise<RecentWorkspace[]> {
    return this.save((await this.list()).filter((i) => i.path !== path));
  }

  private async save(items: RecentWorkspace[]): Promise<RecentWorkspace[]> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, items }, null, 2), { mode: 0o600 });
    await rename(tmp, this.file);
    return items;
  }
}
