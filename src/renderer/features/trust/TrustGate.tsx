// Workspace trust, asked once per folder as editors do: a folder's configuration can run commands on this
// computer (`!exec`), so until the person trusts it those commands are not run and show as written. The
// banner asks; the answer is remembered by main (trust:set). When it changes, the pages below mount again
// so they load the workspace with the new answer.
import { Fragment, useState, type ReactNode } from 'react';
import type { TrustDecision, WorkspaceInfo } from '../../../shared/ipc/contract';
import { call, errorText } from '../../ipc/client';
import { useAsync } from '../../ui/use-async';

export function TrustGate({
  workspace,
  children,
}: {
  readonly workspace: WorkspaceInfo | null;
  readonly children: ReactNode;
}): ReactNode {
  const [answers, setAnswers] = useState(0);
  return (
    <>
      {workspace ? <TrustBanner key={workspace.path} onAnswered={() => setAnswers((n) => n + 1)} /> : null}
      <Fragment key={answers}>{children}</Fragment>
    </>
  );
}

function TrustBanner({ onAnswered }: { readonly onAnswered: () => void }): ReactNode {
  const [state, reload] = useAsync(() => call('trust:get', {}));
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  if (state.status !== 'ready') return null;
  const { decision } = state.value;

  const answer = (trusted: boolean): void => {
    setBusy(true);
    setFailure(null);
    call('trust:set', { trusted }).then(
      () => {
        setBusy(false);
        reload();
        onAnswered();
      },
      (e: unknown) => {
        setBusy(false);
        setFailure(errorText(e).message);
      },
    );
  };

  return <TrustPrompt decision={decision} busy={busy} failure={failure} onAnswer={answer} />;
}

function TrustPrompt(props: {
  readonly decision: TrustDecision;
  readonly busy: boolean;
  readonly failure: string | null;
  readonly onAnswer: (trusted: boolean) => void;
}): ReactNode {
  const { decision, busy, failure, onAnswer } = props;
  const error = failure ? <p role="alert">Could not save your answer: {failure}</p> : null;
  switch (decision) {
    case 'trusted':
      return null;
    case 'unasked':
      return (
        <section className="warning" aria-label="Workspace trust" data-testid="trust-prompt">
          <p>
            <strong>Do you trust this folder?</strong> Its configuration can run commands on this computer (
            <code>!exec</code>). Until you trust it, those commands are not run and their values show as written. Trust
            only folders whose authors you trust.
          </p>
          <div className="row">
            <button type="button" disabled={busy} onClick={() => onAnswer(true)}>
              Trust this folder
            </button>
            <button type="button" className="ghost" disabled={busy} onClick={() => onAnswer(false)}>
              Not now
            </button>
          </div>
          {error}
        </section>
      );
    case 'declined':
      return (
        <section className="notice row" aria-label="Workspace trust" data-testid="trust-declined">
          <span>
            This folder is not trusted: its <code>!exec</code> commands are not run.
          </span>
          <button type="button" className="ghost" disabled={busy} onClick={() => onAnswer(true)}>
            Trust this folder
          </button>
          {error}
        </section>
      );
  }
}
