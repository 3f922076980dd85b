/**
 * The Markdown preview plugin with plain markdown-it: citations become links to their corpus
 * file, figures carry their verdict mark, everything is HTML-escaped. The last suite runs the
 * server's `sourcemark/previewData` conversion on the seed corpus and renders its answer.
 */
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { documentUriOf, sourcemarkPreviewPlugin, vietnameseLabels } from '../../client/src/previewPlugin';
import type { PreviewData, PreviewFigure } from '../../server/src/protocol';
import { toPreviewData } from '../../server/src/server/previewData';
import { joinLines, seedCorpus, serviceFor } from '../support/memoryWorkspace';

const DOC = 'file:///work/drafts/ukraine.md';

/** A figure of `source` found at its `nth` occurrence of `text` (offsets and line as the server gives them). */
function figure(source: string, text: string, rest: Omit<PreviewFigure, 'start' | 'end' | 'line' | 'text'>, nth = 0): PreviewFigure {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = source.indexOf(text, start + 1);
  assert.ok(start >= 0, `"${text}" in the sample`);
  return { start, end: start + text.length, line: source.slice(0, start).split('\n').length - 1, text, ...rest };
}

const sample = joinLines(
  '# Cam kết 10 năm',
  '',
  'Nhật Bản cam kết 4,5 tỷ USD cho Ukraine [@jp]. Mỹ hứa 5,4 tỷ USD [see -@us, para. 3; @ghost].',
  '',
  'Không rõ nguồn: 99 người. Trong code: `4,5 tỷ USD [@jp]`. Và **4,5** tỷ USD bị tách, rồi 10 năm.',
  '',
  '[Đọc 4,5 tỷ USD ở đây](https://example.com/a) và [@jp](https://example.com/b).',
  '',
  '```',
  '4,5 tỷ USD [@jp]',
  '```',
);

const data: PreviewData = {
  articles: [
    { id: 'jp', title: 'Nhật <b>"ký"</b> & Mỹ', uri: 'file:///work/corpus/jp.txt' },
    { id: 'us', title: "US's pact", uri: 'javascript:alert(1)' },
  ],
  figures: [
    figure(sample, '10 năm', { verdict: 'supported', source: 'thời hạn 10 năm', sourceId: 'jp', sourceUri: 'file:///work/corpus/jp.txt#L3,5' }),
    figure(sample, '4,5 tỷ USD', { verdict: 'supported', source: 'Tokyo sẽ cung cấp <4,5 tỷ USD> & "hơn"', sourceId: 'jp', sourceUri: 'file:///work/corpus/jp.txt#L12,40' }),
    figure(sample, '5,4 tỷ USD', { verdict: 'contradicted', source: 'Washington cam kết 4,5 tỷ USD', sourceId: 'us', sourceUri: 'file:///work/corpus/us.txt#L2,1' }),
    figure(sample, '99 người', { verdict: 'unsupported' }),
    // `**4,5** tỷ USD`: split by emphasis, so not marked; the figure after it still is.
    figure(sample, '4,5** tỷ USD', { verdict: 'unsupported' }),
    figure(sample, '10 năm', { verdict: 'unsupported' }, 1),
    figure(sample, '4,5 tỷ USD', { verdict: 'supported', source: 's', sourceId: 'jp', sourceUri: 'file:///work/corpus/jp.txt#L1,1' }, 2),
  ],
};

function render(src: string, d: PreviewData | undefined, env: Record<string, unknown> = { currentDocument: DOC }): string {
  const md = sourcemarkPreviewPlugin(new MarkdownIt(), { dataFor: (e) => (documentUriOf(e) === DOC ? d : undefined) });
  return md.render(src, env);
}

