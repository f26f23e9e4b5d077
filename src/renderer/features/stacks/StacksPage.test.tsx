// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { fakeLayout } from '../../test-support/layout';
import { renderScreen } from '../../test-support/render';
import { stackListing } from '../../test-support/rows';
import { NavigationProvider, type Navigate } from '../../ui/navigation';
import { StacksPage } from './StacksPage';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const VIEWPORT_PX = 600;
const ITEM_PX = 30;
const STACKS = [stackListing('plat-ue2-dev', ['api', 'worker'], ['base']), stackListing('plat-ue2-prod', ['api'])];
const DESCRIBED = {
  described: {
    component: 'api',
    workspace: 'plat-ue2-prod',
    backend_type: 's3',
    backend: { bucket: 'tf-state', key: 'api.tfstate' },
    component_info: { component_path: 'components/terraform/api', component_type: 'terraform' },
    vars: { replicas: 1 },
    env: { DB_PASSWORD: '<MASKED>' },
    settings: {},
    metadata: {},
    secrets: { DB_PASSWORD: { scope: 'instance' } },
  },
  notes: [],
};
/** What the handler answers with `readStores`: the plain stores' values in place, and why one stayed as written. */
const EVALUATED = {
  described: {
    ...DESCRIBED.described,
    vars: { replicas: 1, vpc_id: 'vpc-0abc', cached: '!store.get cache app-config' },
  },
  notes: [
    'vars.cached: !store.get cache app-config is not evaluated: store "cache" is a redis store, which this app does not read (Atmos reads it when it runs)',
  ],
};

beforeEach(() => {
  fakeLayout({ viewport: VIEWPORT_PX, row: ITEM_PX });
});

const items = (): HTMLElement[] => screen.queryAllByRole('treeitem');
const item = (stack: string, component?: string): HTMLElement => {
  const found = items().find((i) => i.dataset['stack'] === stack && i.dataset['component'] === component);
  if (!found) throw new Error(`no tree item ${stack}/${component ?? ''}`);
  return found;
};

