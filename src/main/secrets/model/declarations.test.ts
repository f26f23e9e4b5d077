// Declaration rules (spec §3): store xor sops, scope against position, unknown / non-secret / plaintext stores,
// SOPS providers (nearest wins) and placement, unmappable paths, identity, every error with file and line.
import { afterAll, describe, expect, it } from 'vitest';
import { type AppError } from '../../../shared/errors';
import { appComponentService, keychainStoreAtmosYaml } from '../../../../test/support/app-component-workspace';
import { memoryService, removeWrittenWorkspaces, writeWorkspace } from '../../../../test/support/secrets-workspace';
import { StoreFactoryTable } from '../../stores';
import { parseDeclaration } from './declarations';
import { StoreCatalog } from './store-catalog';

afterAll(removeWrittenWorkspaces);

const ATMOS = keychainStoreAtmosYaml(
  'decl-test',
  `  kc-id:
    kind: keychain
    identity: store-identity
    options: {prefix: t2, service: decl-test}
  ssm:
    kind: aws/ssm
    secret: true
    options: {region: us-east-1, prefix: /app}
  plain:
    kind: aws/ssm
    options: {region: us-east-1}
secrets:
  providers:
    top:
      kind: sops/age
      spec: {file: "global/{{ .atmos_stack }}.enc.yaml"}
`,
);

async function component(decls: string, extra = '', atmos = ATMOS) {
  const { svc, dir } = await appComponentService(atmos, decls, extra);
  return { svc, cs: svc.component('dev', 'app'), dir };
}

function errorOf(cs: { broken: readonly { name: string; error: AppError }[] }, name: string): AppError {
  const b = cs.broken.find((x) => x.name === name);
  if (!b) throw new Error(`no error for ${name}`);
  return b.error;
}

describe('declaration rules', () => {
  it('refuses both store and sops, and neither, naming the secret, file and line', async () => {
    const { cs } = await component(
      '        vars:\n          BOTH: {store: kc, sops: top}\n          NONE: {description: nothing}\n',
    );
    const both = errorOf(cs, 'BOTH');
    expect(both.code).toBe('CONFIG');
    expect(both.message).toBe('secret "BOTH" sets both store "kc" and sops "top"');
    expect(both.location?.file).toMatch(/stacks\/dev\.yaml$/);
    expect(both.location?.line).toBe(6);
    expect(both.hint).toBe('Set exactly one of store or sops.');
    expect(errorOf(cs, 'NONE').message).toBe('secret "NONE" sets neither store nor sops');
    expect(errorOf(cs, 'NONE').location?.line).toBe(7);
  });

  it('refuses an unknown store listing the configured ones, and a non-secret store', async () => {
    const { cs } = await component('        vars:\n          A: {store: nope}\n          B: {store: plain}\n');
    const a = errorOf(cs, 'A');
    expect(a.message).toBe('secret "A" uses store "nope", which is not configured');
    expect(a.hint).toBe('Configured stores: kc, kc-id, plain, ssm.');
    const b = errorOf(cs, 'B');
    expect(b.message).toBe('store "plain" is not a secret store (set secret: true)');
    expect(b.hint).toContain('Secret "B" uses it.');
    expect(b.location?.line).toBe(7);
  });

  it('refuses a plaintext backend marked secret when the workspace loads', async () => {
    const atmos = ATMOS.replace('  plain:\n', '  cache:\n    kind: redis\n    secret: true\n  plain:\n');
    expect(atmos).toContain('kind: redis');
    await expect(component('        vars:\n          C: {store: cache}\n', '', atmos)).rejects.toThrow(
      'store "cache" (redis) cannot be a secret store',
    );
  });

  it('refuses unknown fields and wrong types', async () => {
    const { cs } = await component(
      '        vars:\n          A: {store: kc, requried: true}\n          B: {store: kc, required: "yes"}\n',
    );
    expect(errorOf(cs, 'A').message).toBe('secret "A" has unknown field(s) requried');
    expect(errorOf(cs, 'B').message).toContain('secret "B" field "required"');
  });

  it('checks scope against position (global anywhere)', () => {
    const stores = new StoreCatalog([
      { name: 'kc', kind: 'keychain', secret: true, identity: undefined, options: {}, location: undefined },
    ]);
    const base = {
      name: 'X',
      position: 'instance' as const,
      scope: 'instance' as const,
      location: { file: 'stacks/a.yaml', line: 3 },
    };
    const e = (() => {
      try {
        parseDeclaration({ ...base, fields: { store: 'kc', scope: 'stack' } }, stores, {});
      } catch (err) {
        return err as AppError;
      }
      return undefined;
    })();
    expect(e?.message).toBe('secret "X" declares scope "stack" but its position implies "instance"');
    expect(e?.location).toEqual({ file: 'stacks/a.yaml', line: 3 });
    expect(parseDeclaration({ ...base, fields: { store: 'kc', scope: 'global' } }, stores, {}).scope).toBe('global');
    expect(
      parseDeclaration(
        { ...base, position: 'stack', scope: 'stack', fields: { store: 'kc', scope: 'global' } },
        stores,
        {},
      ).scope,
    ).toBe('global');
  });

  it('a contradicting scope in a manifest makes that secret invalid with the same message; the component loads', async () => {
    const { svc } = await appComponentService(
      ATMOS,
      '        vars:\n          X: {store: kc, scope: stack}\n          Y: {store: kc}\n',
    );
    const cs = svc.component('dev', 'app');
    expect(cs.secrets.map((s) => s.name)).toEqual(['Y']);
    expect(cs.broken.map((b) => [b.name, b.error.message])).toEqual([
      ['X', 'secret "X" declares scope "stack" but its position implies "instance"'],
    ]);
    expect(cs.broken[0]?.error.location).toMatchObject({ line: 6 });
  });
});

