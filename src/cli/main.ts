// The `atmos-secret` process entry: real stdio, the real OS keychain, and the exit code.
import { KeytarKeychain } from '../main/keychain/keytar-keychain';
import type { CliContext } from './context';
import { runCli } from './program';
import { askYesNo, promptMasked, readAllStdin } from './terminal';

declare const __APP_VERSION__: string;

const ctx: CliContext = {
  io: {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    interactive: Boolean(process.stdin.isTTY),
  },
  env: process.env,
  cwd: process.cwd(),
  keychain: (service) => new KeytarKeychain(service),
  readStdin: () => readAllStdin(),
  promptSecret: (label) => promptMasked(label),
  confirm: (question) => askYesNo(question),
};

const code = await runCli(process.argv.slice(2), ctx, typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev');
process.exitCode = code;
