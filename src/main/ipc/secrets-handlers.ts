// The secrets channels: thin calls into the secrets service of the open workspace.
import { AppError } from '../../shared/errors';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type SecretsChannels = 'secrets:list' | 'secrets:consumers' | 'secrets:set' | 'secrets:delete' | 'secrets:reveal' | 'secrets:validate' | 'secrets:execLine';

const notYet = (): never => {
  throw new AppError('INTERNAL', 'The secrets engine is not wired into the app yet.');
};

export function createSecretsHandlers(_s: AppServices): Pick<Handlers, SecretsChannels> {
  return {
    'secrets:list': notYet,
    'secrets:consumers': notYet,
    'secrets:set': notYet,
    'secrets:delete': notYet,
    'secrets:reveal': notYet,
    'secrets:validate': notYet,
    'secrets:execLine': notYet,
  };
}
