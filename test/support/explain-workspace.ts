// The workspace the explain and diff tests share: an SSM store with its own identity and one without (its
// values kept by memory stores that count their calls), a keychain store, and a SOPS/age provider whose key
// lives in the keychain store. Stacks `dev` and `prod` import an abstract base component from the catalog.
import { loadWorkspace } from '../../src/main/config';
import { SecretsService, sopsBackendFor } from '../../src/main/secrets';
import { nameMapperFor, StoreFactoryTable, type StoreConfig } from '../../src/main/stores';
import { MemorySecretStore } from '../../src/main/stores/memory';
import { MemoryKeychains, writeWorkspace } from './secrets-workspace';

export const EXPLAIN_ATMOS_YAML = `base_path: "."
stacks:
  base_path: stacks
  included_paths: ["deploy/*.yaml"]
  name_template: "{{ .vars.stage }}"
stores:
  ssm:
    kind: aws/ssm
    secret: true
    identity: deployer
    options: {prefix: atmos, region: us-east-1}
  ssm2:
    kind: aws/ssm
    secret: true
    options: {prefix: other, region: us-east-1}
  kc:
    kind: keychain
    options: {prefix: fx, service: svc}
secrets:
  providers:
    files:
      kind: sops/age
      spec:
        file: "secrets/{{ .atmos_stack }}.enc.yaml"
        age_key: {store: kc}
`;

export const BASE_YAML = [
  'components:', //                    1
  '  terraform:', //                   2
  '    base:', //                      3
  '      metadata: {type: abstract}', // 4
  '      secrets:', //                 5
  '        vars:', //                  6
  '          DB:', //                  7
  '            store: ssm', //         8
  '            required: true', //     9
  '',
].join('\n');

/** A stack: `stage`, then the api (inherits base), the worker (an auth identity) and stack-level SHARED. */
export function stackYaml(stage: string, extra: readonly string[] = []): string {
  return [
    'import: [catalog/base]', //                                 1
    `vars: {stage: ${stage}}`, //                                2
    'secrets:', //                                               3
    '  vars:', //                                                4
    '    SHARED: {store: kc}', //                                5
    'components:', //                                            6
    '  terraform:', //                                           7
    '    api:', //                                               8
    '      metadata: {inherits: [base]}', //                     9
    '      secrets:', //                                         10
    '        vars:', //                                          11
    '          DB: {description: the database password}', //    12
    '          TOKEN: {sops: files}', //                         13
    '          PLAIN: {store: ssm2}', //                         14
    '    worker:', //                                            15
    '      auth: {identity: worker-role}', //                    16
    '      secrets:', //                                         17
    '        vars:', //                                          18
    '          W: {store: ssm2}', //                             19
    ...extra,
    '',
  ].join('\n');
}

export interface ExplainFixture {
  readonly dir: string;
  readonly svc: SecretsService;
  /** The memory store behind each store name (created on first use; absent when nothing used the store). */
  readonly stores: Map<string, MemorySecretStore>;
}

/** The workspace (files as given, else dev and prod from stackYaml) and a service over memory stores. */
export async function explainFixture(
  o: { readonly files?: Readonly<Record<string, string>>; readonly identity?: string } = {},
): Promise<ExplainFixture> {
  const dir = writeWorkspace({
    'atmos.yaml': EXPLAIN_ATMOS_YAML,
    'stacks/catalog/base.yaml': BASE_YAML,
    'stacks/deploy/dev.yaml': stackYaml('dev'),
    'stacks/deploy/prod.yaml': stackYaml('prod'),
    ...o.files,
  });
  const workspace = await loadWorkspace({ configPath: dir, env: {} });
  const keychains = new MemoryKeychains();
  const stores = new Map<string, MemorySecretStore>();
  const memory = (config: StoreConfig): MemorySecretStore => {
    let s = stores.get(config.name);
    if (!s) {
      s = new MemorySecretStore({ name: config.name, kind: config.kind, mapper: nameMapperFor(config) });
      stores.set(config.name, s);
    }
    return s;
  };
  const factories = new StoreFactoryTable().register('aws/ssm', memory).register('keychain', memory);
  const svc = new SecretsService({
    workspace,
    factories,
    sops: sopsBackendFor(workspace, { keychain: (s) => keychains.get(s), env: {} }),
    identity: o.identity,
    confirm: async () => true,
    clock: () => new Date(0),
    remember: () => undefined,
  });
  return { dir, svc, stores };
}