describe('SOPS providers and placement', () => {
  it('the nearest provider wins: component over stack over atmos.yaml', async () => {
    const stackProviders =
      'secrets:\n  providers:\n    top:\n      kind: sops/age\n      spec: {path: stack-secrets}\n';
    const { svc } = await component(
      '        providers:\n          near:\n            kind: sops/gpg\n        vars:\n          A: {sops: top}\n          B: {sops: near}\n          G: {sops: top, scope: global}\n',
      stackProviders,
    );
    const a = svc.describe({ stack: 'dev', component: 'app', name: 'A' });
    expect(a.where).toBe('SOPS provider "top" (sops/age) file stack-secrets/dev.app.enc.yaml key A');
    expect(svc.describe({ stack: 'dev', component: 'app', name: 'B' }).where).toBe(
      'SOPS provider "near" (sops/pgp) file secrets/dev.app.enc.yaml key B',
    );
    // A global secret needs an explicit spec.file.
    const g = svc.component('dev', 'app').broken.find((b) => b.name === 'G');
    expect(g?.error.message).toBe(
      'secret "G" cannot use SOPS provider "top": a global secret needs an explicit spec.file',
    );
  });

  it('renders spec.file, refuses a per-stack file for a global secret, and reports unknown providers', async () => {
    const { svc, cs } = await component(
      '        vars:\n          S: {sops: top}\n          G: {sops: top, scope: global}\n          U: {sops: nope}\n',
    );
    expect(svc.describe({ stack: 'dev', component: 'app', name: 'S' }).where).toBe(
      'SOPS provider "top" (sops/age) file global/dev.enc.yaml key S',
    );
    expect(errorOf(cs, 'G').message).toContain(
      'a global secret needs one file for every stack, but spec.file names the stack or component',
    );
    expect(errorOf(cs, 'U').message).toBe('secret "U" uses SOPS provider "nope", which is not configured');
    expect(errorOf(cs, 'U').hint).toBe('Configured providers: top.');
  });

  it('validate reports two instances writing one SOPS key unless the template separates them', async () => {
    const atmos = `${ATMOS}    shared:\n      kind: sops/age\n      spec: {file: secrets/all.enc.yaml}\n`;
    const dir = writeWorkspace({
      'atmos.yaml': atmos,
      'stacks/dev.yaml':
        'components:\n  terraform:\n    a:\n      secrets:\n        vars:\n          K: {sops: shared}\n    b:\n      secrets:\n        vars:\n          K: {sops: shared}\n          G: {sops: shared, scope: global}\n    c:\n      secrets:\n        vars:\n          G: {sops: shared, scope: global}\n',
    });
    const { svc } = await memoryService(dir);
    const r = await svc.validate({});
    const collisions = r.issues.filter((i) => i.kind === 'sops-collision');
    expect(collisions).toHaveLength(1);
    expect(collisions[0]?.message).toBe(
      'SOPS provider "shared" would write 2 different secrets to key "K" of secrets/all.enc.yaml: K (dev/a), K (dev/b)',
    );
  });
});

describe('SOPS shared files', () => {
  it('instance secrets of two components in one file are reported unless spec.file names the component', async () => {
    const atmos = `${ATMOS}    one:\n      kind: sops/age\n      spec: {file: 'secrets/{{ .atmos_stack }}.enc.yaml'}\n    per:\n      kind: sops/age\n      spec: {file: 'secrets/{{ .atmos_stack }}-{{ .atmos_component }}.enc.yaml'}\n`;
    const dir = writeWorkspace({
      'atmos.yaml': atmos,
      'stacks/dev.yaml':
        'components:\n  terraform:\n    x:\n      secrets:\n        vars:\n          X: {sops: one}\n          PX: {sops: per}\n    y:\n      secrets:\n        vars:\n          Y: {sops: one}\n          PY: {sops: per}\n',
    });
    const { svc } = await memoryService(dir);
    const r = await svc.validate({});
    expect(r.issues.filter((i) => i.kind === 'sops-collision').map((i) => i.message)).toEqual([
      'SOPS provider "one" puts instance secrets of 2 components in one file secrets/dev.enc.yaml: dev/x, dev/y',
    ]);
  });
});

