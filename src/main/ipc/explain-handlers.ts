// The explain and diff channels: thin calls into the secrets service. `explain:secret` calls no backend unless
// `verify`; `diff:stacks` reads values in main and returns equal/different only (its keyed hashes never leave
// the service), with progress and cancel.
import { STACK_WIDE } from '../secrets';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type ExplainChannels = 'explain:secret' | 'diff:stacks';

export function createExplainHandlers(s: AppServices): Pick<Handlers, ExplainChannels> {
  return {
    'explain:secret': async ({ stack, component, secret, verify }) => {
      const service = await s.session.secrets();
      return service.explain({
        stack,
        name: secret,
        // A stack-level row's component is `*`: explain it through the stack, as the CLI without -c.
        component: component && component !== STACK_WIDE ? component : undefined,
        verify: verify === true,
      });
    },
    'diff:stacks': async ({ a, b, component }, ctx) => {
      const service = await s.session.secrets();
      return service.diff({
        stacks: [a, b],
        component,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress({ done: p.done, total: p.total, ...(p.label ? { message: p.label } : {}) }),
      });
    },
  };
}
