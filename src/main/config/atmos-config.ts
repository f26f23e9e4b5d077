// Find and read atmos.yaml: discovery order, `.atmos.d/` fragments, the zod schema (unknown keys warn, wrong
// types fail with file and line), base path resolution, the ATMOS_* overrides, and the raw `stores` /
// `secrets.providers` records.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { z } from 'zod';
import { AppError, type SourceLocation } from '../../shared/errors';
import { isPlainObject, Merger, toListMergeStrategy, type ListMergeStrategy } from './merge';
import { readTextFile } from './bounded-input';
import { resolveBasePath, runtimeBasePath } from './base-path';
import { execValue } from './functions-eval';
import { checkStoreSecrecy } from './store-secrecy';
import { runAll } from './exec-runner';
import { HOW_TO_TRUST } from './trust';
import { locationOfKey, parseYaml } from './yaml-parse';
import { DeferredCall } from './yaml-refs';

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
  // `base_path: ~` is YAML null: the smart default, as an empty string.
  base_path: z.string().nullable().optional(),
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
  'base_path',
  'components',
  'stacks',
  'stores',
  'secrets',
  'env',
  'settings',
  'templates',
  'logs',
  'workflows',
  'schemas',
  'integrations',
  'commands',
  'aliases',
  'auth',
  'toolchain',
  'describe',
  'vendor',
  'validate',
  'version',
  'errors',
  'metadata',
  'docs',
  'profiles',
  'import',
  'policies',
  'pro',
  'devcontainer',
  'list',
  'terminal',
  'cli',
]);
const KNOWN_STACKS_KEYS = new Set([
  'base_path',
  'included_paths',
  'excluded_paths',
  'name_pattern',
  'name_template',
  'inherit',
  'list',
]);

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
  /** Untrusted: the `!exec` calls left unevaluated (the workspace reports them in one warning). */
  readonly skippedExecs: readonly SourceLocation[];
}

export interface ConfigOptions {
  readonly cwd?: string;
  readonly configPath?: string;
  readonly basePath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Run `!exec` in atmos.yaml (default false: kept as written, with a warning). */
  readonly trusted?: boolean;
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
    throw new AppError('CONFIG', `atmos.yaml not found at ${p}`, {
      hint: `${opts.configPath !== undefined ? '--config' : 'ATMOS_CLI_CONFIG_PATH'} must name atmos.yaml or the folder that holds it.`,
    });
  }
  // Beyond Atmos' search: a base path given at run time that holds atmos.yaml uses it, so
  // `--base-path examples/demo` works from anywhere.
  const runtime = runtimeBasePath(opts.basePath, env);
  const runtimeDir = runtime
    ? resolveBasePath(runtime.value, 'runtime', { cwd, configDir: undefined, gitRoot: gitRootFor(cwd, env) })
    : undefined;
  if (runtimeDir) {
    const inBase = configIn(runtimeDir);
    if (inBase) return inBase;
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
  if (runtime && runtimeDir) {
    throw new AppError(
      'CONFIG',
      `no atmos.yaml found in ${runtimeDir} (${runtime.from}), nor in ${cwd}, its git root or any parent folder`,
      { hint: `Point ${runtime.from} at the folder that holds atmos.yaml, or pass --config (ATMOS_CLI_CONFIG_PATH).` },
    );
  }
  throw new AppError('CONFIG', `no atmos.yaml found in ${cwd}, its git root or any parent folder`, {
    hint: 'Run from inside an Atmos repository, or pass --config (ATMOS_CLI_CONFIG_PATH) or --base-path.',
  });
}

