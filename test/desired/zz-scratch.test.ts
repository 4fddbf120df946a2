import { test } from 'vitest';
import { parseDocuments } from '../../src/desired/parse-documents.js';
test('s', () => {
  const M = 1024 * 1024 - 10;
  const gens: Record<string, string> = {
    tags: '!t '.repeat(M / 3), anchors: '&a '.repeat(M / 3), keys: 'a: '.repeat(M / 3), seqflow: '- ['.repeat(M / 3),
    flow: '['.repeat(M), dash: '- '.repeat(M / 2), hide: '[ "]" '.repeat(M / 6), lines: 'a: 1\n'.repeat(M / 5), str: 'a: "' + 'x'.repeat(M - 10) + '"\n',
    many: Array.from({ length: M / 12 }, (_, i) => `k${i}: v\n`).join(''), bigmap: 'a:\n' + Array.from({ length: 30000 }, (_, i) => `  k${i}: *x\n`).join(''),
    plainbrackets: 'description: ' + '[x] '.repeat(M/5),
  };
  for (const [k, src] of Object.entries(gens)) {
    const t = performance.now();
    const r = parseDocuments(src, 'f');
    console.log(k, src.length, Math.round(performance.now() - t), 'ms', r.diagnostics.length, r.diagnostics[0]?.message.slice(0, 80));
  }
});
