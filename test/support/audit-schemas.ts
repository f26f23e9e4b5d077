// Validators for `atmos-secret audit` output: the JSON report against docs/schemas/audit-report.schema.json
// (draft-07) and the SARIF log against the official SARIF 2.1.0 schema vendored in test/fixtures/sarif (draft-04).
// Each returns the errors as text (empty when valid), so a failing test shows what is wrong. The SARIF schema's
// language pattern is not valid with the u flag, so that validator compiles patterns without it (unicodeRegExp).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './paths';

type Validate = (doc: unknown) => string[];

function compile(ajv: Ajv | AjvDraft04, schemaFile: string): Validate {
  const validate = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, schemaFile), 'utf8')) as object);
  return (doc) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

function withFormats<A extends Ajv | AjvDraft04>(ajv: A): A {
  // ajv-formats types name the Ajv class of its own dependency; both classes share the plugin API.
  addFormats(ajv as unknown as Ajv);
  return ajv;
}

export const auditJsonErrors: Validate = compile(
  withFormats(new Ajv({ allErrors: true, strict: true })),
  'docs/schemas/audit-report.schema.json',
);

export const sarifErrors: Validate = compile(
  withFormats(new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false })),
  'test/fixtures/sarif/sarif-2.1.0-rtm.5.json',
);
