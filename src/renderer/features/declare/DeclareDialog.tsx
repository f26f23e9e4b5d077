// Declare a secret, or edit its declaration: name, description, a store or SOPS provider from those configured,
// scope (the position rules said inline), required, and a 1Password reference. Main plans every change as the
// person types (debounced): the diff of the manifest and where the value lives (a 1Password secret's rendered
// op:// path for this stack and component). Saving writes only if the file still matches the plan shown; when it
// changed on disk the dialog says so and offers Reload.
import { useEffect, useState, type ReactNode } from 'react';
import type { Res } from '../../../shared/ipc/contract';
import type { DeclareFields, DeclarePlanView } from '../../../shared/ipc/declare-contract';
import { call } from '../../ipc/client';
import { Dialog } from '../../ui/Dialog';
import { useWorkspaceReload } from '../../ui/refresh';
import { ErrorState, Loading } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { DiffView } from './DiffView';
import './declare.css';

type Scope = 'instance' | 'stack' | 'global';

interface Form {
  name: string;
  description: string;
  backend: 'store' | 'sops';
  store: string;
  sops: string;
  /** '' = what the position implies. */
  scope: '' | Scope;
  required: boolean;
  reference: string;
  file: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
/** How long typing may pause before main plans the change again. */
const PLAN_DELAY_MS = 300;

type PlanState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly plan: DeclarePlanView }
  | { readonly status: 'error'; readonly error: unknown };

export interface DeclareDialogProps {
  readonly stack: string;
  /** Absent: a stack-level declaration (the stack's top-level secrets: block). */
  readonly component?: string | undefined;
  /** Present: edit this declaration. */
  readonly secret?: string | undefined;
  readonly onClose: () => void;
  readonly onSaved: (file: string) => void;
  /** Editing: offers "Remove declaration", which hands over to the removal dialog. */
  readonly onRemove?: (() => void) | undefined;
  /** A new declaration's first values (the Health page's orphan: its name and where its value is). */
  readonly initial?: DeclareInitial | undefined;
}

export interface DeclareInitial {
  readonly name?: string | undefined;
  /** A store or a SOPS provider's name; one that is not configured is ignored. */
  readonly store?: string | undefined;
  readonly sops?: string | undefined;
}

function fieldsOf(f: Form, editing: boolean): DeclareFields {
  return {
    description: f.description,
    ...(f.backend === 'store' ? { store: f.store, sops: '' } : { sops: f.sops, store: '' }),
    ...(f.scope !== '' ? { scope: f.scope } : {}),
    required: f.required,
    // A new declaration without a reference sends none; an edit sends '' to remove one.
    ...(f.reference !== '' || editing ? { reference: f.reference } : {}),
  };
}

function PositionRules({ component, editing }: { component: string | undefined; editing: boolean }): ReactNode {
  return (
    <p className="position-rules" data-testid="position-rules">
      Where a declaration sits sets its scope: in a stack&apos;s top-level <code>secrets:</code> block it is{' '}
      <strong>stack</strong> (one value per stack, shared by its components); in a component&apos;s block it is{' '}
      <strong>instance</strong> (one value per stack and component). <strong>global</strong> (one value everywhere) is
      allowed in either.{' '}
      {editing
        ? 'An existing declaration keeps its place; undeclare it to move it.'
        : component
          ? 'Stack scope puts it in the stack’s top-level block.'
          : 'Without a component it goes to the stack’s top-level block.'}
    </p>
  );
}

type Options = Res<'declare:options'>;

function initialForm(o: Options, secret: string | undefined, initial: DeclareInitial = {}): Form {
  const e = o.existing;
  const store = o.stores.some((s) => s.name === initial.store) ? initial.store : undefined;
  const sops = o.providers.some((p) => p.name === initial.sops) ? initial.sops : undefined;
  return {
    name: secret ?? initial.name ?? '',
    description: e?.description ?? '',
    backend: e?.sops || (!e && sops && !store) ? 'sops' : e?.store || o.stores.length > 0 ? 'store' : 'sops',
    store: e?.store ?? store ?? o.stores[0]?.name ?? '',
    sops: e?.sops ?? sops ?? o.providers[0]?.name ?? '',
    scope: e && e.scope !== e.position ? e.scope : '',
    required: e?.required ?? false,
    reference: e?.reference ?? '',
    file: o.stackFile,
  };
}

