// Loads a whole Atmos workspace: atmos.yaml, every stack manifest with its imports (each file read and parsed
// once), stack names, and per-stack component lists. Component configurations are merged on request and the
// latest MERGED_CACHE_SIZE are cached: listing stays cheap, and walking every stack holds about one stack's merges.
import { relative } from 'node:path';
import { globSync } from 'tinyglobby';
import { AppError, type SourceLocation } from '../../shared/errors';
import {
  loadAtmosConfig,
  type AtmosConfigFile,
  type ConfigWarning,
  type RawRecord,
  type ResolvedConfig,
} from './atmos-config';
import {
  componentSecretBlocks,
  isAbstract,
  mergeComponent,
  mergeSecretsModel,
  ownConfig,
  SecretsMemo,
  type ComponentConfig,
  type SecretsModelConfig,
  type StackComponents,
} from './component-config';
import { runAll, type ExecOutcome } from './exec-runner';
import { commandsIn, evaluateValue, type EvalContext } from './functions-eval';
import { type Fetcher } from './include';
import { LayerCollector } from './imports';
import { ManifestStore } from './manifests';
import { isPlainObject } from './merge';
import { declarationSources, type DeclarationSource } from './provenance';
import { buildStack, COMPONENT_TYPES, type StackData } from './stack';
import { stackName, stripManifestExtension } from './stack-names';
import { isSecretStoreRecord } from './store-secrecy';
import { untrustedWarning } from './trust';

export interface LoadWorkspaceOptions {
  /** Where discovery starts (default: process.cwd()). */
  readonly cwd?: string;
  /** `--config`: atmos.yaml or its folder (else ATMOS_CLI_CONFIG_PATH, then discovery). */
  readonly configPath?: string;
  /** `--base-path` (else ATMOS_BASE_PATH, else atmos.yaml's base_path). */
  readonly basePath?: string;
  /** The environment for ATMOS_* settings, `!env` and `!exec` (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Allow remote `!include` sources (default false). */
  readonly allowNetwork?: boolean;
  /** Reads remote `!include` sources when network access is allowed (default: fetch for http(s)). */
  readonly fetcher?: Fetcher;
  /**
   * Run the workspace's code: `!exec` in atmos.yaml and in manifests (default false). Untrusted, every `!exec`
   * stays unevaluated (describe shows its text) and `warnings` holds one entry saying how to trust it.
   */
  readonly trusted?: boolean;
}

/** A component as listed in a stack. */
export interface ComponentListing {
  readonly name: string;
  readonly type: string;
  /** `metadata.type: abstract`: takes part in inheritance but is never deployed. */
  readonly abstract: boolean;
}

export interface StackInfo {
  readonly name: string;
  /** Absolute path of the manifest. */
  readonly file: string;
  /** Manifest path relative to stacks.base_path, without extension. */
  readonly manifest: string;
  readonly imports: readonly string[];
}

/**
 * Stacks (per component type) whose merge caches (own configurations, base chains, merged prefixes) a Workspace
 * keeps, oldest let go first: a caller works within a stack, and a walk over 1,000 stacks that kept them all
 * carried every stack's caches to the end (list and describe stacks: -2 to -3% CPU, -17 MB peak at 8).
 */
export const STACK_CACHE_SIZE = 8;

/** Merged component configurations a Workspace keeps for re-use (see componentConfig). */
export const MERGED_CACHE_SIZE = 64;

export class Workspace {
  readonly configPath: string;
  readonly config: AtmosConfigFile;
  readonly rawConfig: Readonly<Record<string, unknown>>;
  readonly basePath: string;
  readonly stacksBasePath: string;
  readonly warnings: readonly ConfigWarning[];
  /** `stores` from atmos.yaml, raw, with where each was declared (kinds are validated by the store registry). */
  readonly stores: Readonly<Record<string, RawRecord>>;
  /** `secrets.providers` from atmos.yaml, raw, with locations. */
  readonly secretProviders: Readonly<Record<string, RawRecord>>;
  /** atmos.yaml's `env` section, as strings. */
  readonly env: Readonly<Record<string, string>>;
  /** How many files were read from disk while loading. */
  readonly filesRead: number;

  private readonly byName: ReadonlyMap<string, StackData>;
  private readonly perType = new Map<string, StackComponents>();
  private readonly merged = new Map<string, ComponentConfig>();
  private readonly secretsMemo = new SecretsMemo();
  /** Merged before evaluation, kept while `!exec` commands are collected so each component merges once. */
  private readonly unevaluated = new Map<string, ComponentConfig>();
  /** Outcomes of the `!exec` commands, run at load; undefined when the workspace is not trusted. */
  private exec: ReadonlyMap<string, ExecOutcome> | undefined;

