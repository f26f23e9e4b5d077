// `!include` and `!include.raw`: local files (YAML, JSON, HCL by extension, anything else as text) and the
// remote forms Atmos lists (http(s), github://, GitHub blob/tree URLs, s3::, gcs::, git::, scp/sftp). Remote
// reads happen only when network access is allowed, through an injectable fetcher.
import { existsSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { AppError, type SourceLocation } from '../../shared/errors';
import { checkTextSize, readTextFile } from './bounded-input';
import { queryPath } from './yq-path';
import { parseYaml, type IncludeSite, type ParsedYaml } from './yaml-parse';

/** Reads a remote file's text. Injected in tests; the default uses `fetch` for http(s) only. */
export type Fetcher = (url: string) => Promise<string>;

export interface IncludeContext {
  readonly basePath: string;
  readonly allowNetwork: boolean;
  readonly fetcher?: Fetcher;
  /** Shared by the whole load so an included file is read and parsed once. */
  readonly cache: Map<string, Promise<unknown>>;
  readonly countRead: () => void;
  /** Where the `!exec` calls of every parsed file are (for the untrusted-workspace warning). */
  readonly execSites: SourceLocation[];
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*::|https?:\/\/|github:\/\/|s3:\/\/|gcs:\/\/|git@|scp:\/\/|sftp:\/\/|oci:\/\/)/i;

/** True for a target that names a remote source rather than a local path. */
export function isRemoteTarget(target: string): boolean {
  return REMOTE.test(target);
}

/** GitHub web and shorthand forms become raw.githubusercontent.com URLs, as Atmos does. */
export function normalizeRemote(target: string): string {
  const gh = /^github:\/\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/.exec(target);
  if (gh) return `https://raw.githubusercontent.com/${gh[1]}/${gh[2]}/${gh[3]}/${gh[4]}`;
  const web = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/(?:blob|tree)\/([^/]+)\/(.+)$/.exec(target);
  if (web) return `https://raw.githubusercontent.com/${web[1]}/${web[2]}/${web[3]}/${web[4]}`;
  return target;
}

const defaultFetcher: Fetcher = async (url) => {
  if (!/^https?:\/\//i.test(url)) {
    throw new AppError('CONFIG', `remote !include source ${url} is not supported by this loader`, {
      hint: 'Use an http(s) URL, or download the file and include it locally.',
    });
  }
  const res = await fetch(url);
  if (!res.ok) throw new AppError('NOT_FOUND', `remote !include ${url} answered HTTP ${res.status}`);
  return res.text();
};

/** The extension that decides how content is parsed (query strings and fragments ignored). */
function extensionOf(target: string): string {
  const clean = target.replace(/[?#].*$/, '');
  const base = clean.slice(clean.lastIndexOf('/') + 1);
  return base.includes('.') ? extname(base).toLowerCase() : '';
}

async function decode(
  text: string,
  ext: string,
  name: string,
  ctx: IncludeContext,
  fileForRel: string,
  chain: readonly string[],
): Promise<unknown> {
  switch (ext) {
    case '.json':
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new AppError('YAML', `invalid JSON in ${name}: ${(e as Error).message}`, { location: { file: name } });
      }
    case '.yaml':
    case '.yml': {
      const parsed = parseYaml(text, name);
      ctx.execSites.push(...parsed.execs);
      return resolveIncludes(parsed, fileForRel, ctx, [...chain, name]);
    }
    case '.hcl':
    case '.tf':
    case '.tfvars':
      try {
        // Loaded on first use: the module inflates a WebAssembly parser, which costs ~0.3 s at startup.
        const { parse: parseHcl } = await import('@cdktf/hcl2json');
        return await parseHcl(name, text);
      } catch (e) {
        throw new AppError('YAML', `invalid HCL in ${name}: ${String(e instanceof Error ? e.message : e)}`, {
          location: { file: name },
        });
      }
    default:
      return text;
  }
}

/** An `!include` of a file that is already being included on this path: the chain of files, as import cycles. */
function refuseCycle(id: string, chain: readonly string[], site: IncludeSite, ctx: IncludeContext): void {
  if (site.raw || !chain.includes(id)) return;
  const show = (f: string): string => (isRemoteTarget(f) ? f : relative(ctx.basePath, f).replace(/\\/g, '/'));
  const cycle = [...chain.slice(chain.indexOf(id)), id].map(show).join(' -> ');
  throw new AppError('CONFIG', `!include cycle: ${cycle}`, {
    location: site.location,
    hint: 'Remove one of these !include tags so the files no longer include each other.',
  });
}

async function loadTarget(
  site: IncludeSite,
  manifest: string,
  ctx: IncludeContext,
  chain: readonly string[],
): Promise<unknown> {
  const { target, raw, location } = site;
  if (isRemoteTarget(target)) {
    const url = normalizeRemote(target);
    if (!ctx.allowNetwork) {
      throw new AppError('CONFIG', `!include of a remote source (${url}) needs network access, which is not allowed`, {
        location,
        hint: 'Allow network access for this workspace (allowNetwork), or copy the file into the repository.',
      });
    }
    refuseCycle(url, chain, site, ctx);
    const key = `${raw ? 'raw' : 'parsed'}\0${url}`;
    let p = ctx.cache.get(key);
    if (!p) {
      p = (async () => {
        let text: string;
        try {
          text = await (ctx.fetcher ?? defaultFetcher)(url);
          checkTextSize(text, url);
        } catch (e) {
          if (e instanceof AppError) {
            throw e.location
              ? e
              : new AppError(e.code, e.message, { location, ...(e.hint ? { hint: e.hint } : {}), cause: e });
          }
          throw new AppError('BACKEND', `could not download ${url} for !include: ${(e as Error).message}`, {
            location,
          });
        }
        return raw ? text : decode(text, extensionOf(url), url, ctx, manifest, chain);
      })();
      ctx.cache.set(key, p);
    }
    return p;
  }
  // `./` and `../` are relative to the manifest; other relative paths to base_path (Atmos' rule).
  const abs = isAbsolute(target)
    ? target
    : target.startsWith('./') || target.startsWith('../')
      ? resolve(dirname(manifest), target)
      : resolve(ctx.basePath, target);
  if (!existsSync(abs)) {
    throw new AppError('CONFIG', `${raw ? '!include.raw' : '!include'}: file not found: ${target}`, {
      location,
      hint: `Looked for ${abs}. Paths starting with ./ or ../ are relative to the manifest; others to base_path.`,
    });
  }
  refuseCycle(abs, chain, site, ctx);
  const key = `${raw ? 'raw' : 'parsed'}\0${abs}`;
  let p = ctx.cache.get(key);
  if (!p) {
    ctx.countRead();
    const text = readTextFile(abs);
    p = raw ? Promise.resolve(text) : decode(text, extensionOf(abs), abs, ctx, abs, chain);
    ctx.cache.set(key, p);
  }
  return p;
}

/** Replace every include site of a parsed file with its value; returns the (possibly replaced) root. */
export async function resolveIncludes(
  parsed: ParsedYaml,
  file: string,
  ctx: IncludeContext,
  chain: readonly string[] = [file],
): Promise<unknown> {
  let root = parsed.value;
  for (const site of parsed.includes) {
    const content = await loadTarget(site, file, ctx, chain);
    const value = site.expression !== undefined ? queryPath(content, site.expression, site.location) : content;
    if (site.parent === undefined) root = value;
    else if (Array.isArray(site.parent)) site.parent[Number(site.key)] = value;
    else site.parent[String(site.key)] = value;
  }
  return root;
}
