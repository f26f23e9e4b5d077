// The rotation history panel: when the secret last changed (the backend's version dates, or the SOPS file's
// lastmodified), how old that is, and a flag when it is older than the maximum age in the settings.
import type { ReactNode } from 'react';
import type { SecretRow } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { rowTarget } from './target';
import './rotate.css';

const SOURCE_TEXT = {
  versions: 'from the store’s version history',
  'sops-lastmodified': 'from the SOPS file’s lastmodified (any key in the file)',
  unknown: '',
} as const;

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function RotationAge({ row }: { row: SecretRow }): ReactNode {
  const [h, reload] = useAsync(() => call('rotate:history', rowTarget(row)));
  if (h.status === 'loading') return <Loading what="rotation age" />;
  if (h.status === 'error') return <ErrorState error={h.error} onRetry={reload} />;
  const { age, versions } = h.value;
  return (
    <div className={`rotation-age${age.overdue ? ' overdue' : ''}`} data-testid="rotation-age">
      {age.lastChanged ? (
        <p>
          Last changed <strong data-testid="last-changed">{when(age.lastChanged)}</strong>
          {age.ageDays !== undefined ? ` (${age.ageDays} day${age.ageDays === 1 ? '' : 's'} ago)` : ''}{' '}
          <span className="muted">{SOURCE_TEXT[age.source]}</span>
        </p>
      ) : (
        <p className="muted" data-testid="last-changed-unknown">
          When it last changed is not known: this backend keeps no dates.
        </p>
      )}
      <p>
        {age.overdue ? (
          <span className="badge rotation-overdue" data-testid="rotation-overdue">
            Older than {age.maxAgeDays} days: rotate it
          </span>
        ) : (
          <span className="muted">Maximum rotation age: {age.maxAgeDays} days (Settings).</span>
        )}{' '}
        <span className="muted">
          {versions} version{versions === 1 ? '' : 's'} kept.
        </span>
      </p>
    </div>
  );
}
