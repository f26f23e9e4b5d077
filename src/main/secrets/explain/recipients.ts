// Who can decrypt a SOPS secret, read without decrypting anything: the master keys in the file's own metadata
// when the file exists (what really opens it), else the keys a new file would get (the provider's own keys or
// the matching `.sops.yaml` creation rule). Local files only; never a key, never a value.
import { existsSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { describeMasterKey, readSopsFileKeys, type CreationRule } from '../../sops';
import type { SopsCoordinate } from '../model/coordinates';
import type { SopsProvider } from '../model/providers';
import type { StoreCatalog } from '../model/store-catalog';
import { SopsKeys } from '../sops-provider/sops-keys';

export type RecipientsSource = 'file' | 'creation-rule';

export interface Recipients {
  /** `file`: the existing file's metadata; `creation-rule`: what a new file would be encrypted for. */
  readonly source: RecipientsSource;
  /** The master keys per key group, each as `age <recipient>`, `kms <arn>`, `pgp <fingerprint>`, ... */
  readonly keyGroups: readonly (readonly string[])[];
  /** Key groups needed to decrypt (more than 1 only with Shamir key groups). */
  readonly threshold: number;
  /** Key types in the file this app cannot use (azure_kv, hc_vault, ...); others may still decrypt with them. */
  readonly unsupported: readonly string[];
}

/** The creation rule a new file of a provider would get (SopsKeys.creationRule). */
export type CreationRuleFor = (provider: SopsProvider, absoluteFile: string) => Promise<CreationRule>;

/** The creation rules of a workspace's providers, as the SOPS backend would apply them to a new file. */
export function workspaceCreationRules(stores: StoreCatalog, basePath: string): CreationRuleFor {
  // A creation rule comes from the provider's own key ids or `.sops.yaml`: no key is read, so no keychain is
  // opened (one that is asked for is a bug, said as such).
  const keys = new SopsKeys({
    stores,
    basePath,
    keychain: () => {
      throw new AppError('INTERNAL', 'explain reads no key: the keychain is not used for recipients');
    },
  });
  return (p, file) => keys.creationRule(p, file);
}

/** The recipients, or the reason they cannot be told (an unreadable file, no creation rule): never thrown. */
export async function sopsRecipients(
  c: SopsCoordinate,
  creationRule: CreationRuleFor,
): Promise<{ readonly recipients: Recipients } | { readonly error: AppError }> {
  try {
    if (existsSync(c.absoluteFile)) {
      const keys = await readSopsFileKeys(c.absoluteFile);
      return {
        recipients: {
          source: 'file',
          keyGroups: keys.keyGroups.map((g) => g.map(describeMasterKey)),
          threshold: keys.threshold,
          unsupported: [...keys.unsupported],
        },
      };
    }
    const rule = await creationRule(c.sopsProvider, c.absoluteFile);
    return {
      recipients: {
        source: 'creation-rule',
        keyGroups: rule.keyGroups.map((g) => g.map(describeMasterKey)),
        threshold: rule.keyGroups.length > 1 ? (rule.shamirThreshold ?? rule.keyGroups.length) : 1,
        unsupported: [],
      },
    };
  } catch (e) {
    if (e instanceof AppError) return { error: e };
    throw e;
  }
}
