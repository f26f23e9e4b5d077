// "Set what is missing": the CLI's `init` in the app. Lists the required secrets of the chosen scope that have
// no value, takes a masked value for each (or "Generate", made in main so the renderer never holds it), then
// sets them all in one run with progress and cancel, and reports each. Nothing initialized is replaced.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { InitCandidate, InitOutcome } from '../../../shared/ipc/secrets-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { ErrorState, Loading } from '../../ui/states';
import { useOperation } from '../../ui/use-operation';
import { ProgressCount } from './ProgressCount';
import { useAsyncOperation } from './use-async-operation';

/** Entries drawn at once: a whole estate may miss thousands; "Generate all" still covers every one. */
export const MAX_DRAWN = 200;

type Mode = 'type' | 'generate';

function keyOf(c: Pick<InitCandidate, 'stack' | 'component' | 'secret'>): string {
  return JSON.stringify([c.stack, c.component, c.secret]);
}

export function SetMissingDialog(props: {
  scope: { stack?: string; component?: string };
  scopeText: string;
  onClose: () => void;
  onDone: () => void;
}): ReactNode {
  const plan = useAsyncOperation((operationId) => call('secrets:initPlan', { ...props.scope, operationId }));
  const missing = plan.value?.missing.filter((m) => m.required) ?? [];
  const [outcomes, setOutcomes] = useState<readonly InitOutcome[] | null>(null);

  return (
    <Dialog title={`Set what is missing in ${props.scopeText}`} onClose={props.onClose} testId="set-missing-dialog">
      {plan.running ? (
        <>
          <Loading what="what is missing" />
          <button type="button" className="ghost" onClick={plan.cancel}>
            Cancel
          </button>
        </>
      ) : null}
      {plan.error ? <ErrorState error={plan.error} /> : null}
      {plan.value && outcomes === null ? (
        missing.length === 0 ? (
          <>
            <p data-testid="nothing-missing">Every required secret in {props.scopeText} has a value.</p>
            <div className="row end">
              <button type="button" onClick={props.onClose}>
                Close
              </button>
            </div>
          </>
        ) : (
          <ValuesForm missing={missing} onClose={props.onClose} onSet={setOutcomes} scope={props.scope} />
        )
      ) : null}
      {outcomes ? <Outcomes outcomes={outcomes} onDone={props.onDone} /> : null}
    </Dialog>
  );
}

function ValuesForm(props: {
  missing: readonly InitCandidate[];
  scope: { stack?: string; component?: string };
  onClose: () => void;
  onSet: (o: readonly InitOutcome[]) => void;
}): ReactNode {
  const { missing } = props;
  // Uncontrolled fields, as in the Set dialog: a controlled input mirrors its value into the page's markup.
  const fields = useRef(new Map<string, HTMLInputElement>());
  const [modes, setModes] = useState<ReadonlyMap<string, Mode>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const op = useOperation();
  const drawn = missing.slice(0, MAX_DRAWN);
  const modeOf = (c: InitCandidate): Mode => modes.get(keyOf(c)) ?? 'type';
  const setMode = (c: InitCandidate, m: Mode): void => setModes((prev) => new Map(prev).set(keyOf(c), m));
  const generateAll = (): void => setModes(new Map(missing.map((c) => [keyOf(c), 'generate' as const])));

  function items() {
    const out = [];
    for (const c of missing) {
      const target = { stack: c.stack, component: c.component, secret: c.secret };
      if (modeOf(c) === 'generate') out.push({ ...target, generate: true as const });
      else {
        const value = fields.current.get(keyOf(c))?.value ?? '';
        if (value !== '') out.push({ ...target, value });
      }
    }
    return out;
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    setError(null);
    const chosen = items();
    if (chosen.length === 0) {
      setError(new Error('Type a value or choose Generate for at least one secret.'));
      return;
    }
    op.start((operationId) => call('secrets:init', { ...props.scope, items: chosen, operationId })).then(
      (r) => {
        for (const f of fields.current.values()) f.value = '';
        props.onSet(r.outcomes);
      },
      (err: unknown) => setError(err),
    );
  }

  return (
    <form onSubmit={submit} className="stack-form">
      <p className="muted">
        {missing.length} required secret{missing.length === 1 ? ' has' : 's have'} no value. Type each value, or let the
        app generate one (32 random bytes, base64url). Leave a field empty to skip it.
      </p>
      <div className="row">
        <button type="button" className="ghost" onClick={generateAll} data-testid="generate-all">
          Generate all {missing.length}
        </button>
      </div>
      <ul className="missing-list" data-testid="missing-list">
        {drawn.map((c) => {
          const key = keyOf(c);
          const id = `missing-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
          const generate = modeOf(c) === 'generate';
          return (
            <li key={key} data-testid="missing-entry" data-secret={c.secret}>
              <label htmlFor={id}>
                <code>{c.secret}</code>{' '}
                <span
                  className="muted clipped"
                  title={`${c.stack} / ${c.component === '*' ? 'whole stack' : c.component}`}
                >
                  {c.stack} / {c.component === '*' ? 'whole stack' : c.component}
                </span>{' '}
                <span className={`badge scope-${c.scope}`}>{c.scope}</span>
              </label>
              <div className="row">
                <input
                  id={id}
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  disabled={generate}
                  placeholder={generate ? 'Generated when you press Set' : 'Value'}
                  ref={(el) => {
                    if (el) fields.current.set(key, el);
                    else fields.current.delete(key);
                  }}
                  data-testid="missing-value"
                />
                <label className="check">
                  <input
                    type="checkbox"
                    checked={generate}
                    onChange={(e) => setMode(c, e.target.checked ? 'generate' : 'type')}
                    aria-label={`Generate ${c.secret}`}
                  />
                  Generate
                </label>
              </div>
            </li>
          );
        })}
      </ul>
      {missing.length > drawn.length ? (
        <p className="muted" data-testid="missing-more">
          {missing.length - drawn.length} more not shown: “Generate all” covers them, or run this for one stack.
        </p>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
      {op.running ? (
        <div className="row" data-testid="set-missing-progress">
          <ProgressCount op={op} label="Setting secrets" />
          <button type="button" className="ghost" onClick={op.cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="row end">
          <button type="button" className="ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" data-testid="set-missing-submit">
            Set
          </button>
        </div>
      )}
    </form>
  );
}

function Outcomes({ outcomes, onDone }: { outcomes: readonly InitOutcome[]; onDone: () => void }): ReactNode {
  const set = outcomes.filter((o) => o.action === 'set').length;
  return (
    <>
      <p data-testid="set-missing-result">
        Set {set} of {outcomes.length}.
      </p>
      <ul className="missing-list">
        {outcomes.map((o) => (
          <li key={keyOf(o)} data-testid="missing-outcome" data-action={o.action}>
            <code>{o.secret}</code> <span className="muted">{o.stack}</span>{' '}
            <span className={o.action === 'set' ? 'badge status-initialized' : 'badge status-error'}>{o.action}</span>
            {o.detail ? <div className="inline-error">{o.detail}</div> : null}
          </li>
        ))}
      </ul>
      <div className="row end">
        <button type="button" onClick={onDone} data-testid="set-missing-done">
          Done
        </button>
      </div>
    </>
  );
}
