// Find and read atmos.yaml: discovery order, the zod schema (unknown keys warn, wrong types fail with file and
// line), base path resolution, the ATMOS_* overrides, and the raw `stores` / `secrets.providers` records.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError, type SourceLocation } from '../../shared/errors';
import { toListMergeStrategy, type ListMergeStrategy, isPlainObject } from './merge';
import { locationOfKey, parseYaml } from './yaml-parse';

const CONFIG_NAMES = ['atmos.yaml', 'atmos.yml', '.atmos.yaml', '.atmos.yml'];

const stringList = z.array(z.string());

const componentTypeSchema = z.looseObject({
  base_path: z.string().optional(),
  command: z.string().optional(),
});

const stacksSchema = z.looseObject({
  base_path: z.string().optional(),
  included_paths: stringList.optional(),
  excluded_paths: stringList.optional(),
  name_pattern: z.string().optional(),
  name_template: z.string().optional(),
});

const storeSchema = z.looseObject({
  kind: z.string().optional(),
  type: z.string().optional(),
  secret: z.boolean().optional(),
  identity: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const providerSchema = z.looseObject({
  kind: z.string(),
  identity: z.string().optional(),
  spec: z.record(z.string(), z.unknown()).optional(),
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The parts of atmos.yaml this loader reads; everything else is kept as written. */
export const atmosConfigSchema = z.looseObject({
  base_path: z.string().optional(),
  components: z.record(z.string(), componentTypeSchema).optional(),
  stacks: stacksSchema.optional(),
  stores: z.record(z.string(), storeSchema).optional(),
  secrets: z
    .looseObject({
      providers: z.record(z.string(), providerSchema).optional(),
    })
    .optional(),
  env: z.record(z.string(), scalar).optional(),
  settings: z
    .looseObject({
      list_merge_strategy: z.enum(['replace', 'append', 'merge']).optional(),
    })
    .optional(),
  templates: z
    .looseObject({
      settings: z
        .looseObject({
          enabled: z.boolean().optional(),
          ignore_missing_template_values: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});

export type AtmosConfigFile = z.infer<typeof atmosConfigSchema>;

/** Top-level keys Atmos documents; anything else is reported as a warning (likely a typo). */
const KNOWN_TOP_KEYS = new Set([
  'base_path', 'components', 'stacks', 'stores', 'secrets', 'env', 'settings', 'templates', 'logs', 'workflows',
  'schemas', 'integrations', 'commands', 'aliases', 'auth', 'toolchain', 'describe', 'vendor', 'validate', 'version',
  'errors', 'metadata', 'docs', 'profiles', 'import', 'policies', 'pro', 'devcontainer', 'list', 'terminal', 'cli',
]);
const KNOWN_STACKS_KEYS = new Set(['base_path', 'included_paths', 'excluded_paths', 'name_pattern', 'name_template', 'inherit', 'list']);

/** A record from atmos.yaml or a manifest, kept raw with where it was declared. */
export interface RawRecord {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly location: SourceLocation;
}

export interface ConfigWarning {
  readonly message: string;
  readonly location?: SourceLocation;
}

export interface ResolvedConfig {
  readonly configPath: string;
  readonly config: AtmosConfigFile;
  /** The raw parsed document (with `!env` already evaluated). */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly basePath: string;
  readonly stacksBasePath: string;
  readonly includedPaths: readonly string[];
  readonly excludedPaths: readonly string[];
  readonly namePattern: string | undefined;
  readonly nameTemplate: string | undefined;
  /** `components.<type>.base_path` as written, and resolved against the base path. */
  readonly componentBasePaths: Readonly<Record<string, { readonly configured: string; readonly absolute: string }>>;
  readonly stores: Readonly<Record<string, RawRecord>>;
  readonly secretProviders: Readonly<Record<string, RawRecord>>;
  readonly env: Readonly<Record<string, string>>;
  readonly listMergeStrategy: ListMergeStrategy;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly templatesEnabled: boolean;
  readonly ignoreMissingTemplateValues: boolean;
  readonly gitRoot: string | undefined;
  readonly warnings: readonly ConfigWarning[];
}

export interface ConfigOptions {
  readonly cwd?: string;
  readonly configPath?: string;
  readonly basePath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The nearest folder at or above `from` that holds `.git`. */
export function findGitRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function configIn(dir: string): string | undefined {
  for (const name of CONFIG_NAMES) {
    const p = join(dir, name);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}

/** `--config`/ATMOS_CLI_CONFIG_PATH (file or folder), then the current folder, the git root, then parents. */
export function discoverConfig(opts: ConfigOptions): string {
  const env = opts.env ?? process.env;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const explicit = opts.configPath ?? env['ATMOS_CLI_CONFIG_PATH'];
  if (explicit !== undefined && explicit !== '') {
    const p = resolve(cwd, explicit);
    if (existsSync(p) && statSync(p).isDirectory()) {
      const inDir = configIn(p);
      if (inDir) return inDir;
    } else if (existsSync(p)) return p;
    throw new AppError('NOT_FOUND', `atmos.yaml not found at ${p}`, {
      hint: `${opts.configPath !== undefined ? '--config' : 'ATMOS_CLI_CONFIG_PATH'} must name atmos.yaml or the folder that holds it.`,
    });
  }
  const here = configIn(cwd);
  if (here) return here;
  const git = findGitRoot(cwd);
  if (git) {
    const atRoot = configIn(git);
    if (atRoot) return atRoot;
  }
  for (let dir = dirname(cwd); ; dir = dirname(dir)) {
    const found = configIn(dir);
    if (found) return found;
    if (dirname(dir) === dir) break;
  }
  throw new AppError('NOT_FOUND', `no atmos.yaml found in ${cwd}, its git root or any parent folder`, {
    hint: 'Run from inside an Atmos repository, or pass --config (ATMOS_CLI_CONFIG_PATH) or --base-path.',
  });
}

function pathLocation(raw: unknown, path: readonly PropertyKey[], file: string): SourceLocation {
  let container: unknown = raw;
  let loc: SourceLocation = { file };
  for (const key of path) {
    if (container === null || typeof container !== 'object') break;
    const l = locationOfKey(container, typeof key === 'number' ? key : String(key));
    if (l) loc = l;
    container = (container as Record<string, unknown>)[String(key)];
  }
  return loc;
}

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Load, validate and resolve atmos.yaml. */
export function loadAtmosConfig(opts: ConfigOptions): ResolvedConfig {
  const env = opts.env ?? process.env;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const configPath = discoverConfig(opts);
  const configDir = dirname(configPath);
  const text = readFileSync(configPath, 'utf8');
  const parsed = parseYaml(text, configPath, { envNow: env });
  const raw = parsed.value === null ? {} : parsed.value;
  if (!isPlainObject(raw)) {
    throw new AppError('CONFIG', 'atmos.yaml must be a mapping', { location: { file: configPath, line: 1 }, hint: 'Start the file with keys such as base_path: and stacks:.' });
  }
  const result = atmosConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const dotted = path.map(String).join('.');
    throw new AppError('CONFIG', `atmos.yaml: ${dotted || '(root)'}: ${issue?.message ?? 'invalid value'}`, {
      location: pathLocation(raw, path, configPath),
      hint: `Give ${dotted || 'the document'} the type the Atmos configuration reference describes.`,
    });
  }
  const config = result.data;
  const warnings: ConfigWarning[] = [];
  for (const k of Object.keys(raw)) {
    if (!KNOWN_TOP_KEYS.has(k)) warnings.push({ message: `atmos.yaml: unknown key "${k}" (ignored)`, location: pathLocation(raw, [k], configPath) });
  }
  if (isPlainObject(raw['stacks'])) {
    for (const k of Object.keys(raw['stacks'])) {
      if (!KNOWN_STACKS_KEYS.has(k)) warnings.push({ message: `atmos.yaml: unknown key "stacks.${k}" (ignored)`, location: pathLocation(raw, ['stacks', k], configPath) });
    }
  }

  const gitRoot = findGitRoot(configDir);
  const useGitRoot = (env['ATMOS_GIT_ROOT_BASEPATH'] ?? 'true').toLowerCase() !== 'false';
  const basePathOverride = opts.basePath ?? nonEmpty(env['ATMOS_BASE_PATH']);
  let basePath: string;
  if (basePathOverride !== undefined) basePath = resolve(cwd, basePathOverride);
  else if (config.base_path === undefined || config.base_path === '') basePath = useGitRoot && gitRoot ? gitRoot : configDir;
  else basePath = isAbsolute(config.base_path) ? config.base_path : resolve(configDir, config.base_path);

  const stacksCfg = config.stacks ?? {};
  const stacksBase = nonEmpty(env['ATMOS_STACKS_BASE_PATH']) ?? stacksCfg.base_path ?? 'stacks';
  const included = nonEmpty(env['ATMOS_STACKS_INCLUDED_PATHS']);
  const excluded = nonEmpty(env['ATMOS_STACKS_EXCLUDED_PATHS']);

  const componentBasePaths: Record<string, { configured: string; absolute: string }> = {};
  for (const [type, c] of Object.entries(config.components ?? {})) {
    const configured = nonEmpty(env[`ATMOS_COMPONENTS_${type.toUpperCase()}_BASE_PATH`]) ?? c.base_path;
    if (configured !== undefined) componentBasePaths[type] = { configured, absolute: resolve(basePath, configured) };
  }

  const records = (section: unknown, path: readonly string[]): Record<string, RawRecord> => {
    const out: Record<string, RawRecord> = {};
    if (!isPlainObject(section)) return out;
    for (const [name, v] of Object.entries(section)) {
      if (isPlainObject(v)) out[name] = { raw: v, location: pathLocation(raw, [...path, name], configPath) };
    }
    return out;
  };
  const rawSecrets = raw['secrets'];

  const envOut: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.env ?? {})) if (v !== null) envOut[k] = String(v);

  return {
    configPath,
    config,
    raw,
    basePath,
    stacksBasePath: resolve(basePath, stacksBase),
    includedPaths: included !== undefined ? splitList(included) : (stacksCfg.included_paths ?? ['**/*']),
    excludedPaths: excluded !== undefined ? splitList(excluded) : (stacksCfg.excluded_paths ?? []),
    namePattern: nonEmpty(env['ATMOS_STACKS_NAME_PATTERN']) ?? nonEmpty(stacksCfg.name_pattern),
    nameTemplate: nonEmpty(env['ATMOS_STACKS_NAME_TEMPLATE']) ?? nonEmpty(stacksCfg.name_template),
    componentBasePaths,
    stores: records(raw['stores'], ['stores']),
    secretProviders: records(isPlainObject(rawSecrets) ? rawSecrets['providers'] : undefined, ['secrets', 'providers']),
    env: envOut,
    listMergeStrategy: toListMergeStrategy(config.settings?.list_merge_strategy, configPath) ?? 'replace',
    settings: isPlainObject(raw['settings']) ? raw['settings'] : {},
    templatesEnabled: config.templates?.settings?.enabled ?? true,
    ignoreMissingTemplateValues: config.templates?.settings?.ignore_missing_template_values ?? false,
    gitRoot,
    warnings,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
