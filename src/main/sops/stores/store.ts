// What every SOPS store (YAML, JSON, dotenv, binary) offers: bytes <-> documents plus the raw `sops` block.
import { basename, extname } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SopsMap } from '../tree';

export type SopsFormat = 'yaml' | 'json' | 'dotenv' | 'binary';
export const SOPS_FORMATS: readonly SopsFormat[] = ['yaml', 'json', 'dotenv', 'binary'];

/** Layout facts read from a file, so writing it back changes only what changed. */
export interface StoreStyle {
  readonly indent?: number;
  readonly indentSeq?: boolean;
  /** The YAML file began with a `---` document marker. */
  readonly leadingDocMarker?: boolean;
  /** The JSON indent unit (sops writes a tab). */
  readonly jsonIndent?: string;
}

export interface ParsedFile {
  readonly documents: SopsMap[];
  /** The raw `sops` block (ordered), or undefined when the file has none. */
  readonly metadata: Record<string, unknown> | undefined;
  readonly style: StoreStyle;
}

export interface SopsStore {
  readonly format: SopsFormat;
  /** Parses a file; `sops` is taken out of the documents. Throws an AppError naming the file and line. */
  parse(data: Uint8Array, file: string): ParsedFile;
  /** Serializes documents; with metadata the `sops` block is added as the store does. */
  serialize(
    documents: readonly SopsMap[],
    metadata: Record<string, unknown> | undefined,
    style: StoreStyle,
  ): Uint8Array;
}

/** sops' choice of store by extension; anything else is binary. */
export function formatForPath(path: string): SopsFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.env') return 'dotenv';
  return 'binary';
}

export function parseError(file: string, message: string, line?: number, cause?: unknown): AppError {
  return new AppError('SOPS', `${basename(file)}${line ? ` (line ${line})` : ''} ${message}`, {
    location: { file, ...(line ? { line } : {}) },
    hint: 'The file does not parse. If it was truncated or edited by hand, restore it from version control.',
    cause,
  });
}
