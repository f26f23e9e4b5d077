// The Keys page: the age keys and backend tokens the app keeps in the OS keychain, and SOPS re-keying. It never
// lists secret values (they are managed on the Secrets page, with their consumers): only how many entries hold
// them, with the way there. Private keys and tokens never reach the renderer.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Res } from '../../../shared/ipc/contract';
import { call } from '../../ipc/client';
import { useNavigate } from '../../ui/navigation';
import { ErrorState, Loading } from '../../ui/states';
import { useRefreshGeneration } from '../../ui/refresh';
import { AgeKeys } from './AgeKeys';
import { Rekey } from './Rekey';
import { Tokens } from './Tokens';
import './keys.css';

interface KeysData {
  readonly overview: Res<'keys:overview'>;
  readonly providers: Res<'sops:providers'>['providers'];
}

/**
 * The page's data. Unlike useAsync, a reload after a change keeps the last data on screen until the new data
 * is there, so an open dialog (an import's result) stays open while the list refreshes behind it.
 */
function useKeysData(workspaceOpen: boolean): { data: KeysData | null; error: unknown; reload: () => void } {
  const [data, setData] = useState<KeysData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const refresh = useRefreshGeneration();
  useEffect(() => {
    let live = true;
    Promise.all([
      call('keys:overview', {}),
      workspaceOpen ? call('sops:providers', {}) : Promise.resolve({ providers: [] }),
    ]).then(
      ([overview, p]) => {
        if (!live) return;
        setData({ overview, providers: p.providers });
        setError(null);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [generation, refresh, workspaceOpen]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, reload };
}

export function KeysPage({ workspaceOpen }: { workspaceOpen: boolean }): ReactNode {
  const { data, error, reload } = useKeysData(workspaceOpen);
  const navigate = useNavigate();
  const shown = data?.overview ?? null;
  const all = data?.providers ?? [];
  const age = all.filter((p) => p.kind === 'sops/age').map((p) => p.name);

  return (
    <section className="page keys-page" aria-labelledby="keys-title">
      <h1 id="keys-title">Keys</h1>
      <p className="muted">
        Age private keys and backend tokens the app keeps in your OS keychain
        {shown ? (
          <>
            {' '}
            (service <code>{shown.service}</code>)
          </>
        ) : null}
        . Private keys and tokens are never shown; secret values are managed on the Secrets page.
      </p>
      {shown === null && error === null ? <Loading what="keys" /> : null}
      {error !== null ? <ErrorState error={error} onRetry={reload} /> : null}
      {shown !== null ? (
        <>
          <AgeKeys
            ageKeys={shown.ageKeys}
            providers={age}
            workspaceOpen={shown.workspaceOpen}
            canPickFile={shown.canPickFile}
            onChanged={reload}
          />
          {workspaceOpen ? <Rekey providers={all.map((p) => p.name)} onDone={reload} /> : null}
          <Tokens tokens={shown.tokens} onChanged={reload} />
          {shown.otherEntries > 0 ? (
            <p className="muted" data-testid="value-entries">
              {shown.otherEntries} other keychain entr
              {shown.otherEntries === 1 ? 'y holds a' : 'ies hold'} secret value
              {shown.otherEntries === 1 ? '' : 's'}: values are managed on the Secrets page, which shows every consumer
              before a change.{' '}
              {workspaceOpen ? (
                <button type="button" className="ghost" onClick={() => navigate({ page: 'secrets' })}>
                  Open Secrets
                </button>
              ) : null}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
