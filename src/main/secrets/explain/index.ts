// `explain` and the masked `diff`: config-only provenance and placement of one secret, and two stacks compared
// by keyed hash. See explain.ts and diff.ts.
export { explainSecret, identityRule, type Explanation, type ExplainRequest, type ExplainSource } from './explain';
export { diffStacks, type DiffReport, type DiffRequest, type DiffRow, type DiffSide } from './diff';
export { workspaceCreationRules, type Recipients } from './recipients';
