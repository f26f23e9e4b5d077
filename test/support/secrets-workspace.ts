// Fixture workspaces for the secrets engine: copy one under test/support/fixtures/secrets/ to a temporary folder
// with a unique keychain service, or write a small one from a map of files; and a SecretsService over memory
// keychains (one per service, shared for the test's life) for in-process tests.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadWorkspace } from '../../src/main/config';
import { MemoryKeychain } from '../../src/main/keychain/memory-keychain';
import { SecretsService, sopsBackendFor, type Confirm } from '../../src/main/secrets';
import { builtInStoreFactories, type StoreFactoryTable } from '../../src/main/stores';
import { REPO_ROOT } from './paths';

export const SECRETS_FIXTURES = join(REPO_ROOT, 'test/support/fixtures/secrets');

export interface FixtureCopy {
  readonly dir: string;
  /** The keychain service the copy's stores use. */
  readonly service: string;
  cleanup(): void;
}

/** Copies a fixture workspace and replaces __SERVICE__ in its atmos.yaml with a unique service. */
export function copySecretsFixture(name: string, label = 'secrets'): FixtureCopy {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `atmos-${label}-`)));
  cpSync(join(SECRETS_FIXTURES, name), dir, { recursive: true });
  const service = `atmos-secrets-test-${label}-${randomUUID().slice(0, 8)}`;
  const config = join(dir, 'atmos.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replaceAll('__SERVICE__', service));
  return { dir, service, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const written: string[] = [];

/** Removes every workspace writeWorkspace made (call from afterAll). */
export function removeWrittenWorkspaces(): void {
  for (const dir of written.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes a workspace from relative path -> content; removeWrittenWorkspaces() deletes it. */
export function writeWorkspace(files: Readonly<Record<string, string>>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'atmos-ws-')));
  written.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/** Memory keychains by service, so every store instance of one service sees the same entries. */
export class MemoryKeychains {
  private readonly byService = new Map<string, MemoryKeychain>();

  get(service = 'atmos-secrets'): MemoryKeychain {
    let k = this.byService.get(service);
    if (!k) {
      k = new MemoryKeychain(service);
      this.byService.set(service, k);
    }
    return k;
  }
}

export interface TestServiceOptions {
  readonly keychains?: MemoryKeychains;
  readonly confirm?: Confirm;
  readonly identity?: string;
  readonly platform?: NodeJS.Platform;
  readonly remember?: (value: string) => void;
  /** The store factories (default: the built-in ones over the memory keychains), e.g. a build without a kind. */
  readonly factories?: StoreFactoryTable;
}

/** A SecretsService over the workspace in `dir`, with memory keychains. */
export async function memoryService(
  dir: string,
  o: TestServiceOptions = {},
): Promise<{ svc: SecretsService; keychains: MemoryKeychains }> {
  const keychains = o.keychains ?? new MemoryKeychains();
  const workspace = await loadWorkspace({ cwd: dir, configPath: dir, env: {} });
  const factories =
    o.factories ??
    builtInStoreFactories({
      keychain: { makeKeychain: (s) => keychains.get(s), ...(o.platform ? { platform: o.platform } : {}) },
    });
  const svc = new SecretsService({
    workspace,
    factories,
    sops: sopsBackendFor(workspace, { keychain: (s) => keychains.get(s), env: {} }),
    confirm: o.confirm,
    identity: o.identity,
    clock: () => new Date(0),
    // Tests keep the process redactor clean unless they pass their own.
    remember: o.remember ?? (() => undefined),
  });
  return { svc, keychains };
}

/**
 * An atmos.yaml for a workspace written by `writeWorkspace`: manifests `stacks/*.yaml`, each stack named by its
 * `vars.stage`, then `more` (stores, providers) as YAML lines.
 */
export function atmosYamlByStage(...more: string[]): string {
  return [
    'base_path: "."',
    'stacks:',
    '  base_path: stacks',
    '  included_paths: ["*.yaml"]',
    '  name_template: "{{ .vars.stage }}"',
    ...more,
    '',
  ].join('\n');
}
