// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { HealthFinding, HealthReport } from '../../../shared/ipc/health-contract';
import { IpcError } from '../../ipc/client';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { NavigationProvider, type Navigate } from '../../ui/navigation';
import { actionTarget, HealthPage } from './HealthPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

/** An element's text with runs of white space as one space. */
function text(el: HTMLElement): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

const place = (stack: string, component: string, secret: string, line: number): HealthFinding['places'][number] => ({
  stack,
  component,
  secret,
  provider: 'store:kc',
  file: `stacks/${stack}.yaml`,
  line,
});

const REUSED: HealthFinding = {
  kind: 'reused-across-environments',
  severity: 'error',
  message: 'one value is used in production and outside it: DB_PASSWORD in prod/api, DB_PASSWORD in dev/api',
  action: { kind: 'rotate', text: 'Give the production secret a value of its own (rotate it).' },
  places: [place('prod', 'api', 'DB_PASSWORD', 9), place('dev', 'api', 'DB_PASSWORD', 9)],
  omittedPlaces: 0,
};
const WEAK: HealthFinding = {
  kind: 'low-entropy',
  severity: 'warning',
  message: 'WEAK in dev/api: the value has low entropy (repetitive or guessable)',
  action: { kind: 'rotate', text: 'Set a new, generated value of at least 32 random characters for WEAK.' },
  places: [place('dev', 'api', 'WEAK', 10)],
  omittedPlaces: 0,
};
const UNREADABLE: HealthFinding = {
  kind: 'unreadable',
  severity: 'error',
  message: 'store:aws: access denied (3 secret(s) not checked)',
  action: { kind: 'check-access', text: 'Check the identity may read the store.' },
  places: [{ provider: 'store:aws' }],
  omittedPlaces: 0,
};

function report(findings: HealthFinding[]): HealthReport {
  const byKind: Record<string, number> = {};
  const bySeverity: Record<string, number> = { warning: 0, error: 0 };
  for (const f of findings) {
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  }
  return {
    checkedAt: '2026-12-01T00:00:00.000Z',
    maxAgeDays: 90,
    productionRule: 'stage or environment is prod|production',
    summary: {
      stacks: 2,
      components: 2,
      secrets: 5,
      valuesRead: 4,
      unchecked: 0,
      ageKnown: 1,
      ageUnknown: 3,
      byKind,
      bySeverity,
    },
    findings,
    omittedFindings: 0,
  };
}

