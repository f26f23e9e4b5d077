// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen } from '../test-support/render';
import { stackListing } from '../test-support/rows';
import { StackComponentPicker, type Picked } from './StackComponentPicker';

const STACKS = [stackListing('plat-ue2-dev', ['api', 'worker'], ['base']), stackListing('plat-ue2-prod', ['api'])];
const options = (testId: string): string[] =>
  [...screen.getByTestId<HTMLSelectElement>(testId).options].map((o) => `${o.value}|${o.textContent ?? ''}`);

function Harness(props: { allStacks?: boolean; initial: Picked; onChange?: (p: Picked) => void }): ReactNode {
  const [value, setValue] = useState(props.initial);
  return (
    <StackComponentPicker
      stacks={STACKS}
      value={value}
      onChange={(p) => {
        props.onChange?.(p);
        setValue(p);
      }}
      {...(props.allStacks ? { allStacks: true } : {})}
      testIds={{ stack: 'stack', component: 'component' }}
    />
  );
}

describe('StackComponentPicker', () => {
  it('offers the stack\'s concrete components only, and "All components"', () => {
    renderScreen(<Harness initial={{ stack: 'plat-ue2-dev', component: '' }} />);
    expect(options('stack')).toEqual(['plat-ue2-dev|plat-ue2-dev', 'plat-ue2-prod|plat-ue2-prod']);
    expect(options('component')).toEqual(['|All components', 'api|api', 'worker|worker']);
  });

  it('resets the component when the stack changes', async () => {
    const onChange = vi.fn();
    const { user } = renderScreen(<Harness initial={{ stack: 'plat-ue2-dev', component: '' }} onChange={onChange} />);
    await user.selectOptions(screen.getByTestId('component'), 'worker');
    expect(onChange).toHaveBeenLastCalledWith({ stack: 'plat-ue2-dev', component: 'worker' });
    await user.selectOptions(screen.getByTestId('stack'), 'plat-ue2-prod');
    expect(onChange).toHaveBeenLastCalledWith({ stack: 'plat-ue2-prod', component: '' });
    expect(options('component')).toEqual(['|All components', 'api|api']);
  });

  it('offers "All stacks" when asked, with the component select disabled until a stack is picked', async () => {
    const { user } = renderScreen(<Harness allStacks initial={{ stack: '', component: '' }} />);
    expect(options('stack')[0]).toBe('|All stacks');
    expect(screen.getByTestId<HTMLSelectElement>('component').disabled).toBe(true);
    await user.selectOptions(screen.getByTestId('stack'), 'plat-ue2-prod');
    expect(screen.getByTestId<HTMLSelectElement>('component').disabled).toBe(false);
  });
});
