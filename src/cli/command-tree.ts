// Everything a CLI command needs beyond the process entry (src/cli/main.ts): the command tree, the terminal
// prompts and the OS keychain. scripts/build-cli.mjs bundles it into one CommonJS file with a V8 code cache made
// at build time, which main.ts loads; `--version` never loads it.
import './zod-jitless';

export { runCli } from './program';
export { askYesNo, promptMasked, readAllStdin } from './terminal';
export { KeytarKeychain } from '../main/keychain/keytar-keychain';
