// `describe component` and `describe stacks` data: the merged vars, env, settings, metadata, secrets and backend
// of a component, its component_info and Terraform workspace, in the shape Atmos prints them, with every
// `!secret` shown as `<MASKED>` and no backend called. A `!store` on a secret store is refused here, as the spec
// says, rather than shown. Pure functions over a loaded Workspace.
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { isPlainObject } from './merge';
import { type ComponentConfig } from './component-config';
import { renderTemplate, TemplateError } from './go-template';
import { type StackInfo, type Workspace } from './workspace';
import { DeferredCall, LiteralText, OpaqueCall, SecretRef, StoreRef } from './yaml-refs';

/** What `!secret` shows in inspection output (Atmos' default mask replacement). */
export const MASK = '<MASKED>';

export interface DescribedComponent {
  readonly atmos_component: string;
  readonly atmos_stack: string;
  readonly atmos_stack_file: string;
  readonly atmos_manifest: string;
  readonly component: string;
  readonly component_type: string;
  readonly stack: string;
  /** The Terraform workspace, computed as Atmos does (see `terraformWorkspace`). */
  readonly workspace: string;
  readonly inheritance: readonly string[];
  readonly backend: Readonly<Record<string, unknown>>;
  readonly backend_type: string;
  readonly component_info: { readonly component_path: string; readonly component_type: string };
  readonly vars: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, unknown>>;
}

/** stack name -> { components: { <type>: { <component>: DescribedComponent } } }, as `atmos describe stacks`. */
export type DescribedStacks = Record<string, { components: Record<string, Record<string, DescribedComponent>> }>;

/**
 * Replace references with what inspection shows: `<MASKED>` for secrets, the written form for the others.
 * Copies only what changes (the merged data is shared and never modified).
 */
export function maskReferences(v: unknown, onStore?: (ref: StoreRef) => void): unknown {
  if (v instanceof SecretRef) return MASK;
  if (v instanceof StoreRef) onStore?.(v);
  if (v instanceof StoreRef || v instanceof DeferredCall || v instanceof OpaqueCall || v instanceof LiteralText) {
    return v.toString();
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((item: unknown, i) => {
      const m = maskReferences(item, onStore);
      if (m !== item) (out ??= [...(v as unknown[])])[i] = m;
    });
    return out ?? v;
  }
  if (isPlainObject(v)) {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const item = v[k];
      const m = maskReferences(item, onStore);
      if (m !== item) (out ??= { ...v })[k] = m;
    }
    return out ?? v;
  }
  return v;
}

function sectionOf(
  sections: Readonly<Record<string, unknown>>,
  key: string,
  dynamic: boolean,
  onStore: (ref: StoreRef) => void,
): Readonly<Record<string, unknown>> {
  // Only stacks built from files with YAML functions can hold references; the others need no walk.
  const v = dynamic ? maskReferences(sections[key], onStore) : sections[key];
  return isPlainObject(v) ? v : {};
}

/** The spec's refusal of `!store`/`!store.get` on a secret store (the store registry uses the same words). */
function refuseStoreOnSecretStore(ws: Workspace): (ref: StoreRef) => void {
  return (ref) => {
    if (ws.isSecretStore(ref.store)) {
      throw new AppError('CONFIG', `store "${ref.store}" is a secret store; use !secret instead of !store`, {
        location: ref.location,
        hint: `Declare the value under secrets.vars and read it with !secret (atmos-secret import copies it from the store).`,
      });
    }
  };
}

/** Atmos' default component folders, used when atmos.yaml sets no components.<type>.base_path. */
const DEFAULT_COMPONENT_BASE = (type: string): string => `components/${type}`;

