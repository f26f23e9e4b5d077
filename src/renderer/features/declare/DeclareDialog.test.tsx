// @vitest-environment happy-dom
// The declare form: main plans each change (the diff and where the value lives, a 1Password secret's op:// path
// included), Save sends the plan's hash, and a file changed on disk is shown with a Reload that plans again.
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Req, Res } from '../../../shared/ipc/contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { DeclareDialog } from './DeclareDialog';
import { RemoveDeclarationDialog } from './RemoveDeclarationDialog';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const OPTIONS: Res<'declare:options'> = {
  stores: [
    { name: 'keychain', kind: 'keychain' },
    { name: 'op', kind: 'onepassword' },
  ],
  providers: [{ name: 'demo-sops', kind: 'sops/age' }],
  existing: null,
  stackFile: 'stacks/dev.yaml',
};

const DIFF = '--- a/stacks/dev.yaml\n+++ b/stacks/dev.yaml\n@@ -1,2 +1,6 @@\n vars: {}\n+secrets:\n';

function planFor(req: Req<'declare:plan'>): Res<'declare:plan'> {
  const f = req.fields;
  return {
    action: 'add',
    file: 'stacks/dev.yaml',
    hash: `hash-${req.secret}`,
    diff: DIFF,
    unchanged: false,
    scope: f.scope ?? 'instance',
    position: 'instance',
    provider: f.store ? `store:${f.store}` : `sops:${f.sops ?? ''}`,
    notes: [],
    // Main renders the reference for this stack and component; the fake does the same for the test's template.
    where: f.reference
      ? `store "op" (onepassword) at ${f.reference.replace('{{ .atmos_stack }}', req.stack)}`
      : `store "${f.store ?? ''}" at atmos/${req.stack}/api/${req.secret}`,
  };
}

