// The packaged app's Electron fuses, read back from the packaging configuration a build would use.
//
// No real package can be built here: electron-builder needs Electron's binary, which this machine cannot
// download. So the test does everything a build does with the fuses except on the real binary:
//   1. loads electron-builder.yml with electron-builder's own loader and validates it against its schema
//      (a misspelt fuse key fails here, as it would fail the build);
//   2. turns `electronFuses` into the @electron/fuses wire config with electron-builder's own code
//      (PlatformPackager.generateFuseConfig, the method its afterPack step calls);
//   3. applies that config with @electron/fuses to a stand-in binary that carries the fuse sentinel and the
//      fuse wire Electron ships (every fuse at its default), and reads the wire back.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  FuseState,
  FuseV1Options,
  FuseVersion,
  SENTINEL,
  flipFuses,
  getCurrentFuseWire,
  type FuseConfig,
} from './fuses-api';

const projectDir = resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  readonly electronFuses?: Record<string, boolean> | null;
  readonly asarUnpack?: readonly string[] | string | null;
  readonly asar?: boolean | null | object;
  readonly electronDownload?: unknown;
}
interface BuilderLib {
  readonly PlatformPackager: {
    prototype: { generateFuseConfig(this: unknown, fuses: Record<string, boolean>): Promise<FuseConfig> };
  };
}
interface BuilderConfigModule {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(
    config: BuilderConfig,
    debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void },
  ): Promise<void>;
}

// Loaded in this order on purpose: app-builder-lib's modules import each other in a cycle that only its
// index resolves.
const builder = require('app-builder-lib') as BuilderLib;
const builderConfig = require('app-builder-lib/out/util/config/config') as BuilderConfigModule;

async function packagingConfig(): Promise<BuilderConfig> {
  const config = await builderConfig.getConfig(projectDir, null, null);
  await builderConfig.validateConfiguration(config, { isEnabled: false, add: () => {} });
  return config;
}

/** A file shaped like Electron's binary where the fuses live: bytes, the sentinel, version, length, wire. */
function standInBinary(dir: string): string {
  // Electron 41's shipped wire, in FuseV1Options order: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
  // --inspect on, asar integrity off, only-load-from-asar off, browser V8 snapshot off, file:// privileges on.
  const wire = Buffer.from('10110001', 'ascii');
  const file = join(dir, 'atmos-secrets');
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.alloc(4096, 0x7f),
      Buffer.from(SENTINEL, 'ascii'),
      Buffer.from([1, wire.length]),
      wire,
      Buffer.alloc(4096, 0x7f),
    ]),
  );
  return file;
}

describe('packaging: Electron fuses', () => {
  // electron-builder's loader takes a few seconds on a busy machine.
  it(
    'electron-builder.yml asks for the hardened fuses, and packs the app into an asar',
    { timeout: 60_000 },
    async () => {
      const config = await packagingConfig();
      expect(config.electronFuses).toEqual({
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        onlyLoadAppFromAsar: true,
        enableEmbeddedAsarIntegrityValidation: true,
        enableCookieEncryption: true,
      });
      // Only-load-from-asar and asar integrity mean nothing without an asar.
      expect(config.asar).not.toBe(false);
      // Outside the archive: keytar's native module, and the demo, which fs.cp copies (it cannot read an asar).
      expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/keytar/**', 'examples/demo/**']));
    },
  );

  it(
    'a build flips exactly those fuses on the binary (applied to a stand-in binary and read back)',
    { timeout: 60_000 },
    async () => {
      const config = await packagingConfig();
      if (!config.electronFuses) throw new Error('electron-builder.yml sets no electronFuses');
      const fuseConfig = await builder.PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
      expect(fuseConfig.version).toBe(FuseVersion.V1);

      const dir = mkdtempSync(join(tmpdir(), 'atmos-fuses-'));
      try {
        const binary = standInBinary(dir);
        const before = readFileSync(binary);
        expect(await flipFuses(binary, fuseConfig)).toBe(1);
        const wire = await getCurrentFuseWire(binary);
        expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
        expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
        expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
        expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
        expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
        expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
        // Left as Electron ships them: the renderer is an ES-module bundle on file://, which needs those privileges.
        expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.ENABLE);
        expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(FuseState.DISABLE);
        // Only the wire changed: the bytes around it are the binary's own.
        const after = readFileSync(binary);
        expect(after.length).toBe(before.length);
        expect(after.subarray(0, 4096).equals(before.subarray(0, 4096))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('packaging: install scripts', () => {
  it(
    'every dependency with an install script is reviewed in allowScripts (allowed or denied)',
    { timeout: 90_000 },
    () => {
      const r = spawnSync('npm', ['install-scripts', 'ls', '--json'], {
        cwd: projectDir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { allowScripts: unknown[] }).allowScripts).toEqual([]);
    },
  );
});

describe('packaging: pinned tools', () => {
  it('electron-builder and @electron/fuses are exact-version devDependencies, so npx never fetches one', () => {
    const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    for (const name of ['electron-builder', '@electron/fuses', '@doyensec/electronegativity']) {
      expect(pkg.devDependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
