import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atmosYaml, makeTree, TEST_ENV } from '../../../test/support/fixtures/config/tree';
import { AppError } from '../../shared/errors';
import { loadWorkspace } from './index';

const STORES = 'stores:\n  vault: {kind: keychain}\n';

async function estate() {
  const root = makeTree({
    'atmos.yaml': `${atmosYaml()}${STORES}`,
    // A catalog default (stack-level) imported by the stack.
    'stacks/catalog/defaults.yaml': [
      'secrets:', //                                  1
      '  vars:', //                                   2
      '    SHARED: {store: vault, description: cat}', // 3
      '',
    ].join('\n'),
    // An abstract base component.
    'stacks/catalog/base.yaml': [
      'components:', //                               1
      '  terraform:', //                              2
      '    base:', //                                 3
      '      metadata: {type: abstract}', //          4
      '      secrets:', //                            5
      '        vars:', //                             6
      '          DB:', //                             7
      '            store: vault', //                  8
      '            description: from base', //       9
      '            required: true', //                10
      '',
    ].join('\n'),
    'stacks/catalog/api-vars.yaml': ['# included', 'TOKEN: {store: vault}', ''].join('\n'),
    'stacks/dev.yaml': [
      'import: [catalog/defaults, catalog/base]', //  1
      'components:', //                               2
      '  terraform:', //                              3
      '    api:', //                                  4
      '      metadata: {inherits: [base]}', //        5
      '      secrets:', //                            6
      '        vars:', //                             7
      '          DB: {description: from api}', //     8
      '    web:', //                                  9
      '      secrets:', //                            10
      '        vars: !include ./catalog/api-vars.yaml', // 11
      'overrides:', //                                12
      '  secrets:', //                                13
      '    vars:', //                                 14
      '      DB: {required: false}', //               15
      '',
    ].join('\n'),
  });
  return { root, ws: await loadWorkspace({ configPath: root, env: TEST_ENV }) };
}

describe('declarationSources', () => {
  it('lists every contribution in merge order (base, component, overrides) with file, line, key path and winner', async () => {
    const { root, ws } = await estate();
    const src = ws.declarationSources('dev', 'api', 'DB');
    expect(src.map((s) => [s.file, s.line, s.keyPath.join('.'), s.role.kind, s.winner])).toEqual([
      [join(root, 'stacks/catalog/base.yaml'), 7, 'components.terraform.base.secrets.vars.DB', 'base', false],
      [join(root, 'stacks/dev.yaml'), 8, 'components.terraform.api.secrets.vars.DB', 'component', false],
      [join(root, 'stacks/dev.yaml'), 15, 'overrides.secrets.vars.DB', 'overrides', true],
    ]);
    expect(src[0]?.role).toEqual({ kind: 'base', component: 'base' });
    expect(src[0]?.fields).toEqual([
      { name: 'store', line: 8 },
      { name: 'description', line: 9 },
      { name: 'required', line: 10 },
    ]);
    // Each field is won by the last entry that sets it.
    expect(src.map((s) => s.wins)).toEqual([['store'], ['description'], ['required']]);
    // The merged declaration keeps the winner's location.
    const decl = ws.componentConfig('dev', 'api').secretDeclarations['DB'];
    expect(decl?.location).toEqual({ file: src[2]?.file, line: src[2]?.line });
  });

  it('names an imported catalog default as a stack-level contribution', async () => {
    const { root, ws } = await estate();
    const src = ws.declarationSources('dev', 'api', 'SHARED');
    expect(src).toHaveLength(1);
    expect(src[0]).toMatchObject({
      file: join(root, 'stacks/catalog/defaults.yaml'),
      layerFile: join(root, 'stacks/catalog/defaults.yaml'),
      line: 3,
      keyPath: ['secrets', 'vars', 'SHARED'],
      position: 'stack',
      role: { kind: 'stack' },
      winner: true,
      wins: ['store', 'description'],
    });
  });

  it('follows a vars !include to the included file and line, naming the manifest it came through', async () => {
    const { root, ws } = await estate();
    const src = ws.declarationSources('dev', 'web', 'TOKEN');
    expect(src).toHaveLength(1);
    expect(src[0]).toMatchObject({
      file: join(root, 'stacks/catalog/api-vars.yaml'),
      layerFile: join(root, 'stacks/dev.yaml'),
      line: 2,
      keyPath: ['TOKEN'],
      position: 'instance',
      role: { kind: 'component' },
    });
  });

  it('names <type>.secrets, <type>.overrides and a whole secrets block brought in by !include', async () => {
    const root = makeTree({
      'atmos.yaml': `${atmosYaml()}${STORES}`,
      'stacks/catalog/block.yaml': ['vars:', '  INC: {store: vault}', ''].join('\n'),
      'stacks/prod.yaml': [
        'terraform:', //                                   1
        '  secrets:', //                                   2
        '    vars:', //                                    3
        '      T: {store: vault, description: typed}', //  4
        '  overrides:', //                                 5
        '    secrets:', //                                 6
        '      vars:', //                                  7
        '        T: {required: true}', //                  8
        'components:', //                                  9
        '  terraform:', //                                 10
        '    app:', //                                     11
        '      secrets: !include ./catalog/block.yaml', // 12
        '',
      ].join('\n'),
    });
    const ws = await loadWorkspace({ configPath: root, env: TEST_ENV });
    const t = ws.declarationSources('prod', 'app', 'T');
    expect(t.map((s) => [s.line, s.keyPath.join('.'), s.role.kind, s.position, s.wins])).toEqual([
      [4, 'terraform.secrets.vars.T', 'stack', 'stack', ['store', 'description']],
      [8, 'terraform.overrides.secrets.vars.T', 'overrides', 'instance', ['required']],
    ]);
    const inc = ws.declarationSources('prod', 'app', 'INC');
    expect(inc).toHaveLength(1);
    expect(inc[0]).toMatchObject({
      file: join(root, 'stacks/catalog/block.yaml'),
      layerFile: join(root, 'stacks/prod.yaml'),
      line: 2,
      keyPath: ['vars', 'INC'],
      role: { kind: 'component' },
    });
  });

  it('is empty for an undeclared name and NOT_FOUND for an unknown component', async () => {
    const { ws } = await estate();
    expect(ws.declarationSources('dev', 'api', 'NOPE')).toEqual([]);
    expect(() => ws.declarationSources('dev', 'ghost', 'DB')).toThrow(AppError);
  });
});