describe('DeclareDialog', () => {
  it('plans as the person types, shows the diff and the rendered op:// path, and saves with the plan hash', async () => {
    answer({
      'declare:options': () => OPTIONS,
      'declare:plan': planFor,
      'declare:save': () => ({ saved: true, file: 'stacks/dev.yaml' }),
    });
    const onSaved = vi.fn();
    const { user } = renderScreen(
      <DeclareDialog stack="plat-ue2-dev" component="api" onClose={() => {}} onSaved={onSaved} />,
    );
    await user.type(await screen.findByTestId('declare-name'), 'API_TOKEN');
    await user.selectOptions(screen.getByTestId('declare-store'), 'op');
    await user.type(
      await screen.findByTestId('declare-reference'),
      'op://Platform/{{{{ .atmos_stack }}-api/credential',
    );
    await user.click(screen.getByTestId('declare-required'));
    await waitFor(() =>
      expect(screen.getByTestId('declare-where').textContent).toContain('op://Platform/plat-ue2-dev-api/credential'),
    );
    expect(screen.getByTestId('declare-diff').textContent).toContain('+secrets:');
    expect(screen.getByTestId('position-rules').textContent).toContain('global (one value everywhere)');
    await user.click(screen.getByTestId('declare-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('stacks/dev.yaml'));
    const saved = callsTo('declare:save');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      stack: 'plat-ue2-dev',
      component: 'api',
      secret: 'API_TOKEN',
      hash: 'hash-API_TOKEN',
      file: 'stacks/dev.yaml',
      fields: { store: 'op', sops: '', required: true, reference: 'op://Platform/{{ .atmos_stack }}-api/credential' },
    });
  });

  it('does not plan (nor allow saving) a name that cannot be a secret name', async () => {
    answer({
      'declare:options': () => OPTIONS,
      'declare:plan': () => {
        throw new (class extends Error {})('never');
      },
    });
    const { user } = renderScreen(
      <DeclareDialog stack="plat-ue2-dev" component="api" onClose={() => {}} onSaved={() => {}} />,
    );
    await user.type(await screen.findByTestId('declare-name'), '1BAD');
    expect(screen.getByTestId('declare-name').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('declare-save').hasAttribute('disabled')).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(callsTo('declare:plan')).toHaveLength(0);
  });

  it('edits the existing declaration: its values filled in, and a file changed on disk offers Reload', async () => {
    let saves = 0;
    answer({
      'declare:options': () => ({
        ...OPTIONS,
        existing: {
          description: 'Password',
          store: 'keychain',
          scope: 'instance',
          position: 'instance',
          required: true,
          file: 'stacks/catalog/api.yaml',
          line: 14,
        },
      }),
      'declare:plan': (req) => ({ ...planFor(req), action: 'edit' }),
      'declare:save': () => {
        saves++;
        return saves === 1
          ? { saved: false, reason: 'changed-on-disk', file: 'stacks/catalog/api.yaml' }
          : { saved: true, file: 'stacks/catalog/api.yaml' };
      },
    });
    const onSaved = vi.fn();
    const { user } = renderScreen(
      <DeclareDialog stack="plat-ue2-dev" component="api" secret="DB_PASSWORD" onClose={() => {}} onSaved={onSaved} />,
    );
    const description = await screen.findByTestId<HTMLInputElement>('declare-description');
    expect(description.value).toBe('Password');
    expect(screen.getByTestId<HTMLInputElement>('declare-required').checked).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>('declare-name').readOnly).toBe(true);
    expect(screen.queryByTestId('declare-file')).toBeNull();
    await user.clear(description);
    await user.type(description, 'Changed');
    await waitFor(() => expect(screen.getByTestId('declare-diff')).toBeTruthy());
    await user.click(screen.getByTestId('declare-save'));
    expect((await screen.findByTestId('declare-changed')).textContent).toContain(
      'stacks/catalog/api.yaml changed on disk since it was read; nothing was saved.',
    );
    expect(screen.getByTestId('declare-save').hasAttribute('disabled')).toBe(true);
    const plansBefore = callsTo('declare:plan').length;
    await user.click(screen.getByTestId('declare-reload'));
    await waitFor(() => expect(callsTo('declare:plan').length).toBeGreaterThan(plansBefore));
    await waitFor(() => expect(screen.getByTestId('declare-save').hasAttribute('disabled')).toBe(false));
    await user.click(screen.getByTestId('declare-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(callsTo('declare:save')[1]).toMatchObject({ fields: { description: 'Changed', store: 'keychain' } });
  });
});

describe('RemoveDeclarationDialog', () => {
  it('shows the diff, asks whether to delete the value, and lists the consumers of a global one first', async () => {
    answer({
      'declare:removePlan': () => ({
        file: 'stacks/catalog/shared.yaml',
        hash: 'h1',
        diff: '-          DATADOG_API_KEY:\n',
        scope: 'global',
        provider: 'store:keychain',
        valueStored: true,
      }),
      'secrets:consumers': () => ({
        scope: 'global',
        provider: 'store:keychain',
        consumers: [
          { stack: 'plat-ue2-dev', component: 'api' },
          { stack: 'plat-ue2-prod', component: 'api' },
        ],
      }),
      'declare:remove': () => ({ saved: true, file: 'stacks/catalog/shared.yaml', valueDeleted: true }),
    });
    const onRemoved = vi.fn();
    const { user } = renderScreen(
      <RemoveDeclarationDialog
        stack="plat-ue2-dev"
        component="api"
        secret="DATADOG_API_KEY"
        onClose={() => {}}
        onRemoved={onRemoved}
      />,
    );
    expect((await screen.findByTestId('undeclare-diff')).textContent).toContain('-          DATADOG_API_KEY:');
    await user.click(screen.getByTestId('undeclare-delete-value'));
    const confirm = await screen.findByTestId('undeclare-confirm-consumers');
    expect(screen.getByText('plat-ue2-prod', { exact: false })).toBeTruthy();
    expect(screen.getByTestId('undeclare-confirm').hasAttribute('disabled')).toBe(true);
    await user.click(confirm);
    await user.click(screen.getByTestId('undeclare-confirm'));
    await waitFor(() => expect(onRemoved).toHaveBeenCalledWith('stacks/catalog/shared.yaml'));
    expect(callsTo('declare:remove')).toEqual([
      {
        stack: 'plat-ue2-dev',
        component: 'api',
        secret: 'DATADOG_API_KEY',
        hash: 'h1',
        deleteValue: true,
        confirmed: true,
      },
    ]);
  });
});
