import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError } from './go-template';

const data = {
  vars: { tenant: 'acme', stage: 'dev', n: 3, list: ['a', 'b'], m: { y: 2, x: 1 }, empty: '' },
  atmos_stack: 'acme-dev',
};

describe('renderTemplate (Go template subset)', () => {
  it('renders fields, trimming and comments', () => {
    expect(renderTemplate('{{ .vars.tenant }}-{{.vars.stage}}', data)).toBe('acme-dev');
    expect(renderTemplate('a  {{- .vars.stage -}}  b{{/* note */}}', data)).toBe('adevb');
    expect(renderTemplate('plain', data)).toBe('plain');
  });

  it('supports pipelines, functions and literals', () => {
    expect(renderTemplate('{{ .vars.empty | default "x" }}', data)).toBe('x');
    expect(renderTemplate('{{ printf "%s-%d" .vars.tenant .vars.n }}', data)).toBe('acme-3');
    expect(renderTemplate('{{ upper .vars.tenant | quote }}', data)).toBe('"ACME"');
    expect(renderTemplate('{{ toJson .vars.m }}', data)).toBe('{"y":2,"x":1}');
    expect(renderTemplate('{{ join "," .vars.list }}', data)).toBe('a,b');
    expect(renderTemplate('{{ env "HOME" }}', data, { env: { HOME: '/h' } })).toBe('/h');
    expect(renderTemplate('{{ (index .vars.list 1) }}', data)).toBe('b');
  });

  it('supports if/else if/else, with, range and variables', () => {
    expect(
      renderTemplate('{{ if eq .vars.stage "prod" }}P{{ else if eq .vars.stage "dev" }}D{{ else }}O{{ end }}', data),
    ).toBe('D');
    expect(renderTemplate('{{ with .vars.m }}{{ .x }}{{ end }}', data)).toBe('1');
    expect(renderTemplate('{{ range $k, $v := .vars.m }}{{ $k }}={{ $v }};{{ end }}', data)).toBe('x=1;y=2;');
    expect(renderTemplate('{{ $t := .vars.tenant }}{{ $t }}', data)).toBe('acme');
  });

  it('missing keys: error by default, empty or <no value> on request', () => {
    expect(() => renderTemplate('{{ .vars.nope }}', data)).toThrow(TemplateError);
    expect(renderTemplate('a{{ .vars.nope }}b', data, { missingKey: 'empty' })).toBe('ab');
    expect(renderTemplate('{{ .vars.nope }}', data, { missingKey: 'no-value' })).toBe('<no value>');
  });

  it('refuses unsupported constructs and unknown functions', () => {
    expect(() => renderTemplate('{{ define "x" }}{{ end }}', data)).toThrow(/not supported/);
    expect(() => renderTemplate('{{ nosuch 1 }}', data)).toThrow(/not defined/);
    expect(() => renderTemplate('{{ .vars.x', data)).toThrow(/unclosed/);
  });
});
