// The shell's activity bar: any call to main still running after half a second shows as "Working…", so a slow
// load or save is never a frozen screen. Calls that carry an operation id (useOperation) are left to their
// page, which draws their progress and Cancel (OperationProgress in progress.tsx, or its own).
import { useEffect, useState, type ReactNode } from 'react';
import type { Channel } from '../../shared/ipc/contract';
import { onActivity, type Activity } from '../ipc/client';
import { PROGRESS_DELAY_MS } from './progress';

/** What the bar says for the slow calls people meet most; any other says "Working…". */
const LABELS: Partial<Record<Channel, string>> = {
  'stacks:list': 'Reading the workspace',
  'stacks:component': 'Describing the component',
  'secrets:list': 'Reading secrets',
  'secrets:set': 'Saving the value',
  'secrets:delete': 'Deleting',
  'secrets:reveal': 'Reading the value',
  'workspace:open': 'Opening the workspace',
  'workspace:openDemo': 'Copying the demo',
  'stores:list': 'Reading the stores',
};

export function ActivityBar(): ReactNode {
  const [slow, setSlow] = useState<readonly Activity[]>([]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = onActivity((calls) => {
      if (timer) clearTimeout(timer);
      const own = calls.filter((c) => c.operationId === undefined);
      if (own.length === 0) {
        setSlow([]);
        return;
      }
      // Shown once the oldest call has run for the delay; a quick call never shows.
      const oldest = Math.min(...own.map((c) => c.startedAt));
      timer = setTimeout(() => setSlow(own), Math.max(0, oldest + PROGRESS_DELAY_MS - Date.now()));
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, []);

  const first = slow[0];
  return (
    <div className="activity-bar" role="status" aria-live="polite" data-testid="activity">
      {first ? (
        <>
          <span className="spinner" aria-hidden="true" /> {LABELS[first.channel] ?? 'Working'}…
          {slow.length > 1 ? <span className="muted"> ({slow.length} calls)</span> : null}
        </>
      ) : null}
    </div>
  );
}