  constructor(
    readonly resolved: ResolvedConfig,
    stacks: ReadonlyMap<string, StackData>,
    filesRead: number,
    private readonly processEnv: Readonly<Record<string, string | undefined>>,
    warnings: readonly ConfigWarning[] = resolved.warnings,
  ) {
    this.configPath = resolved.configPath;
    this.config = resolved.config;
    this.rawConfig = resolved.raw;
    this.basePath = resolved.basePath;
    this.stacksBasePath = resolved.stacksBasePath;
    this.warnings = warnings;
    this.stores = resolved.stores;
    this.secretProviders = resolved.secretProviders;
    this.env = resolved.env;
    this.byName = stacks;
    this.filesRead = filesRead;
  }

  /** Canonical stack names, sorted. */
  stackNames(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Resolve `-s`: only the canonical name is accepted; anything else is NOT_FOUND listing the valid names. */
  resolveStack(name: string): StackInfo {
    const s = this.byName.get(name);
    if (!s) {
      const byFile = [...this.byName.values()].find((x) => x.relPath === name);
      const names = this.stackNames();
      throw new AppError('NOT_FOUND', `stack "${name}" not found${byFile ? `; did you mean "${byFile.name}"?` : ''}`, {
        hint: `Valid stack names: ${names.join(', ') || '(none)'}.${byFile ? ` ${nameOrigin(byFile)}, so use that name.` : ''}`,
      });
    }
    return { name: s.name, file: s.file, manifest: s.relPath, imports: s.imports };
  }

  /** The components of a stack, abstract ones included and marked. Sorted by type, then name. */
  components(stack: string): ComponentListing[] {
    const s = this.stackData(stack);
    const out: ComponentListing[] = [];
    for (const type of [...s.components.keys()].sort(typeOrder)) {
      const sc = this.stackComponents(s, type);
      for (const name of [...(s.components.get(type)?.keys() ?? [])].sort())
        out.push({ name, type, abstract: isAbstract(sc, name) });
    }
    return out;
  }

  /**
   * The merged configuration of a component in a stack, with templates and `!env`/`!exec`/`!template`
   * evaluated and `!secret`/`!store` references left in place. `type` picks among same-named components.
   */
  componentConfig(stack: string, component: string, type?: string): ComponentConfig {
    const s = this.stackData(stack);
    const t = type ?? this.typeOf(s, component);
    if (t === undefined || !s.components.get(t)?.has(component)) {
      const names = this.components(stack).map((c) => c.name);
      throw new AppError('NOT_FOUND', `component "${component}" not found in stack ${stack}`, {
        hint: `Components in ${stack}: ${names.join(', ') || '(none)'}.`,
      });
    }
    const key = `${stack}\0${t}\0${component}`;
    const cached = this.merged.get(key);
    if (cached) return cached;
    const base = this.unevaluated.get(key) ?? this.mergeOne(s, t, component);
    if (this.unevaluated.size > 0) this.unevaluated.delete(key);
    const result = s.dynamic ? this.evaluate(base, s) : base;
    this.merged.set(key, result);
    // Bounded, oldest first: a caller looks at a component it just merged again (describe component, the app's
    // selection), while a walk over every stack asks for each component once (describe stacks checks on the same
    // merge). Kept longer, a walk's merges outlived the young generation: 1,024 entries cost `describe stacks`
    // 7% more CPU and 30 MB more peak than 64. A caller that needs them all at once (the secrets index) keeps
    // its own.
    if (this.merged.size > MERGED_CACHE_SIZE) this.merged.delete(this.merged.keys().next().value as string);
    return result;
  }

  /**
   * What the secrets model reads of a component, for a caller that walks the estate (`list`). In a static stack
   * only the declarations, providers and SECRETS_MODEL_SECTIONS are merged (not vars, env, settings, ...: on a
   * 50,000-component estate the full merge was a tenth of `list`), unless a full merge is cached already. In a
   * dynamic stack the component is merged and evaluated whole (`componentConfig`): a template may decide its
   * identity, and every `!secret` in its sections must name a declared secret. Not cached: a walk asks once.
   * NOT_FOUND as componentConfig.
   */
  secretsModelConfig(stack: string, component: string, type?: string): SecretsModelConfig | ComponentConfig {
    const s = this.stackData(stack);
    if (s.dynamic) return this.componentConfig(stack, component, type);
    const t = type ?? this.typeOf(s, component);
    // Not there: componentConfig throws its NOT_FOUND, naming the stack's components.
    if (t === undefined || !s.components.get(t)?.has(component)) return this.componentConfig(stack, component, type);
    return (
      this.merged.get(`${stack}\0${t}\0${component}`) ??
      mergeSecretsModel(this.stackComponents(s, t), component, this.resolved.settings)
    );
  }

  private mergeOne(s: StackData, type: string, component: string): ComponentConfig {
    return mergeComponent(this.stackComponents(s, type), component, this.resolved.settings);
  }

  /**
   * Trusted workspaces: run every `!exec` command the components would run, asynchronously and a few at a
   * time, before any component is evaluated (evaluation is synchronous and must not block the main thread).
   */
  async runCommands(): Promise<void> {
    const commands = new Set<string>();
    for (const s of this.byName.values()) {
      if (!s.dynamic) continue;
      for (const [type, byName] of s.components) {
        for (const name of byName.keys()) {
          try {
            const c = this.mergeOne(s, type, name);
            this.unevaluated.set(`${s.name}\0${type}\0${name}`, c);
            const ctx = this.evalContext(c, s);
            for (const [k, v] of Object.entries(c.sections)) if (k !== 'secrets') commandsIn(v, ctx, k, commands);
          } catch (e) {
            // A component that cannot be merged or rendered fails with this same error when it is asked for.
            if (!(e instanceof AppError)) throw e;
          }
        }
      }
    }
    this.exec = await runAll(commands, { env: this.processEnv, cwd: this.basePath });
  }

  private evaluate(c: ComponentConfig, s: StackData): ComponentConfig {
    const ctx = this.evalContext(c, s);
    const sections: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.sections)) {
      // Declarations stay raw: the secrets engine renders their templates (e.g. `reference`) itself.
      sections[k] = k === 'secrets' ? v : evaluateValue(v, ctx, k);
    }
    return { ...c, sections };
  }

  private evalContext(c: ComponentConfig, s: StackData): EvalContext {
    const env = c.sections['env'];
    // Built on first use: most components render no template, and building it for each of 50,000 components
    // was a large part of describing a dynamic estate.
    let data: Record<string, unknown> | undefined;
    return {
      stack: c.stack,
      component: c.component,
      templatesEnabled: this.resolved.templatesEnabled,
      ignoreMissingTemplateValues: this.resolved.ignoreMissingTemplateValues,
      processEnv: this.processEnv,
      sectionEnv: isPlainObject(env) ? env : {},
      get templateData(): Readonly<Record<string, unknown>> {
        return (data ??= {
          ...c.sections,
          atmos_component: c.component,
          atmos_stack: c.stack,
          atmos_stack_file: s.relPath,
          atmos_manifest: s.relPath,
          component: c.folder,
          stack: c.stack,
          workspace: c.stack,
        });
      },
      exec: this.exec,
    };
  }

  /** The type holding `component` (terraform first, then helmfile, packer, ansible, then others by name). */
  private typeOf(s: StackData, component: string): string | undefined {
    let best: string | undefined;
    for (const [t, byName] of s.components)
      if (byName.has(component) && (best === undefined || typeOrder(t, best) < 0)) best = t;
    return best;
  }

  private stackData(name: string): StackData {
    const s = this.byName.get(name);
    if (!s) this.resolveStack(name);
    return s as StackData;
  }

  private stackComponents(s: StackData, type: string): StackComponents {
    const key = `${s.name}\0${type}`;
    let sc = this.perType.get(key);
    if (!sc) {
      sc = {
        stack: s,
        type,
        globalStrategy: this.resolved.listMergeStrategy,
        configProviders: this.resolved.secretProviders,
        secretsMemo: this.secretsMemo,
        own: new Map(),
        chains: new Map(),
        chainInfos: new Map(),
      };
      this.perType.set(key, sc);
      if (this.perType.size > STACK_CACHE_SIZE) this.perType.delete(this.perType.keys().next().value as string);
    }
    return sc;
  }

  /** True when `store` is a secret store (`secret: true`, or a kind that always is: onepassword, keychain). */
  isSecretStore(store: string): boolean {
    const rec = this.stores[store];
    return rec !== undefined && isSecretStoreRecord(rec.raw);
  }

  /**
   * Every file that contributed to a component's `secrets.vars.<secret>`, in merge order, with line and key
   * path; the last one won. Empty when the component does not declare it; NOT_FOUND as componentConfig.
   * Computed on request from the parsed files (nothing is recorded for it while loading).
   */
  declarationSources(stack: string, component: string, secret: string, type?: string): DeclarationSource[] {
    const t = this.componentConfig(stack, component, type).type;
    const blocks = componentSecretBlocks(
      this.stackComponents(this.stackData(stack), t),
      component,
      this.resolved.settings,
    );
    return blocks ? declarationSources(blocks, component, t, secret) : [];
  }

  /** The component's own configuration merged across files, before inheritance (for editors and tools). */
  ownComponentConfig(stack: string, type: string, component: string): Readonly<Record<string, unknown>> | undefined {
    return ownConfig(this.stackComponents(this.stackData(stack), type), component);
  }
}

