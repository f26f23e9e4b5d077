// describeStacksEach: `describe stacks` one stack at a time, so the CLI writes each entry as it comes. The same
// entries, in the same order, as describeStacks; `only` picks one stack by the name -s accepts; a stack is
// described only when its turn comes (a later stack's problem does not stop the earlier ones being handed out).
// The workspace keeps a bounded number of merged configurations.
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { AppError } from '../../shared/errors';
import { describeStacks, describeStacksEach, loadWorkspace, type Workspace } from './index';
import { MERGED_CACHE_SIZE } from './workspace';

async function ws(files: Record<string, string>): Promise<Workspace> {
  return loadWorkspace({ configPath: makeTree(files), env: TEST_ENV });
}

const STORES =
  'stores:\n  kc:\n    kind: keychain\n    options: {prefix: p, service: s}\n  plain:\n    kind: aws/ssm\n';

const FILES: Record<string, string> = {
  'atmos.yaml': atmosYaml(STORES),
  'stacks/catalog/base.yaml':
    'components:\n  terraform:\n    base:\n      metadata: {type: abstract}\n      vars: {a: 1}\n',
  'stacks/a.yaml':
    'import: [catalog/base]\nvars: {stage: a}\ncomponents:\n  terraform:\n    app:\n      metadata: {inherits: [base]}\n      vars: {p: !store plain x y z}\n  helmfile:\n    chart: {vars: {c: 1}}\n',
  'stacks/b.yaml': 'vars: {stage: b}\n',
  'stacks/c.yaml': 'import: [catalog/base]\ncomponents:\n  terraform:\n    svc: {vars: {s: [1, 2]}}\n',
};

describe('describeStacksEach', () => {
  it('yields what describeStacks holds, entry by entry, in the same order', async () => {
    const w = await ws(FILES);
    for (const includeEmptyStacks of [false, true]) {
      const streamed = [...describeStacksEach(w, { includeEmptyStacks })];
      const whole = describeStacks(w, { includeEmptyStacks });
      expect(streamed.map(([name]) => name)).toEqual(includeEmptyStacks ? ['a', 'b', 'c'] : ['a', 'c']);
      expect(streamed).toEqual(Object.entries(whole));
    }
    expect(JSON.stringify(describeStacks(w))).toContain('"p":"!store plain x y z"');
  });

  it("check: sees each component's merged configuration once; when it throws, that stack is not handed out", async () => {
    const w = await ws(FILES);
    const seen: string[] = [];
    const entries = [...describeStacksEach(w, { check: (c) => void seen.push(`${c.stack}/${c.component}`) })];
    expect(seen).toEqual(['a/app', 'a/base', 'a/chart', 'c/base', 'c/svc']);
    expect(entries.map(([name]) => name)).toEqual(['a', 'c']);
    const handedOut: string[] = [];
    const refuse = (c: { stack: string; component: string }): void => {
      if (c.stack === 'c' && c.component === 'svc') throw new AppError('CONFIG', 'refused');
    };
    expect(() => {
      for (const [name] of describeStacksEach(w, { check: refuse })) handedOut.push(name);
    }).toThrow('refused');
    expect(handedOut).toEqual(['a']);
  });

  it('only: the one stack asked for, NOT_FOUND for a name -s would refuse, nothing for an empty stack', async () => {
    const w = await ws(FILES);
    expect([...describeStacksEach(w, {}, 'c')]).toEqual([['c', describeStacks(w)['c']]]);
    expect([...describeStacksEach(w, {}, 'b')]).toEqual([]);
    expect([...describeStacksEach(w, { includeEmptyStacks: true }, 'b')]).toEqual([['b', { components: {} }]]);
    let error: unknown;
    try {
      Array.from(describeStacksEach(w, {}, 'stacks/a'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('NOT_FOUND');
  });

  it('describes a stack only when its turn comes: earlier stacks are handed out before a later one fails', async () => {
    const w = await ws({
      ...FILES,
      'stacks/c.yaml': 'components:\n  terraform:\n    svc: {vars: {s: !store kc x y z}}\n',
    });
    const it = describeStacksEach(w);
    const first = it.next();
    expect(first.done).toBe(false);
    expect(first.value?.[0]).toBe('a');
    let error: unknown;
    try {
      it.next();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG');
    expect((error as AppError).message).toContain('store "kc" is a secret store; use !secret instead of !store');
  });
});

describe('Workspace.componentConfig cache', () => {
  it('keeps a bounded number of merges: walking the estate does not keep every one alive', async () => {
    const count = MERGED_CACHE_SIZE + 50;
    const components = Array.from({ length: count }, (_, i) => `    c${i}: {vars: {i: ${i}}}\n`).join('');
    const w = await ws({
      'atmos.yaml': atmosYaml(),
      'stacks/big.yaml': `vars: {g: 1}\ncomponents:\n  terraform:\n${components}`,
    });
    const first = w.componentConfig('big', 'c0');
    expect(w.componentConfig('big', 'c0')).toBe(first);
    let last = first;
    for (let i = 1; i < count; i++) last = w.componentConfig('big', `c${i}`);
    // The newest is still cached; the oldest was dropped and merges again to an equal configuration.
    expect(w.componentConfig('big', `c${count - 1}`)).toBe(last);
    const again = w.componentConfig('big', 'c0');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(again.sections['vars']).toEqual({ g: 1, i: 0 });
  });
});