export function DeclareDialog(props: DeclareDialogProps): ReactNode {
  const { stack, component, secret } = props;
  const editing = secret !== undefined;
  const [options, reloadOptions] = useAsync(() =>
    call('declare:options', { stack, ...(component ? { component } : {}), ...(secret ? { secret } : {}) }),
  );
  const title = editing ? `Edit ${secret}` : 'Declare a secret';
  if (options.status !== 'ready')
    return (
      <Dialog title={title} onClose={props.onClose} testId="declare-dialog">
        {options.status === 'loading' ? (
          <Loading what="stores and providers" />
        ) : (
          <ErrorState error={options.error} onRetry={reloadOptions} />
        )}
      </Dialog>
    );
  return <DeclareForm {...props} options={options.value} title={title} />;
}

function DeclareForm(props: DeclareDialogProps & { options: Options; title: string }): ReactNode {
  const { stack, component, secret, options: o } = props;
  const editing = secret !== undefined;
  const reloadWorkspace = useWorkspaceReload();
  const [form, setForm] = useState<Form>(() => initialForm(o, secret, props.initial));
  // The latest plan main answered, with the request it answered: a plan for an older form shows as loading.
  const [planned, setPlanned] = useState<{ key: string; state: PlanState } | null>(null);
  const [planTick, setPlanTick] = useState(0);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [changedFile, setChangedFile] = useState<string | null>(null);

  const ready = NAME.test(form.name) && (form.backend === 'store' ? form.store : form.sops) !== '';
  const requestKey = `${JSON.stringify(form)}#${planTick}`;
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const timer = setTimeout(() => {
      call('declare:plan', {
        stack,
        ...(component ? { component } : {}),
        secret: form.name,
        fields: fieldsOf(form, editing),
        ...(!editing && form.file ? { file: form.file } : {}),
      }).then(
        (p) => live && setPlanned({ key: requestKey, state: { status: 'ready', plan: p } }),
        (error: unknown) => live && setPlanned({ key: requestKey, state: { status: 'error', error } }),
      );
    }, PLAN_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // requestKey stands for the form and the Reload tick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey, ready, stack, component, editing]);
  const plan: PlanState = !ready
    ? { status: 'idle' }
    : planned?.key === requestKey
      ? planned.state
      : { status: 'loading' };

  const set = (patch: Partial<Form>): void => {
    setForm({ ...form, ...patch });
    setSaveError(null);
  };
  const storeKind = o.stores.find((s) => s.name === form.store)?.kind;
  const onePassword = form.backend === 'store' && storeKind === 'onepassword';
  const position = o.existing?.position ?? (component && form.scope !== 'stack' ? 'instance' : 'stack');
  const scopes: Scope[] = editing
    ? [o.existing?.position ?? 'instance', 'global']
    : component
      ? ['instance', 'stack', 'global']
      : ['stack', 'global'];

  async function save(): Promise<void> {
    if (plan.status !== 'ready') return;
    setSaving(true);
    setSaveError(null);
    try {
      const r = await call('declare:save', {
        stack,
        ...(component ? { component } : {}),
        secret: form.name,
        fields: fieldsOf(form, editing),
        ...(!editing && form.file ? { file: form.file } : {}),
        hash: plan.plan.hash,
      });
      if (r.saved) props.onSaved(r.file);
      else setChangedFile(r.file);
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  }

  function reload(): void {
    setChangedFile(null);
    reloadWorkspace?.();
    setPlanTick((t) => t + 1);
  }

  return (
    <Dialog title={props.title} onClose={props.onClose} testId="declare-dialog">
      <p className="muted">
        {component ? (
          <>
            Stack <code>{stack}</code>, component <code>{component}</code>
          </>
        ) : (
          <>
            Stack <code>{stack}</code> (top level)
          </>
        )}
        {o.existing ? (
          <>
            {' '}
            · declared in <code>{o.existing.file}</code>
            {o.existing.line ? `:${o.existing.line}` : ''}
          </>
        ) : null}
      </p>
      <form className="stack-form" onSubmit={(e) => e.preventDefault()}>
        <div className="declare-grid">
          <label htmlFor="declare-name">Name</label>
          <input
            id="declare-name"
            type="text"
            value={form.name}
            readOnly={editing}
            onChange={(e) => set({ name: e.target.value })}
            aria-invalid={form.name !== '' && !NAME.test(form.name)}
            data-testid="declare-name"
          />
          <label htmlFor="declare-description">Description</label>
          <input
            id="declare-description"
            type="text"
            value={form.description}
            onChange={(e) => set({ description: e.target.value })}
            data-testid="declare-description"
          />
          <label htmlFor="declare-backend">Kept in</label>
          <select
            id="declare-backend"
            value={form.backend}
            onChange={(e) => set({ backend: e.target.value === 'sops' ? 'sops' : 'store' })}
            data-testid="declare-backend"
          >
            <option value="store" disabled={o.stores.length === 0}>
              a secret store
            </option>
            <option value="sops" disabled={o.providers.length === 0}>
              a SOPS file
            </option>
          </select>
          {form.backend === 'store' ? (
            <>
              <label htmlFor="declare-store">Store</label>
              <select
                id="declare-store"
                value={form.store}
                onChange={(e) => set({ store: e.target.value })}
                data-testid="declare-store"
              >
                {o.stores.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name} ({s.kind})
                  </option>
                ))}
              </select>
            </>
          ) : (
            <>
              <label htmlFor="declare-sops">SOPS provider</label>
              <select
                id="declare-sops"
                value={form.sops}
                onChange={(e) => set({ sops: e.target.value })}
                data-testid="declare-sops"
              >
                {o.providers.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} ({p.kind})
                  </option>
                ))}
              </select>
            </>
          )}
          <label htmlFor="declare-scope">Scope</label>
          <select
            id="declare-scope"
            value={form.scope === '' ? position : form.scope}
            onChange={(e) => {
              const v = scopes.find((x) => x === e.target.value);
              set({ scope: v === undefined || (editing && v === o.existing?.position) ? '' : v });
            }}
            data-testid="declare-scope"
          >
            {scopes.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {onePassword || form.reference !== '' ? (
            <>
              <label htmlFor="declare-reference">1Password reference</label>
              <input
                id="declare-reference"
                type="text"
                value={form.reference}
                placeholder="op://vault/{{ .atmos_stack }}/{{ .atmos_component }}-NAME/password"
                onChange={(e) => set({ reference: e.target.value })}
                data-testid="declare-reference"
              />
            </>
          ) : null}
          {!editing ? (
            <>
              <label htmlFor="declare-file">Manifest</label>
              <input
                id="declare-file"
                type="text"
                value={form.file}
                onChange={(e) => set({ file: e.target.value })}
                data-testid="declare-file"
              />
            </>
          ) : null}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={form.required}
            onChange={(e) => set({ required: e.target.checked })}
            data-testid="declare-required"
          />
          Required (validate fails while it has no value)
        </label>
        <PositionRules component={component} editing={editing} />
        {plan.status === 'loading' ? <Loading what="the change" /> : null}
        {plan.status === 'error' ? <ErrorState error={plan.error} /> : null}
        {plan.status === 'ready' ? (
          <>
            <p className="declare-where" data-testid="declare-where">
              {plan.plan.scope} secret · value at <code>{plan.plan.where}</code>
            </p>
            {plan.plan.notes.map((n) => (
              <p key={n} className="declare-changed" data-testid="declare-note">
                {n}
              </p>
            ))}
            {plan.plan.unchanged ? (
              <p className="muted" data-testid="declare-unchanged">
                {plan.plan.file} already says so.
              </p>
            ) : (
              <>
                <p className="muted small">
                  {plan.plan.action === 'add' ? 'Adds to' : 'Changes'} <code>{plan.plan.file}</code>; the rest of the
                  file stays byte for byte:
                </p>
                <DiffView diff={plan.plan.diff} testId="declare-diff" />
              </>
            )}
          </>
        ) : null}
        {changedFile !== null ? (
          <div className="declare-changed" role="alert" data-testid="declare-changed">
            <span>
              <code>{changedFile}</code> changed on disk since it was read; nothing was saved.
            </span>
            <button type="button" onClick={reload} data-testid="declare-reload">
              Reload
            </button>
          </div>
        ) : null}
        {saveError ? <ErrorState error={saveError} /> : null}
        <div className="row end">
          {props.onRemove ? (
            <button type="button" className="ghost danger-text" onClick={props.onRemove} data-testid="declare-remove">
              Remove declaration…
            </button>
          ) : null}
          <button type="button" className="ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="button"
            disabled={saving || plan.status !== 'ready' || plan.plan.unchanged || changedFile !== null}
            onClick={() => void save()}
            data-testid="declare-save"
          >
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
