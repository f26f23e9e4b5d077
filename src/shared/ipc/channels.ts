// The channel names alone, so the sandboxed preload can keep its allow-list without bundling the schemas.
export const CHANNEL_NAMES = [
  'app:info',
  'workspace:pickFolder',
  'workspace:open',
  'workspace:recent',
  'workspace:forget',
  'workspace:openDemo',
  'stacks:list',
  'stacks:component',
  'keys:list',
  'keys:delete',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];
