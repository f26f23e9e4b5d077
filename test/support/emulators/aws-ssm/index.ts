// A loopback AWS SSM Parameter Store emulator (awsJson1_1, `AmazonSSM.*`) that @aws-sdk/client-ssm talks to
// unmodified. It follows the public API (backends-wire.md §1, the SDK's model docs, moto): GetParameter (with a
// `:version` selector), GetParameters (1..10 names, missing ones in InvalidParameters), PutParameter (Type
// required on create, Overwrite, tags vs overwrite, tiers and their value limits, no downgrade from Advanced),
// DeleteParameter(s), GetParameterHistory (oldest first, pages of <= 50), GetParametersByPath (pages of <= 10),
// DescribeParameters (Name/Path filters, pages of <= 50); naming rules (characters, leading `/`, 15 levels, no
// aws/ssm prefix, length); 100 versions kept; SecureString values come back as ciphertext without decryption.
// Faults, latency, access denial and call counts come from the awsJson1_1 core.
import { createHash, randomBytes } from 'node:crypto';
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

export type SsmParameterType = 'String' | 'StringList' | 'SecureString';
export type SsmTier = 'Standard' | 'Advanced' | 'Intelligent-Tiering';

interface ParameterVersion {
  readonly version: number;
  readonly value: string;
  readonly type: SsmParameterType;
  readonly keyId: string | undefined;
  readonly tier: 'Standard' | 'Advanced';
  readonly modifiedMs: number;
  readonly user: string;
  readonly description: string | undefined;
  labels: string[];
}

interface ParameterRecord {
  readonly name: string;
  versions: ParameterVersion[];
  tags: { Key: string; Value: string }[];
}

/** What a test may read of a stored parameter (the emulator's own view, for assertions). */
export interface StoredSsmParameter {
  readonly name: string;
  readonly type: SsmParameterType;
  readonly value: string;
  readonly version: number;
  readonly tier: 'Standard' | 'Advanced';
  readonly keyId: string | undefined;
  readonly versionsKept: number;
}

export interface AwsSsmEmulator extends AwsJsonServer {
  /** The parameter as stored (current version), or undefined. */
  parameter(name: string, region?: string): StoredSsmParameter | undefined;
  /** Every parameter name in a region, sorted. */
  names(region?: string): string[];
  /** Writes a parameter directly (e.g. as Atmos or another tool left it; Advanced when over 4 KB), bumping its version. */
  seed(name: string, value: string, type?: SsmParameterType, region?: string): void;
}

export const SSM_OPERATIONS = [
  'GetParameter',
  'GetParameters',
  'PutParameter',
  'DeleteParameter',
  'DeleteParameters',
  'GetParameterHistory',
  'GetParametersByPath',
  'DescribeParameters',
] as const;

const MAX_VERSIONS = 100;
const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;
const MAX_LEVELS = 15;
const NAME_CHARS = /^[A-Za-z0-9_.\-/]+$/;
const DEFAULT_KEY = 'alias/aws/ssm';

function validation(message: string): AwsJsonError {
  return new AwsJsonError('ValidationException', message);
}

function notFound(name: string): AwsJsonError {
  return new AwsJsonError('ParameterNotFound', `Parameter ${name} not found.`);
}

