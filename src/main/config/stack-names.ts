// Stack names: the manifest's own `name:`, else `name_template`, else `name_pattern`, else the manifest path
// relative to stacks.base_path without its extension.
import { AppError } from '../../shared/errors';
import { renderTemplate, TemplateError } from './go-template';
import { isPlainObject } from './merge';

export interface NamingConfig {
  readonly nameTemplate: string | undefined;
  readonly namePattern: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const PATTERN_TOKENS: Readonly<Record<string, string>> = {
  '{namespace}': 'namespace',
  '{tenant}': 'tenant',
  '{environment}': 'environment',
  '{stage}': 'stage',
};

/** The manifest path without `.yaml`/`.yml` (and `.tmpl`). */
export function stripManifestExtension(rel: string): string {
  return rel.replace(/\.(ya?ml)(\.tmpl)?$/, '');
}

/**
 * The canonical name of one stack manifest. `globals` is the manifest's merged top-level content (vars,
 * settings, env, ...), `ownName` its own `name:` field.
 */
export function stackName(
  relPath: string,
  file: string,
  ownName: unknown,
  globals: Readonly<Record<string, unknown>>,
  cfg: NamingConfig,
): string {
  if (typeof ownName === 'string' && ownName.trim() !== '') return ownName.trim();
  if (cfg.nameTemplate) {
    try {
      return renderTemplate(cfg.nameTemplate, globals, { missingKey: 'no-value', env: cfg.env }).trim();
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      throw new AppError('CONFIG', `stacks.name_template could not be rendered for ${relPath}: ${e.message}`, {
        location: { file },
        hint: 'Check stacks.name_template in atmos.yaml against the vars this manifest defines.',
      });
    }
  }
  if (cfg.namePattern) {
    const vars = isPlainObject(globals['vars']) ? globals['vars'] : {};
    // Atmos splits the pattern on "-" and knows four tokens; other parts are dropped.
    const parts: string[] = [];
    for (const part of cfg.namePattern.split('-')) {
      const varName = PATTERN_TOKENS[part];
      if (varName === undefined) continue;
      const v = vars[varName];
      if (v === undefined || v === null || v === '') {
        throw new AppError(
          'CONFIG',
          `stack ${relPath} does not define vars.${varName}, which stacks.name_pattern "${cfg.namePattern}" needs`,
          {
            location: { file },
            hint: `Set vars.${varName} in the manifest or its imports, or change stacks.name_pattern.`,
          },
        );
      }
      parts.push(String(v));
    }
    return parts.join('-');
  }
  return stripManifestExtension(relPath);
}
