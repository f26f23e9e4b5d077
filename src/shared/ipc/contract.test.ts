// The preload's allow-list (channel names alone) and the contract's schemas must name the same channels.
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from './channels';
import { contract, isChannel } from './contract';

describe('IPC contract', () => {
  it('has a schema pair for exactly the allow-listed channels', () => {
    expect(Object.keys(contract).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('knows its own channels and nothing inherited', () => {
    expect(isChannel('keys:list')).toBe(true);
    expect(isChannel('toString')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
  });

  it('caps a secret value far above any backend limit but refuses a runaway payload', () => {
    const set = contract['secrets:set'].req;
    expect(set.safeParse({ stack: 's', secret: 'N', value: 'x'.repeat(64 * 1024), confirmed: false }).success).toBe(
      true,
    );
    expect(
      set.safeParse({ stack: 's', secret: 'N', value: 'x'.repeat(2 * 1024 * 1024), confirmed: false }).success,
    ).toBe(false);
  });
});
