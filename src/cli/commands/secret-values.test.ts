// `delete NAME`'s closing line comes from the service's result: a backend that schedules deletions (Secrets
// Manager) gives its window and its own DeletionDate in `result.recovery`, whatever store class holds it.
import { describe, expect, it } from 'vitest';
import { deletedText } from './secret-values';

const target = {
  stack: 'plat-ue2-dev',
  component: 'api',
  secret: 'DB_PASSWORD',
  scope: 'instance' as const,
  provider: 'store:aws',
  where: 'store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD',
  required: true,
  description: undefined,
  identity: undefined,
};
const reach = { stacks: 1, components: 1 };

describe('deletedText', () => {
  it("names the recovery window and the service's deletion date", () => {
    const text = deletedText({
      target,
      ...reach,
      deleted: true,
      recovery: { days: 7, recoverableUntil: '2026-12-08T04:05:06.000Z' },
    });
    expect(text).toBe(
      'Deleted DB_PASSWORD from store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD; scheduled for deletion in 7 days, recoverable until 2026-12-08 04:05 UTC (setting it again restores it).\n',
    );
  });

  it('without a date from the service, the window alone', () => {
    const text = deletedText({ target, ...reach, deleted: true, recovery: { days: 30, recoverableUntil: undefined } });
    expect(text).toBe(
      'Deleted DB_PASSWORD from store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD; scheduled for deletion in 30 days (setting it again restores it).\n',
    );
  });

  it('a window of 0 days: deleted at once', () => {
    const text = deletedText({ target, ...reach, deleted: true, recovery: { days: 0, recoverableUntil: undefined } });
    expect(text).toBe(
      'Deleted DB_PASSWORD from store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD; deleted at once, without recovery (recovery window of 0 days).\n',
    );
  });

  it('a store without recovery, and nothing deleted', () => {
    expect(deletedText({ target, ...reach, deleted: true })).toBe(
      'Deleted DB_PASSWORD from store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD.\n',
    );
    expect(deletedText({ target, ...reach, deleted: false })).toBe(
      'DB_PASSWORD had no value in store "aws" (aws/asm) at atmos/dev/api/DB_PASSWORD; nothing to delete.\n',
    );
  });
});
