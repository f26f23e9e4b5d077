// What every command gets: where to write, how to reach the keychain, and whether it may ask questions.
// Injected so tests run commands in-process with captured output and a memory keychain.
import type { Keychain } from '../main/keychain/keychain';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * Resolves once what was written to stdout is handed to the OS (at once when nothing is queued). A command
   * streaming a large document awaits it between pieces, so a slow reader does not make the output pile up.
   * Absent where output is captured in memory (tests), which never queues.
   */
  readonly drain?: () => Promise<void>;
  /** True when stdin is a terminal, so prompts and confirmations may be asked. */
  readonly interactive: boolean;
}

export interface CliContext {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly keychain: (service?: string) => Keychain;
  /** All of standard input as text (for --stdin and `-` files); absent where there is none. */
  readonly readStdin?: () => Promise<string>;
  /** A masked prompt on the terminal (nothing echoed but `*`); only called when io.interactive. */
  readonly promptSecret?: (label: string) => Promise<string>;
  /** A yes/no question on the terminal; only called when io.interactive. */
  readonly confirm?: (question: string) => Promise<boolean>;
}