describe('a component that does not load', () => {
  it('list shows it as one error row and keeps the others; validate reports it', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS,
      'stacks/dev.yaml':
        'components:\n  terraform:\n    good:\n      secrets:\n        vars:\n          G: {store: kc}\n    broken:\n      metadata:\n        inherits: [missing-base]\n',
    });
    const { svc } = await memoryService(dir);
    const rows = await svc.list({});
    expect(rows.map((r) => `${r.component} ${r.secret} ${r.status}`)).toEqual(['broken  error', 'good G missing']);
    expect(rows[0]?.detail).toContain('inherits from "missing-base"');
    const report = await svc.validate({});
    expect(report.issues.some((i) => i.kind === 'config' && i.component === 'broken')).toBe(true);
  });
});

describe('store name collisions', () => {
  it('validate reports two coordinates that map to one backend name (stack_delimiter splitting)', async () => {
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS,
      'stacks/a-b.yaml': 'components:\n  terraform:\n    c:\n      secrets:\n        vars:\n          K: {store: kc}\n',
      'stacks/a.yaml': 'components:\n  terraform:\n    b/c:\n      secrets:\n        vars:\n          K: {store: kc}\n',
    });
    const { svc } = await memoryService(dir);
    const r = await svc.validate({});
    const col = r.issues.filter((i) => i.kind === 'name-collision');
    expect(col.map((i) => i.message)).toEqual([
      'store "kc" maps 2 different secrets to one name "t/a/b/c/K": K (a/b/c), K (a-b/c)',
    ]);
  });
});

describe('coordinates', () => {
  it('maps through the backend naming and refuses a path it cannot hold, before any call', async () => {
    const { svc, cs } = await component(
      '        vars:\n          OK: {store: ssm}\n          "BAD NAME": {store: ssm}\n',
    );
    expect(svc.describe({ stack: 'dev', component: 'app', name: 'OK' }).where).toBe(
      'store "ssm" (aws/ssm) at /app/dev/app/OK',
    );
    const bad = errorOf(cs, 'BAD NAME');
    expect(bad.code).toBe('CONFIG');
    expect(bad.message).toMatch(/^secret "BAD NAME" cannot be stored in store "ssm" \(aws\/ssm\)/);
    const report = await svc.validate({});
    expect(report.issues.some((i) => i.kind === 'unmappable' && i.secret === 'BAD NAME')).toBe(true);
  });

  it('a store whose backend is not in this build fails clearly on use', async () => {
    const { dir } = await component('        vars:\n          OK: {store: ssm}\n');
    // A build without the aws/ssm adapter: a factory table that lacks it.
    const { svc } = await memoryService(dir, { factories: new StoreFactoryTable() });
    await expect(svc.set({ stack: 'dev', component: 'app', name: 'OK', value: 'v' })).rejects.toThrow(
      'store "ssm" uses kind "aws/ssm", whose backend is not available in this build yet',
    );
  });

  it("identity: the store's, else --identity, else the component's default identity, else the default chain", async () => {
    const auth = '      auth:\n        identities:\n          comp-admin: {default: true}\n          other: {}\n';
    const dir = writeWorkspace({
      'atmos.yaml': ATMOS,
      'stacks/dev.yaml': `components:\n  terraform:\n    app:\n${auth}      secrets:\n        vars:\n          A: {store: kc}\n          B: {store: kc-id}\n    bare:\n      secrets:\n        vars:\n          C: {store: kc}\n`,
    });
    const plain = (await memoryService(dir)).svc;
    expect(plain.describe({ stack: 'dev', component: 'app', name: 'A' }).identity).toBe('comp-admin');
    expect(plain.describe({ stack: 'dev', component: 'app', name: 'B' }).identity).toBe('store-identity');
    expect(plain.describe({ stack: 'dev', component: 'bare', name: 'C' }).identity).toBeUndefined();
    const flagged = (await memoryService(dir, { identity: 'flag-id' })).svc;
    expect(flagged.describe({ stack: 'dev', component: 'app', name: 'A' }).identity).toBe('flag-id');
    expect(flagged.describe({ stack: 'dev', component: 'app', name: 'B' }).identity).toBe('store-identity');
  });
});
