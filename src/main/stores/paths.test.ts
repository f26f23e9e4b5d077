// Tests for scope paths: segment splitting per scope, empty segments dropped, malformed coordinates refused.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { coordinateKey, formatScopePath, scopedPath, splitStack, type SecretPath } from './paths';

describe('scopedPath', () => {
  it.each<[string, SecretPath, string, string]>([
    [
      'instance',
      { name: 'K', scope: 'instance', stack: 'plat-ue2-dev', component: 'infra/vpc' },
      '-',
      'p/plat/ue2/dev/infra/vpc/K',
    ],
    ['stack', { name: 'K', scope: 'stack', stack: 'plat-ue2-dev', component: 'ignored' }, '-', 'p/plat/ue2/dev/K'],
    ['global', { name: 'K', scope: 'global', stack: 'ignored', component: 'ignored' }, '-', 'p/K'],
    ['other delimiter', { name: 'K', scope: 'stack', stack: 'plat-ue2_dev' }, '_', 'p/plat-ue2/dev/K'],
    ['no delimiter', { name: 'K', scope: 'stack', stack: 'plat-ue2-dev' }, '', 'p/plat-ue2-dev/K'],
    [
      'empty segments dropped',
      { name: 'K', scope: 'instance', stack: '-a--b-', component: '/c//d/' },
      '-',
      'p/a/b/c/d/K',
    ],
  ])('%s', (_label, path, delimiter, expected) => {
    expect(formatScopePath(scopedPath(path, { prefix: 'p', stackDelimiter: delimiter }))).toBe(expected);
  });

  it.each<[string, SecretPath, RegExp]>([
    ['empty name', { name: ' ', scope: 'global' }, /non-empty name/],
    ['instance without stack', { name: 'K', scope: 'instance', component: 'c' }, /no stack/],
    ['instance without component', { name: 'K', scope: 'instance', stack: 's' }, /no component/],
    ['stack without stack', { name: 'K', scope: 'stack' }, /no stack/],
  ])('refuses %s', (_label, path, message) => {
    expect(() => scopedPath(path, { stackDelimiter: '-' })).toThrow(AppError);
    expect(() => scopedPath(path, { stackDelimiter: '-' })).toThrow(message);
  });

  it('splits stacks', () => {
    expect(splitStack('a-b-c', '-')).toEqual(['a', 'b', 'c']);
  });

  it('identifies a coordinate by what its scope uses', () => {
    const a = coordinateKey({ name: 'K', scope: 'stack', stack: 's', component: 'one' });
    const b = coordinateKey({ name: 'K', scope: 'stack', stack: 's', component: 'two' });
    expect(a).toBe(b);
    expect(coordinateKey({ name: 'K', scope: 'instance', stack: 's', component: 'one' })).not.toBe(
      coordinateKey({ name: 'K', scope: 'instance', stack: 's', component: 'two' }),
    );
  });

  it('never gives two different coordinates one key, whatever characters their parts hold', () => {
    const paths: SecretPath[] = [
      { name: 'K', scope: 'instance', stack: 'a', component: 'b:1:c' },
      { name: 'K', scope: 'instance', stack: 'a:1:b', component: 'c' },
      { name: 'K', scope: 'instance', stack: 'a:', component: ':c' },
      { name: 'c:1:K', scope: 'instance', stack: 'a', component: 'b' },
      { name: 'K', scope: 'instance', stack: 'a', component: 'b', reference: 'op://v/i/f' },
      { name: 'K', scope: 'instance', stack: 'a', component: 'b' },
      { name: 'K', scope: 'stack', stack: 'a' },
      { name: 'K', scope: 'global' },
      { name: '0:K', scope: 'global' },
    ];
    expect(new Set(paths.map(coordinateKey)).size).toBe(paths.length);
  });
});
