// One stack: its layers merged into the global sections (top-level and `<type>.<section>`), and each
// component's raw configuration collected from every layer that mentions it (kept per layer, so secrets
// declarations keep their file and line).
import { AppError } from '../../shared/errors';
import { type Layer } from './imports';
import { isPlainObject, Merger, type ListMergeStrategy } from './merge';
import { type NameSource } from './stack-names';
import { locationOfKey } from './yaml-parse';

/** Component type sections Atmos knows; other keys under `components:` are accepted as types too. */
export const COMPONENT_TYPES = ['terraform', 'helmfile', 'packer', 'ansible'] as const;

/** A component's raw configuration in one layer. */
export interface ComponentLayer {
  readonly file: string;
  /** Position of the layer in the stack's merge order. */
  readonly index: number;
  readonly config: Readonly<Record<string, unknown>>;
}

/** A layer with an `overrides` section (top level or `<type>.overrides`), and the layers its file covers. */
export interface OverridesLayer {
  /** The file of the layer (for provenance). */
  readonly file: string;
  readonly first: number;
  readonly last: number;
  readonly doc: Readonly<Record<string, unknown>>;
}

export interface StackData {
  readonly name: string;
  /** Where the name came from: `name:`, name_template, name_pattern or the manifest path. */
  readonly nameSource: NameSource;
  readonly file: string;
  /** Manifest path relative to stacks.base_path, without extension (Atmos' atmos_stack_file). */
  readonly relPath: string;
  readonly layers: readonly Layer[];
  /** Top-level sections merged across layers, without `import` and `components`. */
  readonly globals: Readonly<Record<string, unknown>>;
  /** type -> component name -> its layers, in merge order. */
  readonly components: ReadonlyMap<string, ReadonlyMap<string, readonly ComponentLayer[]>>;
  readonly dynamic: boolean;
  /** Layers holding overrides: they apply to components defined in that file or the files it imports. */
  readonly overrides: readonly OverridesLayer[];
  /** Files imported (relative, without extension), in first-import order. */
  readonly imports: readonly string[];
}

/** Merge a stack's top-level content and collect its components. */
export function buildStack(
  name: string,
  file: string,
  relPath: string,
  layers: readonly Layer[],
  strategy: ListMergeStrategy,
  relOf: (file: string) => string,
): StackData {
  const merger = new Merger(strategy);
  let globals: unknown = {};
  const components = new Map<string, Map<string, ComponentLayer[]>>();
  const imports: string[] = [];
  const seenImports = new Set<string>();
  let dynamic = false;
  const overrides: OverridesLayer[] = [];
  for (const [index, layer] of layers.entries()) {
    if (layer.dynamic) dynamic = true;
    if (layer.file !== file && !seenImports.has(layer.file)) {
      seenImports.add(layer.file);
      imports.push(relOf(layer.file));
    }
    const doc = layer.doc;
    for (const key of Object.keys(doc)) {
      if (key === 'import' || key === 'components' || key === 'name' || key === 'overrides') continue;
      const g = merger.own(globals as Record<string, unknown>);
      g[key] = merger.merge(g[key], doc[key]);
      globals = g;
    }
    const typeOverrides = Object.values(doc).some((v) => isPlainObject(v) && v['overrides'] !== undefined);
    if (doc['overrides'] !== undefined || typeOverrides)
      overrides.push({ file: layer.file, first: index - layer.span + 1, last: index, doc });
    const comps = doc['components'];
    if (comps === undefined || comps === null) continue;
    if (!isPlainObject(comps)) {
      throw new AppError('CONFIG', 'components must be a mapping of component types', {
        location: { file: layer.file },
        hint: 'Write components: {terraform: {...}}.',
      });
    }
    for (const [type, byName] of Object.entries(comps)) {
      if (byName === null || byName === undefined) continue;
      if (!isPlainObject(byName)) {
        throw new AppError('CONFIG', `components.${type} must be a mapping of component names`, {
          location: locationOfKey(comps, type) ?? { file: layer.file },
          hint: `Write components: {${type}: {<component>: {vars: ...}}}.`,
        });
      }
      let m = components.get(type);
      if (!m) components.set(type, (m = new Map()));
      for (const [cname, cfg] of Object.entries(byName)) {
        if (cfg === null || cfg === undefined) {
          if (!m.has(cname)) m.set(cname, []);
          continue;
        }
        if (!isPlainObject(cfg)) {
          throw new AppError('CONFIG', `components.${type}.${cname} must be a mapping`, {
            location: locationOfKey(byName, cname) ?? { file: layer.file },
            hint: `Give ${cname} sections such as vars:, settings: or metadata:.`,
          });
        }
        let list = m.get(cname);
        if (!list) m.set(cname, (list = []));
        list.push({ file: layer.file, index, config: cfg });
      }
    }
  }
  imports.sort();
  return {
    name,
    nameSource: 'path',
    file,
    relPath,
    layers,
    globals: isPlainObject(globals) ? globals : {},
    components,
    dynamic,
    overrides,
    imports,
  };
}
