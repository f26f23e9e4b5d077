// A loopback AWS STS emulator: the awsQuery protocol (form-encoded `Action=...&Version=2011-06-15`, XML answers
// and `<ErrorResponse>` errors as the real service returns them) for AssumeRole and GetCallerIdentity, speaking
// to the real @aws-sdk/client-sts. Roles are created by the test with the callers they trust; each issued session
// and each call is recorded, so a test can follow which credentials were used where.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CallCounter, closeServer, listenLoopback, readBody } from '../http-util';

export interface AwsStsEmulatorOptions {
  readonly account?: string;
  /** Long-term access key ids the emulator accepts (besides the sessions it issued). Default: any. */
  readonly accessKeyIds?: readonly string[];
}

export interface CreateRoleOptions {
  /**
   * Who may assume the role: caller access key ids, or role ARNs (a caller holding a session of that role).
   * Default: anyone.
   */
  readonly trust?: readonly string[];
}

export interface IssuedSession {
  readonly roleArn: string;
  readonly sessionName: string;
  /** The access key id that signed the AssumeRole call. */
  readonly callerAccessKeyId: string;
  /** The access key id of the credentials issued (never the secret or token). */
  readonly accessKeyId: string;
}

export interface AwsStsEmulator {
  /** http://127.0.0.1:PORT, for `endpoint` or AWS_ENDPOINT_URL_STS. */
  readonly url: string;
  readonly account: string;
  readonly calls: CallCounter;
  /** Every session issued, in order. */
  readonly sessions: readonly IssuedSession[];
  createRole(name: string, options?: CreateRoleOptions): { readonly arn: string };
  /** Makes AssumeRole of this role fail with AccessDenied for every caller. */
  denyAssume(roleArn: string): void;
  stop(): Promise<void>;
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `Credential=AKID/20261130/us-east-1/sts/aws4_request` from a SigV4 authorization header. */
function callerOf(header: string | undefined): string | undefined {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[^/]+\/sts\/aws4_request/.exec(header ?? '');
  return m?.[1];
}

function keyId(prefix: 'ASIA' | 'AROA'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return prefix + Array.from(randomBytes(16), (b) => alphabet[b % 32]).join('');
}

interface RoleRecord {
  readonly arn: string;
  readonly roleId: string;
  readonly trust: readonly string[] | undefined;
  denied: boolean;
}

export async function start(options: AwsStsEmulatorOptions = {}): Promise<AwsStsEmulator> {
  const account = options.account ?? '111122223333';
  const roles = new Map<string, RoleRecord>();
  const sessions: IssuedSession[] = [];
  const calls = new CallCounter();

  /** The principal ARN of a caller: the role of a session we issued, else a user of the account. */
  function principalOf(caller: string): { arn: string; role: RoleRecord | undefined; session?: IssuedSession } {
    const session = sessions.find((s) => s.accessKeyId === caller);
    if (session) {
      const role = roles.get(session.roleArn);
      const roleName = session.roleArn.split('/').pop() ?? '';
      return { arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session.sessionName}`, role, session };
    }
    return { arn: `arn:aws:iam::${account}:user/${caller}`, role: undefined };
  }

  function assumeRole(params: URLSearchParams, caller: string): string {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    if (roleArn.length < 20) {
      throw new StsError(
        'ValidationError',
        `1 validation error detected: Value '${xmlEscape(roleArn)}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`,
        400,
      );
    }
    if (!SESSION_NAME.test(sessionName)) {
      throw new StsError(
        'ValidationError',
        `1 validation error detected: Value '${xmlEscape(sessionName)}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
        400,
      );
    }
    const who = principalOf(caller);
    const role = roles.get(roleArn);
    const trusted =
      role !== undefined &&
      !role.denied &&
      (role.trust === undefined ||
        role.trust.includes(caller) ||
        (who.session !== undefined && role.trust.includes(who.session.roleArn)));
    if (!role || !trusted) {
      throw new StsError(
        'AccessDenied',
        `User: ${who.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const duration = Number(params.get('DurationSeconds') ?? '3600');
    const accessKeyId = keyId('ASIA');
    sessions.push({ roleArn, sessionName, callerAccessKeyId: caller, accessKeyId });
    const expiration = new Date(Date.now() + duration * 1000).toISOString();
    const roleName = roleArn.split('/').pop() ?? '';
    return [
      `<AssumeRoleResponse xmlns="${XMLNS}">`,
      '  <AssumeRoleResult>',
      '    <AssumedRoleUser>',
      `      <AssumedRoleId>${role.roleId}:${xmlEscape(sessionName)}</AssumedRoleId>`,
      `      <Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(sessionName)}</Arn>`,
      '    </AssumedRoleUser>',
      '    <Credentials>',
      `      <AccessKeyId>${accessKeyId}</AccessKeyId>`,
      `      <SecretAccessKey>${randomBytes(30).toString('base64')}</SecretAccessKey>`,
      `      <SessionToken>${randomBytes(96).toString('base64')}</SessionToken>`,
      `      <Expiration>${expiration}</Expiration>`,
      '    </Credentials>',
      '  </AssumeRoleResult>',
      '  <ResponseMetadata>',
      `    <RequestId>${randomUUID()}</RequestId>`,
      '  </ResponseMetadata>',
      '</AssumeRoleResponse>',
    ].join('\n');
  }

  function getCallerIdentity(caller: string): string {
    const who = principalOf(caller);
    const userId = who.session && who.role ? `${who.role.roleId}:${who.session.sessionName}` : caller;
    return [
      `<GetCallerIdentityResponse xmlns="${XMLNS}">`,
      '  <GetCallerIdentityResult>',
      `    <Arn>${xmlEscape(who.arn)}</Arn>`,
      `    <UserId>${xmlEscape(userId)}</UserId>`,
      `    <Account>${account}</Account>`,
      '  </GetCallerIdentityResult>',
      '  <ResponseMetadata>',
      `    <RequestId>${randomUUID()}</RequestId>`,
      '  </ResponseMetadata>',
      '</GetCallerIdentityResponse>',
    ].join('\n');
  }

  function send(res: ServerResponse, status: number, xml: string): void {
    res.writeHead(status, {
      'content-type': 'text/xml',
      'content-length': Buffer.byteLength(xml),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(xml);
  }

  function sendError(res: ServerResponse, e: StsError): void {
    send(
      res,
      e.status,
      [
        `<ErrorResponse xmlns="${XMLNS}">`,
        '  <Error>',
        `    <Type>${e.type}</Type>`,
        `    <Code>${e.code}</Code>`,
        `    <Message>${xmlEscape(e.message)}</Message>`,
        '  </Error>',
        `  <RequestId>${randomUUID()}</RequestId>`,
        '</ErrorResponse>',
      ].join('\n'),
    );
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    // awsQuery takes the parameters from the form body (POST) or the query string (GET).
    const params = new URLSearchParams(req.method === 'POST' ? raw : ((req.url ?? '').split('?')[1] ?? ''));
    const action = params.get('Action') ?? '';
    calls.record(action || '(none)');
    try {
      if (params.get('Version') !== '2011-06-15') {
        throw new StsError(
          'InvalidAction',
          `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
          400,
        );
      }
      const caller = callerOf(req.headers.authorization);
      if (!caller) throw new StsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      const issued = sessions.some((s) => s.accessKeyId === caller);
      if (!issued && options.accessKeyIds && !options.accessKeyIds.includes(caller)) {
        throw new StsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
      }
      switch (action) {
        case 'AssumeRole':
          send(res, 200, assumeRole(params, caller));
          return;
        case 'GetCallerIdentity':
          send(res, 200, getCallerIdentity(caller));
          return;
        default:
          throw new StsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`, 400);
      }
    } catch (e) {
      sendError(
        res,
        e instanceof StsError ? e : new StsError('InternalFailure', 'An internal error occurred.', 500, 'Receiver'),
      );
    }
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent)
        sendError(res, new StsError('InternalFailure', 'An internal error occurred.', 500, 'Receiver'));
    });
  });
  const port = await listenLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    account,
    calls,
    sessions,
    createRole(name, o = {}) {
      const arn = `arn:aws:iam::${account}:role/${name}`;
      roles.set(arn, { arn, roleId: keyId('AROA'), trust: o.trust, denied: false });
      return { arn };
    },
    denyAssume(roleArn) {
      const role = roles.get(roleArn);
      if (!role) throw new Error(`emulator: no role ${roleArn}`);
      role.denied = true;
    },
    stop: () => closeServer(server),
  };
}