describe('preview plugin', () => {
  const html = render(sample, data);

  // markdown-it's escapeHtml escapes & < > " (enough inside double-quoted attributes).
  it('links a known citation key to its corpus file with the title as tooltip, escaped', () => {
    assert.ok(html.includes('[<a class="sourcemark-cite" href="file:///work/corpus/jp.txt" title="Nhật &lt;b&gt;&quot;ký&quot;&lt;/b&gt; &amp; Mỹ">@jp</a>]'), html);
  });

  it('keeps prefix, suppress-author mark and locator as text, and marks unknown keys', () => {
    assert.ok(html.includes(`[see -<span class="sourcemark-cite" title="US's pact">@us</span>, para. 3; `), 'unsafe href becomes a span');
    assert.ok(html.includes('<span class="sourcemark-cite sourcemark-unknown" title="Unknown source: ghost">@ghost</span>]'), html);
  });

  it('marks a supported figure with ✓ linking to the source sentence', () => {
    const tip = 'Supported by “Nhật &lt;b&gt;&quot;ký&quot;&lt;/b&gt; &amp; Mỹ”: Tokyo sẽ cung cấp &lt;4,5 tỷ USD&gt; &amp; &quot;hơn&quot;';
    assert.ok(html.includes(`<span class="sourcemark-figure sourcemark-supported" title="${tip}">4,5 tỷ USD</span><a class="sourcemark-mark sourcemark-supported" href="file:///work/corpus/jp.txt#L12,40" title="${tip}">✓</a> cho Ukraine`), html);
  });

  it('marks a contradicted figure with ✗ and an unsupported one with ?', () => {
    assert.match(html, /<span class="sourcemark-figure sourcemark-contradicted" title="Contradicted by “US's pact”: Washington cam kết 4,5 tỷ USD">5,4 tỷ USD<\/span><a class="sourcemark-mark sourcemark-contradicted" href="file:\/\/\/work\/corpus\/us.txt#L2,1"[^>]*>✗<\/a>/);
    assert.ok(html.includes('<span class="sourcemark-figure sourcemark-unsupported" title="No source found for this figure">99 người</span><sup class="sourcemark-mark sourcemark-unsupported" title="No source found for this figure">?</sup>'), html);
  });

  it('marks figures in headings, skips split figures without losing later ones', () => {
    assert.match(html, /<h1>Cam kết <span class="sourcemark-figure sourcemark-supported"[^>]*>10 năm<\/span><a [^>]*>✓<\/a><\/h1>/);
    assert.ok(html.includes('<strong>4,5</strong> tỷ USD bị tách'), 'split figure left alone');
    assert.match(html, /rồi <span class="sourcemark-figure sourcemark-unsupported"[^>]*>10 năm<\/span><sup/);
  });

  it('leaves code alone, and inside links marks figures without nesting anchors', () => {
    assert.ok(html.includes('<code>4,5 tỷ USD [@jp]</code>'), html);
    assert.ok(html.includes('<pre><code>4,5 tỷ USD [@jp]\n</code></pre>'), html);
    assert.match(html, /<a href="https:\/\/example.com\/a">Đọc <span class="sourcemark-figure sourcemark-supported"[^>]*>4,5 tỷ USD<\/span><sup class="sourcemark-mark sourcemark-supported"[^>]*>✓<\/sup> ở đây<\/a>/);
    assert.ok(html.includes('<a href="https://example.com/b">@jp</a>'), 'a link text is no citation');
  });

  it('counts the marks: one per placed figure, one per citation key', () => {
    assert.equal(html.match(/class="sourcemark-figure /g)?.length, 6);
    assert.equal(html.match(/class="sourcemark-cite/g)?.length, 3);
  });

  it('renders plain Markdown when there is no data for the document', () => {
    const plain = new MarkdownIt().render(sample);
    assert.equal(render(sample, undefined), plain);
    assert.equal(render(sample, data, { currentDocument: 'file:///other.md' }), plain);
    assert.equal(render(sample, data, {}), plain);
  });

  it('drops figures whose text is no longer in the block (stale data)', () => {
    const edited = sample.replace('5,4 tỷ USD', '5,5 tỷ USD');
    const out = render(edited, data);
    assert.ok(!out.includes('sourcemark-contradicted'));
    assert.ok(out.includes('5,5 tỷ USD ['));
  });

  it('decorates at render time, so cached tokens follow new data', () => {
    let current: PreviewData | undefined = undefined;
    const md = sourcemarkPreviewPlugin(new MarkdownIt(), { dataFor: () => current });
    const env = { currentDocument: DOC };
    const tokens = md.parse(sample, env);
    const before = md.renderer.render(tokens, md.options, env);
    assert.ok(!before.includes('sourcemark-'));
    current = data;
    assert.equal(md.renderer.render(tokens, md.options, env), html);
    current = undefined;
    assert.equal(md.renderer.render(tokens, md.options, env), before, 'tokens were not mutated');
  });

  it('escapes hostile figure text and sources, and uses the labels given', () => {
    const src = 'Có 10 năm <script>x</script>.';
    const d: PreviewData = { articles: [], figures: [figure(src, '10 năm', { verdict: 'contradicted', source: '"><img src=x onerror=alert(1)>', sourceId: 'zz', sourceUri: 'javascript:alert(1)' })] };
    const md = sourcemarkPreviewPlugin(new MarkdownIt(), { dataFor: () => d, labels: () => vietnameseLabels });
    const out = md.render(src, {});
    assert.ok(!out.includes('<img'), out);
    assert.ok(!out.includes('javascript:'), out);
    assert.ok(out.includes('title="Mâu thuẫn với zz: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'), out);
    assert.ok(out.includes('&lt;script&gt;'), 'markdown-it escapes raw HTML by default');
  });

  it('reads the document URI from the render env', () => {
    assert.equal(documentUriOf({ currentDocument: { toString: () => DOC } }), DOC);
    assert.equal(documentUriOf({ currentDocument: DOC }), DOC);
    assert.equal(documentUriOf({}), undefined);
    assert.equal(documentUriOf(undefined), undefined);
  });
});

describe('preview data from the server, rendered', () => {
  it('marks the seed corpus verdicts of a draft and links its citations', async () => {
    const { service, settings } = await serviceFor(seedCorpus());
    const text = joinLines(
      'Năm 2024, Tokyo sẽ cung cấp cho Kiev 4,5 tỷ USD [@002_bd768a52f42e921c].',
      '',
      'Năm 2024, Tokyo sẽ cung cấp cho Kiev 5,4 tỷ USD [@002_bd768a52f42e921c].',
    );
    const { checked } = service.checkDocument({ uri: DOC, version: 1, getText: () => text }, settings);
    const d = toPreviewData(service.corpus, checked);
    const verdicts = d.figures.map((f) => [f.text, f.verdict, f.line]);
    assert.deepEqual(verdicts.filter(([t]) => String(t).includes('tỷ USD')), [
      ['4,5 tỷ USD', 'supported', 0],
      ['5,4 tỷ USD', 'contradicted', 2],
    ]);
    const article = d.articles.find((a) => a.id === '002_bd768a52f42e921c');
    assert.ok(article && article.title.startsWith('Mỹ, Nhật Bản ký thỏa thuận an ninh 10 năm'));
    for (const f of d.figures.filter((x) => x.verdict !== 'unsupported')) {
      assert.match(f.sourceUri ?? '', /#L\d+,\d+$/);
      assert.ok(f.source && f.source.includes('4,5 tỷ USD'), f.source);
    }
    const html = render(text, d);
    assert.match(html, />4,5 tỷ USD<\/span><a class="sourcemark-mark sourcemark-supported" href="memory:\/\/\/corpus\/002_bd768a52f42e921c.txt#L\d+,\d+"|>4,5 tỷ USD<\/span><sup class="sourcemark-mark sourcemark-supported"/);
    assert.match(html, />5,4 tỷ USD<\/span><(a|sup) class="sourcemark-mark sourcemark-contradicted"[^>]*>✗/);
    assert.equal(html.match(/class="sourcemark-cite"/g)?.length, 2);
  });
});
