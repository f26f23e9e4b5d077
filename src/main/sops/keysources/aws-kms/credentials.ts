// Credentials for the AWS KMS key source: the optional `role` of a sops kms entry is assumed through STS on top of
// the base identity (the entry's aws_profile, an injected provider, or the SDK's default chain), like sops does.
import { hostname } from 'node:os';
import {
  describeAwsError,
  sdkStsAssume,
  type AwsCredentials,
  type AwsCredentialsProvider,
} from '../../../auth/aws-credentials';
import { AppError } from '../../../../shared/errors';

export type { AwsCredentials, AwsCredentialsProvider };
export { describeAwsError };

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  /** The region of the KMS key: STS is called in the same region. */
  readonly region: string;
  /** The identity that assumes the role. Neither set: the SDK's default chain. */
  readonly profile?: string;
  readonly credentials?: AwsCredentialsProvider;
}

export type AssumeRole = (request: AssumeRoleRequest) => Promise<AwsCredentials>;

/** "sops@<hostname>", with the characters STS refuses in a session name removed (as sops does). */
export function sopsSessionName(host: string = hostname()): string {
  return `sops@${host.replace(/[^a-zA-Z0-9=,.@-]+/g, '')}`.slice(0, 64);
}

/** AssumeRole through @aws-sdk/client-sts (one implementation, shared with auth identities). */
export const stsAssumeRole: AssumeRole = (request) => sdkStsAssume(request);

const REFRESH_MARGIN_MS = 5 * 60_000;

/** A provider that assumes the role once and again only shortly before the session expires. */
export function assumedRoleProvider(
  assume: AssumeRole,
  request: AssumeRoleRequest,
  now: () => Date,
): AwsCredentialsProvider {
  let cached: Promise<AwsCredentials> | undefined;
  return async () => {
    if (cached) {
      const current = await cached.catch(() => undefined);
      const fresh =
        current && (!current.expiration || current.expiration.getTime() - now().getTime() > REFRESH_MARGIN_MS);
      if (current && fresh) return current;
    }
    cached = assume(request).catch((e: unknown) => {
      throw new AppError('AUTH', `Could not assume role ${request.roleArn} for AWS KMS: ${describeAwsError(e)}.`, {
        hint: 'Check that your identity may call sts:AssumeRole on that role (and the role trusts it), or fix the role of this kms entry.',
        cause: e,
      });
    });
    return cached;
  };
}
