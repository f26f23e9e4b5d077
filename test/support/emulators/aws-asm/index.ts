// A loopback AWS Secrets Manager emulator (awsJson1_1, `secretsmanager.*`) that
// @aws-sdk/client-secrets-manager talks to unmodified. It follows the public API (backends-wire.md §2, the SDK's
// model docs, moto): CreateSecret, PutSecretValue (ClientRequestToken as the version id, idempotent for the
// same value, AWSCURRENT moving to the new version and AWSPREVIOUS to the old), GetSecretValue (by version id or
// stage), DescribeSecret, DeleteSecret (a 7-30 day recovery window or ForceDeleteWithoutRecovery; a secret
// scheduled for deletion answers InvalidRequestException), RestoreSecret, ListSecretVersionIds
// (IncludeDeprecated, pages of <= 100), BatchGetSecretValue (<= 20 ids, or Filters with pages of <= 20),
// ListSecrets (name prefix filters); names ([A-Za-z0-9/_+=.@-], <= 512), values <= 65,536 bytes, labelled
// versions kept plus the 100 newest deprecated ones. Faults, latency, access denial and call counts come from
// the awsJson1_1 core.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  AwsJsonError,
  bool,
  epochSeconds,
  num,
  monotonicClock,
  pageToken,
  readPageToken,
  RegionalRecords,
  startAwsJsonServer,
  str,
  strList,
  type AwsCaller,
  type AwsJsonServer,
  type AwsJsonServerOptions,
} from '../aws-json';

interface SecretVersionRecord {
  readonly id: string;
  readonly value: string;
  readonly createdMs: number;
  stages: string[];
}

interface SecretRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdMs: number;
  changedMs: number;
  readonly kmsKeyId: string | undefined;
  readonly description: string | undefined;
  /** Oldest first. */
  versions: SecretVersionRecord[];
  deletedMs: number | undefined;
  deletionMs: number | undefined;
}

/** What a test may read of a stored secret (the emulator's own view, for assertions). */
export interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  /** The AWSCURRENT value, if any. */
  readonly current: string | undefined;
  readonly versions: readonly { readonly id: string; readonly stages: readonly string[] }[];
  readonly deletedAt: Date | undefined;
  readonly deletionDate: Date | undefined;
}

export interface AwsAsmEmulator extends AwsJsonServer {
  secret(name: string, region?: string): StoredSecret | undefined;
  /** Every secret name in a region (scheduled deletions included), sorted. */
  names(region?: string): string[];
  /** Ends a secret's recovery window now, as if its deletion date had passed. */
  expireDeletion(name: string, region?: string): void;
  /** Writes a secret directly (e.g. as Atmos or another tool left it). */
  seed(name: string, value: string, region?: string): void;
}

export const ASM_OPERATIONS = [
  'CreateSecret',
  'PutSecretValue',
  'GetSecretValue',
  'DescribeSecret',
  'DeleteSecret',
  'RestoreSecret',
  'ListSecretVersionIds',
  'BatchGetSecretValue',
  'ListSecrets',
] as const;

const MAX_NAME = 512;
const MAX_VALUE_BYTES = 65_536;
const MAX_DEPRECATED = 100;
const NAME_CHARS = /^[A-Za-z0-9/_+=.@-]+$/;
const DAY_MS = 86_400_000;

const notFoundMessage = "Secrets Manager can't find the specified secret.";
const markedForDeletion = "You can't perform this operation on the secret because it was marked for deletion.";

function notFound(): AwsJsonError {
  return new AwsJsonError('ResourceNotFoundException', notFoundMessage);
}

function validation(message: string): AwsJsonError {
  return new AwsJsonError('ValidationException', message);
}

