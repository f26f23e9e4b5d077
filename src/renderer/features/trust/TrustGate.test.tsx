// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { useEffect, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { TrustDecision } from '../../../shared/ipc/contract';
import { IpcError } from '../../ipc/client';
import { answer, callsTo } from '../../test-support/ipc-mock';
import { renderScreen } from '../../test-support/render';
import { TrustGate } from './TrustGate';

vi.mock('../../ipc/client', async (original) =>
  (await import('../../test-support/ipc-mock')).clientModule(await original()),
);

const WS = { path: '/repos/infra', name: 'infra', configFile: '/repos/infra/atmos.yaml' };

/** A page below the gate that counts its mounts (a fresh mount loads the workspace again). */
function Page({ mounted }: { readonly mounted: () => void }): ReactNode {
  useEffect(() => mounted(), [mounted]);
  return <p>page</p>;
}

function trustAnswers(initial: TrustDecision) {
  let decision = initial;
  answer({
    'trust:get': () => ({ path: WS.path, decision }),
    'trust:set': ({ trusted }) => ((decision = trusted ? 'trusted' : 'declined'), { path: WS.path, decision }),
  });
}

describe('TrustGate', () => {
  it('asks about an unasked folder, with a plain explanation; "Trust this folder" saves it and reloads the pages', async () => {
    trustAnswers('unasked');
    const mounted = vi.fn();
    const { user } = renderScreen(
      <TrustGate workspace={WS}>
        <Page mounted={mounted} />
      </TrustGate>,
    );
    const prompt = await screen.findByTestId('trust-prompt');
    expect(prompt.textContent).toContain('can run commands on this computer');
    expect(prompt.textContent).toContain('not run and their values show as written');
    expect(mounted).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Trust this folder' }));
    await waitFor(() => expect(screen.queryByTestId('trust-prompt')).toBeNull());
    expect(callsTo('trust:set')).toEqual([{ trusted: true }]);
    expect(screen.queryByTestId('trust-declined')).toBeNull();
    expect(mounted).toHaveBeenCalledTimes(2);
  });

  it('"Not now" is saved, leaves a quiet notice that can still trust the folder, and never asks again', async () => {
    trustAnswers('unasked');
    const { user } = renderScreen(
      <TrustGate workspace={WS}>
        <p>page</p>
      </TrustGate>,
    );
    await user.click(await screen.findByRole('button', { name: 'Not now' }));
    const notice = await screen.findByTestId('trust-declined');
    expect(notice.textContent).toContain('not trusted');
    expect(screen.queryByTestId('trust-prompt')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Trust this folder' }));
    await waitFor(() => expect(screen.queryByTestId('trust-declined')).toBeNull());
    expect(callsTo('trust:set')).toEqual([{ trusted: false }, { trusted: true }]);
  });

  it('shows nothing for a trusted folder, and asks nothing with no workspace open', async () => {
    trustAnswers('trusted');
    renderScreen(
      <TrustGate workspace={WS}>
        <p>page</p>
      </TrustGate>,
    );
    await waitFor(() => expect(callsTo('trust:get')).toHaveLength(1));
    expect(screen.queryByTestId('trust-prompt')).toBeNull();
    expect(screen.queryByTestId('trust-declined')).toBeNull();

    answer({});
    renderScreen(
      <TrustGate workspace={null}>
        <p>no workspace</p>
      </TrustGate>,
    );
    expect(screen.getByText('no workspace')).toBeTruthy();
    expect(callsTo('trust:get')).toHaveLength(1);
  });

  it('says so when the answer cannot be saved, and keeps asking', async () => {
    answer({
      'trust:get': () => ({ path: WS.path, decision: 'unasked' }),
      'trust:set': () => {
        throw new IpcError({ code: 'INTERNAL', message: 'disk full' });
      },
    });
    const { user } = renderScreen(
      <TrustGate workspace={WS}>
        <p>page</p>
      </TrustGate>,
    );
    await user.click(await screen.findByRole('button', { name: 'Trust this folder' }));
    expect((await screen.findByRole('alert')).textContent).toContain('disk full');
    expect(screen.getByTestId('trust-prompt')).toBeTruthy();
  });
});
