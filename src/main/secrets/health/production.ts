// Which stacks are production, for the reuse check: by the `stage` or `environment` variable a stack's components
// see (the default: `prod` or `production`), or by globs over the stack's name (`--production 'prod-*'`). The rule
// is the app's `productionStacks` setting (shared/ipc/settings-contract.ts), so the CLI and the app agree.
import picomatch from 'picomatch';
import { isPlainObject } from '../../config/merge';
import { DEFAULT_SETTINGS, type ProductionStacksRule } from '../../../shared/ipc/settings-contract';

export type { ProductionStacksRule };

export const DEFAULT_PRODUCTION_RULE: ProductionStacksRule = DEFAULT_SETTINGS.productionStacks;

/** Decides per (stack, the component's merged sections): production or not. */
export type IsProduction = (stack: string, sections: Readonly<Record<string, unknown>>) => boolean;

export function productionTest(rule: ProductionStacksRule): IsProduction {
  switch (rule.match) {
    case 'stage-or-environment': {
      const values = new Set(rule.values.map((v) => v.toLowerCase()));
      return (_stack, sections) => {
        const vars = sections['vars'];
        if (!isPlainObject(vars)) return false;
        return ['stage', 'environment'].some((k) => {
          const v = vars[k];
          return typeof v === 'string' && values.has(v.toLowerCase());
        });
      };
    }
    case 'stack-name': {
      const match = picomatch(rule.globs, { nocase: true });
      return (stack) => match(stack);
    }
    default: {
      const never: never = rule;
      return never;
    }
  }
}

/** The rule in words, for reports: `stage or environment is prod|production`, `stack name matches prod-*`. */
export function describeRule(rule: ProductionStacksRule): string {
  switch (rule.match) {
    case 'stage-or-environment':
      return `stage or environment is ${rule.values.join('|')}`;
    case 'stack-name':
      return `stack name matches ${rule.globs.join(' or ')}`;
    default: {
      const never: never = rule;
      return never;
    }
  }
}
