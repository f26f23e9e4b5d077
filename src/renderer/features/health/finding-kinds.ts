// The finding kinds as the Health page shows them: in the CLI's order, each with a title and one line of help.
import { FINDING_KINDS, type FindingKind } from '../../../shared/ipc/health-contract';

export const KIND_ORDER: readonly FindingKind[] = FINDING_KINDS;

export const KIND_TITLE: Readonly<Record<FindingKind, string>> = {
  missing: 'Required, no value',
  config: 'Configuration',
  unreadable: 'Backend not readable',
  'reused-across-environments': 'Reused across environments',
  'reused-across-names': 'Reused under other names',
  empty: 'Empty values',
  short: 'Short values',
  'low-entropy': 'Low-entropy values',
  stale: 'Not rotated',
  orphan: 'Stored but not declared',
  'cannot-list': 'Store cannot be listed',
};

export const KIND_HELP: Readonly<Record<FindingKind, string>> = {
  missing: 'A required secret is declared but its backend holds no value.',
  config: 'A declaration, component or store record does not load.',
  unreadable: 'A backend could not be read, so its secrets were not checked.',
  'reused-across-environments': 'One value is used in a production stack and in a non-production one.',
  'reused-across-names': 'One value is shared by secrets with different names.',
  empty: 'The value is empty.',
  short: 'The value is shorter than 12 characters.',
  'low-entropy': 'The value is repetitive or otherwise easy to guess.',
  stale: 'The secret has not changed for longer than the maximum rotation age.',
  orphan: 'A value under a store’s managed prefix that no declaration resolves to.',
  'cannot-list': 'A store that cannot be listed: its orphans are unknown.',
};
