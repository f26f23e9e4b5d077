// Stack manifest imports: string and `{path, context, skip_if_missing, ...}` entries, `./`/`../` relative to
// the importing file and others to stacks.base_path, Atmos' extension search, doublestar globs, templated
// paths, cycles (reported with the chain of files) and missing files. The result for a manifest is its list of
// layers: every imported document in import order (depth first), then the manifest's own content on top.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { AppError, type SourceLocation } from '../../shared/errors';
import { hasTemplate, renderTemplate, TemplateError } from './go-template';
import { type Manifest, type ManifestStore, type RenderRequest } from './manifests';
import { isPlainObject, Merger } from './merge';
import { locationOfKey } from './yaml-parse';

/** One document in a stack's merge order. */
export interface Layer {
  readonly file: string;
  readonly doc: Readonly<Record<string, unknown>>;
  readonly dynamic: boolean;
  /** How many layers this file's subtree holds, itself included: it covers the `span - 1` layers before it. */
  readonly span: number;
}

export interface ImportSpec {
  readonly path: string;
  readonly context: Readonly<Record<string, unknown>> | undefined;
  readonly skipIfMissing: boolean;
  readonly skipTemplates: boolean;
  readonly ignoreMissing: boolean;
  readonly location: SourceLocation;
}

/** Extensions tried, in Atmos' order, for an import written without one. */
export const IMPORT_EXTENSIONS = ['.yaml', '.yml', '.yaml.tmpl', '.yml.tmpl'] as const;

const GLOB_CHARS = /[*?[\]{}]/;

/** Read the `import` section of a manifest into specs; a wrong shape is a CONFIG error with file and line. */
export function importSpecs(manifest: Manifest): ImportSpec[] {
  const raw = manifest.doc['import'];
  if (raw === undefined || raw === null) return [];
  const at = (key: string | number, container: object): SourceLocation =>
    locationOfKey(container, key) ?? { file: manifest.file };
  const list: unknown[] = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  if (!Array.isArray(raw) && typeof raw !== 'string') {
    throw new AppError('CONFIG', 'import must be a list of paths or {path, context} entries', {
      location: at('import', manifest.doc),
      hint: 'Write import: [catalog/vpc, {path: catalog/x, context: {...}}].',
    });
  }
  return list.map((item, i) => {
    const location = Array.isArray(raw) ? at(i, raw) : at('import', manifest.doc);
    if (typeof item === 'string')
      return {
        path: item,
        context: undefined,
        skipIfMissing: false,
        skipTemplates: false,
        ignoreMissing: false,
        location,
      };
    if (isPlainObject(item) && typeof item['path'] === 'string') {
      const ctx = item['context'];
      if (ctx !== undefined && ctx !== null && !isPlainObject(ctx)) {
        throw new AppError('CONFIG', 'import context must be a mapping', {
          location,
          hint: 'Write context: {key: value}.',
        });
      }
      return {
        path: item['path'],
        context: isPlainObject(ctx) ? ctx : undefined,
        skipIfMissing: item['skip_if_missing'] === true,
        skipTemplates: item['skip_templates_processing'] === true,
        ignoreMissing: item['ignore_missing_template_values'] === true,
        location,
      };
    }
    throw new AppError('CONFIG', `import entry ${i + 1} must be a path or a mapping with a "path" string`, {
      location,
      hint: 'Write - catalog/vpc or - path: catalog/vpc.',
    });
  });
}

function withExtensions(p: string): string[] {
  return /\.(ya?ml)(\.tmpl)?$/.test(p) ? [p] : IMPORT_EXTENSIONS.map((e) => p + e);
}

/** The files an import path names: exact file, extension search, or sorted glob matches. */
export function resolveImportPath(
  importPath: string,
  importingFile: string,
  stacksBasePath: string,
  cache?: Map<string, string[]>,
): string[] {
  const relativeToFile =
    importPath.startsWith('./') || importPath.startsWith('../') || importPath === '.' || importPath === '..';
  const base = isAbsolute(importPath) ? '' : relativeToFile ? dirname(importingFile) : stacksBasePath;
  if (!cache) return findImportFiles(importPath, base === '' ? importPath : resolve(base, importPath));
  // Keyed before resolving: most imports name the same catalog paths from every stack.
  const key = `${base}\0${importPath}`;
  let found = cache.get(key);
  if (!found)
    cache.set(key, (found = findImportFiles(importPath, base === '' ? importPath : resolve(base, importPath))));
  return found;
}

function findImportFiles(importPath: string, full: string): string[] {
  if (GLOB_CHARS.test(importPath)) {
    const patterns = withExtensions(full).map((p) => p.replace(/\\/g, '/'));
    return globSync(patterns, { absolute: true, onlyFiles: true, expandDirectories: false }).sort();
  }
  if (/\.(ya?ml)(\.tmpl)?$/.test(full)) return existsSync(full) ? [full] : [];
  // `.yaml` first, but a `.yaml.tmpl` beside it wins (Atmos prefers the template version).
  for (const ext of ['.yaml', '.yml'] as const) {
    if (existsSync(full + ext)) return [existsSync(`${full}${ext}.tmpl`) ? `${full}${ext}.tmpl` : full + ext];
  }
  for (const ext of ['.yaml.tmpl', '.yml.tmpl'] as const) if (existsSync(full + ext)) return [full + ext];
  return [];
}

