// The KMS key sources of SopsKeys under an auth identity, without a network: sources are cached per provider and
// identity, the identity is resolved only when a KMS key is used (so age-only files never need it), and the
// resolver's errors (wrong cloud, unknown identity, missing key file) reach the caller unchanged.
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../shared/errors';
import { IdentityResolver } from '../../auth';
import { MemoryKeychains } from '../../../../test/support/secrets-workspace';
import { parseSopsProvider } from '../model/providers';
import { SopsKeys } from './sops-keys';
import { StoreCatalog } from '../model/store-catalog';

const AUTH = {
  identities: {
    'aws-role': { kind: 'aws/assume-role', principal: { assume_role: 'arn:aws:iam::111122223333:role/R' } },
    'gcp-sa': { kind: 'gcp/service-account', credentials: { key_file: 'missing-sa.json' } },
  },
};

function keys(withResolver = true): SopsKeys {
  return new SopsKeys({
    stores: new StoreCatalog([]),
    basePath: '/nonexistent-ws',
    keychain: () => new MemoryKeychains().get(),
    ...(withResolver ? { identities: new IdentityResolver({ auth: AUTH, basePath: '/nonexistent-ws' }) } : {}),
  });
}

const provider = parseSopsProvider({
  name: 'k',
  raw: { kind: 'sops/aws-kms', spec: { kms: ['arn:aws:kms:us-east-1:111122223333:key/a'] } },
  level: 'config',
  location: { file: 'atmos.yaml' },
});

const KMS_ENTRY = {
  type: 'kms',
  arn: 'arn:aws:kms:us-east-1:111122223333:key/a',
  enc: 'AAAA',
  created_at: '2026-01-01T00:00:00Z',
} as const;
const GCP_ENTRY = {
  type: 'gcp_kms',
  resource_id: 'projects/p/locations/global/keyRings/r/cryptoKeys/k',
  enc: 'AAAA',
  created_at: '2026-01-01T00:00:00Z',
} as const;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('SopsKeys with an auth identity', () => {
  it('caches sources per provider and identity', () => {
    const k = keys();
    expect(k.keySources(provider, 'aws-role')).toBe(k.keySources(provider, 'aws-role'));
    expect(k.keySources(provider, 'aws-role')).not.toBe(k.keySources(provider, 'gcp-sa'));
    expect(k.keySources(provider)).not.toBe(k.keySources(provider, 'aws-role'));
  });

  it('resolves the identity only when a KMS key is used', () => {
    // An unknown identity does not fail here: an age-only file of this provider never needs it.
    expect(() => keys().keySources(provider, 'nobody')).not.toThrow();
  });

  it('a GCP identity for an AWS KMS key, and an AWS identity for a GCP KMS key, are CONFIG errors', async () => {
    const k = keys();
    const aws = await rejection(k.keySources(provider, 'gcp-sa').kms!.unwrap(KMS_ENTRY));
    expect(aws.code).toBe('CONFIG');
    expect(aws.message).toBe(
      'auth identity "gcp-sa" is a GCP identity (gcp/service-account), but AWS KMS of SOPS provider "k" needs AWS credentials',
    );
    const gcp = await rejection(k.keySources(provider, 'aws-role').gcp_kms!.unwrap(GCP_ENTRY));
    expect(gcp.code).toBe('CONFIG');
    expect(gcp.message).toContain('but GCP KMS of SOPS provider "k" needs GCP credentials');
  });

  it("a GCP identity's missing key file, and an unknown identity, fail before any client is made", async () => {
    const k = keys();
    const file = await rejection(k.keySources(provider, 'gcp-sa').gcp_kms!.unwrap(GCP_ENTRY));
    expect(file.code).toBe('CONFIG');
    expect(file.message).toContain('missing-sa.json');
    const unknown = await rejection(
      k.keySources(provider, 'nobody').kms!.wrap(new Uint8Array(32), { type: 'kms', arn: KMS_ENTRY.arn }),
    );
    expect(unknown.code).toBe('CONFIG');
    expect(unknown.hint).toContain('aws-role, gcp-sa');
  });

  it('without a resolver, a named identity is unknown (atmos.yaml has no auth section)', async () => {
    const e = await rejection(keys(false).keySources(provider, 'aws-role').kms!.unwrap(KMS_ENTRY));
    expect(e.code).toBe('CONFIG');
    expect(e.hint).toContain('no auth.identities');
  });
});
