import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/desired/model.js';
import {
  diagnosticsAsWorkflowCommands,
  escapeData,
  escapeProperty,
  formatAnnotation,
} from '../../src/github/annotations.js';

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in messages', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeProperty('dir:with,odd%name\n')).toBe('dir%3Awith%2Codd%25name%0A');
  });

  it('formats an annotation with and without properties', () => {
    expect(formatAnnotation({ level: 'error', file: 'sinks/a,b:c.yaml', line: 3, col: 7, message: 'bad\nvalue: 50%' })).toBe(
      '::error file=sinks/a%2Cb%3Ac.yaml,line=3,col=7::bad%0Avalue: 50%25',
    );
    expect(formatAnnotation({ level: 'notice', message: 'hello', title: 'T: 1' })).toBe('::notice title=T%3A 1::hello');
    expect(formatAnnotation({ level: 'warning', message: 'plain' })).toBe('::warning::plain');
  });
});

describe('diagnosticsAsWorkflowCommands', () => {
  const diag = (severity: Diagnostic['severity'], i: number): Diagnostic => ({
    severity,
    code: 'SCHEMA',
    file: `f${i}.yaml`,
    line: i,
    column: 1,
    message: `problem ${i}`,
  });

  it('limits errors and warnings separately and counts the rest', () => {
    const input = [
      ...Array.from({ length: 4 }, (_, i) => diag('error', i)),
      ...Array.from({ length: 3 }, (_, i) => diag('warning', 10 + i)),
    ];
    expect(diagnosticsAsWorkflowCommands(input, 2)).toEqual([
      '::error file=f0.yaml,line=0,col=1::problem 0',
      '::error file=f1.yaml,line=1,col=1::problem 1',
      'f2.yaml:2:1: error: problem 2',
      'f3.yaml:3:1: error: problem 3',
      '::warning file=f10.yaml,line=10,col=1::problem 10',
      '::warning file=f11.yaml,line=11,col=1::problem 11',
      'f12.yaml:12:1: warning: problem 12',
      '2 more errors not shown as annotations (GitHub shows at most 2 error annotations per step); see the lines above',
      '1 more warning not shown as annotations (GitHub shows at most 2 warning annotations per step); see the lines above',
    ]);
  });

  it('annotates everything when under the limit', () => {
    expect(diagnosticsAsWorkflowCommands([diag('error', 1)])).toEqual(['::error file=f1.yaml,line=1,col=1::problem 1']);
  });
});