export interface CollectorOptions {
  readonly stacksBasePath: string;
  readonly templatesEnabled: boolean;
  readonly ignoreMissingTemplateValues: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

type ContextThunk = () => Readonly<Record<string, unknown>>;

interface Collected {
  readonly layers: readonly Layer[];
  /** Independent of the context it was imported with, so it may be reused for every importer. */
  readonly contextFree: boolean;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** Builds layer lists, memoising every import subtree that does not depend on its importer's context. */
export class LayerCollector {
  private readonly memo = new Map<string, Promise<Collected>>();
  /** Finished context-free subtrees, reused without another await (most imports land here). */
  private readonly done = new Map<string, Collected>();
  /** Resolved import paths: most imports name the same catalog files from every stack. */
  private readonly resolved = new Map<string, string[]>();

  constructor(
    private readonly store: ManifestStore,
    private readonly opts: CollectorOptions,
  ) {}

  /** All layers of a top-level stack manifest. */
  async layers(file: string): Promise<readonly Layer[]> {
    return (await this.collect(file, () => EMPTY, [], undefined)).layers;
  }

  private rel(file: string): string {
    return relative(this.opts.stacksBasePath, file).replace(/\\/g, '/');
  }

  private collect(
    file: string,
    inherited: ContextThunk,
    chain: readonly string[],
    render: RenderRequest | undefined,
  ): Promise<Collected> {
    if (chain.includes(file)) {
      const cycle = [...chain.slice(chain.indexOf(file)), file].map((f) => this.rel(f)).join(' -> ');
      throw new AppError('CONFIG', `import cycle: ${cycle}`, {
        location: { file: chain[chain.length - 1] ?? file },
        hint: 'Remove one of these imports so the files no longer import each other.',
      });
    }
    if (render) return this.build(file, inherited, chain, render);
    let p = this.memo.get(file);
    if (p) return p.then((c) => (c.contextFree ? c : this.build(file, inherited, chain, undefined)));
    p = this.build(file, inherited, chain, undefined).then((c) => {
      if (c.contextFree) this.done.set(file, c);
      return c;
    });
    this.memo.set(file, p);
    return p;
  }

  private async build(
    file: string,
    inherited: ContextThunk,
    chain: readonly string[],
    render: RenderRequest | undefined,
  ): Promise<Collected> {
    const manifest = await this.store.load(file, render);
    const specs = importSpecs(manifest);
    const layers: Layer[] = [];
    let contextFree = render === undefined;
    const nextChain = [...chain, file];
    // The context seen by templated import paths: what the importer passed down plus the settings, vars and
    // env of the earlier imports of this file. Computed only when a path needs it.
    let accCache: { n: number; value: Readonly<Record<string, unknown>> } | undefined;
    const accumulated = (): Readonly<Record<string, unknown>> => {
      if (accCache && accCache.n === layers.length) return accCache.value;
      const m = new Merger();
      let acc: unknown = inherited();
      for (const l of layers) {
        const part: Record<string, unknown> = {};
        for (const s of ['settings', 'vars', 'env']) if (l.doc[s] !== undefined) part[s] = l.doc[s];
        acc = m.merge(acc, part);
      }
      const value = isPlainObject(acc) ? acc : EMPTY;
      accCache = { n: layers.length, value };
      return value;
    };
    for (const spec of specs) {
      let importPath = spec.path;
      if (hasTemplate(importPath) && this.opts.templatesEnabled && !spec.skipTemplates) {
        contextFree = false;
        const data = spec.context ? { ...accumulated(), ...spec.context } : accumulated();
        const ignore = spec.ignoreMissing || this.opts.ignoreMissingTemplateValues;
        try {
          importPath = renderTemplate(importPath, data, { missingKey: ignore ? 'empty' : 'error', env: this.opts.env });
        } catch (e) {
          if (!(e instanceof TemplateError)) throw e;
          throw new AppError('CONFIG', `failed to render Go template in import path "${spec.path}": ${e.message}`, {
            location: spec.location,
            hint: "Define the value in an earlier import (settings, vars or env) or in the import's context, or set ignore_missing_template_values: true.",
          });
        }
      }
      const files = resolveImportPath(importPath, file, this.opts.stacksBasePath, this.resolved);
      if (files.length === 0) {
        // A path still holding `{{ }}` (templates off or skipped) is tolerated, as Atmos does.
        if (spec.skipIfMissing || hasTemplate(importPath)) continue;
        throw new AppError('CONFIG', `import "${importPath}" not found (imported by ${this.rel(file)})`, {
          location: spec.location,
          hint: `Looked for ${importPath} with ${IMPORT_EXTENSIONS.join(', ')} under ${importPath.startsWith('.') ? "the importing file's folder" : 'stacks.base_path'}; fix the path or add skip_if_missing: true.`,
        });
      }
      for (const f of files) {
        const childRender: RenderRequest | undefined =
          !spec.skipTemplates && this.opts.templatesEnabled && (f.endsWith('.tmpl') || spec.context !== undefined)
            ? {
                context: spec.context ?? EMPTY,
                ignoreMissing: spec.ignoreMissing || this.opts.ignoreMissingTemplateValues,
              }
            : undefined;
        if (childRender) contextFree = false;
        // The child sees the context of the layers collected before it (`layers` does not change while it
        // is being built, since its own layers are added only after it returns).
        const finished = childRender || nextChain.includes(f) ? undefined : this.done.get(f);
        const child = finished ?? (await this.collect(f, accumulated, nextChain, childRender));
        if (!child.contextFree) contextFree = false;
        for (const l of child.layers) layers.push(l);
      }
    }
    layers.push({ file, doc: manifest.doc, dynamic: manifest.dynamic, span: layers.length + 1 });
    return { layers, contextFree };
  }
}
