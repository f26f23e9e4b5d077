// Validators for `atmos-secret explain` and `diff` JSON against docs/schemas/explain.schema.json and
// diff.schema.json (draft-07, strict): each returns the errors as text, empty when the document is valid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { REPO_ROOT } from './paths';

type Validate = (doc: unknown) => string[];

function compile(schemaFile: string): Validate {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, schemaFile), 'utf8')) as object);
  return (doc) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

export const explainJsonErrors: Validate = compile('docs/schemas/explain.schema.json');
export const diffJsonErrors: Validate = compile('docs/schemas/diff.schema.json');