/** The git root Atmos searches from, unless ATMOS_GIT_ROOT_BASEPATH=false turns git root discovery off. */
function gitRootFor(dir: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return (env['ATMOS_GIT_ROOT_BASEPATH'] ?? 'true').toLowerCase() === 'false' ? undefined : findGitRoot(dir);
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

interface ConfigSource {
  readonly file: string;
  readonly raw: Record<string, unknown>;
  /** Where its `!exec` calls are. */
  readonly execs: readonly SourceLocation[];
}

/** Read and parse one config file (atmos.yaml or a `.atmos.d` fragment); `!exec` is left for later. */
function readConfigFile(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  configDir: string,
): ConfigSource {
  // Config is read before any stack, so its functions are evaluated at load: !env and !repo-root now, !exec
  // (asynchronously, and only when the workspace is trusted) before the file is validated.
  const parsed = parseYaml(readTextFile(file), file, {
    envNow: env,
    repoRootNow: findGitRoot(configDir) ?? configDir,
  });
  if (parsed.includes.length > 0) {
    throw new AppError('CONFIG', '!include is not supported in atmos.yaml by this loader', {
      location: parsed.includes[0]?.location ?? { file },
      hint: 'Write the values into the file, or set them through environment variables with !env.',
    });
  }
  const raw = parsed.value === null ? {} : parsed.value;
  if (!isPlainObject(raw)) {
    throw new AppError('CONFIG', `${basename(file)} must be a mapping`, {
      location: { file, line: 1 },
      hint: 'Start the file with keys such as base_path: and stacks:.',
    });
  }
  return { file, raw, execs: parsed.execs };
}

/** Every `!exec` call in parsed config, with the container and key that hold it. */
function execCalls(
  v: unknown,
  out: { call: DeferredCall; parent: Record<string, unknown> | unknown[]; key: string | number }[],
): void {
  if (Array.isArray(v)) {
    v.forEach((item: unknown, i) => {
      if (item instanceof DeferredCall && item.tag === '!exec') out.push({ call: item, parent: v, key: i });
      else execCalls(item, out);
    });
  } else if (isPlainObject(v)) {
    for (const [k, item] of Object.entries(v)) {
      if (item instanceof DeferredCall && item.tag === '!exec') out.push({ call: item, parent: v, key: k });
      else execCalls(item, out);
    }
  }
}

/** Trusted: run the config's `!exec` commands (in the config folder) and put their values in place. */
async function evaluateConfigExecs(
  sources: readonly ConfigSource[],
  env: Readonly<Record<string, string | undefined>>,
  configDir: string,
): Promise<void> {
  const calls: Parameters<typeof execCalls>[1] = [];
  for (const src of sources) execCalls(src.raw, calls);
  if (calls.length === 0) return;
  const outcomes = await runAll(
    calls.map((c) => c.call.arg),
    { env, cwd: configDir },
  );
  for (const { call, parent, key } of calls) {
    const value = execValue(call.arg, outcomes.get(call.arg), call.location);
    if (Array.isArray(parent)) parent[Number(key)] = value;
    else parent[String(key)] = value;
  }
}

/** Check one config file against the schema, so a wrong type is reported in the file and line that holds it. */
function validateConfigFile(src: ConfigSource): void {
  const result = atmosConfigSchema.safeParse(src.raw);
  if (result.success) return;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const dotted = path.map(String).join('.');
  const name = basename(src.file);
  let value: unknown = src.raw;
  for (const k of path)
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  if (value instanceof DeferredCall) {
    throw new AppError(
      'CONFIG',
      `${name}: ${dotted} is set by ${value.tag}, which was not run: the workspace is not trusted`,
      {
        location: value.location,
        hint: `Trust the workspace (${HOW_TO_TRUST}), or write the value into the file.`,
      },
    );
  }
  throw new AppError('CONFIG', `${name}: ${dotted || '(root)'}: ${issue?.message ?? 'invalid value'}`, {
    location: pathLocation(src.raw, path, src.file),
    hint: `Give ${dotted || 'the document'} the type the Atmos configuration reference describes.`,
  });
}

/**
 * `.atmos.d/` and `atmos.d/` fragments, merged after atmos.yaml: the git root's first, then the config folder's;
 * in each, shallower files first, then by name (Atmos' order).
 */
export function configFragments(configDir: string, gitRoot: string | undefined): string[] {
  const dirs = [...new Set([...(gitRoot ? [gitRoot] : []), configDir])];
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of ['.atmos.d', 'atmos.d']) {
      const root = join(dir, name);
      if (!existsSync(root)) continue;
      const files = globSync(['**/*.yaml', '**/*.yml'], {
        cwd: root,
        dot: true,
        onlyFiles: true,
        expandDirectories: false,
      });
      files.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
      for (const f of files) {
        const abs = join(root, f);
        if (!out.includes(abs)) out.push(abs);
      }
    }
  }
  return out;
}

