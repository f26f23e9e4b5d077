// Two different secrets that map to one backend name would silently share a value. Lossy mappings (Azure, GCP)
// make that likely, and stack_delimiter splitting can cause it anywhere (stack `a-b` + component `c` vs stack
// `a` + component `b/c`), so validate checks every store's names with this.
import { coordinateKey, type SecretPath } from '../paths';

export interface MappedName {
  readonly path: SecretPath;
  /** The backend name the path mapped to. */
  readonly name: string;
}

export interface NameCollision {
  readonly name: string;
  /** The distinct coordinates that share the name (two or more). */
  readonly paths: readonly SecretPath[];
}

export interface CollisionOptions {
  /** Azure Key Vault compares names without case. */
  readonly caseInsensitive?: boolean;
}

export function findNameCollisions(entries: Iterable<MappedName>, options: CollisionOptions = {}): NameCollision[] {
  const byName = new Map<string, { name: string; paths: Map<string, SecretPath> }>();
  for (const { path, name } of entries) {
    const key = options.caseInsensitive ? name.toLowerCase() : name;
    let group = byName.get(key);
    if (!group) {
      group = { name, paths: new Map() };
      byName.set(key, group);
    }
    // The same coordinate from many consumers (a stack or global secret) is sharing, not a collision.
    const coord = coordinateKey(path);
    if (!group.paths.has(coord)) group.paths.set(coord, path);
  }
  return [...byName.values()]
    .filter((g) => g.paths.size > 1)
    .map((g) => ({ name: g.name, paths: [...g.paths.values()] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
