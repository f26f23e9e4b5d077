// Settings: the theme, how long a copied secret stays on the clipboard and a revealed value on screen, the
// rotation age, and how production stacks are recognised. Each change is saved at once (settings:set) and
// confirmed by a toast; a refused value says why and keeps the saved one.
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  SETTINGS_BOUNDS,
  type ProductionStacksRule,
  type Settings,
  type Theme,
} from '../../../shared/ipc/settings-contract';
import { useSettings } from '../../ui/settings';
import { THEME_LABELS } from '../../ui/theme';
import { useToast } from '../../ui/toast';
import './settings.css';

type NumberField = keyof typeof SETTINGS_BOUNDS;

const NUMBER_FIELDS: readonly { key: NumberField; name: string; label: string; unit: string; help: string }[] = [
  {
    key: 'clipboardClearSeconds',
    name: 'Clipboard timeout',
    label: 'Clear a copied secret after',
    unit: 'seconds',
    help: 'Unless you copied something else since.',
  },
  {
    key: 'revealHideSeconds',
    name: 'Reveal timeout',
    label: 'Hide a revealed value after',
    unit: 'seconds',
    help: 'Everywhere in the app.',
  },
  {
    key: 'rotationMaxAgeDays',
    name: 'Rotation age',
    label: 'Flag secrets not rotated for',
    unit: 'days',
    help: 'Rotation age on the Health and history views.',
  },
];

export function SettingsPage(): ReactNode {
  const { settings, update } = useSettings();
  const toast = useToast();

  const save = (change: Partial<Settings>, what: string): void => {
    update(change).then(
      () => toast.success(`${what} saved.`),
      (e: unknown) => toast.error(e, `${what} not saved`),
    );
  };

  return (
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>

      <fieldset className="card settings-group">
        <legend>Theme</legend>
        <div className="row" role="radiogroup" aria-label="Theme">
          {(Object.keys(THEME_LABELS) as Theme[]).map((t) => (
            <label key={t} className="check">
              <input
                type="radio"
                name="theme"
                value={t}
                checked={settings.theme === t}
                onChange={() => save({ theme: t }, 'Theme')}
              />
              {THEME_LABELS[t]}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="card settings-group">
        <h2>Timeouts and rotation</h2>
        {NUMBER_FIELDS.map((f) => (
          <NumberSetting
            key={`${f.key}-${settings[f.key]}`}
            field={f}
            value={settings[f.key]}
            onSave={(v) => save({ [f.key]: v }, f.name)}
          />
        ))}
      </div>

      <ProductionSetting
        key={JSON.stringify(settings.productionStacks)}
        rule={settings.productionStacks}
        onSave={(rule) => save({ productionStacks: rule }, 'Production stacks')}
      />
    </section>
  );
}

function NumberSetting({
  field,
  value,
  onSave,
}: {
  field: (typeof NUMBER_FIELDS)[number];
  value: number;
  onSave: (v: number) => void;
}): ReactNode {
  const [text, setText] = useState(String(value));
  const { min, max } = SETTINGS_BOUNDS[field.key];
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
  const id = `setting-${field.key}`;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (valid && n !== value) onSave(n);
  };

  return (
    <form className="settings-row" onSubmit={submit}>
      <label htmlFor={id}>{field.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={!valid}
        aria-describedby={`${id}-help`}
      />
      <span className="muted">{field.unit}</span>
      <button type="submit" disabled={!valid || n === value}>
        Save
      </button>
      <span id={`${id}-help`} className={valid ? 'muted small settings-help' : 'inline-error small settings-help'}>
        {valid ? field.help : `A whole number from ${min} to ${max}.`}
      </span>
    </form>
  );
}

/** One entry a line (or comma-separated): stage/environment values, or stack-name globs. */
function entries(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function ProductionSetting({
  rule,
  onSave,
}: {
  rule: ProductionStacksRule;
  onSave: (r: ProductionStacksRule) => void;
}): ReactNode {
  const [match, setMatch] = useState<ProductionStacksRule['match']>(rule.match);
  const [text, setText] = useState((rule.match === 'stack-name' ? rule.globs : rule.values).join(', '));
  const list = entries(text);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (list.length === 0) return;
    onSave(match === 'stack-name' ? { match, globs: list } : { match, values: list });
  };

  return (
    <form className="card settings-group" onSubmit={submit} aria-labelledby="production-title">
      <h2 id="production-title">Production stacks</h2>
      <p className="muted small">
        A value shared between a production stack and another is flagged. By default a stack is production when its{' '}
        <code>stage</code> or <code>environment</code> is <code>prod</code> or <code>production</code>.
      </p>
      <div className="row">
        <label htmlFor="production-match" className="settings-label">
          Recognise by
        </label>
        <select
          id="production-match"
          value={match}
          onChange={(e) => setMatch(e.target.value === 'stack-name' ? 'stack-name' : 'stage-or-environment')}
        >
          <option value="stage-or-environment">stage or environment is one of</option>
          <option value="stack-name">stack name matches one of the globs</option>
        </select>
      </div>
      <div className="row">
        <label htmlFor="production-values" className="settings-label">
          {match === 'stack-name' ? 'Globs' : 'Values'}
        </label>
        <input
          id="production-values"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={match === 'stack-name' ? '*-prod, core-*' : 'prod, production'}
          spellCheck={false}
        />
        <button type="submit" disabled={list.length === 0}>
          Save
        </button>
      </div>
    </form>
  );
}
