// The secrets page: a search across every stack, then a stack (and component) with its secrets (SecretsTable),
// export/import of a file, and the exec line. Opened through the navigation context on a stack, component or
// secret (Validate's "Set", the Stacks page, the palette's search), it starts there.
import { useState, type ReactNode } from 'react';
import type { SearchHit } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { useNavTarget, type NavTarget } from '../../ui/navigation';
import { useRegisterActions } from '../../ui/palette/actions';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { StackComponentPicker } from '../../ui/StackComponentPicker';
import { useAsync } from '../../ui/use-async';
import { DeclareButton } from '../declare/DeclarationActions';
import { ExecLine } from './ExecLine';
import { FileTransfer } from './FileTransfer';
import { GlobalSearch, searchSecretsAction } from './GlobalSearch';
import { SecretsTable, type SecretFocus } from './SecretsTable';

export function SecretsPage(): ReactNode {
  const target = useNavTarget();
  // A new target (navigating here again, on another secret) starts the page afresh on it.
  const own = target.page === 'secrets' ? target : { page: 'secrets' as const };
  return <SecretsScreen key={JSON.stringify(own)} target={own} />;
}

function focusOf(target: NavTarget): SecretFocus | undefined {
  if (!target.secret) return undefined;
  return { secret: target.secret, ...(target.action === 'set' ? { action: 'set' as const } : {}) };
}

function SecretsScreen({ target }: { target: NavTarget }): ReactNode {
  const [stacks, reloadStacks] = useAsync(() => call('stacks:list', {}));
  const [picked, setPicked] = useState({ stack: target.stack ?? '', component: target.component ?? '' });
  const [focus, setFocus] = useState<SecretFocus | undefined>(() => focusOf(target));
  const [query, setQuery] = useState('');
  const [focusTick, setFocusTick] = useState(target.action === 'search' ? 1 : 0);
  const [generation, setGeneration] = useState(0);

  // While the page is open, the palette's search focuses its box (elsewhere the shell's entry comes here).
  useRegisterActions([
    { ...searchSecretsAction(() => undefined), id: 'secrets:search-here', run: () => setFocusTick((t) => t + 1) },
  ]);

  const listed = stacks.status === 'ready' ? stacks.value.stacks : [];
  const known = listed.some((s) => s.name === picked.stack);
  const currentStack = known ? picked.stack : listed[0]?.name || '';
  const component = known ? picked.component : '';

  const open = (hit: SearchHit): void => {
    setPicked({ stack: hit.stack, component: hit.component === '*' ? '' : hit.component });
    setFocus({ secret: hit.secret });
  };

  // A load error (a stack file that does not parse) shows in the page, under its heading, with "Try again".
  return (
    <section className="page wide" aria-labelledby="secrets-title">
      <h1 id="secrets-title">Secrets</h1>
      {stacks.status === 'error' ? <ErrorState error={stacks.error} onRetry={reloadStacks} /> : null}
      <GlobalSearch query={query} onQuery={setQuery} focusTick={focusTick} onOpen={open} />
      {stacks.status === 'loading' ? <Loading what="stacks" /> : null}
      {stacks.status === 'ready' && listed.length === 0 ? <Empty title="No stacks in this workspace" /> : null}
      {query.trim() === '' && listed.length > 0 ? (
        <>
          <div className="row wrap">
            <StackComponentPicker
              stacks={listed}
              value={{ stack: currentStack, component }}
              onChange={(p) => {
                setPicked(p);
                setFocus(undefined);
              }}
              testIds={{ stack: 'stack-select', component: 'component-select' }}
            />
            <FileTransfer
              stack={currentStack}
              component={component || undefined}
              onImported={() => setGeneration((g) => g + 1)}
            />
            <DeclareButton stack={currentStack} component={component || undefined} />
          </div>
          <SecretsTable
            key={`${currentStack}/${component}/${focus?.secret ?? ''}/${generation}`}
            stack={currentStack}
            component={component || undefined}
            focus={focus}
          />
          {component ? <ExecLine stack={currentStack} component={component} /> : null}
        </>
      ) : null}
    </section>
  );
}
