// SOPS providers (`secrets.providers.<name>`): the record validated with zod, and where a declared secret's
// value lives in the provider's encrypted file (spec §3 "SOPS placement"). No file is opened here.
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { renderTemplate, type ProviderRecord } from '../../config';
import { AppError } from '../../../shared/errors';
import type { SecretScope } from '../../stores';

export const SOPS_PROVIDER_KINDS = ['sops/age', 'sops/aws-kms', 'sops/gcp-kms', 'sops/pgp'] as const;
export type SopsProviderKind = (typeof SOPS_PROVIDER_KINDS)[number];

/** `sops/gpg` is Atmos' name for the PGP kind. */
const KIND_ALIASES: Readonly<Record<string, SopsProviderKind>> = { 'sops/gpg': 'sops/pgp' };

const providerSchema = z.looseObject({
  kind: z.string().min(1),
  identity: z.string().min(1).nullable().optional(),
  spec: z
    .looseObject({
      file: z.string().min(1).nullable().optional(),
      path: z.string().min(1).nullable().optional(),
    })
    .nullable()
    .optional(),
});

export interface SopsProvider {
  readonly name: string;
  readonly kind: SopsProviderKind;
  readonly identity: string | undefined;
  /** The `spec.file` template as written, when set. */
  readonly fileTemplate: string | undefined;
  /** `spec.path`, the folder of the default file names (default `secrets`). */
  readonly folder: string;
  readonly record: ProviderRecord;
}

export function sopsKind(value: string): SopsProviderKind | undefined {
  const v = value.trim();
  if ((SOPS_PROVIDER_KINDS as readonly string[]).includes(v)) return v as SopsProviderKind;
  return KIND_ALIASES[v];
}

/** Validates one provider record; CONFIG error naming the provider and where it is declared. */
export function parseSopsProvider(record: ProviderRecord): SopsProvider {
  const parsed = providerSchema.safeParse(record.raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
    throw new AppError('CONFIG', `secrets provider "${record.name}" is invalid: ${detail}`, {
      location: record.location,
      hint: 'Write secrets.providers.<name>: {kind: sops/age, spec: {file: secrets/{{ .atmos_stack }}.enc.yaml}}.',
    });
  }
  const kind = sopsKind(parsed.data.kind);
  if (!kind) {
    throw new AppError('CONFIG', `secrets provider "${record.name}" has unknown kind "${parsed.data.kind}"`, {
      location: record.location,
      hint: `Valid kinds: ${SOPS_PROVIDER_KINDS.join(', ')} (sops/gpg is accepted for sops/pgp).`,
    });
  }
  const spec = parsed.data.spec ?? {};
  return {
    name: record.name,
    kind,
    identity: parsed.data.identity ?? undefined,
    fileTemplate: spec.file ?? undefined,
    folder: spec.path ?? 'secrets',
    record,
  };
}

const STACK_VAR = /\{\{[^}]*\.atmos_stack\b[^}]*\}\}/;
const COMPONENT_VAR = /\{\{[^}]*\.atmos_component\b[^}]*\}\}/;

/** Whether the file template itself separates values per stack / per component. */
export function templateVaries(provider: SopsProvider): { readonly stack: boolean; readonly component: boolean } {
  const t = provider.fileTemplate ?? '';
  return { stack: STACK_VAR.test(t), component: COMPONENT_VAR.test(t) };
}

export interface SopsPlacement {
  /** The file as configured, relative to the base path unless absolute. */
  readonly file: string;
  readonly absoluteFile: string;
  /** The key inside the file: the declared NAME. */
  readonly key: string;
}

/**
 * Where a secret lives for a SOPS provider: `spec.file` rendered over atmos_stack/atmos_component, else
 * `<spec.path or secrets>/<stack>.enc.yaml` (stack) or `<stack>.<component>.enc.yaml` (instance). A global
 * secret needs an explicit `spec.file` that names neither the stack nor the component.
 */
export function sopsPlacement(
  provider: SopsProvider,
  secret: { readonly name: string; readonly scope: SecretScope; readonly stack: string; readonly component: string },
  basePath: string,
): SopsPlacement {
  const fail = (message: string, hint: string): never => {
    throw new AppError('CONFIG', `secret "${secret.name}" cannot use SOPS provider "${provider.name}": ${message}`, {
      location: provider.record.location,
      hint,
    });
  };
  let file: string;
  if (provider.fileTemplate !== undefined) {
    const varies = templateVaries(provider);
    if (secret.scope === 'global' && (varies.stack || varies.component)) {
      fail(
        'a global secret needs one file for every stack, but spec.file names the stack or component',
        'Give global secrets their own provider whose spec.file has no {{ .atmos_stack }} or {{ .atmos_component }}.',
      );
    }
    if (secret.scope === 'stack' && varies.component) {
      fail(
        'a stack secret has no component, but spec.file uses {{ .atmos_component }}',
        'Use a provider whose spec.file has only {{ .atmos_stack }} for stack secrets.',
      );
    }
    const data = {
      atmos_stack: secret.scope === 'global' ? '' : secret.stack,
      atmos_component: secret.scope === 'instance' ? secret.component : '',
    };
    try {
      file = renderTemplate(provider.fileTemplate, data);
    } catch (e) {
      return fail(
        `spec.file does not render: ${e instanceof Error ? e.message : String(e)}`,
        'Only {{ .atmos_stack }} and {{ .atmos_component }} are in scope.',
      );
    }
  } else {
    switch (secret.scope) {
      case 'stack':
        file = `${provider.folder}/${secret.stack}.enc.yaml`;
        break;
      case 'instance':
        file = `${provider.folder}/${secret.stack}.${secret.component.replaceAll('/', '_')}.enc.yaml`;
        break;
      case 'global':
        return fail(
          'a global secret needs an explicit spec.file',
          `Set secrets.providers.${provider.name}.spec.file to one file without {{ .atmos_stack }} or {{ .atmos_component }}.`,
        );
      default: {
        const never: never = secret.scope;
        throw new AppError('INTERNAL', `unexpected scope ${String(never)}`);
      }
    }
  }
  if (file.trim() === '') fail('spec.file renders to an empty path', 'Check the spec.file template.');
  const absoluteFile = normalize(isAbsolute(file) ? file : join(basePath, file));
  if (!isInsideBasePath(absoluteFile, basePath)) {
    throw new SopsFileOutsideError(
      provider.name,
      `secret "${secret.name}" cannot use SOPS provider "${provider.name}": its file ${absoluteFile} is outside the base path ${basePath}`,
      provider.record.location,
    );
  }
  return { file, absoluteFile, key: secret.name };
}

/** A provider's `spec.file` places a secret outside the base path (a CONFIG error, typed so rekey can refuse). */
export class SopsFileOutsideError extends AppError {
  constructor(
    readonly provider: string,
    message: string,
    location: ProviderRecord['location'],
  ) {
    super('CONFIG', message, {
      location,
      hint: 'Check spec.file (and the stack and component names it uses): it must resolve to a file below the base path.',
    });
    this.name = 'SopsFileOutsideError';
  }
}

/**
 * Whether a SOPS file stays inside the workspace: a `spec.file` rendered with a stack name such as `../../..`
 * (or an absolute path) must never make set, get or delete touch a file outside the base path.
 */
export function isInsideBasePath(file: string, basePath: string): boolean {
  const rel = relative(resolve(basePath), resolve(file));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
