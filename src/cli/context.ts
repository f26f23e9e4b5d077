// What every command gets: where to write, how to reach the keychain, and whether it may ask questions.
// Injected so tests run commands in-process with captured output and a memory keychain.
import type { Keychain } from '../main/keychain/keychain';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stdin is a terminal, so prompts and confirmations may be asked. */
  readonly interactive: boolean;
}

export interface CliContext {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly keychain: (service?: string) => Keychain;
}
