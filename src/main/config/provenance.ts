// Provenance of a secret declaration: every `secrets.vars.<NAME>` entry a component's merge reads, in merge
// order, with its file, line and YAML key path, and which fields each one gives the merged declaration. Built
// on request from the line table every parsed mapping already carries (yaml-parse.ts), so loading pays nothing.
import type { SourceLocation } from '../../shared/errors';
import type { BlockSite, SecretsBlockSource } from './component-config';
import { isPlainObject } from './merge';
import { sourceOf } from './yaml-parse';

/** The part of the merge an entry takes: stack level (the manifest or an imported catalog), an inherited base
 * component, the component itself, or overrides. */
export type DeclarationRole =
  | { readonly kind: 'stack' }
  | { readonly kind: 'base'; readonly component: string }
  | { readonly kind: 'component' }
  | { readonly kind: 'overrides' };

/** One file's contribution to a merged declaration. */
export interface DeclarationSource {
  /** The file that holds the entry: the manifest layer, or the file a `!include` brought the block from. */
  readonly file: string;
  /** 1-based line of the `NAME:` key; undefined when the file gave no line (a JSON or HCL include). */
  readonly line: number | undefined;
  /**
   * The key path of the entry inside `file`, e.g. `components.terraform.api.secrets.vars.DB_PASSWORD`. For an
   * entry brought in by `!include` it is relative to the included document (or to the part of it the include's
   * query selected): `line` is the exact place.
   */
  readonly keyPath: readonly string[];
  /** The manifest (stack file or imported catalog) whose `secrets` block this is; differs from `file` for `!include`. */
  readonly layerFile: string;
  /** The position the entry implies: a stack-level block ('stack') or a component's ('instance'). */
  readonly position: 'stack' | 'instance';
  /** What part of the merge it is: stack-level, an inherited base component, the component itself, overrides. */
  readonly role: DeclarationRole;
  /** The fields this entry sets, each with its line when known. */
  readonly fields: readonly { readonly name: string; readonly line: number | undefined }[];
  /** The fields of the merged declaration whose value comes from this entry (a later entry overrides). */
  readonly wins: readonly string[];
  /** True for the last entry: the merged declaration takes its position and location. */
  readonly winner: boolean;
}

/** The contributions to `secret` in merge order (empty when the component does not declare it). */
export function declarationSources(
  blocks: readonly SecretsBlockSource[],
  component: string,
  type: string,
  secret: string,
): DeclarationSource[] {
  const found: Omit<DeclarationSource, 'wins' | 'winner'>[] = [];
  for (const b of blocks) {
    const c = contribution(b, component, type, secret);
    if (c) found.push(c);
  }
  const lastSetter = new Map<string, number>();
  found.forEach((c, i) => {
    for (const f of c.fields) lastSetter.set(f.name, i);
  });
  return found.map((c, i) => ({
    ...c,
    wins: c.fields.filter((f) => lastSetter.get(f.name) === i).map((f) => f.name),
    winner: i === found.length - 1,
  }));
}

/** The block's key path in its layer and its part in the merge. */
function placeOf(b: SecretsBlockSource, component: string, type: string): [readonly string[], DeclarationRole] {
  const site: BlockSite = b.site;
  switch (site) {
    case 'secrets':
      return [['secrets'], { kind: 'stack' }];
    case 'type.secrets':
      return [[type, 'secrets'], { kind: 'stack' }];
    case 'component':
      return [
        ['components', type, b.owner, 'secrets'],
        b.owner === component ? { kind: 'component' } : { kind: 'base', component: b.owner },
      ];
    case 'overrides':
      return [['overrides', 'secrets'], { kind: 'overrides' }];
    case 'type.overrides':
      return [[type, 'overrides', 'secrets'], { kind: 'overrides' }];
    default: {
      const never: never = site;
      return never;
    }
  }
}

function contribution(
  b: SecretsBlockSource,
  component: string,
  type: string,
  secret: string,
): Omit<DeclarationSource, 'wins' | 'winner'> | undefined {
  const block = b.block;
  if (!isPlainObject(block)) return undefined;
  const vars = block['vars'];
  if (!isPlainObject(vars) || !Object.hasOwn(vars, secret)) return undefined;
  const layerFile = b.layerFile;
  const [path, role] = placeOf(b, component, type);
  const varsSource = sourceOf(vars);
  const blockSource = sourceOf(block);
  const file = varsSource?.file ?? blockSource?.file ?? layerFile;
  // A file boundary is crossed where `!include` put the block (or its vars) in: the key path restarts there.
  const keyPath =
    file === layerFile ? [...path, 'vars', secret] : blockSource?.file === file ? ['vars', secret] : [secret];
  const decl = vars[secret];
  const declSource = isPlainObject(decl) ? sourceOf(decl) : undefined;
  const fields = isPlainObject(decl)
    ? Object.keys(decl).map((name) => ({ name, line: declSource?.keyLines[name] }))
    : [];
  return {
    file,
    line: varsSource?.keyLines[secret],
    keyPath,
    layerFile,
    position: b.position,
    role,
    fields,
  };
}

/** A source's place as an error location. */
export function sourceLocation(s: DeclarationSource): SourceLocation {
  return s.line === undefined ? { file: s.file } : { file: s.file, line: s.line };
}