export async function start(options: AwsJsonServerOptions = {}): Promise<AwsSsmEmulator> {
  const regions = new RegionalRecords<ParameterRecord>();
  const now = monotonicClock();

  function arnPrefix(c: AwsCaller): string {
    return `arn:aws:ssm:${c.region}:${c.account}:parameter`;
  }

  /** The plain name of a name or parameter ARN, checked against the naming rules. */
  function checkName(raw: string, c: AwsCaller, forWrite: boolean): string {
    const prefix = arnPrefix(c);
    const name = raw.startsWith(`${prefix}/`) ? raw.slice(prefix.length) : raw;
    if (name.length < 1 || name.length > 2048) {
      throw validation(
        `1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length between 1 and 2048`,
      );
    }
    const ruleText =
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
    if (!NAME_CHARS.test(name)) throw validation(ruleText);
    if (name.includes('/') && !name.startsWith('/')) {
      throw validation('Parameter name must be a fully qualified name.');
    }
    const segments = (name.startsWith('/') ? name.slice(1) : name).split('/');
    if (segments.some((s) => s === '')) throw validation(ruleText);
    if (segments.length > MAX_LEVELS) {
      throw new AwsJsonError(
        'HierarchyLevelLimitExceededException',
        `A hierarchy can have a maximum of ${MAX_LEVELS} levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.`,
      );
    }
    if (/^(aws|ssm)/i.test(segments[0] ?? '')) {
      if (forWrite && /^aws$/i.test(segments[0] ?? '') && name.startsWith('/')) {
        throw new AwsJsonError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
      }
      throw validation(ruleText);
    }
    if (`${prefix}${name.startsWith('/') ? '' : '/'}${name}`.length > 1011) {
      throw validation(
        `Parameter name ${name.slice(0, 40)}... exceeds the maximum length of 1011 characters including the ARN.`,
      );
    }
    return name;
  }

  function current(r: ParameterRecord): ParameterVersion {
    return r.versions[r.versions.length - 1]!;
  }

  /** SecureString values without decryption: a stable stand-in for the KMS ciphertext, never the plaintext. */
  function ciphertext(v: ParameterVersion, name: string): string {
    return createHash('sha256')
      .update(`${name}\0${v.version}\0${v.keyId ?? ''}`)
      .digest('base64');
  }

  function shownValue(v: ParameterVersion, name: string, decrypt: boolean): string {
    return v.type === 'SecureString' && !decrypt ? ciphertext(v, name) : v.value;
  }

  function parameterOut(r: ParameterRecord, v: ParameterVersion, c: AwsCaller, decrypt: boolean, selector?: string) {
    return {
      Name: r.name,
      Type: v.type,
      Value: shownValue(v, r.name, decrypt),
      Version: v.version,
      LastModifiedDate: epochSeconds(v.modifiedMs),
      ARN: `${arnPrefix(c)}${r.name.startsWith('/') ? '' : '/'}${r.name}`,
      DataType: 'text',
      ...(selector !== undefined ? { Selector: selector } : {}),
    };
  }

  function metadataOut(r: ParameterRecord, c: AwsCaller) {
    const v = current(r);
    return {
      Name: r.name,
      ARN: `${arnPrefix(c)}${r.name.startsWith('/') ? '' : '/'}${r.name}`,
      Type: v.type,
      ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
      LastModifiedDate: epochSeconds(v.modifiedMs),
      LastModifiedUser: v.user,
      Version: v.version,
      Tier: v.tier,
      Policies: [],
      DataType: 'text',
      ...(v.description !== undefined ? { Description: v.description } : {}),
    };
  }

  function put(
    region: Map<string, ParameterRecord>,
    name: string,
    input: {
      value: string;
      type: SsmParameterType | undefined;
      overwrite: boolean;
      keyId: string | undefined;
      tier: SsmTier | undefined;
      description: string | undefined;
      tags: { Key: string; Value: string }[] | undefined;
      user: string;
    },
  ): { Version: number; Tier: string } {
    const existing = region.get(name);
    if (input.tags && input.overwrite && existing) {
      throw validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    if (existing && !input.overwrite) {
      throw new AwsJsonError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const type = input.type ?? (existing ? current(existing).type : undefined);
    if (type === undefined) throw validation('A parameter type is required when you create a parameter.');
    if (input.keyId !== undefined && type !== 'SecureString') {
      throw validation('KeyId is required for SecureString type parameter only.');
    }
    if (input.value.length === 0) {
      throw validation(
        "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    }
    const bytes = Buffer.byteLength(input.value, 'utf8');
    const previousTier = existing ? current(existing).tier : undefined;
    let tier: 'Standard' | 'Advanced';
    switch (input.tier) {
      case undefined:
      case 'Standard':
        if (previousTier === 'Advanced') {
          if (input.tier === 'Standard') {
            throw validation(
              "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
            );
          }
          tier = 'Advanced';
        } else tier = 'Standard';
        break;
      case 'Advanced':
        tier = 'Advanced';
        break;
      case 'Intelligent-Tiering':
        tier = bytes > STANDARD_MAX || previousTier === 'Advanced' ? 'Advanced' : 'Standard';
        break;
      default: {
        const never: never = input.tier;
        throw validation(`Invalid tier ${String(never)}`);
      }
    }
    if (tier === 'Standard' && bytes > STANDARD_MAX) {
      throw validation(
        'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
      );
    }
    if (bytes > ADVANCED_MAX) {
      throw validation('Advanced tier parameters support a maximum parameter value of 8192 characters.');
    }
    const record = existing ?? { name, versions: [], tags: input.tags ?? [] };
    if (record.versions.length >= MAX_VERSIONS) {
      const oldest = record.versions[0]!;
      if (oldest.labels.length > 0) {
        throw new AwsJsonError(
          'ParameterMaxVersionLimitExceeded',
          `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
        );
      }
      record.versions = record.versions.slice(1);
    }
    const version = (existing ? current(existing).version : 0) + 1;
    record.versions.push({
      version,
      value: input.value,
      type,
      keyId:
        type === 'SecureString'
          ? (input.keyId ?? (existing ? current(existing).keyId : undefined) ?? DEFAULT_KEY)
          : undefined,
      tier,
      modifiedMs: now(),
      user: input.user,
      description: input.description ?? (existing ? current(existing).description : undefined),
      labels: [],
    });
    region.set(name, record);
    return { Version: version, Tier: tier };
  }

  /** `name`, `name:3` (a version) or `name:label`. */
  function select(region: Map<string, ParameterRecord>, raw: string, c: AwsCaller) {
    const colon = raw.startsWith('arn:') ? raw.indexOf(':', arnPrefix(c).length) : raw.lastIndexOf(':');
    const base = colon >= 0 ? raw.slice(0, colon) : raw;
    const selector = colon >= 0 ? raw.slice(colon + 1) : undefined;
    const name = checkName(base, c, false);
    const record = region.get(name);
    if (!record) return { name, record: undefined, version: undefined, selector };
    if (selector === undefined) return { name, record, version: current(record), selector };
    const version = /^\d+$/.test(selector)
      ? record.versions.find((v) => v.version === Number(selector))
      : record.versions.find((v) => v.labels.includes(selector));
    if (!version) {
      throw new AwsJsonError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`,
      );
    }
    return { name, record, version, selector: `:${selector}` };
  }

  function userArn(c: AwsCaller): string {
    return `arn:aws:iam::${c.account}:user/${c.accessKeyId}`;
  }

  function paged<T>(items: readonly T[], body: Record<string, unknown>, max: number, dflt: number) {
    const maxResults = num(body, 'MaxResults') ?? dflt;
    if (maxResults < 1 || maxResults > max) {
      throw validation(
        `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      );
    }
    const offset = readPageToken(str(body, 'NextToken'), 'InvalidNextToken');
    const page = items.slice(offset, offset + maxResults);
    const next = offset + maxResults < items.length ? pageToken(offset + maxResults) : undefined;
    return { page, next };
  }

  function underPath(name: string, path: string, recursive: boolean): boolean {
    const base = path.endsWith('/') ? path : `${path}/`;
    if (path === '/') return name.startsWith('/') && (recursive || !name.slice(1).includes('/'));
    if (!name.startsWith(base)) return false;
    return recursive || !name.slice(base.length).includes('/');
  }

  function handle(operation: string, body: Record<string, unknown>, c: AwsCaller): unknown {
    const region = regions.of(c.region);
    switch (operation) {
      case 'GetParameter': {
        const { name, version, record, selector } = select(region, str(body, 'Name', true), c);
        if (!record || !version) throw notFound(name);
        return {
          Parameter: parameterOut(
            record,
            version,
            c,
            bool(body, 'WithDecryption') === true,
            selector === undefined ? undefined : selector,
          ),
        };
      }
      case 'GetParameters': {
        const names = strList(body, 'Names') ?? [];
        if (names.length < 1 || names.length > 10) {
          throw validation(
            `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length ${names.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`,
          );
        }
        const decrypt = bool(body, 'WithDecryption') === true;
        const parameters: unknown[] = [];
        const invalid: string[] = [];
        for (const raw of [...new Set(names)]) {
          let found: ReturnType<typeof select> | undefined;
          try {
            found = select(region, raw, c);
          } catch (e) {
            // A malformed name or missing version is reported as invalid, not as a failed call.
            if (!(e instanceof AwsJsonError)) throw e;
            found = undefined;
          }
          if (found?.record && found.version)
            parameters.push(parameterOut(found.record, found.version, c, decrypt, found.selector));
          else invalid.push(raw);
        }
        return { Parameters: parameters, InvalidParameters: invalid };
      }
      case 'PutParameter': {
        const name = checkName(str(body, 'Name', true), c, true);
        const type = str(body, 'Type');
        if (type !== undefined && type !== 'String' && type !== 'StringList' && type !== 'SecureString') {
          throw validation(
            `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
          );
        }
        const tier = str(body, 'Tier');
        if (tier !== undefined && tier !== 'Standard' && tier !== 'Advanced' && tier !== 'Intelligent-Tiering') {
          throw validation(
            `1 validation error detected: Value '${tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]`,
          );
        }
        const rawTags = body['Tags'];
        const tags = Array.isArray(rawTags) ? (rawTags as { Key: string; Value: string }[]) : undefined;
        return put(region, name, {
          value: str(body, 'Value', true),
          type,
          overwrite: bool(body, 'Overwrite') === true,
          keyId: str(body, 'KeyId'),
          tier,
          description: str(body, 'Description'),
          tags,
          user: userArn(c),
        });
      }
      case 'DeleteParameter': {
        const name = checkName(str(body, 'Name', true), c, false);
        if (!region.delete(name)) throw notFound(name);
        return {};
      }
      case 'DeleteParameters': {
        const names = strList(body, 'Names') ?? [];
        if (names.length < 1 || names.length > 10) {
          throw validation(
            "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10",
          );
        }
        const deleted: string[] = [];
        const invalid: string[] = [];
        for (const raw of names) {
          let name: string | undefined;
          try {
            name = checkName(raw, c, false);
          } catch (e) {
            if (!(e instanceof AwsJsonError)) throw e;
          }
          if (name !== undefined && region.delete(name)) deleted.push(raw);
          else invalid.push(raw);
        }
        return { DeletedParameters: deleted, InvalidParameters: invalid };
      }
      case 'GetParameterHistory': {
        const name = checkName(str(body, 'Name', true), c, false);
        const record = region.get(name);
        if (!record) throw notFound(name);
        const decrypt = bool(body, 'WithDecryption') === true;
        const { page, next } = paged(record.versions, body, 50, 50);
        return {
          Parameters: page.map((v) => ({
            Name: record.name,
            Type: v.type,
            ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
            LastModifiedDate: epochSeconds(v.modifiedMs),
            LastModifiedUser: v.user,
            ...(v.description !== undefined ? { Description: v.description } : {}),
            Value: shownValue(v, record.name, decrypt),
            Version: v.version,
            Labels: v.labels,
            Tier: v.tier,
            Policies: [],
            DataType: 'text',
          })),
          ...(next !== undefined ? { NextToken: next } : {}),
        };
      }
      case 'GetParametersByPath': {
        const path = str(body, 'Path', true);
        if (!path.startsWith('/'))
          throw validation(
            'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
          );
        const recursive = bool(body, 'Recursive') === true;
        const decrypt = bool(body, 'WithDecryption') === true;
        const matching = [...region.values()]
          .filter((r) => underPath(r.name, path, recursive))
          .sort((a, b) => (a.name < b.name ? -1 : 1));
        const { page, next } = paged(matching, body, 10, 10);
        return {
          Parameters: page.map((r) => parameterOut(r, current(r), c, decrypt)),
          ...(next !== undefined ? { NextToken: next } : {}),
        };
      }
      case 'DescribeParameters': {
        if (body['Filters'] !== undefined && body['ParameterFilters'] !== undefined) {
          throw validation('You can use either Filters or ParameterFilters in a single request.');
        }
        const filters = Array.isArray(body['ParameterFilters'])
          ? (body['ParameterFilters'] as { Key?: unknown; Option?: unknown; Values?: unknown }[])
          : [];
        let matching = [...region.values()];
        for (const f of filters) {
          const values = Array.isArray(f.Values) ? (f.Values as string[]) : [];
          const option = typeof f.Option === 'string' ? f.Option : 'Equals';
          if (f.Key === 'Name') {
            if (option !== 'Equals' && option !== 'BeginsWith') {
              throw new AwsJsonError('InvalidFilterOption', `The filter option ${option} is not valid for key Name.`);
            }
            matching = matching.filter((r) =>
              values.some((v) => (option === 'Equals' ? r.name === v : r.name.startsWith(v))),
            );
          } else if (f.Key === 'Path') {
            if (option !== 'Recursive' && option !== 'OneLevel') {
              throw new AwsJsonError('InvalidFilterOption', `The filter option ${option} is not valid for key Path.`);
            }
            matching = matching.filter((r) => values.some((v) => underPath(r.name, v, option === 'Recursive')));
          } else if (f.Key === 'Type') {
            matching = matching.filter((r) => values.includes(current(r).type));
          } else {
            throw new AwsJsonError('InvalidFilterKey', `The filter key ${String(f.Key)} is not valid.`);
          }
        }
        matching.sort((a, b) => (a.name < b.name ? -1 : 1));
        const { page, next } = paged(matching, body, 50, 50);
        return { Parameters: page.map((r) => metadataOut(r, c)), ...(next !== undefined ? { NextToken: next } : {}) };
      }
      default:
        throw new AwsJsonError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  const server = await startAwsJsonServer(
    {
      targetPrefix: 'AmazonSSM',
      signingName: 'ssm',
      operations: new Set(SSM_OPERATIONS),
      internalErrorType: 'InternalServerError',
      unavailableErrorType: 'ServiceUnavailable',
      handle,
    },
    options,
  );

  return Object.assign(server, {
    parameter(name: string, region = 'us-east-1'): StoredSsmParameter | undefined {
      const r = regions.find(name, region);
      if (!r) return undefined;
      const v = current(r);
      return {
        name: r.name,
        type: v.type,
        value: v.value,
        version: v.version,
        tier: v.tier,
        keyId: v.keyId,
        versionsKept: r.versions.length,
      };
    },
    names(region = 'us-east-1'): string[] {
      return regions.names(region);
    },
    seed(name: string, value: string, type: SsmParameterType = 'SecureString', region = 'us-east-1'): void {
      put(regions.of(region), name, {
        value,
        type,
        overwrite: true,
        keyId: undefined,
        // Values over 4 KB become Advanced, as another tool writing them would have chosen.
        tier: 'Intelligent-Tiering',
        description: undefined,
        tags: undefined,
        user: `seed-${randomBytes(2).toString('hex')}`,
      });
    },
  });
}
