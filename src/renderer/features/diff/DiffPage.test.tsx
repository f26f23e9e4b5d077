// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { DiffReport, DiffRow } from '../../../shared/ipc/explain-contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { DiffPage, verdict } from './DiffPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const side = (status: 'initialized' | 'missing', where = 'store "kc" (keychain) at fx/x') => ({
  scope: 'instance' as const,
  provider: 'store:kc',
  where,
  status,
});

function diffRow(over: Partial<DiffRow> & Pick<DiffRow, 'secret'>): DiffRow {
  return {
    component: 'api',
    a: side('initialized'),
    b: side('initialized'),
    declared: 'both',
    set: 'both',
    value: 'equal',
    storeDiffers: false,
    scopeDiffers: false,
    differs: false,
    ...over,
  };
}

const report: DiffReport = {
  a: 'dev',
  b: 'prod',
  component: null,
  rows: [
    diffRow({ secret: 'DB' }),
    diffRow({ secret: 'API_KEY', value: 'different', differs: true }),
    diffRow({ secret: 'ONLY_DEV', b: null, declared: 'a', set: 'a', value: 'not-comparable', differs: true }),
  ],
  summary: { secrets: 3, differing: 2, onlyInA: 1, onlyInB: 0, differentValues: 1 },
  problems: [],
};

const stacks = {
  stacks: [
    { name: 'dev', manifest: 'deploy/dev', components: [{ name: 'api', type: 'terraform', abstract: false }] },
    { name: 'prod', manifest: 'deploy/prod', components: [{ name: 'api', type: 'terraform', abstract: false }] },
  ],
  warnings: [],
};

describe('DiffPage', () => {
  it('compares the two picked stacks side by side and filters to the differences', async () => {
    answer({ 'stacks:list': () => stacks, 'diff:stacks': () => report });
    const { user } = renderScreen(<DiffPage />);
    await user.selectOptions(await screen.findByTestId('diff-stack-a'), 'dev');
    await user.selectOptions(screen.getByTestId('diff-stack-b'), 'prod');
    await user.selectOptions(screen.getByTestId('diff-component'), 'api');
    await user.click(screen.getByTestId('diff-run'));
    const rows = await screen.findAllByTestId('diff-row');
    expect(rows.map((r) => r.dataset['secret'])).toEqual(['DB', 'API_KEY', 'ONLY_DEV']);
    expect(callsTo('diff:stacks')).toEqual([{ a: 'dev', b: 'prod', component: 'api', operationId: 'op-test-0001' }]);
    const table = screen.getByTestId('diff-table');
    expect(within(table).getByText('A: dev')).toBeTruthy();
    expect(within(table).getByText('B: prod')).toBeTruthy();
    expect(rows[1]?.textContent).toContain('different values');
    expect(rows[2]?.textContent).toContain('not declared');
    expect(rows[2]?.textContent).toContain('declared in A only');
    expect(screen.getByTestId('diff-summary').textContent).toContain('2 differ');
    await user.click(screen.getByTestId('diff-only-differing'));
    expect(screen.getAllByTestId('diff-row').map((r) => r.dataset['secret'])).toEqual(['API_KEY', 'ONLY_DEV']);
  });

  it('will not compare a stack with itself, and shows a backend that could not be read', async () => {
    answer({
      'stacks:list': () => stacks,
      'diff:stacks': () => ({ ...report, problems: [{ provider: 'store:kc', message: 'store:kc: unreachable' }] }),
    });
    const { user } = renderScreen(<DiffPage />);
    await user.selectOptions(await screen.findByTestId('diff-stack-b'), 'dev');
    expect((screen.getByTestId('diff-run') as HTMLButtonElement).disabled).toBe(true);
    await user.selectOptions(screen.getByTestId('diff-stack-b'), 'prod');
    await user.click(screen.getByTestId('diff-run'));
    expect((await screen.findByTestId('diff-problem')).textContent).toContain('unreachable');
  });

  it('words each verdict', () => {
    expect(verdict(diffRow({ secret: 'X', value: 'same-place' }))).toBe('one shared value');
    expect(verdict(diffRow({ secret: 'X', set: 'b', value: 'not-comparable', differs: true }))).toBe('set in B only');
    expect(verdict(diffRow({ secret: 'X', storeDiffers: true, scopeDiffers: true, value: 'different' }))).toBe(
      'different values; different stores; different scopes',
    );
    expect(verdict(diffRow({ secret: 'X', set: 'unknown', value: 'unknown' }))).toBe('could not be read');
  });
});