describe('StacksPage', () => {
  it('shows stacks and components as a tree', async () => {
    answer({
      'stacks:list': () => ({
        stacks: STACKS,
        warnings: [{ message: 'vars.tenant is not set', file: 'stacks/x.yaml', line: 3 }],
      }),
    });
    renderScreen(<StacksPage />);
    const tree = await screen.findByRole('tree', { name: 'Stacks and components' });
    expect(callsTo('stacks:list')).toEqual([{ reload: true }]);
    expect(
      within(tree)
        .getAllByRole('treeitem')
        .map((i) => i.textContent),
    ).toEqual(['▾plat-ue2-dev', 'api', 'worker', 'baseabstract', '▾plat-ue2-prod', 'api']);
    expect(item('plat-ue2-dev').getAttribute('aria-level')).toBe('1');
    expect(item('plat-ue2-dev').getAttribute('aria-expanded')).toBe('true');
    expect(item('plat-ue2-dev', 'worker').getAttribute('aria-level')).toBe('2');
    expect(item('plat-ue2-dev', 'worker').getAttribute('aria-posinset')).toBe('2');
    expect(item('plat-ue2-dev', 'worker').getAttribute('aria-setsize')).toBe('3');
    expect(screen.getByText('vars.tenant is not set').textContent).toContain('vars.tenant');
    expect(screen.getByText('stacks/x.yaml:3')).toBeTruthy();
  });

  it("shows a component's merged sections when it is clicked", async () => {
    answer({ 'stacks:list': () => ({ stacks: STACKS, warnings: [] }), 'stacks:component': () => DESCRIBED });
    const { user } = renderScreen(<StacksPage />);
    await screen.findByRole('tree');
    await user.click(item('plat-ue2-prod', 'api'));
    const detail = await screen.findByTestId('component-detail');
    expect(callsTo('stacks:component')).toEqual([{ stack: 'plat-ue2-prod', component: 'api' }]);
    expect(within(detail).getByRole('heading').textContent).toBe('api in plat-ue2-prod');
    expect(screen.getByTestId('section-env').textContent).toContain('DB_PASSWORD: <MASKED>');
    expect(screen.getByTestId('section-settings').textContent).toContain('{}');
    expect(screen.getByTestId('section-backend').textContent).toContain('bucket: tf-state');
    expect(screen.getByTestId('section-component_info').textContent).toContain(
      'component_path: components/terraform/api',
    );
    expect(screen.getByTestId('component-facts').textContent).toBe(
      'Terraform componentapiTerraform workspaceplat-ue2-prodBackend types3',
    );
    expect(item('plat-ue2-prod', 'api').getAttribute('aria-selected')).toBe('true');
    expect(item('plat-ue2-dev', 'api').getAttribute('aria-selected')).toBe('false');
  });

  it("opens a component's secrets on the Secrets page, and starts on the component it was sent to", async () => {
    const navigate = vi.fn<Navigate>();
    answer({ 'stacks:list': () => ({ stacks: STACKS, warnings: [] }), 'stacks:component': () => DESCRIBED });
    const { user } = renderScreen(
      <NavigationProvider target={{ page: 'stacks', stack: 'plat-ue2-prod', component: 'api' }} navigate={navigate}>
        <StacksPage />
      </NavigationProvider>,
    );
    const detail = await screen.findByTestId('component-detail');
    expect(callsTo('stacks:component')).toEqual([{ stack: 'plat-ue2-prod', component: 'api' }]);
    await user.click(within(detail).getByRole('button', { name: 'Open its secrets' }));
    expect(navigate).toHaveBeenCalledWith({ page: 'secrets', stack: 'plat-ue2-prod', component: 'api' });
  });

  it('reads store values only when the person turns "Read store values" on, and shows the notes', async () => {
    const WRITTEN = {
      ...DESCRIBED,
      described: { ...DESCRIBED.described, vars: { replicas: 1, vpc_id: '!store outputs vpc vpc_id' } },
    };
    answer({
      'stacks:list': () => ({ stacks: STACKS, warnings: [] }),
      'stacks:component': (req) => (req.readStores === true ? EVALUATED : WRITTEN),
    });
    const { user } = renderScreen(<StacksPage />);
    await screen.findByRole('tree');
    await user.click(item('plat-ue2-prod', 'api'));
    await screen.findByTestId('component-detail');
    // Opening a component calls no backend: the references are shown as written.
    expect(callsTo('stacks:component')).toEqual([{ stack: 'plat-ue2-prod', component: 'api' }]);
    const toggle = screen.getByRole('checkbox', { name: 'Read store values' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(screen.getByTestId('section-vars').textContent).toContain('vpc_id: "!store outputs vpc vpc_id"');
    expect(screen.queryByTestId('store-notes')).toBeNull();

    await user.click(toggle);
    await waitFor(() => expect(screen.getByTestId('section-vars').textContent).toContain('vpc_id: vpc-0abc'));
    expect(callsTo('stacks:component')).toEqual([
      { stack: 'plat-ue2-prod', component: 'api' },
      { stack: 'plat-ue2-prod', component: 'api', readStores: true },
    ]);
    expect((screen.getByRole('checkbox', { name: 'Read store values' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('store-notes').textContent).toContain(
      'vars.cached: !store.get cache app-config is not evaluated: store "cache" is a redis store, which this app does not read (Atmos reads it when it runs)',
    );

    await user.click(screen.getByRole('checkbox', { name: 'Read store values' }));
    await waitFor(() => expect(screen.getByTestId('section-vars').textContent).toContain('!store outputs vpc vpc_id'));
    expect(callsTo('stacks:component')).toHaveLength(3);
    expect(callsTo('stacks:component')[2]).toEqual({ stack: 'plat-ue2-prod', component: 'api' });
    expect(screen.queryByTestId('store-notes')).toBeNull();
  });

  it('is one Tab stop that arrow keys move through, expand, collapse and select', async () => {
    answer({ 'stacks:list': () => ({ stacks: STACKS, warnings: [] }), 'stacks:component': () => DESCRIBED });
    const { user } = renderScreen(<StacksPage />);
    await screen.findByRole('tree');
    expect(items().filter((i) => i.tabIndex === 0)).toEqual([item('plat-ue2-dev')]);
    item('plat-ue2-dev').focus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement).toBe(item('plat-ue2-dev', 'worker'));
    expect(items().filter((i) => i.tabIndex === 0)).toEqual([item('plat-ue2-dev', 'worker')]);
    await user.keyboard('{Enter}');
    await screen.findByTestId('component-detail');
    expect(callsTo('stacks:component')).toEqual([{ stack: 'plat-ue2-dev', component: 'worker' }]);
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(item('plat-ue2-dev'));
    await user.keyboard('{ArrowLeft}');
    expect(item('plat-ue2-dev').getAttribute('aria-expanded')).toBe('false');
    expect(items().map((i) => i.dataset['component'] ?? i.dataset['stack'])).toEqual([
      'plat-ue2-dev',
      'plat-ue2-prod',
      'api',
    ]);
    await user.keyboard('{ArrowRight}');
    expect(item('plat-ue2-dev').getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(item('plat-ue2-dev', 'api'));
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(item('plat-ue2-prod', 'api'));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(item('plat-ue2-dev'));
    await user.keyboard(' ');
    expect(item('plat-ue2-dev').getAttribute('aria-expanded')).toBe('false');
  });

  it('filters the tree by stack or component name', async () => {
    answer({ 'stacks:list': () => ({ stacks: STACKS, warnings: [] }) });
    const { user } = renderScreen(<StacksPage />);
    await screen.findByRole('tree');
    // A search field: the shell's Ctrl+F focuses it (main input[type="search"]) instead of opening the palette.
    expect(screen.getByRole('searchbox', { name: 'Filter stacks and components' })).toBeTruthy();
    await user.type(screen.getByLabelText('Filter stacks and components'), 'worker');
    expect(items().map((i) => i.textContent)).toEqual(['▾plat-ue2-dev', 'worker']);
    await user.type(screen.getByLabelText('Filter stacks and components'), 'zzz');
    expect(items()).toEqual([]);
    expect(screen.getByText('Nothing matches the filter.')).toBeTruthy();
  });

  it('shows a load failure with a retry that loads again', async () => {
    let fail = true;
    answer({
      'stacks:list': () =>
        fail ? Promise.reject(new Error('atmos.yaml: bad YAML at line 4')) : { stacks: STACKS, warnings: [] },
    });
    const { user } = renderScreen(<StacksPage />);
    expect((await screen.findByRole('alert')).textContent).toContain('bad YAML at line 4');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('tree');
  });

  it('says so when the workspace has no stacks', async () => {
    answer({ 'stacks:list': () => ({ stacks: [], warnings: [] }) });
    renderScreen(<StacksPage />);
    expect((await screen.findByTestId('empty')).textContent).toContain('No stacks found');
  });
});

describe('StacksPage at estate scale', () => {
  const estate = Array.from({ length: 1000 }, (_, s) =>
    stackListing(
      `tenant${s % 10}-ue${s % 4}-s${s}`,
      Array.from({ length: 50 }, (_, c) => `comp-${c}`),
    ),
  );

  it('puts only the items in view into the DOM for 1,000 stacks x 50 components, and End reaches the last', async () => {
    answer({ 'stacks:list': () => ({ stacks: estate, warnings: [] }) });
    const { user } = renderScreen(<StacksPage />);
    await screen.findByRole('tree');
    const inView = VIEWPORT_PX / ITEM_PX;
    expect(items().length).toBeGreaterThanOrEqual(inView);
    expect(items().length).toBeLessThan(inView * 3);
    expect(item('tenant0-ue0-s0').getAttribute('aria-setsize')).toBe('1000');

    item('tenant0-ue0-s0').focus();
    await user.keyboard('{End}');
    await waitFor(() => expect(document.activeElement).toBe(item('tenant9-ue3-s999', 'comp-49')));
    expect(items().length).toBeLessThan(inView * 3);
    expect(items().some((i) => i.dataset['stack'] === 'tenant0-ue0-s0')).toBe(false);
  });

  it('finds one stack among 1,000 by filter, shown from its top', async () => {
    answer({ 'stacks:list': () => ({ stacks: estate, warnings: [] }) });
    const { user } = renderScreen(<StacksPage />);
    await screen.findByRole('tree');
    item('tenant0-ue0-s0').focus();
    await user.keyboard('{End}');
    await waitFor(() => expect(document.activeElement).toBe(item('tenant9-ue3-s999', 'comp-49')));
    await user.type(screen.getByLabelText('Filter stacks and components'), '-s777');
    expect(items()[0]?.dataset['stack']).toBe('tenant7-ue1-s777');
    expect(items()[0]?.dataset['component']).toBeUndefined();
    expect(item('tenant7-ue1-s777').getAttribute('aria-setsize')).toBe('1');
    expect(item('tenant7-ue1-s777').tabIndex).toBe(0);
  });
});
