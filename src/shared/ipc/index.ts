// The IPC contract's public face for main, preload and renderer.
export * from './contract';
export * from './envelope';
export * from './bridge';
export * from './channels';
export * from './secrets-contract';
export * from './stores-contract';
export * from './settings-contract';
export * from './keys-contract';