/** Atmos' context tokens for `metadata.terraform_workspace_pattern`. */
function replaceContextTokens(pattern: string, c: ComponentConfig, base: string, componentPath: () => string): string {
  const vars = isPlainObject(c.sections['vars']) ? c.sections['vars'] : {};
  const text = (k: string): string => (typeof vars[k] === 'string' ? (vars[k] as string) : '');
  const attributes = Array.isArray(vars['attributes']) ? vars['attributes'].map(String).join('-') : '';
  const tokens: Readonly<Record<string, string>> = {
    '{base-component}': base,
    '{component}': c.component,
    '{component-path}': pattern.includes('{component-path}') ? componentPath() : '',
    '{namespace}': text('namespace'),
    '{environment}': text('environment'),
    '{region}': text('region'),
    '{tenant}': text('tenant'),
    '{stage}': text('stage'),
    '{attributes}': attributes,
  };
  return pattern.replace(/\{[a-z-]+\}/g, (t) => tokens[t] ?? t);
}

/**
 * The Terraform workspace as Atmos computes it (BuildTerraformWorkspace): "default" when workspaces are off
 * (components.terraform.workspaces_enabled: false, or an http backend); else metadata.terraform_workspace_template
 * (a Go template over the component), terraform_workspace_pattern (context tokens), terraform_workspace, the
 * stack name for a component without a base component, and `<stack>-<component>` for one with a base; any "/"
 * becomes "-".
 */
