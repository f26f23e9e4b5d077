// `describe component` and `describe stacks` data: the merged vars, env, settings, metadata and secrets of a
// component, in the shape Atmos prints for those sections, with every `!secret` shown as `<MASKED>` and no
// backend called. Pure functions over a loaded Workspace.
import { isPlainObject } from './merge';
import { type ComponentConfig } from './component-config';
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
  readonly workspace: string;
  readonly inheritance: readonly string[];
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
export function maskReferences(v: unknown): unknown {
  if (v instanceof SecretRef) return MASK;
  if (v instanceof StoreRef || v instanceof DeferredCall || v instanceof OpaqueCall || v instanceof LiteralText) {
    return v.toString();
  }
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((item: unknown, i) => {
      const m = maskReferences(item);
      if (m !== item) (out ??= [...(v as unknown[])])[i] = m;
    });
    return out ?? v;
  }
  if (isPlainObject(v)) {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const item = v[k];
      const m = maskReferences(item);
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
): Readonly<Record<string, unknown>> {
  // Only stacks built from files with YAML functions can hold references; the others need no walk.
  const v = dynamic ? maskReferences(sections[key]) : sections[key];
  return isPlainObject(v) ? v : {};
}

/**
 * One component in one stack. Unknown stacks and components are AppError NOT_FOUND listing the valid names.
 * The sections share data with the workspace's cache: treat them as read-only (copy before changing them).
 */
export function describeComponent(ws: Workspace, component: string, stack: string): DescribedComponent {
  const info = ws.resolveStack(stack);
  return described(info, ws.componentConfig(info.name, component));
}

function described(info: StackInfo, c: ComponentConfig): DescribedComponent {
  return {
    atmos_component: c.component,
    atmos_stack: c.stack,
    atmos_stack_file: info.manifest,
    atmos_manifest: info.manifest,
    component: c.folder,
    component_type: c.type,
    stack: c.stack,
    workspace: c.stack,
    inheritance: c.inheritance,
    vars: sectionOf(c.sections, 'vars', c.dynamic),
    env: sectionOf(c.sections, 'env', c.dynamic),
    settings: sectionOf(c.sections, 'settings', c.dynamic),
    metadata: sectionOf(c.sections, 'metadata', c.dynamic),
    secrets: sectionOf(c.sections, 'secrets', c.dynamic),
  };
}

export interface DescribeStacksOptions {
  /** Also list stacks that define no components (Atmos' `--include-empty-stacks`; off by default, as there). */
  readonly includeEmptyStacks?: boolean;
}

/** Every stack, keyed by stack name (abstract components included; their metadata says so). */
export function describeStacks(ws: Workspace, options: DescribeStacksOptions = {}): DescribedStacks {
  const out: DescribedStacks = {};
  for (const stack of ws.stackNames()) {
    const info = ws.resolveStack(stack);
    const listed = ws.components(stack);
    if (listed.length === 0 && !options.includeEmptyStacks) continue;
    const components: Record<string, Record<string, DescribedComponent>> = {};
    for (const c of listed) {
      (components[c.type] ??= {})[c.name] = described(info, ws.componentConfig(stack, c.name, c.type));
    }
    out[stack] = { components };
  }
  return out;
}
