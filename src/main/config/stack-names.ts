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

/** Where a stack's name came from (the "not found" hint says so). */
export type NameSource = 'name' | 'name_template' | 'name_pattern' | 'path';

export interface StackNaming {
  readonly name: string;
  readonly source: NameSource;
  /** Set when name_template or name_pattern could not name this manifest, so its path names it (Atmos' fallback). */
  readonly fellBack?: string;
}

/**
 * The canonical name of one stack manifest. `globals` is the manifest's merged top-level content (vars,
 * settings, env, ...), `ownName` its own `name:` field. As Atmos does: `name:` wins and nothing else is
 * evaluated; a manifest that lacks what name_template or name_pattern needs (a catalog or defaults file that
 * included_paths picks up) is named by its path, never `<no value>-<no value>` and never an error for the whole
 * workspace.
 */
export function stackName(
  relPath: string,
  file: string,
  ownName: unknown,
  globals: Readonly<Record<string, unknown>>,
  cfg: NamingConfig,
): StackNaming {
  if (typeof ownName === 'string' && ownName.trim() !== '') return { name: ownName.trim(), source: 'name' };
  const byPath = stripManifestExtension(relPath);
  if (cfg.nameTemplate) {
    let name: string;
    try {
      name = renderTemplate(cfg.nameTemplate, globals, { missingKey: 'no-value', env: cfg.env }).trim();
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      throw new AppError('CONFIG', `stacks.name_template could not be rendered for ${relPath}: ${e.message}`, {
        location: { file },
        hint: 'Check stacks.name_template in atmos.yaml against the vars this manifest defines.',
      });
    }
    if (name === '' || name.includes('<no value>'))
      return {
        name: byPath,
        source: 'path',
        fellBack: `stacks.name_template "${cfg.nameTemplate}" needs values it does not define`,
      };
    return { name, source: 'name_template' };
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
        // Atmos' own words for it; the manifest keeps its path as its name.
        return {
          name: byPath,
          source: 'path',
          fellBack: `the stack name pattern '${cfg.namePattern}' specifies '${varName}', but the stack '${byPath}' does not have ${varName === 'environment' ? 'an' : 'a'} ${varName} defined in the stack file '${byPath}'`,
        };
      }
      parts.push(String(v));
    }
    return { name: parts.join('-'), source: 'name_pattern' };
  }
  return { name: byPath, source: 'path' };
}
