// @vitest-environment happy-dom
// The Rotate wizard and the Consumers dialog: a generated value by default (only length and alphabet cross IPC),
// the consumers with their path (list, and the graph drawn by React Flow), confirmation for a shared secret,
// each consumer green or red, "Roll back"; the rotation age flag.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import type { ConsumerCheck, ConsumersReport } from '../../../shared/ipc/rotate-contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { secretRow } from '../../test-support/rows';
import { RotateActions } from './ConsumersDialog';
import { RotateWizard } from './RotateWizard';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const CANARY = 'rotate-wizard-CANARY-51c2';
const WHERE = 'store "keychain" (keychain) at atmos-demo/DATADOG_API_KEY';
const ROW = secretRow({ secret: 'DATADOG_API_KEY', component: '*', scope: 'global', status: 'initialized' });

const REPORT: ConsumersReport = {
  secret: 'DATADOG_API_KEY',
  scope: 'global',
  provider: 'store:keychain',
  where: WHERE,
  consumers: [
    { stack: 'plat-ue2-dev', component: 'api', where: WHERE },
    { stack: 'plat-ue2-prod', component: 'api', where: WHERE },
  ],
  stacks: [
    { stack: 'plat-ue2-dev', components: ['api'] },
    { stack: 'plat-ue2-prod', components: ['api'] },
  ],
  skipped: [],
};

function outcome(statuses: ConsumerCheck['status'][]): Res<'rotate:run'> {
  const checks = REPORT.consumers.map((c, i) => ({ ...c, status: statuses[i] ?? 'ok' }));
  return {
    consumers: 2,
    stacks: 2,
    generated: true,
    entropyBits: 190,
    verified: true,
    verifyCancelled: false,
    ok: checks.every((c) => c.status === 'ok'),
    checks,
    failures: [],
    rollback: { id: 'rollback-id-0123456789', method: 'value' },
    warnings: [],
  };
}

