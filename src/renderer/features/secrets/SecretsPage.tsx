// The secrets page: pick a stack (and component), see its secrets (SecretsTable), and copy the exec line.
import { useState, type ReactNode } from 'react';
import { call } from '../../ipc/client';
import { Empty, ErrorState, Loading } from '../../ui/states';
import { StackComponentPicker } from '../../ui/StackComponentPicker';
import { useAsync } from '../../ui/use-async';
import { ExecLine } from './ExecLine';
import { SecretsTable } from './SecretsTable';

export function SecretsPage(): ReactNode {
  const [stacks] = useAsync(() => call('stacks:list', {}));
  const [picked, setPicked] = useState({ stack: '', component: '' });

  if (stacks.status === 'loading') return <Loading what="stacks" />;
  if (stacks.status === 'error') return <ErrorState error={stacks.error} />;
  if (stacks.value.stacks.length === 0) return <Empty title="No stacks in this workspace" />;
  const currentStack = picked.stack || stacks.value.stacks[0]?.name || '';
  const component = picked.component;

  return (
    <section className="page wide" aria-labelledby="secrets-title">
      <h1 id="secrets-title">Secrets</h1>
      <div className="row">
        <StackComponentPicker
          stacks={stacks.value.stacks}
          value={{ stack: currentStack, component }}
          onChange={setPicked}
          testIds={{ stack: 'stack-select', component: 'component-select' }}
        />
      </div>
      <SecretsTable key={`${currentStack}/${component}`} stack={currentStack} component={component || undefined} />
      {component ? <ExecLine stack={currentStack} component={component} /> : null}
    </section>
  );
}
