// The kinds of problem `validate` reports, named once: the engine tags each finding with one, the CLI prints it
// (`✗ [missing] ...`), and the app's Validate page shows and counts the same names. No Node, no DOM.

export const VALIDATION_KINDS = [
  'missing',
  'config',
  'store-config',
  'unmappable',
  'store-function',
  'name-collision',
  'sops-collision',
  'backend',
] as const;

export type ValidationKind = (typeof VALIDATION_KINDS)[number];

/** What each kind means, in a few words (the Validate page's explanation and the summary's tooltips). */
export const VALIDATION_KIND_HELP: Readonly<Record<ValidationKind, string>> = {
  missing: 'a required secret has no value in its backend',
  config: 'a component, declaration or !secret reference is wrong',
  'store-config': 'a store in atmos.yaml does not load',
  unmappable: 'a secret path the backend cannot hold',
  'store-function': '!store or !store.get reads a secret store (use !secret)',
  'name-collision': 'two secrets map to one backend name',
  'sops-collision': 'two secrets write one key of one SOPS file',
  backend: 'the backend could not be asked',
};