/** Where a stack's canonical name comes from, for hints. */
function nameOrigin(s: StackData): string {
  switch (s.nameSource) {
    case 'name':
      return `The manifest ${s.relPath} sets name: ${s.name}`;
    case 'name_template':
      return `The manifest ${s.relPath} is named "${s.name}" by stacks.name_template in atmos.yaml`;
    case 'name_pattern':
      return `The manifest ${s.relPath} is named "${s.name}" by stacks.name_pattern in atmos.yaml`;
    case 'path':
      return `The manifest ${s.relPath} is named by its path`;
    default: {
      const never: never = s.nameSource;
      return never;
    }
  }
}

function typeOrder(a: string, b: string): number {
  const ia = (COMPONENT_TYPES as readonly string[]).indexOf(a);
  const ib = (COMPONENT_TYPES as readonly string[]).indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}

/** Find and load the workspace. Throws AppError 'CONFIG' or 'YAML' naming file and line (a missing atmos.yaml, import or !include file is CONFIG). */
export async function loadWorkspace(opts: LoadWorkspaceOptions = {}): Promise<Workspace> {
  const env = opts.env ?? process.env;
  const trusted = opts.trusted === true;
  const resolved = await loadAtmosConfig({ ...opts, env, trusted });
  const execSites: SourceLocation[] = [...resolved.skippedExecs];
  const includeCache = new Map<string, Promise<unknown>>();
  let includeReads = 0;
  const store = new ManifestStore(
    {
      basePath: resolved.basePath,
      allowNetwork: opts.allowNetwork ?? false,
      ...(opts.fetcher ? { fetcher: opts.fetcher } : {}),
      cache: includeCache,
      countRead: () => {
        includeReads++;
      },
      execSites,
    },
    env,
  );
  const collector = new LayerCollector(store, {
    stacksBasePath: resolved.stacksBasePath,
    templatesEnabled: resolved.templatesEnabled,
    ignoreMissingTemplateValues: resolved.ignoreMissingTemplateValues,
    env,
  });
  const rel = (f: string): string => relative(resolved.stacksBasePath, f).replace(/\\/g, '/');
  const files = globSync([...resolved.includedPaths], {
    cwd: resolved.stacksBasePath,
    ignore: [...resolved.excludedPaths],
    absolute: true,
    onlyFiles: true,
    expandDirectories: false,
  })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();

  const stacks = new Map<string, StackData>();
  /** Manifests name_template/name_pattern could not name (catalog files and the like): named by their path. */
  const fellBack: { relPath: string; file: string; why: string }[] = [];
  // One manifest at a time: the work is CPU-bound, and it keeps the import memo free of waits on each other.
  for (const file of files) {
    const layers = await collector.layers(file);
    const relPath = stripManifestExtension(rel(file));
    const own = layers[layers.length - 1];
    const provisional = buildStack('', file, relPath, layers, resolved.listMergeStrategy, (f) =>
      stripManifestExtension(rel(f)),
    );
    const naming = stackName(relPath, file, own?.doc['name'], provisional.globals, {
      nameTemplate: resolved.nameTemplate,
      namePattern: resolved.namePattern,
      env,
    });
    const name = naming.name;
    if (naming.fellBack !== undefined) fellBack.push({ relPath, file, why: naming.fellBack });
    const clash = stacks.get(name);
    if (clash) {
      throw new AppError('CONFIG', `two manifests produce the stack name "${name}": ${clash.relPath} and ${relPath}`, {
        location: { file } satisfies SourceLocation,
        hint: `Give one of ${clash.file} and ${file} a different name (its name: field or the vars used by stacks.name_template/name_pattern), or exclude one with stacks.excluded_paths.`,
      });
    }
    stacks.set(name, { ...provisional, name, nameSource: naming.source });
  }
  const warnings = [...resolved.warnings];
  const first = fellBack[0];
  if (first) {
    const more =
      fellBack.length > 1
        ? ` (and ${fellBack.length - 1} more: ${fellBack
            .slice(1, 4)
            .map((f) => f.relPath)
            .join(', ')}${fellBack.length > 4 ? ', ...' : ''})`
        : '';
    warnings.push({
      message: `${first.why}, so it is named by its path "${first.relPath}"${more}. Exclude files that are not stacks with stacks.excluded_paths, or define the values.`,
      location: { file: first.file },
    });
  }
  if (!trusted && execSites.length > 0) warnings.push(untrustedWarning(uniqueSites(execSites)));
  const ws = new Workspace(resolved, stacks, store.filesRead + includeReads + 1, env, warnings);
  if (trusted && execSites.length > 0) await ws.runCommands();
  return ws;
}

/** Templated manifests are parsed once per context: count each call site once. */
function uniqueSites(sites: readonly SourceLocation[]): SourceLocation[] {
  const seen = new Map<string, SourceLocation>();
  for (const s of sites) seen.set(`${s.file}\0${s.line ?? ''}\0${s.column ?? ''}`, s);
  return [...seen.values()];
}
