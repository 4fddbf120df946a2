import { describe, expect, it } from 'vitest';
import { codeSpan, escapeHtml, escapeMarkdown, fencedBlock, fenceFor } from '../../src/render/markdown-escape.js';

describe('escapeMarkdown: every hostile construct renders as its literal text', () => {
  it('leaves plain words, SIDs, names, other scripts and emoji alone', () => {
    for (const text of ['orders-webhook', 'DG0123456789abcdefABCDEF0123456789', 'webhook, active: done (DG1)', 'café 日本語 🚀', '']) {
      expect(escapeMarkdown(text)).toBe(text);
    }
  });

  it('HTML tags, comments and entities: < > & " become entities, so nothing is parsed as HTML', () => {
    expect(escapeMarkdown('<img src=x onerror="alert(1)">')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(escapeMarkdown('<!-- sinkops:sticky -->')).toBe('&lt;!-- sinkops:sticky --&gt;');
    // An entity in the value shows as typed (its `#` followed by a digit also gets the reference break).
    expect(escapeMarkdown('&lt; &#64; &amp;')).toBe('&amp;lt; &amp;&#35;&#8203;64; &amp;amp;');
    expect(escapeMarkdown('<https://evil.example>')).toBe('&lt;https://evil.example&gt;');
  });

  it('a pipe cannot split a table cell and a backtick cannot open a code span', () => {
    expect(escapeMarkdown('a | b')).toBe('a &#124; b');
    expect(escapeMarkdown('`x` ```')).toBe('&#96;x&#96; &#96;&#96;&#96;');
  });

  it('links, images, footnotes, emphasis, strike-through and math are escaped', () => {
    expect(escapeMarkdown('[x](http://evil)')).toBe('\\[x\\](http://evil)');
    expect(escapeMarkdown('![i](http://evil/i.png)')).toBe('!\\[i\\](http://evil/i.png)');
    expect(escapeMarkdown('[^1] [ref]: http://evil')).toBe('\\[^1\\] \\[ref\\]: http://evil');
    expect(escapeMarkdown('*b* **s** _i_ ~~d~~')).toBe('\\*b\\* \\*\\*s\\*\\* \\_i\\_ \\~\\~d\\~\\~');
    expect(escapeMarkdown('$x^2$ $$y$$')).toBe('\\$x^2\\$ \\$\\$y\\$\\$');
    expect(escapeMarkdown('a\\b')).toBe('a\\\\b');
  });

  it('mentions and issue references are not linked', () => {
    expect(escapeMarkdown('@admins @org/team')).toBe('&#64;&#8203;admins &#64;&#8203;org/team');
    // GitHub links references on the decoded text, so a zero-width space breaks them.
    expect(escapeMarkdown('#123 owner/repo#4 GH-42 gh-7')).toBe('&#35;&#8203;123 owner/repo&#35;&#8203;4 GH-&#8203;42 gh-&#8203;7');
    expect(escapeMarkdown('# heading, C# x')).toBe('&#35; heading, C&#35; x');
  });

  it('stays one line, and cannot open a block at the start of a line', () => {
    expect(escapeMarkdown('a\nb\r\nc\rd')).toBe('a b c d');
    expect(escapeMarkdown('# title')).toBe('&#35; title');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('---')).toBe('\\---');
    expect(escapeMarkdown('===')).toBe('\\===');
    expect(escapeMarkdown('1. one')).toBe('1\\. one');
    expect(escapeMarkdown('12) twelve')).toBe('12\\) twelve');
    expect(escapeMarkdown('    indented code')).toBe('&#32;   indented code');
    // The line now starts with an entity, not a marker: a plain paragraph.
    expect(escapeMarkdown('\n- after a newline')).toBe('&#32;- after a newline');
    // Inside a line the same characters are plain text.
    expect(escapeMarkdown('a - b + c = d 1. e')).toBe('a - b + c = d 1. e');
  });

  it('shows control, bidi and invisible characters as visible escapes (their backslash escaped)', () => {
    expect(escapeMarkdown('a\u001b[31mb')).toBe('a\\\\u001b\\[31mb');
    expect(escapeMarkdown('x\u202ey\u2066z\u2069')).toBe('x\\\\u202ey\\\\u2066z\\\\u2069');
    expect(escapeMarkdown('zero\u200bwidth\ufeff\u2028\u0085\u007f\tt')).toBe('zero\\\\u200bwidth\\\\ufeff\\\\u2028\\\\u0085\\\\u007f\\\\tt');
  });
});

describe('codeSpan', () => {
  it('puts a value that means nothing inside code in backticks, as typed', () => {
    expect(codeSpan('DG0123456789abcdef0123456789abcdef')).toBe('`DG0123456789abcdef0123456789abcdef`');
    expect(codeSpan('sink_configuration.destination')).toBe('`sink_configuration.destination`');
    // Inside code, markup, mentions and entities are not read: they need no escaping.
    expect(codeSpan('<b>@x #1 *y* &amp;')).toBe('`<b>@x #1 *y* &amp;`');
  });

  it('shows controls and bidi characters inside the span as escapes', () => {
    expect(codeSpan('DG\u202e1\u001b[2J\n')).toBe('`DG\\u202e1\\u001b[2J\\n`');
  });

  it('falls back to escaped plain text for a value holding a backtick or a pipe', () => {
    expect(codeSpan('a`b')).toBe('a&#96;b');
    expect(codeSpan('x | y')).toBe('x &#124; y');
    expect(codeSpan('`` <i>')).toBe('&#96;&#96; &lt;i&gt;');
  });

  it('gives nothing for an empty value (two backticks would show as text)', () => {
    expect(codeSpan('')).toBe('');
  });
});

describe('escapeHtml', () => {
  it('escapes what HTML reads, shows controls, and adds no backslashes (not read inside HTML)', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
    expect(escapeHtml('a_b*c')).toBe('a_b*c');
    expect(escapeHtml('n\u202e\u001b\n')).toBe('n\\u202e\\u001b\\n');
  });
});

describe('fencedBlock', () => {
  it('cannot be closed from inside, and shows the invisible characters of each line', () => {
    const block = fencedBlock('diff', ['- a: "````"', '+ b: "\u202eevil\u001b[2J"', '+ c\nd']);
    expect(block).toBe('`````diff\n- a: "````"\n+ b: "\\u202eevil\\u001b[2J"\n+ c\\nd\n`````\n');
    expect(fenceFor('no ticks')).toBe('```');
  });

  it('keeps HTML and Markdown literal (a code block is shown verbatim)', () => {
    expect(fencedBlock('', ['<img src=x> @admins #1'])).toBe('```\n<img src=x> @admins #1\n```\n');
  });
});