describe('RotateWizard', () => {
  it('generates in main by default, shows everyone it reaches, and marks each consumer green', async () => {
    answer({ 'rotate:consumers': () => REPORT, 'rotate:run': () => outcome(['ok', 'ok']) });
    const onDone = vi.fn();
    const { user } = renderScreen(<RotateWizard row={ROW} onClose={() => {}} onDone={onDone} />);
    expect(screen.getByTestId('generate-bits').textContent).toBe('190 bits');
    await user.click(screen.getByTestId('wizard-next'));
    const table = await screen.findByTestId('consumers-table');
    // The value step is hidden, not unmounted (a typed value waits in its field for the write).
    expect(screen.getByTestId('wizard-next').closest('[hidden]')).not.toBeNull();
    expect(
      within(table)
        .getAllByTestId('consumer-row')
        .map((r) => r.textContent),
    ).toEqual([`plat-ue2-devapi${WHERE}`, `plat-ue2-prodapi${WHERE}`]);
    const rotate = screen.getByRole<HTMLButtonElement>('button', { name: 'Rotate and verify' });
    expect(rotate.disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'Change it for all 2 consumers' }));
    await user.click(rotate);
    expect((await screen.findByTestId('verify-summary')).textContent).toBe('All 2 consumers read the new value.');
    expect(screen.getAllByTestId('consumer-check').map((c) => c.dataset['status'])).toEqual(['ok', 'ok']);
    expect(callsTo('rotate:run')).toEqual([
      {
        stack: 'plat-ue2-dev',
        component: '*',
        secret: 'DATADOG_API_KEY',
        value: { kind: 'generate', length: 32, alphabet: 'alphanumeric' },
        confirmed: true,
        verify: true,
        operationId: 'op-test-0001',
      },
    ]);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('keeps a typed value masked and out of the markup across the steps; a red consumer offers the roll back', async () => {
    answer({
      'rotate:consumers': () => REPORT,
      'rotate:run': () => outcome(['ok', 'mismatch']),
      'rotate:rollback': () => ({
        method: 'value',
        message: `restored the previous value of DATADOG_API_KEY in ${WHERE}`,
      }),
    });
    const { user } = renderScreen(<RotateWizard row={ROW} onClose={() => {}} />);
    await user.click(screen.getByTestId('type-value'));
    const field = screen.getByLabelText<HTMLInputElement>('New value');
    expect(field.type).toBe('password');
    await user.type(field, CANARY);
    await user.click(screen.getByTestId('wizard-next'));
    await user.click(await screen.findByRole('checkbox', { name: 'Change it for all 2 consumers' }));
    expect(documentMarkup()).not.toContain(CANARY);
    await user.click(screen.getByRole('button', { name: 'Rotate and verify' }));
    expect((await screen.findByTestId('verify-summary')).textContent).toBe('1 of 2 consumers failed verification.');
    const red = screen.getAllByTestId('consumer-check').find((c) => c.dataset['status'] === 'mismatch');
    expect(red?.textContent).toContain('plat-ue2-prod / api reads a different value');
    expect((callsTo('rotate:run')[0]?.value as { value: string }).value).toBe(CANARY);
    expect(field.value).toBe('');
    await user.click(screen.getByTestId('roll-back'));
    expect((await screen.findByTestId('rolled-back')).textContent).toBe(
      `Rolled back: restored the previous value of DATADOG_API_KEY in ${WHERE}.`,
    );
    expect(screen.queryByTestId('roll-back')).toBeNull();
  });

  it('shows a refused rotation as an error and stays on the consumers step', async () => {
    answer({
      'rotate:consumers': () => REPORT,
      'rotate:run': () => Promise.reject(new Error('The keychain is locked.')),
    });
    const { user } = renderScreen(<RotateWizard row={ROW} onClose={() => {}} />);
    await user.click(screen.getByTestId('wizard-next'));
    await user.click(await screen.findByRole('checkbox', { name: 'Change it for all 2 consumers' }));
    await user.click(screen.getByRole('button', { name: 'Rotate and verify' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The keychain is locked.');
    expect(screen.queryByTestId('verification')).toBeNull();
  });
});

describe('Consumers dialog', () => {
  it('lists the consumers, draws them as a graph, shows the rotation age, and opens the wizard', async () => {
    answer({
      'rotate:consumers': () => REPORT,
      'rotate:history': () => ({
        secret: 'DATADOG_API_KEY',
        where: WHERE,
        versions: 3,
        age: {
          lastChanged: '2025-01-01T00:00:00.000Z',
          ageDays: 200,
          maxAgeDays: 90,
          source: 'versions',
          overdue: true,
        },
      }),
    });
    const { user } = renderScreen(<RotateActions row={ROW} />);
    await user.click(screen.getByRole('button', { name: 'Consumers of DATADOG_API_KEY' }));
    expect((await screen.findByTestId('consumers-summary')).textContent).toBe('2 components in 2 stacks');
    expect((await screen.findByTestId('rotation-overdue')).textContent).toBe('Older than 90 days: rotate it');
    expect(screen.getByTestId('rotation-age').textContent).toContain('(200 days ago)');
    await user.click(screen.getByRole('button', { name: 'Graph' }));
    const graph = await screen.findByTestId('consumers-graph');
    expect(graph.getAttribute('aria-label')).toBe('DATADOG_API_KEY reaches 2 components in 2 stacks');
    await waitFor(() => expect(within(graph).getAllByTestId('graph-stack')).toHaveLength(2));
    expect(
      within(graph)
        .getAllByTestId('graph-stack')
        .map((n) => n.dataset['label']),
    ).toEqual(['plat-ue2-dev', 'plat-ue2-prod']);
    expect(within(graph).getAllByTestId('graph-component')).toHaveLength(2);
    await user.click(screen.getByTestId('open-rotate-wizard'));
    expect(screen.getByRole('dialog', { name: 'Rotate DATADOG_API_KEY' })).toBeTruthy();
  });

  it('says when the backend keeps no dates, without a flag', async () => {
    answer({
      'rotate:consumers': () => REPORT,
      'rotate:history': () => ({
        secret: 'DATADOG_API_KEY',
        where: WHERE,
        versions: 0,
        age: { maxAgeDays: 90, source: 'unknown', overdue: false },
      }),
    });
    const { user } = renderScreen(<RotateActions row={ROW} />);
    await user.click(screen.getByRole('button', { name: 'Consumers of DATADOG_API_KEY' }));
    expect((await screen.findByTestId('last-changed-unknown')).textContent).toContain('keeps no dates');
    expect(screen.queryByTestId('rotation-overdue')).toBeNull();
  });
});
