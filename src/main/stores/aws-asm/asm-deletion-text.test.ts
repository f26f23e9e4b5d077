// What a person reads after a Secrets Manager delete: the window and the service's date, or no recovery at all.
import { describe, expect, it } from 'vitest';
import { asmDeletionText } from './asm-store';

describe('asmDeletionText', () => {
  it('names the window and the date (UTC, to the minute), and that setting it again restores it', () => {
    const text = asmDeletionText({
      deleted: true,
      recoveryWindowDays: 7,
      deletionDate: new Date('2026-12-08T01:28:59.900Z'),
    });
    expect(text).toBe(
      'scheduled for deletion in 7 days, recoverable until 2026-12-08 01:28 UTC (setting it again restores it)',
    );
  });

  it('says a window of 0 deletes at once, without recovery', () => {
    expect(asmDeletionText({ deleted: true, recoveryWindowDays: 0, deletionDate: new Date(0) })).toBe(
      'deleted at once, without recovery (recovery_window_days: 0)',
    );
  });

  it('says when nothing was there', () => {
    expect(asmDeletionText({ deleted: false, recoveryWindowDays: 30, deletionDate: undefined })).toBe(
      'nothing was there to delete',
    );
  });
});
