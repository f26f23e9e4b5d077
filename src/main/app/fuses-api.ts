// @electron/fuses' API for the packaging test, loaded through require: the package is CommonJS and its
// enums must be the very objects electron-builder uses. Build-time only; the app never imports this.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type FuseConfig = { readonly version: string } & Readonly<Record<number, boolean | undefined>>;

interface FusesModule {
  readonly FuseVersion: { readonly V1: string };
  readonly FuseV1Options: {
    readonly RunAsNode: number;
    readonly EnableCookieEncryption: number;
    readonly EnableNodeOptionsEnvironmentVariable: number;
    readonly EnableNodeCliInspectArguments: number;
    readonly EnableEmbeddedAsarIntegrityValidation: number;
    readonly OnlyLoadAppFromAsar: number;
    readonly LoadBrowserProcessSpecificV8Snapshot: number;
    readonly GrantFileProtocolExtraPrivileges: number;
  };
  flipFuses(pathToElectron: string, config: FuseConfig): Promise<number>;
  getCurrentFuseWire(pathToElectron: string): Promise<Readonly<Record<number, number>>>;
}
interface FuseConstants {
  readonly SENTINEL: string;
  readonly FuseState: {
    readonly DISABLE: number;
    readonly ENABLE: number;
    readonly REMOVED: number;
    readonly INHERIT: number;
  };
}

const fuses = require('@electron/fuses') as FusesModule;
const constants = require('@electron/fuses/dist/constants') as FuseConstants;

export const { FuseVersion, FuseV1Options, flipFuses, getCurrentFuseWire } = fuses;
export const { SENTINEL, FuseState } = constants;
