// Types for electron-binary.mjs (a plain script, so `npm start` needs no build), for the TypeScript that uses it.
export function electronBinary(packageDir: string, env?: NodeJS.ProcessEnv): string | null;
