// Watches the open workspace's YAML files (atmos.yaml, stack manifests) for edits made outside the app, and
// reports them debounced: an editor's save (often several events: temp file, rename, chmod) is one change.
//
// Why not `fs.watch(root, { recursive: true })`: on Linux under Node 20 it is emulated file by file and cannot
// skip `.git` or `node_modules`. Instead each folder of the workspace is watched on its own (one inotify watch
// per folder on Linux, cheap), found by a bounded walk that skips hidden and dependency folders; a folder
// created later is added when it appears. Bounded: at most `maxDirs` folders, `maxDepth` deep.
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isTempName } from '../files';

export interface WorkspaceChange {
  readonly root: string;
  /** Changed files relative to the root, '/'-separated, at most MAX_REPORTED (names only). */
  readonly files: readonly string[];
}

export interface WorkspaceWatchOptions {
  /** Quiet time before a change is reported. */
  readonly debounceMs?: number;
  /** A change is reported at the latest this long after its first event, even if events keep coming. */
  readonly maxWaitMs?: number;
  readonly maxDirs?: number;
  readonly maxDepth?: number;
  /** Told once when a folder cannot be watched or the bound is reached (names only). */
  readonly warn?: (message: string) => void;
}

const WATCHED_FILE = /\.(ya?ml|json)$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform', 'vendor', '.venv', '__pycache__']);
const MAX_REPORTED = 20;

export class WorkspaceWatcher {
  private readonly listeners = new Set<(change: WorkspaceChange) => void>();
  private readonly watchers = new Map<string, FSWatcher>();
  private root: string | null = null;
  private pending = new Set<string>();
  private quietTimer: NodeJS.Timeout | null = null;
  private maxTimer: NodeJS.Timeout | null = null;
  private warnedBound = false;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly maxDirs: number;
  private readonly maxDepth: number;
  private readonly warn: (message: string) => void;

  constructor(o: WorkspaceWatchOptions = {}) {
    this.debounceMs = o.debounceMs ?? 300;
    this.maxWaitMs = o.maxWaitMs ?? 2_000;
    this.maxDirs = o.maxDirs ?? 2_000;
    this.maxDepth = o.maxDepth ?? 12;
    this.warn = o.warn ?? (() => undefined);
  }

  /** Watches `root` (replacing what was watched); resolves once every folder found is watched. */
  async watch(root: string): Promise<void> {
    this.stop();
    this.root = root;
    this.warnedBound = false;
    await this.addTree(root, 0);
  }

  stop(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.root = null;
    this.pending = new Set();
    this.clearTimers();
  }

  /** Called with each debounced change; returns the unsubscribe function. */
  onChange(listener: (change: WorkspaceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many folders are watched (for tests and the bound). */
  get watchedFolders(): number {
    return this.watchers.size;
  }

  private async addTree(dir: string, depth: number): Promise<void> {
    const root = this.root;
    if (root === null || depth > this.maxDepth || this.watchers.has(dir)) return;
    if (this.watchers.size >= this.maxDirs) {
      if (!this.warnedBound) {
        this.warnedBound = true;
        this.warn(`Watching the first ${this.maxDirs} folders of ${root} only: edits elsewhere need Reload.`);
      }
      return;
    }
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, (_event, name) => this.onEvent(dir, depth, name));
    } catch {
      this.warn(`Cannot watch ${dir}: edits there need Reload.`);
      return;
    }
    // A folder removed while watched: forget it (its parent reports the removal).
    watcher.on('error', () => {
      watcher.close();
      this.watchers.delete(dir);
    });
    this.watchers.set(dir, watcher);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && !skipped(e.name)) await this.addTree(join(dir, e.name), depth + 1);
    }
  }

  private onEvent(dir: string, depth: number, name: string | Buffer | null): void {
    const root = this.root;
    if (root === null) return;
    const file = name === null ? null : name.toString();
    if (file !== null && isTempName(file)) return;
    if (file !== null && !WATCHED_FILE.test(file)) {
      // Maybe a new folder: watch it too (and report it if it already holds YAML, as a copied-in stack would).
      if (!skipped(file)) void this.maybeNewFolder(join(dir, file), depth + 1);
      return;
    }
    this.record(
      relative(root, file === null ? dir : join(dir, file))
        .split(sep)
        .join('/') || '.',
    );
  }

  private async maybeNewFolder(path: string, depth: number): Promise<void> {
    if (this.watchers.has(path)) return;
    try {
      if (!(await stat(path)).isDirectory()) return;
    } catch {
      return;
    }
    await this.addTree(path, depth);
    if (this.root !== null) this.record(relative(this.root, path).split(sep).join('/'));
  }

  private record(file: string): void {
    if (this.pending.size < MAX_REPORTED) this.pending.add(file);
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.flush(), this.debounceMs);
    this.maxTimer ??= setTimeout(() => this.flush(), this.maxWaitMs);
  }

  private flush(): void {
    this.clearTimers();
    const root = this.root;
    if (root === null || this.pending.size === 0) return;
    const change: WorkspaceChange = { root, files: [...this.pending].sort() };
    this.pending = new Set();
    for (const listener of this.listeners) listener(change);
  }

  private clearTimers(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.quietTimer = null;
    this.maxTimer = null;
  }
}

function skipped(name: string): boolean {
  return name.startsWith('.') || SKIPPED_DIRS.has(name);
}
