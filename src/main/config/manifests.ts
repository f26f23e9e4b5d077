// Reads and parses stack manifests once each, however often they are imported. A `.tmpl` file (or a file
// imported with a `context`) is rendered as a Go template first, and cached per distinct context.
import { AppError } from '../../shared/errors';
import { checkTextSize, readTextFile } from './bounded-input';
import { renderTemplate, TemplateError } from './go-template';
import { resolveIncludes, type IncludeContext } from './include';
import { isPlainObject } from './merge';
import { parseYaml } from './yaml-parse';

export interface Manifest {
  readonly file: string;
  readonly doc: Readonly<Record<string, unknown>>;
  /** Contains deferred functions, references or `{{` text, so components built from it need a function pass. */
  readonly dynamic: boolean;
}

export interface RenderRequest {
  readonly context: Readonly<Record<string, unknown>>;
  readonly ignoreMissing: boolean;
}

export class ManifestStore {
  private readonly parsed = new Map<string, Promise<Manifest>>();
  private readonly texts = new Map<string, string>();
  filesRead = 0;

  constructor(
    private readonly includeCtx: IncludeContext,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  private text(file: string): string {
    let t = this.texts.get(file);
    if (t === undefined) {
      this.filesRead++;
      t = readTextFile(file);
      // Templated files may be rendered again with another context, so their text is kept.
      this.texts.set(file, t);
    }
    return t;
  }

  /** The parsed manifest; `render` makes it a template rendered with that context. */
  load(file: string, render?: RenderRequest): Promise<Manifest> {
    const key = render ? `${file}\0${JSON.stringify(render.context)}\0${render.ignoreMissing}` : file;
    let p = this.parsed.get(key);
    if (!p) {
      p = this.parse(file, render);
      this.parsed.set(key, p);
    }
    return p;
  }

  private async parse(file: string, render: RenderRequest | undefined): Promise<Manifest> {
    let text = render || file.endsWith('.tmpl') ? this.text(file) : readOnce(this, file);
    if (render) {
      try {
        text = renderTemplate(text, render.context, {
          missingKey: render.ignoreMissing ? 'no-value' : 'error',
          env: this.env,
        });
        checkTextSize(text, file);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        throw new AppError('CONFIG', `failed to render Go template in ${file}: ${e.message}`, {
          location: { file },
          hint: "Pass the missing value in the import's context, or set ignore_missing_template_values: true.",
        });
      }
    }
    const parsed = parseYaml(text, file);
    this.includeCtx.execSites.push(...parsed.execs);
    const value = await resolveIncludes(parsed, file, this.includeCtx);
    if (value !== null && !isPlainObject(value)) {
      throw new AppError('CONFIG', 'a stack manifest must be a mapping', {
        location: { file, line: 1 },
        hint: 'Start the manifest with keys such as import:, vars: or components:.',
      });
    }
    return { file, doc: value ?? {}, dynamic: parsed.dynamic || parsed.includes.length > 0 };
  }
}

function readOnce(store: ManifestStore, file: string): string {
  store.filesRead++;
  return readTextFile(file);
}
