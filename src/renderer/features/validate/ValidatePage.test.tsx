// @vitest-environment happy-dom
import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Res } from '../../../shared/ipc/contract';
import type { ValidationProblem } from '../../../shared/ipc/secrets-contract';
import { VALIDATION_KINDS } from '../../../shared/validation-kinds';
import { NavigationProvider, type Navigate } from '../../ui/navigation';
import { IpcError } from '../../ipc/client';
import { answer, callsTo, emitProgress } from '../../test-support/ipc-mock';
import { fakeLayout } from '../../test-support/layout';
import { documentMarkup, renderScreen } from '../../test-support/render';
import { stackListing } from '../../test-support/rows';
import { ValidatePage } from './ValidatePage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

beforeEach(() => {
  // happy-dom lays nothing out: give the problems table's viewport and rows a size, as a browser would.
  fakeLayout({ viewport: 600, row: 40 });
});

const STACKS = {
  stacks: [stackListing('plat-ue2-dev', ['api', 'worker']), stackListing('plat-ue2-prod', ['api'])],
  warnings: [],
};

describe('ValidatePage', () => {
  it('validates every stack by default and lists each problem with where it is', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () => ({
        ok: false,
        checked: 7,
        problems: [
          {
            kind: 'missing',
            message: 'DB_PASSWORD is required and not set',
            stack: 'plat-ue2-dev',
            component: 'api',
            secret: 'DB_PASSWORD',
            hint: 'atmos-secret set DB_PASSWORD -s plat-ue2-dev -c api',
          },
          {
            kind: 'config',
            message: 'store "legacy" is a secret store; use !secret instead of !store',
            file: 'stacks/orgs/dev.yaml',
            line: 12,
          },
        ],
      }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Run' }));
    const problems = await screen.findAllByTestId('validate-problem');
    expect(callsTo('secrets:validate')).toEqual([{ operationId: 'op-test-0001' }]);
    expect(problems).toHaveLength(2);
    const first = within(problems[0] as HTMLElement);
    expect(first.getByText('missing').className).toBe('badge kind-missing');
    // The app's own action replaces the CLI command.
    expect(problems[0]?.textContent).not.toContain('atmos-secret set');
    expect(first.getByRole('button', { name: 'Set DB_PASSWORD in plat-ue2-dev' })).toBeTruthy();
    expect(first.getByText('DB_PASSWORD').tagName).toBe('CODE');
    expect(problems[1]?.textContent).toContain('use !secret instead of !store');
    expect(within(problems[1] as HTMLElement).getByText('stacks/orgs/dev.yaml:12')).toBeTruthy();
  });

  it('validates one component of one stack when both are picked', async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:validate': () => ({ ok: true, checked: 1, problems: [] }) });
    const { user } = renderScreen(<ValidatePage />);
    await user.selectOptions(await screen.findByTestId('validate-stack'), 'plat-ue2-dev');
    await user.selectOptions(screen.getByTestId('validate-component'), 'worker');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect((await screen.findByTestId('validate-ok')).textContent).toBe(
      'All good. 1 secret checked; every required one is set.',
    );
    expect(callsTo('secrets:validate')).toEqual([
      { stack: 'plat-ue2-dev', component: 'worker', operationId: 'op-test-0001' },
    ]);
  });

  it('shows progress while it runs and cancels on request', async () => {
    let finish: (r: Res<'secrets:validate'>) => void = () => {};
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () => new Promise<Res<'secrets:validate'>>((resolve) => (finish = resolve)),
      'op:cancel': () => ({ cancelled: true }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Run' }));
    act(() => emitProgress({ operationId: 'op-test-0001', done: 40, total: 100 }));
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(screen.getByTestId('validate-progress').textContent).toContain('40/100');
    // Another operation's progress is not ours.
    act(() => emitProgress({ operationId: 'someone-else-01', done: 99, total: 100 }));
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(callsTo('op:cancel')).toEqual([{ operationId: 'op-test-0001' }]);
    await act(async () => finish({ ok: false, checked: 40, problems: [] }));
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    expect(screen.getByTestId('empty').textContent).toContain('Validation failed without details');
  });

  it('shows a failed run as an error with its hint', async () => {
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () =>
        Promise.reject(
          new IpcError({
            code: 'CONFIG',
            message: 'stacks/orgs/dev.yaml:3: bad indentation',
            hint: 'Fix the YAML and validate again.',
          }),
        ),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Run' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('stacks/orgs/dev.yaml:3: bad indentation');
    expect(alert.textContent).toContain('Fix the YAML and validate again.');
  });

  it('puts only the problems in view into the DOM when an estate reports 10,000', async () => {
    const problems = Array.from({ length: 10_000 }, (_, i) => ({
      kind: 'missing' as const,
      message: `TOKEN_${i} is required and not set`,
      stack: `s${i % 1000}`,
      component: 'api',
      secret: `TOKEN_${i}`,
    }));
    answer({ 'stacks:list': () => STACKS, 'secrets:validate': () => ({ ok: false, checked: 10_000, problems }) });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Run' }));
    const table = await screen.findByTestId('validate-problems');
    expect(table.getAttribute('aria-rowcount')).toBe('10001');
    expect(screen.getByTestId('validate-count').textContent).toBe('10000 problems · 10000 required secrets checked');
    const drawn = screen.getAllByTestId('validate-problem');
    expect(drawn.length).toBeGreaterThanOrEqual(600 / 40);
    expect(drawn.length).toBeLessThan(60);
    expect(drawn[0]?.textContent).toContain('TOKEN_0 is required');
  });

  it('explains what it checks before anything has run, naming every kind as the CLI does', async () => {
    answer({ 'stacks:list': () => STACKS });
    renderScreen(<ValidatePage />);
    const intro = await screen.findByTestId('validate-intro');
    expect(intro.textContent).toContain('required');
    expect(intro.textContent).toContain('atmos-secret validate');
    expect(
      within(intro)
        .getAllByText(/^[a-z-]+$/, { selector: '.badge' })
        .map((b) => b.textContent),
    ).toEqual([...VALIDATION_KINDS]);
    expect(callsTo('secrets:validate')).toEqual([]);
  });

  it('counts the problems by kind, with the names the CLI prints', async () => {
    const problem = (kind: ValidationProblem['kind'], i: number): ValidationProblem => ({
      kind,
      message: `${kind} ${i}`,
    });
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () => ({
        ok: false,
        checked: 3,
        problems: [
          problem('missing', 1),
          problem('store-function', 2),
          problem('missing', 3),
          problem('sops-collision', 4),
        ],
      }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Run' }));
    const summary = await screen.findByTestId('validate-summary');
    expect(
      within(summary)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['missing 2', 'store-function 1', 'sops-collision 1']);
    expect(screen.getByTestId('validate-count').textContent).toBe('4 problems · 3 required secrets checked');
    // The badge names are exactly the CLI's `[kind]` names: the one list in src/shared.
    const kinds = screen.getAllByTestId('validate-problem').map((r) => r.getAttribute('data-kind'));
    expect(kinds.every((k) => (VALIDATION_KINDS as readonly (string | null)[]).includes(k))).toBe(true);
  });

  it('keeps a long stack name on one line, whole in its tooltip', async () => {
    const stack = 'acme-platform-useast2-production-blue-green-canary';
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () => ({
        ok: false,
        checked: 1,
        problems: [{ kind: 'missing', message: 'm', stack, component: 'api', secret: 'A' }],
      }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Run' }));
    const cell = within(await screen.findByTestId('validate-problem')).getByTitle(stack);
    expect(cell.textContent).toBe(stack);
    expect(cell.className).toBe('clipped');
  });

  it('gives each problem its action: Set and Import navigate, Open file asks main', async () => {
    const navigate = vi.fn<Navigate>();
    answer({
      'stacks:list': () => STACKS,
      'secrets:validate': () => ({
        ok: false,
        checked: 1,
        problems: [
          {
            kind: 'missing',
            message: 'm',
            stack: 'plat-ue2-dev',
            component: 'api',
            secret: 'DB_PASSWORD',
            file: 'a.yaml',
          },
          {
            kind: 'store-function',
            message: 's',
            stack: 'plat-ue2-dev',
            component: 'api',
            hint: 'atmos-secret import',
          },
          { kind: 'name-collision', message: 'c', hint: 'Rename a secret.' },
        ],
      }),
      'workspace:revealFile': () => ({
        shown: false,
        message: 'This window cannot open the file manager: the file is /w/a.yaml',
      }),
    });
    const { user } = renderScreen(
      <NavigationProvider target={{ page: 'validate' }} navigate={navigate}>
        <ValidatePage />
      </NavigationProvider>,
    );
    await user.click(await screen.findByRole('button', { name: 'Run' }));
    const [missing, store, collision] = (await screen.findAllByTestId('validate-problem')) as HTMLElement[];
    await user.click(within(missing as HTMLElement).getByRole('button', { name: 'Set DB_PASSWORD in plat-ue2-dev' }));
    expect(navigate).toHaveBeenLastCalledWith({
      page: 'secrets',
      stack: 'plat-ue2-dev',
      component: 'api',
      secret: 'DB_PASSWORD',
      action: 'set',
    });
    await user.click(
      within(store as HTMLElement).getByRole('button', { name: 'Import the !store use in plat-ue2-dev' }),
    );
    expect(navigate).toHaveBeenLastCalledWith({ page: 'import', stack: 'plat-ue2-dev' });
    expect(store?.textContent).not.toContain('atmos-secret import');
    // No app action: its advice stays, and there is no button.
    expect(collision?.textContent).toContain('Rename a secret.');
    expect(within(collision as HTMLElement).queryAllByRole('button')).toEqual([]);
    await user.click(within(missing as HTMLElement).getByRole('button', { name: 'Open file a.yaml' }));
    expect(callsTo('workspace:revealFile')).toEqual([{ file: 'a.yaml' }]);
    expect((await screen.findByTestId('validate-note')).textContent).toContain('/w/a.yaml');
  });

  it('sets what is missing: a typed value and a generated one, then validates again', async () => {
    const missing = [
      {
        stack: 'plat-ue2-dev',
        component: 'api',
        secret: 'DB_PASSWORD',
        scope: 'instance',
        provider: 'store:kc',
        required: true,
      },
      { stack: 'plat-ue2-dev', component: '*', secret: 'SLACK', scope: 'stack', provider: 'store:kc', required: true },
      {
        stack: 'plat-ue2-dev',
        component: 'api',
        secret: 'OPTIONAL',
        scope: 'instance',
        provider: 'store:kc',
        required: false,
      },
    ] as const;
    answer({
      'stacks:list': () => STACKS,
      'secrets:initPlan': () => ({ missing: [...missing] }),
      'secrets:init': (req) => ({
        warnings: [],
        outcomes: req.items.map((i) => ({
          stack: i.stack,
          component: i.component,
          secret: i.secret,
          action: 'set' as const,
        })),
      }),
      'secrets:validate': () => ({ ok: true, checked: 2, problems: [] }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.selectOptions(await screen.findByTestId('validate-stack'), 'plat-ue2-dev');
    await user.click(screen.getByRole('button', { name: 'Set what is missing' }));
    const dialog = await screen.findByTestId('set-missing-dialog');
    expect(callsTo('secrets:initPlan')).toEqual([{ stack: 'plat-ue2-dev', operationId: 'op-test-0001' }]);
    const entries = await within(dialog).findAllByTestId('missing-entry');
    // Only the required ones.
    expect(entries.map((e) => e.getAttribute('data-secret'))).toEqual(['DB_PASSWORD', 'SLACK']);
    const field = within(entries[0] as HTMLElement).getByTestId('missing-value') as HTMLInputElement;
    expect(field.type).toBe('password');
    await user.type(field, 'typed-CANARY');
    await user.click(within(entries[1] as HTMLElement).getByRole('checkbox', { name: 'Generate SLACK' }));
    expect(documentMarkup()).not.toContain('typed-CANARY');
    await user.click(within(dialog).getByTestId('set-missing-submit'));
    expect(callsTo('secrets:init')).toEqual([
      {
        stack: 'plat-ue2-dev',
        items: [
          { stack: 'plat-ue2-dev', component: 'api', secret: 'DB_PASSWORD', value: 'typed-CANARY' },
          { stack: 'plat-ue2-dev', component: '*', secret: 'SLACK', generate: true },
        ],
        operationId: 'op-test-0001',
      },
    ]);
    expect((await within(dialog).findByTestId('set-missing-result')).textContent).toBe('Set 2 of 2.');
    await user.click(within(dialog).getByTestId('set-missing-done'));
    expect(await screen.findByTestId('validate-ok')).toBeTruthy();
    expect(callsTo('secrets:validate')).toEqual([{ stack: 'plat-ue2-dev', operationId: 'op-test-0001' }]);
  });

  it('says so when nothing required is missing', async () => {
    answer({ 'stacks:list': () => STACKS, 'secrets:initPlan': () => ({ missing: [] }) });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Set what is missing' }));
    expect((await screen.findByTestId('nothing-missing')).textContent).toBe(
      'Every required secret in all stacks has a value.',
    );
    expect(callsTo('secrets:initPlan')).toEqual([{ operationId: 'op-test-0001' }]);
  });

  it('cancels a long "Set what is missing" run, and shows its progress', async () => {
    const missing = [
      { stack: 'plat-ue2-dev', component: 'api', secret: 'A', scope: 'instance', provider: 'store:kc', required: true },
    ] as const;
    let finish: (r: Res<'secrets:init'>) => void = () => {};
    answer({
      'stacks:list': () => STACKS,
      'secrets:initPlan': () => ({ missing: [...missing] }),
      'secrets:init': () => new Promise<Res<'secrets:init'>>((resolve) => (finish = resolve)),
      'op:cancel': () => ({ cancelled: true }),
    });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Set what is missing' }));
    const dialog = within(await screen.findByTestId('set-missing-dialog'));
    await user.click(await dialog.findByRole('checkbox', { name: 'Generate A' }));
    await user.click(dialog.getByTestId('set-missing-submit'));
    act(() => emitProgress({ operationId: 'op-test-0001', done: 0, total: 1 }));
    expect(dialog.getByTestId('set-missing-progress').textContent).toContain('0/1');
    await user.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(callsTo('op:cancel')).toEqual([{ operationId: 'op-test-0001' }]);
    await act(async () => finish({ outcomes: [], warnings: [] }));
    expect((await dialog.findByTestId('set-missing-result')).textContent).toBe('Set 0 of 0.');
  });

  it('refuses to send nothing: a value or Generate is needed', async () => {
    const missing = [
      { stack: 'plat-ue2-dev', component: 'api', secret: 'A', scope: 'instance', provider: 'store:kc', required: true },
    ] as const;
    answer({ 'stacks:list': () => STACKS, 'secrets:initPlan': () => ({ missing: [...missing] }) });
    const { user } = renderScreen(<ValidatePage />);
    await user.click(await screen.findByRole('button', { name: 'Set what is missing' }));
    const dialog = within(await screen.findByTestId('set-missing-dialog'));
    await user.click(await dialog.findByTestId('set-missing-submit'));
    expect((await dialog.findByRole('alert')).textContent).toContain('Type a value or choose Generate');
    expect(callsTo('secrets:init')).toEqual([]);
  });
});

describe('ValidatePage load errors', () => {
  it('shows a stacks load error inline above its controls, with file and line, and tries again', async () => {
    let broken = true;
    answer({
      'stacks:list': () => {
        if (broken) {
          throw new IpcError({
            code: 'YAML',
            message: 'Map keys must be unique',
            location: { file: 'stacks/dev.yaml', line: 7 },
          });
        }
        return STACKS;
      },
    });
    const { user } = renderScreen(<ValidatePage />);
    const error = await screen.findByTestId('error');
    // The page stays: its explanation and its controls are still there, under the error.
    expect(screen.getByTestId('validate-intro')).toBeTruthy();
    const run = screen.getByRole('button', { name: 'Run' });
    expect(error.compareDocumentPosition(run) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(error).getByTestId('error-where').textContent).toBe('In stacks/dev.yaml:7');
    broken = false;
    await user.click(within(error).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByTestId('error')).toBeNull());
    expect(screen.getByRole('option', { name: 'plat-ue2-prod' })).toBeTruthy();
    expect(callsTo('stacks:list')).toHaveLength(2);
  });
});