describe('HealthPage', () => {
  it('runs the audit on request and shows the findings by kind with counts, places and actions', async () => {
    answer({ 'health:audit': () => report([REUSED, UNREADABLE, WEAK]) });
    const navigate = vi.fn<Navigate>();
    const { user } = renderScreen(
      <NavigationProvider target={{ page: 'health' }} navigate={navigate}>
        <HealthPage />
      </NavigationProvider>,
    );
    // Nothing runs before the person asks.
    expect(callsTo('health:audit')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(text(await screen.findByTestId('health-count'))).toContain('3 findings');
    expect(callsTo('health:audit')).toEqual([{ operationId: 'op-test-0001' }]);
    expect(text(screen.getByTestId('health-count-reused-across-environments'))).toContain(
      'Reused across environments 1',
    );
    expect(text(screen.getByTestId('health-count-low-entropy'))).toContain('Low-entropy values 1');
    expect(text(screen.getByTestId('health-settings'))).toContain(
      'Production: stage or environment is prod|production. Maximum age: 90 days',
    );
    const items = screen.getAllByTestId('health-finding');
    expect(items.map((i) => i.dataset['kind'])).toEqual(['unreadable', 'reused-across-environments', 'low-entropy']);
    const reused = within(items[1] as HTMLElement);
    expect(reused.getByText('DB_PASSWORD in prod / api')).toBeTruthy();
    expect(reused.getByText('stacks/prod.yaml:9')).toBeTruthy();
    await user.click(reused.getByRole('button', { name: 'Rotate it' }));
    expect(navigate).toHaveBeenLastCalledWith({
      page: 'secrets',
      stack: 'prod',
      component: 'api',
      secret: 'DB_PASSWORD',
      action: 'set',
    });
    await user.click(within(items[0] as HTMLElement).getByRole('button', { name: 'Open stores' }));
    expect(navigate).toHaveBeenLastCalledWith({ page: 'stores' });
    expect(screen.getByRole('button', { name: 'Run again' })).toBeTruthy();
  });

  it('says so when there is nothing to report', async () => {
    answer({ 'health:audit': () => report([]) });
    const { user } = renderScreen(<HealthPage />);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(text(await screen.findByTestId('health-ok'))).toContain('No findings. 5 secret(s) checked.');
  });

  it('shows a failure with a way to try again', async () => {
    let fail = true;
    answer({
      'health:audit': () => {
        if (fail) throw new IpcError({ code: 'CONFIG', message: 'atmos.yaml: bad store' });
        return report([WEAK]);
      },
    });
    const { user } = renderScreen(<HealthPage />);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(await screen.findByText(/atmos.yaml: bad store/)).toBeTruthy();
    fail = false;
    await user.click(screen.getByRole('button', { name: /Try again/ }));
    expect(await screen.findAllByTestId('health-finding')).toHaveLength(1);
  });

  it('a finding whose fix is in the configuration has no button, only its advice', async () => {
    const config: HealthFinding = {
      kind: 'config',
      severity: 'error',
      message: 'secret "X" sets neither store nor sops',
      action: { kind: 'fix-config', text: 'Set store or sops.' },
      places: [place('dev', 'api', 'X', 3)],
      omittedPlaces: 0,
    };
    expect(actionTarget(config)).toBeUndefined();
    answer({ 'health:audit': () => report([config]) });
    const { user } = renderScreen(<HealthPage />);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const [item] = await screen.findAllByTestId('health-finding');
    expect(within(item as HTMLElement).queryByRole('button')).toBeNull();
    expect(within(item as HTMLElement).getByText('Set store or sops.')).toBeTruthy();
    expect(documentMarkup()).toContain('stacks/dev.yaml:3');
  });

  it('an orphan offers Declare and, after confirmation, Delete through health:deleteOrphan', async () => {
    const orphan: HealthFinding = {
      kind: 'orphan',
      severity: 'warning',
      message: 'store:kc holds fx/dev/api/OLD_TOKEN (dev/api), which no declaration resolves to',
      action: { kind: 'declare-or-delete', text: 'Declare OLD_TOKEN where it belongs, or delete it.' },
      places: [
        { stack: 'dev', component: 'api', secret: 'OLD_TOKEN', provider: 'store:kc', where: 'fx/dev/api/OLD_TOKEN' },
      ],
      omittedPlaces: 0,
    };
    answer({
      'health:audit': () => report([orphan]),
      'health:deleteOrphan': () => ({ deleted: true }),
    });
    const { user } = renderScreen(<HealthPage />);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const [item] = await screen.findAllByTestId('health-finding');
    const inItem = within(item as HTMLElement);
    expect(inItem.getByRole('button', { name: 'Declare secret' })).toBeTruthy();
    await user.click(inItem.getByRole('button', { name: 'Delete it' }));
    const dialog = await screen.findByTestId('orphan-delete-dialog');
    expect(text(dialog)).toContain('Delete fx/dev/api/OLD_TOKEN from store:kc?');
    expect(callsTo('health:deleteOrphan')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await inItem.findByText('deleted')).toBeTruthy();
    expect(callsTo('health:deleteOrphan')).toEqual([
      { provider: 'store:kc', path: 'fx/dev/api/OLD_TOKEN', confirmed: true },
    ]);
    expect(inItem.queryByRole('button', { name: 'Delete it' })).toBeNull();
  });
});

describe('HealthPage orphan "Declare secret"', () => {
  it('opens the declare form on the orphan’s stack and component, with its name and store filled in', async () => {
    const orphan: HealthFinding = {
      kind: 'orphan',
      severity: 'warning',
      message: 'store:kc holds fx/dev/api/OLD_TOKEN (dev/api), which no declaration resolves to',
      action: { kind: 'declare-or-delete', text: 'Declare OLD_TOKEN where it belongs, or delete it.' },
      places: [
        { stack: 'dev', component: 'api', secret: 'OLD_TOKEN', provider: 'store:kc', where: 'fx/dev/api/OLD_TOKEN' },
      ],
      omittedPlaces: 0,
    };
    answer({
      'health:audit': () => report([orphan]),
      'declare:options': () => ({
        // kc is not the first store: the form picks it because the orphan's value is there.
        stores: [
          { name: 'keychain', kind: 'keychain' },
          { name: 'kc', kind: 'keychain' },
        ],
        providers: [{ name: 'demo-sops', kind: 'sops/age' }],
        existing: null,
        stackFile: 'stacks/dev.yaml',
      }),
      'declare:plan': () => {
        throw new IpcError({ code: 'USAGE', message: 'not planned in this test' });
      },
    });
    const { user } = renderScreen(<HealthPage />);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    const [item] = await screen.findAllByTestId('health-finding');
    await user.click(within(item as HTMLElement).getByRole('button', { name: 'Declare secret' }));
    const name = await screen.findByTestId<HTMLInputElement>('declare-name');
    expect(name.value).toBe('OLD_TOKEN');
    expect(screen.getByTestId<HTMLSelectElement>('declare-store').value).toBe('kc');
    expect(callsTo('declare:options')).toEqual([{ stack: 'dev', component: 'api' }]);
  });
});