/** Load, validate and resolve atmos.yaml (with its `.atmos.d` fragments). */
export async function loadAtmosConfig(opts: ConfigOptions): Promise<ResolvedConfig> {
  const env = opts.env ?? process.env;
  const cwd = resolve(opts.cwd ?? process.cwd());
  const configPath = discoverConfig(opts);
  const configDir = dirname(configPath);
  const gitRootForFragments = findGitRoot(configDir);
  const sources = [configPath, ...configFragments(configDir, gitRootForFragments)].map((f) =>
    readConfigFile(f, env, configDir),
  );
  const warnings: ConfigWarning[] = [];
  const trusted = opts.trusted === true;
  if (trusted) await evaluateConfigExecs(sources, env, configDir);
  for (const src of sources) validateConfigFile(src);
  const merger = new Merger('replace');
  let merged: unknown = undefined;
  for (const src of sources) merged = merger.merge(merged, src.raw);
  const raw = isPlainObject(merged) ? merged : {};
  const config = atmosConfigSchema.parse(raw);
  for (const src of sources) {
    const name = basename(src.file);
    for (const k of Object.keys(src.raw)) {
      if (!KNOWN_TOP_KEYS.has(k))
        warnings.push({
          message: `${name}: unknown key "${k}" (ignored)`,
          location: pathLocation(src.raw, [k], src.file),
        });
    }
    if (isPlainObject(src.raw['stacks'])) {
      for (const k of Object.keys(src.raw['stacks'])) {
        if (!KNOWN_STACKS_KEYS.has(k))
          warnings.push({
            message: `${name}: unknown key "stacks.${k}" (ignored)`,
            location: pathLocation(src.raw, ['stacks', k], src.file),
          });
      }
    }
  }

  const gitRoot = findGitRoot(configDir);
  // The config's own repository first (the app opens a folder; the CLI may run from elsewhere), then the cwd's.
  const searchRoot = gitRootFor(configDir, env) ?? gitRootFor(cwd, env);
  const runtime = runtimeBasePath(opts.basePath, env);
  const basePath = resolveBasePath(runtime ? runtime.value : config.base_path, runtime ? 'runtime' : 'config', {
    cwd,
    configDir,
    gitRoot: searchRoot,
  });

  const stacksCfg = config.stacks ?? {};
  const stacksBase = nonEmpty(env['ATMOS_STACKS_BASE_PATH']) ?? stacksCfg.base_path ?? 'stacks';
  const included = nonEmpty(env['ATMOS_STACKS_INCLUDED_PATHS']);
  const excluded = nonEmpty(env['ATMOS_STACKS_EXCLUDED_PATHS']);

  const componentBasePaths: Record<string, { configured: string; absolute: string }> = {};
  for (const [type, c] of Object.entries(config.components ?? {})) {
    const configured = nonEmpty(env[`ATMOS_COMPONENTS_${type.toUpperCase()}_BASE_PATH`]) ?? c.base_path;
    if (configured !== undefined) componentBasePaths[type] = { configured, absolute: resolve(basePath, configured) };
  }

  const records = (path: readonly string[]): Record<string, RawRecord> => {
    const out: Record<string, RawRecord> = {};
    const rm = new Merger('replace');
    for (const src of sources) {
      let section: unknown = src.raw;
      for (const k of path) section = isPlainObject(section) ? section[k] : undefined;
      if (!isPlainObject(section)) continue;
      for (const [name, v] of Object.entries(section)) {
        if (!isPlainObject(v)) continue;
        const prev = out[name]?.raw;
        const value = prev ? rm.merge(prev, v) : v;
        out[name] = {
          raw: isPlainObject(value) ? value : v,
          location: pathLocation(src.raw, [...path, name], src.file),
        };
      }
    }
    return out;
  };

  const stores = records(['stores']);
  checkStoreSecrecy(stores);

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
    stores,
    secretProviders: records(['secrets', 'providers']),
    env: envOut,
    listMergeStrategy: toListMergeStrategy(config.settings?.list_merge_strategy, configPath) ?? 'replace',
    settings: isPlainObject(raw['settings']) ? raw['settings'] : {},
    templatesEnabled: config.templates?.settings?.enabled ?? true,
    ignoreMissingTemplateValues: config.templates?.settings?.ignore_missing_template_values ?? false,
    gitRoot,
    warnings,
    skippedExecs: trusted ? [] : sources.flatMap((src) => src.execs),
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