export function terraformWorkspace(ws: Workspace, c: ComponentConfig, componentPath: () => string): string {
  const tf = ws.config.components?.['terraform'];
  if (
    (tf as Record<string, unknown> | undefined)?.['workspaces_enabled'] === false ||
    c.sections['backend_type'] === 'http'
  )
    return 'default';
  const meta = isPlainObject(c.sections['metadata']) ? c.sections['metadata'] : {};
  // The base component is the component folder when it differs from the instance name (a legacy `component:`
  // that names no defined component is not one: Atmos' stack-manifest-name golden).
  const base = c.folder === c.component ? '' : c.folder;
  const prefix = c.stack;
  let workspace: string;
  const template = meta['terraform_workspace_template'];
  const pattern = meta['terraform_workspace_pattern'];
  const fixed = meta['terraform_workspace'];
  if (typeof template === 'string') {
    try {
      workspace = renderTemplate(
        template,
        { ...c.sections, atmos_component: c.component, atmos_stack: c.stack, component: c.folder, stack: c.stack },
        { missingKey: 'error', env: {} },
      );
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      throw new AppError(
        'CONFIG',
        `metadata.terraform_workspace_template of component ${c.component} in stack ${c.stack} failed: ${e.message}`,
        {
          hint: 'Define the value the template reads, or fix the template.',
        },
      );
    }
  } else if (typeof pattern === 'string') workspace = replaceContextTokens(pattern, c, base, componentPath);
  else if (typeof fixed === 'string') workspace = fixed;
  else if (base === '') workspace = prefix;
  else workspace = `${prefix}-${c.component}`;
  return workspace.replace(/\//g, '-');
}

/**
 * One component in one stack. Unknown stacks and components are AppError NOT_FOUND listing the valid names.
 * The sections share data with the workspace's cache: treat them as read-only (copy before changing them).
 */
export function describeComponent(ws: Workspace, component: string, stack: string): DescribedComponent {
  const info = ws.resolveStack(stack);
  return described(ws, info, ws.componentConfig(info.name, component), 'absolute');
}

/**
 * The component folder. Atmos prints it absolute in `describe component` and, in `describe stacks`, joined from
 * base_path and components.<type>.base_path as written (its goldens show both).
 */
function componentPath(ws: Workspace, c: ComponentConfig, form: 'absolute' | 'as-configured'): string {
  // Memoised: path joins for 60,000 components are a visible part of describing a large estate.
  const key = `${form}\0${c.type}\0${c.folder}`;
  let p = pathMemo.get(ws)?.get(key);
  if (p === undefined) {
    p = joinComponentPath(ws, c, form);
    let m = pathMemo.get(ws);
    if (!m) pathMemo.set(ws, (m = new Map()));
    m.set(key, p);
  }
  return p;
}

/** Per workspace (a WeakMap, so a dropped workspace takes its paths along). */
const pathMemo = new WeakMap<Workspace, Map<string, string>>();

function joinComponentPath(ws: Workspace, c: ComponentConfig, form: 'absolute' | 'as-configured'): string {
  const typePath = ws.resolved.componentBasePaths[c.type];
  if (form === 'absolute')
    return join(typePath?.absolute ?? join(ws.basePath, DEFAULT_COMPONENT_BASE(c.type)), c.folder);
  return join(ws.config.base_path ?? '', typePath?.configured ?? DEFAULT_COMPONENT_BASE(c.type), c.folder);
}

function described(
  ws: Workspace,
  info: StackInfo,
  c: ComponentConfig,
  paths: 'absolute' | 'as-configured',
): DescribedComponent {
  const onStore = refuseStoreOnSecretStore(ws);
  const folderPath = componentPath(ws, c, paths);
  const backendType = c.sections['backend_type'];
  return {
    atmos_component: c.component,
    atmos_stack: c.stack,
    atmos_stack_file: info.manifest,
    atmos_manifest: info.manifest,
    backend: sectionOf(c.sections, 'backend', c.dynamic, onStore),
    backend_type: typeof backendType === 'string' ? backendType : '',
    component: c.folder,
    component_info: { component_path: folderPath, component_type: c.type },
    component_type: c.type,
    stack: c.stack,
    workspace: c.type === 'terraform' ? terraformWorkspace(ws, c, () => componentPath(ws, c, 'absolute')) : c.stack,
    inheritance: c.inheritance,
    vars: sectionOf(c.sections, 'vars', c.dynamic, onStore),
    env: sectionOf(c.sections, 'env', c.dynamic, onStore),
    settings: sectionOf(c.sections, 'settings', c.dynamic, onStore),
    metadata: sectionOf(c.sections, 'metadata', c.dynamic, onStore),
    secrets: sectionOf(c.sections, 'secrets', c.dynamic, onStore),
  };
}

export interface DescribeStacksOptions {
  /** Also list stacks that define no components (Atmos' `--include-empty-stacks`; off by default, as there). */
  readonly includeEmptyStacks?: boolean;
  /**
   * Called with each component's merged configuration as it is described; when it throws, the stack's entry is
   * never yielded. The CLI refuses a misspelt `!secret` here, on the one merge describing makes.
   */
  readonly check?: (c: ComponentConfig) => void;
}

/** One `describe stacks` entry: a stack's components by type and name. */
export type DescribedStack = DescribedStacks[string];

/**
 * `describe stacks` one stack at a time, in stack-name order (or only the stack `only`, a name `-s` accepts), so
 * a caller that writes each entry as it comes never holds the whole estate's output (1,000 stacks: ~140 MB of
 * JSON). Each stack is described when it is asked for; a stack's problem (a `!store` on a secret store) is
 * thrown when that stack's turn comes.
 */
export function* describeStacksEach(
  ws: Workspace,
  options: DescribeStacksOptions = {},
  only?: string,
): Generator<[string, DescribedStack]> {
  for (const stack of only === undefined ? ws.stackNames() : [ws.resolveStack(only).name]) {
    const info = ws.resolveStack(stack);
    const listed = ws.components(stack);
    if (listed.length === 0 && !options.includeEmptyStacks) continue;
    const components: Record<string, Record<string, DescribedComponent>> = {};
    for (const c of listed) {
      const config = ws.componentConfig(stack, c.name, c.type);
      options.check?.(config);
      (components[c.type] ??= {})[c.name] = described(ws, info, config, 'as-configured');
    }
    yield [stack, { components }];
  }
}

/** Every stack, keyed by stack name (abstract components included; their metadata says so). */
export function describeStacks(ws: Workspace, options: DescribeStacksOptions = {}): DescribedStacks {
  const out: DescribedStacks = {};
  for (const [stack, entry] of describeStacksEach(ws, options)) out[stack] = entry;
  return out;
}
