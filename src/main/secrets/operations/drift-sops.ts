// Drift's SOPS half: the files a provider's placement rules could have made, found on disk (a file left by a
// stack or component that no longer exists holds nothing anyone declares), and the top-level keys of each that
// no declaration reads. Key names only: SOPS keeps them in clear, so nothing is decrypted and no value is held.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { renderTemplate } from '../../config';
import { isInsideBasePath, type SopsProvider } from '../model/providers';

/** A provider file on disk, with the stack and component its name says when the placement rule names them. */
export interface SopsFileSpot {
  readonly absoluteFile: string;
  /** Relative to the base path, `/`-separated. */
  readonly file: string;
  readonly stack: string | undefined;
  readonly component: string | undefined;
}

/** At most this many directory entries are looked at per provider (a bounded walk). */
export const SOPS_WALK_MAX_ENTRIES = 20_000;

const STACK_MARK = '\u0001stack\u0001';
const COMPONENT_MARK = '\u0001component\u0001';
/** Splits a rendered segment on the marks, keeping them (control characters no path holds, on purpose). */
const MARKS = new RegExp(`(${STACK_MARK}|${COMPONENT_MARK})`);

type Part = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'regex'; readonly regex: RegExp };

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One path segment of a rendered template as a pattern: the marks become named captures. */
function segmentPattern(segment: string): Part {
  if (!segment.includes(STACK_MARK) && !segment.includes(COMPONENT_MARK)) return { kind: 'text', text: segment };
  let stackSeen = false;
  let componentSeen = false;
  const source = segment
    .split(MARKS)
    .map((piece) => {
      if (piece === STACK_MARK) {
        // A name used twice must match the same text: the first is captured, the second refers back.
        const group = stackSeen ? '\\k<stack>' : '(?<stack>[^/]+?)';
        stackSeen = true;
        return group;
      }
      if (piece === COMPONENT_MARK) {
        const group = componentSeen ? '\\k<component>' : '(?<component>[^/]+?)';
        componentSeen = true;
        return group;
      }
      return escapeRegex(piece);
    })
    .join('');
  return { kind: 'regex', regex: new RegExp(`^${source}$`) };
}

/**
 * The provider's placement as path parts below the base path: `spec.file` rendered with marks for the stack
 * and component, else `<spec.path>/<stack>.enc.yaml` and `<spec.path>/<stack>.<component>.enc.yaml`.
 * Undefined when the template does not render with the marks (a function that changes them): then only the
 * files declarations place into are checked.
 */
function placementParts(provider: SopsProvider): readonly Part[] | undefined {
  if (provider.fileTemplate === undefined) {
    return [
      ...provider.folder
        .split(/[\\/]/)
        .filter((s) => s !== '')
        .map((text): Part => ({ kind: 'text', text })),
      { kind: 'regex', regex: /^(?<stack>[^/.]+(?:\.[^/.]+)*?)(?:\.(?<component>[^/]+))?\.enc\.yaml$/ },
    ];
  }
  let rendered: string;
  try {
    rendered = renderTemplate(provider.fileTemplate, { atmos_stack: STACK_MARK, atmos_component: COMPONENT_MARK });
  } catch {
    return undefined;
  }
  const marked = provider.fileTemplate.includes('atmos_stack') || provider.fileTemplate.includes('atmos_component');
  if (marked && !rendered.includes(STACK_MARK) && !rendered.includes(COMPONENT_MARK)) return undefined;
  return rendered
    .split(/[\\/]/)
    .filter((s) => s !== '' && s !== '.')
    .map(segmentPattern);
}

/** The files on disk under the base path that the provider's placement rule matches; bounded. */
export async function providerFilesOnDisk(provider: SopsProvider, basePath: string): Promise<SopsFileSpot[]> {
  const parts = placementParts(provider);
  if (!parts || parts.length === 0) return [];
  let budget = SOPS_WALK_MAX_ENTRIES;
  let level: { dir: string; stack?: string; component?: string }[] = [{ dir: basePath }];
  const out: SopsFileSpot[] = [];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const next: typeof level = [];
    for (const at of level) {
      if (part.kind === 'text') {
        next.push({ ...at, dir: join(at.dir, part.text) });
        continue;
      }
      let entries;
      try {
        entries = await readdir(at.dir, { withFileTypes: true });
      } catch {
        continue; // no such folder: nothing was placed there
      }
      for (const entry of entries) {
        if (--budget < 0) return out;
        if (last ? !entry.isFile() : !entry.isDirectory()) continue;
        const m = part.regex.exec(entry.name);
        if (!m) continue;
        next.push({
          dir: join(at.dir, entry.name),
          stack: m.groups?.['stack'] ?? at.stack,
          component: m.groups?.['component'] ?? at.component,
        });
      }
    }
    level = next;
  }
  for (const at of level) {
    if (!isInsideBasePath(at.dir, basePath)) continue;
    out.push({
      absoluteFile: at.dir,
      file: relative(basePath, at.dir).split(sep).join('/'),
      stack: at.stack,
      component: at.component,
    });
  }
  return out;
}
