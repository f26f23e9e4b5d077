// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Explanation } from '../../../shared/ipc/explain-contract';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { secretRow } from '../../test-support/rows';
import { ExplainButton } from './ExplainDialog';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

function explanation(over: Partial<Explanation> = {}): Explanation {
  return {
    secret: 'DB_PASSWORD',
    stack: 'plat-ue2-dev',
    component: 'api',
    componentGiven: true,
    declaration: {
      description: 'database password',
      required: true,
      provider: 'store:ssm',
      reference: null,
      sources: [
        {
          file: 'stacks/catalog/base.yaml',
          line: 7,
          keyPath: 'components.terraform.base.secrets.vars.DB_PASSWORD',
          manifest: 'stacks/catalog/base.yaml',
          role: 'base',
          base: 'base',
          position: 'instance',
          fields: ['store', 'required'],
          wins: ['store', 'required'],
          winner: false,
        },
        {
          file: 'stacks/dev.yaml',
          line: 12,
          keyPath: 'components.terraform.api.secrets.vars.DB_PASSWORD',
          manifest: 'stacks/dev.yaml',
          role: 'component',
          base: null,
          position: 'instance',
          fields: ['description'],
          wins: ['description'],
          winner: true,
        },
      ],
    },
    scope: { value: 'instance', rule: "under the component's secrets" },
    backend: {
      kind: 'store',
      store: 'ssm',
      storeKind: 'aws/ssm',
      scopePath: 'plat-ue2-dev/api/DB_PASSWORD',
      nativeName: '/atmos/plat/ue2/dev/api/DB_PASSWORD',
    },
    identity: { name: 'deployer', source: 'store', rule: 'stores.ssm.identity', used: true, unused: null },
    recipients: null,
    consumers: { count: 1, stacks: ['plat-ue2-dev'], components: [{ stack: 'plat-ue2-dev', component: 'api' }] },
    status: null,
    ...over,
  };
}

const row = secretRow({ secret: 'DB_PASSWORD', provider: 'store:ssm' });

describe('ExplainDialog', () => {
  it("opens from a row's Explain button with the files and lines, the backend name and the identity, without a status call", async () => {
    answer({ 'explain:secret': () => explanation() });
    const { user } = renderScreen(<ExplainButton row={row} />);
    await user.click(screen.getByRole('button', { name: 'Explain DB_PASSWORD' }));
    const sources = await screen.findByTestId('explain-sources');
    const items = within(sources).getAllByRole('listitem');
    expect(items.map((i) => i.querySelector('code')?.textContent)).toEqual([
      'stacks/catalog/base.yaml:7',
      'stacks/dev.yaml:12',
    ]);
    expect(items[0]?.textContent).toContain('inherited from base');
    expect(items[1]?.textContent).toContain('wins');
    expect(screen.getByTestId('explain-native-name').textContent).toBe('/atmos/plat/ue2/dev/api/DB_PASSWORD');
    expect(screen.getByTestId('explain-identity').textContent).toContain('deployer');
    expect(screen.getByTestId('explain-consumers').textContent).toContain('plat-ue2-dev/api');
    expect(screen.queryByTestId('explain-status')).toBeNull();
    expect(callsTo('explain:secret')).toEqual([{ stack: 'plat-ue2-dev', component: 'api', secret: 'DB_PASSWORD' }]);
  });

  it('"Check status" asks again with verify and shows the answer', async () => {
    answer({
      'explain:secret': (req) => explanation(req.verify ? { status: { value: 'initialized', detail: null } } : {}),
    });
    const { user } = renderScreen(<ExplainButton row={row} />);
    await user.click(screen.getByRole('button', { name: 'Explain DB_PASSWORD' }));
    await user.click(await screen.findByTestId('explain-verify'));
    expect((await screen.findByTestId('explain-status')).textContent).toBe('initialized');
    expect(callsTo('explain:secret').map((r) => r.verify)).toEqual([undefined, true]);
    expect(screen.queryByTestId('explain-verify')).toBeNull();
  });

  it('shows SOPS recipients, or why they cannot be told, and a backend that takes no identity', async () => {
    answer({
      'explain:secret': () =>
        explanation({
          backend: {
            kind: 'sops',
            provider: 'files',
            providerKind: 'sops/age',
            file: 'secrets/dev.enc.yaml',
            key: 'DB_PASSWORD',
            exists: true,
          },
          identity: { name: null, source: 'default', rule: 'default', used: false, unused: 'an age private key' },
          recipients: { source: 'file', keyGroups: [['age age1abc']], threshold: 1, unsupported: [], error: null },
        }),
    });
    const { user } = renderScreen(<ExplainButton row={row} />);
    await user.click(screen.getByRole('button', { name: 'Explain DB_PASSWORD' }));
    expect((await screen.findByTestId('explain-recipients')).textContent).toContain('age age1abc');
    expect(screen.getByTestId('explain-recipients').textContent).toContain("From the file's metadata");
    expect(screen.getByTestId('explain-native-name').textContent).toBe('secrets/dev.enc.yaml: DB_PASSWORD');
    expect(screen.getByTestId('explain-identity').textContent).toContain('Not used');
  });

  it('shows an error from main with a retry', async () => {
    answer({
      'explain:secret': () => {
        throw new Error('secret is not declared: "DB_PASSWORD"');
      },
    });
    const { user } = renderScreen(<ExplainButton row={row} />);
    await user.click(screen.getByRole('button', { name: 'Explain DB_PASSWORD' }));
    expect((await screen.findByRole('alert')).textContent).toContain('secret is not declared');
  });
});