export async function start(options: AwsJsonServerOptions = {}): Promise<AwsAsmEmulator> {
  const regions = new RegionalRecords<SecretRecord>();
  const now = monotonicClock();

  function find(region: Map<string, SecretRecord>, id: string): SecretRecord | undefined {
    const byName = region.get(id);
    if (byName) return byName;
    return [...region.values()].find((r) => r.arn === id);
  }

  function live(region: Map<string, SecretRecord>, id: string): SecretRecord {
    const r = find(region, id);
    if (!r) throw notFound();
    if (r.deletedMs !== undefined) throw new AwsJsonError('InvalidRequestException', markedForDeletion);
    return r;
  }

  function checkValue(body: Record<string, unknown>): string | undefined {
    const value = str(body, 'SecretString');
    if (value !== undefined && body['SecretBinary'] !== undefined) {
      throw new AwsJsonError(
        'InvalidParameterException',
        "You can't specify both a binary secret value and a string secret value in the same secret.",
      );
    }
    if (body['SecretBinary'] !== undefined) {
      throw new AwsJsonError('InvalidParameterException', 'This emulator holds string secrets only.');
    }
    if (value !== undefined && Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
      throw validation(
        "1 validation error detected: Value at 'secretString' failed to satisfy constraint: Member must have length less than or equal to 65536",
      );
    }
    return value;
  }

  function token(body: Record<string, unknown>): string {
    const t = str(body, 'ClientRequestToken') ?? randomUUID();
    if (t.length < 32 || t.length > 64) {
      throw validation(
        "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64",
      );
    }
    return t;
  }

  /** Adds a version that takes AWSCURRENT (or the given stages); the old current becomes AWSPREVIOUS. */
  function addVersion(r: SecretRecord, id: string, value: string, stages: readonly string[]): SecretVersionRecord {
    const existing = r.versions.find((v) => v.id === id);
    if (existing) {
      if (existing.value !== value) {
        throw new AwsJsonError(
          'ResourceExistsException',
          "You can't modify an existing version, you can only create a new version.",
        );
      }
      return existing;
    }
    if (stages.includes('AWSCURRENT')) {
      for (const v of r.versions) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS');
      const current = r.versions.find((v) => v.stages.includes('AWSCURRENT'));
      if (current) current.stages = [...current.stages.filter((s) => s !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    }
    for (const v of r.versions)
      v.stages = v.stages.filter((s) => s === 'AWSCURRENT' || s === 'AWSPREVIOUS' || !stages.includes(s));
    const version: SecretVersionRecord = { id, value, createdMs: now(), stages: [...stages] };
    r.versions.push(version);
    r.changedMs = version.createdMs;
    // Labelled versions stay; of the deprecated (unlabelled) ones only the newest 100 are kept.
    const deprecated = r.versions.filter((v) => v.stages.length === 0);
    const drop = new Set(deprecated.slice(0, Math.max(0, deprecated.length - MAX_DEPRECATED)));
    r.versions = r.versions.filter((v) => !drop.has(v));
    return version;
  }

  function create(
    region: Map<string, SecretRecord>,
    c: AwsCaller,
    name: string,
    value: string | undefined,
    id: string,
    extra: { kmsKeyId?: string | undefined; description?: string | undefined },
  ) {
    if (name.length < 1 || name.length > MAX_NAME) {
      throw validation(
        `1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length between 1 and ${MAX_NAME}`,
      );
    }
    if (!NAME_CHARS.test(name)) {
      throw validation(
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    const existing = region.get(name);
    if (existing?.deletedMs !== undefined) {
      throw new AwsJsonError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
      );
    }
    if (existing) {
      throw new AwsJsonError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const suffix = randomBytes(6)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')
      .slice(0, 6);
    const createdMs = now();
    const record: SecretRecord = {
      name,
      arn: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:${name}-${suffix}`,
      createdMs,
      changedMs: createdMs,
      kmsKeyId: extra.kmsKeyId,
      description: extra.description,
      versions: [],
      deletedMs: undefined,
      deletionMs: undefined,
    };
    if (value !== undefined) addVersion(record, id, value, ['AWSCURRENT']);
    region.set(name, record);
    return record;
  }

  function valueOut(r: SecretRecord, v: SecretVersionRecord) {
    return {
      ARN: r.arn,
      Name: r.name,
      VersionId: v.id,
      SecretString: v.value,
      VersionStages: v.stages,
      CreatedDate: epochSeconds(v.createdMs),
    };
  }

  function versionsToStages(r: SecretRecord): Record<string, string[]> {
    return Object.fromEntries(r.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages]));
  }

  function nameFilter(filters: unknown): (r: SecretRecord) => boolean {
    if (filters === undefined) return () => true;
    if (!Array.isArray(filters)) throw new AwsJsonError('SerializationException', 'Filters must be a list');
    const tests = (filters as { Key?: unknown; Values?: unknown }[]).map((f) => {
      if (f.Key !== 'name' && f.Key !== 'all') {
        throw new AwsJsonError('InvalidParameterException', `Invalid filter key ${String(f.Key)}.`);
      }
      const values = Array.isArray(f.Values) ? (f.Values as string[]) : [];
      return (r: SecretRecord) =>
        values.some((v) => (v.startsWith('!') ? !r.name.startsWith(v.slice(1)) : r.name.startsWith(v)));
    });
    return (r) => tests.every((t) => t(r));
  }

  function page<T>(items: readonly T[], body: Record<string, unknown>, max: number) {
    const maxResults = num(body, 'MaxResults') ?? max;
    if (maxResults < 1 || maxResults > max) {
      throw validation(
        `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      );
    }
    const offset = readPageToken(str(body, 'NextToken'), 'InvalidNextTokenException');
    const next = offset + maxResults < items.length ? pageToken(offset + maxResults) : undefined;
    return { items: items.slice(offset, offset + maxResults), next };
  }

  function handle(operation: string, body: Record<string, unknown>, c: AwsCaller): unknown {
    const region = regions.of(c.region);
    switch (operation) {
      case 'CreateSecret': {
        const name = str(body, 'Name', true);
        const value = checkValue(body);
        const r = create(region, c, name, value, token(body), {
          kmsKeyId: str(body, 'KmsKeyId'),
          description: str(body, 'Description'),
        });
        const v = r.versions.at(-1);
        return { ARN: r.arn, Name: r.name, ...(v ? { VersionId: v.id } : {}) };
      }
      case 'PutSecretValue': {
        const r = live(region, str(body, 'SecretId', true));
        const value = checkValue(body);
        if (value === undefined) {
          throw new AwsJsonError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
        }
        const stages = strList(body, 'VersionStages') ?? ['AWSCURRENT'];
        const v = addVersion(r, token(body), value, stages);
        return { ARN: r.arn, Name: r.name, VersionId: v.id, VersionStages: v.stages };
      }
      case 'GetSecretValue': {
        const r = live(region, str(body, 'SecretId', true));
        const versionId = str(body, 'VersionId');
        const stage = str(body, 'VersionStage') ?? (versionId === undefined ? 'AWSCURRENT' : undefined);
        const v = r.versions.find(
          (x) => (versionId === undefined || x.id === versionId) && (stage === undefined || x.stages.includes(stage)),
        );
        if (!v) {
          throw new AwsJsonError(
            'ResourceNotFoundException',
            versionId !== undefined
              ? `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`
              : `Secrets Manager can't find the specified secret value for staging label: ${stage ?? ''}`,
          );
        }
        return valueOut(r, v);
      }
      case 'DescribeSecret': {
        const r = find(region, str(body, 'SecretId', true));
        if (!r) throw notFound();
        return {
          ARN: r.arn,
          Name: r.name,
          ...(r.description !== undefined ? { Description: r.description } : {}),
          ...(r.kmsKeyId !== undefined ? { KmsKeyId: r.kmsKeyId } : {}),
          CreatedDate: epochSeconds(r.createdMs),
          LastChangedDate: epochSeconds(r.changedMs),
          ...(r.deletedMs !== undefined ? { DeletedDate: epochSeconds(r.deletedMs) } : {}),
          VersionIdsToStages: versionsToStages(r),
        };
      }
      case 'DeleteSecret': {
        const id = str(body, 'SecretId', true);
        const window = num(body, 'RecoveryWindowInDays');
        const force = bool(body, 'ForceDeleteWithoutRecovery') === true;
        if (window !== undefined && force) {
          throw new AwsJsonError(
            'InvalidParameterException',
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
          );
        }
        if (window !== undefined && (window < 7 || window > 30)) {
          throw new AwsJsonError(
            'InvalidParameterException',
            'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
          );
        }
        const r = find(region, id);
        const at = now();
        if (force) {
          if (r) region.delete(r.name);
          return { ...(r ? { ARN: r.arn } : {}), Name: r?.name ?? id, DeletionDate: epochSeconds(at) };
        }
        if (!r) throw notFound();
        if (r.deletedMs !== undefined) {
          throw new AwsJsonError(
            'InvalidRequestException',
            "You can't perform this operation on the secret because it was already scheduled for deletion.",
          );
        }
        r.deletedMs = at;
        r.deletionMs = at + (window ?? 30) * DAY_MS;
        return { ARN: r.arn, Name: r.name, DeletionDate: epochSeconds(r.deletionMs) };
      }
      case 'RestoreSecret': {
        const r = find(region, str(body, 'SecretId', true));
        if (!r) throw notFound();
        r.deletedMs = undefined;
        r.deletionMs = undefined;
        return { ARN: r.arn, Name: r.name };
      }
      case 'ListSecretVersionIds': {
        const r = find(region, str(body, 'SecretId', true));
        if (!r) throw notFound();
        const all =
          bool(body, 'IncludeDeprecated') === true ? r.versions : r.versions.filter((v) => v.stages.length > 0);
        const { items, next } = page(all, body, 100);
        return {
          ARN: r.arn,
          Name: r.name,
          Versions: items.map((v) => ({
            VersionId: v.id,
            VersionStages: v.stages,
            CreatedDate: epochSeconds(v.createdMs),
          })),
          ...(next !== undefined ? { NextToken: next } : {}),
        };
      }
      case 'BatchGetSecretValue': {
        const ids = strList(body, 'SecretIdList');
        const filters = body['Filters'];
        if (ids !== undefined && filters !== undefined) {
          throw new AwsJsonError(
            'InvalidParameterException',
            "Either 'SecretIdList' or 'Filters' must be provided, but not both.",
          );
        }
        if (ids === undefined && filters === undefined) {
          throw new AwsJsonError('InvalidParameterException', "Either 'SecretIdList' or 'Filters' must be provided.");
        }
        if (ids !== undefined) {
          if (body['MaxResults'] !== undefined) {
            throw new AwsJsonError(
              'InvalidParameterException',
              "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
            );
          }
          if (ids.length < 1 || ids.length > 20) {
            throw validation(
              "1 validation error detected: Value at 'secretIdList' failed to satisfy constraint: Member must have length between 1 and 20",
            );
          }
          const values: unknown[] = [];
          const errors: unknown[] = [];
          for (const id of ids) {
            const r = find(region, id);
            const v = r?.versions.find((x) => x.stages.includes('AWSCURRENT'));
            if (!r || !v)
              errors.push({ SecretId: id, ErrorCode: 'ResourceNotFoundException', Message: notFoundMessage });
            else if (r.deletedMs !== undefined) {
              errors.push({ SecretId: id, ErrorCode: 'InvalidRequestException', Message: markedForDeletion });
            } else values.push(valueOut(r, v));
          }
          return { SecretValues: values, Errors: errors };
        }
        const matching = [...region.values()]
          .filter((r) => r.deletedMs === undefined && nameFilter(filters)(r))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const { items, next } = page(matching, body, 20);
        return {
          SecretValues: items.flatMap((r) => {
            const v = r.versions.find((x) => x.stages.includes('AWSCURRENT'));
            return v ? [valueOut(r, v)] : [];
          }),
          Errors: [],
          ...(next !== undefined ? { NextToken: next } : {}),
        };
      }
      case 'ListSecrets': {
        const withDeleted = bool(body, 'IncludePlannedDeletion') === true;
        const matching = [...region.values()]
          .filter((r) => (withDeleted || r.deletedMs === undefined) && nameFilter(body['Filters'])(r))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const { items, next } = page(matching, body, 100);
        return {
          SecretList: items.map((r) => ({
            ARN: r.arn,
            Name: r.name,
            CreatedDate: epochSeconds(r.createdMs),
            LastChangedDate: epochSeconds(r.changedMs),
            ...(r.deletedMs !== undefined ? { DeletedDate: epochSeconds(r.deletedMs) } : {}),
            SecretVersionsToStages: versionsToStages(r),
          })),
          ...(next !== undefined ? { NextToken: next } : {}),
        };
      }
      default:
        throw new AwsJsonError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  const server = await startAwsJsonServer(
    {
      targetPrefix: 'secretsmanager',
      signingName: 'secretsmanager',
      operations: new Set(ASM_OPERATIONS),
      internalErrorType: 'InternalServiceError',
      unavailableErrorType: 'ServiceUnavailable',
      handle,
    },
    options,
  );

  return Object.assign(server, {
    secret(name: string, region = 'us-east-1'): StoredSecret | undefined {
      const r = regions.find(name, region);
      if (!r) return undefined;
      return {
        name: r.name,
        arn: r.arn,
        current: r.versions.find((v) => v.stages.includes('AWSCURRENT'))?.value,
        versions: r.versions.map((v) => ({ id: v.id, stages: [...v.stages] })),
        deletedAt: r.deletedMs !== undefined ? new Date(r.deletedMs) : undefined,
        deletionDate: r.deletionMs !== undefined ? new Date(r.deletionMs) : undefined,
      };
    },
    names(region = 'us-east-1'): string[] {
      return regions.names(region);
    },
    expireDeletion(name: string, region = 'us-east-1'): void {
      const r = regions.find(name, region);
      if (r?.deletedMs !== undefined) regions.of(region).delete(name);
    },
    seed(name: string, value: string, region = 'us-east-1'): void {
      const m = regions.of(region);
      const r =
        m.get(name) ??
        create(m, { region, account: server.account, accessKeyId: 'seed' }, name, undefined, randomUUID(), {});
      addVersion(r, randomUUID(), value, ['AWSCURRENT']);
    },
  });
}
