// The options an AWS store (aws/ssm, aws/asm) takes in atmos.yaml, validated with the store's name in every
// error. Unknown options are refused (a typo must not silently change where secrets go).
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { optionIssues } from '../option-issues';
import type { StoreConfig } from '../store-config';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from './aws-call';

export const awsOptionsSchema = z.strictObject({
  prefix: z.string().optional(),
  stack_delimiter: z.string().optional(),
  /** Else AWS_REGION / AWS_DEFAULT_REGION / the profile's region (the SDK's chain). */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1')
    .optional(),
  /** An endpoint override (a VPC endpoint, LocalStack, an emulator). */
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Per attempt. */
  timeout_ms: z.number().int().min(100).max(600_000).optional(),
  /** Attempts in all on throttling and 5xx. */
  max_attempts: z.number().int().min(1).max(10).optional(),
});

export type AwsOptions = z.infer<typeof awsOptionsSchema>;

/** The settings every AWS store shares, after validation and defaults. */
export interface AwsCommonSettings {
  readonly prefix: string | undefined;
  readonly stackDelimiter: string | undefined;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
}

/** Atmos' role options: this app takes credentials from an auth identity instead. */
const ROLE_OPTIONS = ['read_role_arn', 'write_role_arn'] as const;

/** Validates a store's options against its kind's schema (awsOptionsSchema extended); CONFIG error naming the store. */
export function parseAwsOptions<T extends z.ZodObject>(config: StoreConfig, schema: T): z.infer<T> {
  for (const key of ROLE_OPTIONS) {
    if (config.options[key] !== undefined) {
      throw new AppError(
        'CONFIG',
        `store "${config.name}" (${config.kind}) sets options.${key}, which Atmos Secrets does not use`,
        {
          location: config.location,
          hint: `Declare an auth identity of kind aws/assume-role for that role and set \`identity:\` on stores.${config.name}.`,
        },
      );
    }
  }
  const parsed = schema.safeParse(config.options);
  if (!parsed.success) {
    const detail = optionIssues(parsed.error);
    throw new AppError('CONFIG', `store "${config.name}" (${config.kind}) has invalid options: ${detail}`, {
      location: config.location,
      hint: `Options of ${config.kind}: ${Object.keys(schema.shape).sort().join(', ')}.`,
    });
  }
  return parsed.data;
}

export function commonSettings(o: AwsOptions): AwsCommonSettings {
  return {
    prefix: o.prefix,
    stackDelimiter: o.stack_delimiter,
    region: o.region,
    endpoint: o.endpoint,
    timeoutMs: o.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    maxAttempts: o.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}
