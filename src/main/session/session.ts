// The workspace the app has open, and its loaded Atmos configuration (loaded on first use, kept until the
// person reloads or opens another folder). Config errors surface when the stacks are asked for, so a
// repository with a broken manifest still opens and shows what to fix.
import { AppError } from '../../shared/errors';
import type { WorkspaceInfo } from '../../shared/ipc/contract';
import { loadWorkspace, type Workspace } from '../config';
import type { Keychain } from '../keychain/keychain';
import { createSecretsService, type SecretsService } from '../secrets';

export class WorkspaceSession {
  private info: WorkspaceInfo | null = null;
  /** Whether the open folder may run its code (`!exec`); the loader leaves it unevaluated until then. */
  private trustedFolder = false;
  private loaded: Promise<Workspace> | null = null;
  private services = new WeakMap<Workspace, SecretsService>();

  constructor(
    private readonly keychainFor: (service?: string) => Keychain,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  open(info: WorkspaceInfo, trusted: boolean): void {
    this.info = info;
    this.trustedFolder = trusted;
    this.loaded = null;
  }

  /** The person trusted (or stopped trusting) the open folder: the next use loads it again accordingly. */
  setTrusted(trusted: boolean): void {
    if (trusted === this.trustedFolder) return;
    this.trustedFolder = trusted;
    this.loaded = null;
  }

  get trusted(): boolean {
    return this.trustedFolder;
  }

  get current(): WorkspaceInfo | null {
    return this.info;
  }

  /** The loaded configuration; `reload` reads every file again. */
  async workspace(reload = false): Promise<Workspace> {
    const info = this.info;
    if (!info) throw new AppError('USAGE', 'No workspace is open.', { hint: 'Open a workspace first.' });
    if (reload || !this.loaded) {
      // ATMOS_CLI_CONFIG_PATH/ATMOS_BASE_PATH of the app's own environment must not redirect the folder chosen.
      const env = { ...this.env, ATMOS_CLI_CONFIG_PATH: undefined, ATMOS_BASE_PATH: undefined };
      const loading = loadWorkspace({ cwd: info.path, configPath: info.configFile, env, trusted: this.trustedFolder });
      this.loaded = loading;
      // A failed load is not cached: the next request tries again after the person fixed the file.
      loading.catch(() => {
        if (this.loaded === loading) this.loaded = null;
      });
    }
    return this.loaded;
  }

  /**
   * The secrets service of the loaded workspace (one per load, so a reload sees new declarations). It has no
   * confirm of its own: the app's dialogs answer each change explicitly, and no warning sink of its own: each
   * request that can warn brings one (secrets-handlers), so concurrent calls never see each other's warnings.
   */
  async secrets(): Promise<SecretsService> {
    const ws = await this.workspace();
    let service = this.services.get(ws);
    if (!service) {
      service = createSecretsService(ws, { keychain: this.keychainFor, env: this.env });
      this.services.set(ws, service);
    }
    return service;
  }
}
