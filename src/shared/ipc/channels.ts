// The channel names alone, so the sandboxed preload can keep its allow-list without bundling the schemas.
export const CHANNEL_NAMES = [
  'app:info',
  'workspace:pickFolder',
  'workspace:open',
  'workspace:recent',
  'workspace:forget',
  'workspace:openDemo',
  'trust:get',
  'trust:set',
  'stacks:list',
  'stacks:component',
  'secrets:list',
  'secrets:consumers',
  'secrets:set',
  'secrets:delete',
  'secrets:reveal',
  'secrets:validate',
  'secrets:execLine',
  'op:cancel',
  'clipboard:write',
  'sops:providers',
  'sops:keygen',
  'keys:list',
  'keys:delete',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];
