// @vitest-environment happy-dom
// The import wizard: the proposals as main scanned them, the person's adjustments sent with the plan and the run,
// the run bound to the files the plan showed, and the per-item report.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { ImportPage } from './ImportPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const ID = 'stacks/catalog/api/defaults.yaml:25';
const SCAN: Res<'storeImport:scan'> = {
  proposals: [
    {
      id: ID,
      file: 'stacks/catalog/api/defaults.yaml',
      line: 25,
      at: 'env.CLIENT_SECRET',
      expression: '!store legacy atmos shared client_secret',
      uses: [
        { stack: 'plat-ue2-dev', component: 'api' },
        { stack: 'plat-ue2-prod', component: 'api' },
      ],
      name: 'CLIENT_SECRET',
      scope: 'global',
      store: 'legacy',
    },
  ],
  stores: ['keychain', 'legacy'],
};

function planOf(applied: boolean, name: string): Res<'storeImport:plan'> {
  return {
    applied,
    files: [
      { file: 'stacks/catalog/api/defaults.yaml', hash: 'h-plan', diff: `+        CLIENT_SECRET: !secret ${name}\n` },
    ],
    items: [
      {
        id: ID,
        expression: '!store legacy atmos shared client_secret',
        name,
        scope: 'global',
        store: 'keychain',
        copies: [
          {
            stacks: ['plat-ue2-dev', 'plat-ue2-prod'],
            from: 'legacy: legacy/atmos/shared/client_secret',
            to: `store "keychain" at atmos-demo/${name}`,
            state: applied ? 'copied' : 'copy',
          },
        ],
        declared: applied ? 'done' : 'planned',
        rewritten: applied ? 'done' : 'planned',
        outcome: applied ? 'done' : 'planned',
      },
    ],
  };
}

describe('ImportPage', () => {
  it('scan -> adjust -> dry-run plan -> run -> report', async () => {
    answer({
      'storeImport:scan': () => SCAN,
      'storeImport:plan': (r) => planOf(false, r.choices[0]?.name ?? 'CLIENT_SECRET'),
      'storeImport:run': (r) => planOf(true, r.choices[0]?.name ?? 'CLIENT_SECRET'),
    });
    const { user } = renderScreen(<ImportPage />);
    const name = await screen.findByTestId<HTMLInputElement>('import-name');
    expect(name.value).toBe('CLIENT_SECRET');
    await user.clear(name);
    await user.type(name, 'API_CLIENT_SECRET');
    await user.selectOptions(screen.getByTestId('import-store'), 'keychain');
    expect(screen.queryByTestId('import-run')).toBeNull();
    await user.click(screen.getByTestId('import-plan-button'));
    expect((await screen.findByTestId('import-diff')).textContent).toContain('!secret API_CLIENT_SECRET');
    expect(screen.getByTestId('import-plan').textContent).toContain('legacy/atmos/shared/client_secret');
    expect(callsTo('storeImport:plan')[0]?.choices).toEqual([
      { id: ID, name: 'API_CLIENT_SECRET', scope: 'global', store: 'keychain', skip: false },
    ]);
    await user.click(screen.getByTestId('import-run'));
    expect((await screen.findByTestId('import-summary')).textContent).toBe('1 done, 0 failed, 0 skipped.');
    expect(screen.getByTestId('import-outcome').textContent).toBe('done');
    expect(callsTo('storeImport:run')).toEqual([
      {
        choices: [{ id: ID, name: 'API_CLIENT_SECRET', scope: 'global', store: 'keychain', skip: false }],
        planned: [{ file: 'stacks/catalog/api/defaults.yaml', hash: 'h-plan' }],
        operationId: 'op-test-0001',
      },
    ]);
  });

  it('says so when there is nothing to import', async () => {
    answer({ 'storeImport:scan': () => ({ proposals: [], stores: [] }) });
    renderScreen(<ImportPage />);
    expect(await screen.findByText('No !store uses on secret stores')).toBeTruthy();
    await waitFor(() => expect(callsTo('storeImport:scan')).toHaveLength(1));
    expect(screen.queryByTestId('import-plan-button')).toBeNull();
  });
});
