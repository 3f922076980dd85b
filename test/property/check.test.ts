/**
 * Property tests of the checker over the seed corpus: hostile drafts never throw, every figure
 * and diagnostic range lies inside the draft, related information lands inside the source
 * file, and the cached per-document check agrees with a fresh one. Also: corpus files with
 * hostile content are parsed without throwing and with spans inside their text.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseArticleFile } from '../../server/src/core/corpus/parseArticle';
import { findEntities } from '../../server/src/core/entities/entities';
import type { Diagnostic } from '../../server/src/core/check/diagnostics';
import type { SourcemarkService } from '../../server/src/core/service';
import type { SourcemarkSettings } from '../../server/src/core/settings';
import type { Range } from '../../server/src/core/types';
import { seedCorpus, serviceFor } from '../support/memoryWorkspace';
import { anyUnicode, anyUtf16, hostileText, markdownDraft, params, vietnameseish } from './arbitraries';
import { assertQuantities } from './assertions';

/** Lengths of the lines of `text` (content only, without the break). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function assertRangeIn(r: Range, lines: number[], what: string): void {
  for (const p of [r.start, r.end]) {
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lines.length, `${what}: line ${p.line} of ${lines.length}`);
    assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= lines[p.line]!, `${what}: character ${p.character} of ${lines[p.line]}`);
  }
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: start <= end`);
}

describe('property: checker over the seed corpus', function () {
  this.timeout(120_000);
  const corpusFiles = seedCorpus();
  let service: SourcemarkService;
  let settings: SourcemarkSettings;
  before(async () => {
    ({ service, settings } = await serviceFor(corpusFiles));
    assert.ok(service.stats().articles > 0);
  });

  function assertDiagnostics(text: string, diagnostics: Diagnostic[]): void {
    const lines = lineLengths(text);
    for (const d of diagnostics) {
      assertRangeIn(d.range, lines, `${d.code} diagnostic`);
      for (const r of d.relatedInformation ?? []) {
        const file = corpusFiles[r.location.uri.replace('memory:///', '')];
        assert.ok(file !== undefined, `related information points at a corpus file: ${r.location.uri}`);
        assertRangeIn(r.location.range, lineLengths(file), 'related information');
      }
    }
  }

  function checkText(text: string): void {
    const { check, diagnostics } = service.checkDraft(text, settings);
    for (const f of check.figures) {
      assert.ok(f.figure.start >= f.sentence.start && f.figure.end <= f.sentence.end && f.sentence.end <= text.length, 'figure inside its sentence inside the draft');
      assert.equal(f.figure.text, text.slice(f.figure.start, f.figure.end), 'figure text is the draft slice');
      for (const c of f.citations) assert.equal(text.slice(c.start, c.end), c.key);
    }
    assertQuantities(text, check.figures.map((f) => f.figure));
    assertDiagnostics(text, diagnostics);
  }

  it('hostile drafts: no throw, figures and diagnostic ranges inside the draft (arbitrary text)', () => {
    fc.assert(fc.property(fc.oneof(anyUtf16(300), anyUnicode(300), hostileText(80)), (t) => checkText(t)), params(150));
  });

  it('hostile drafts: no throw, figures and diagnostic ranges inside the draft (Markdown with figures and citations)', () => {
    const withFigures = fc.tuple(markdownDraft(8), fc.array(fc.constantFrom('Nhật Bản cung cấp cho Ukraine 4,5 tỷ USD [@001_480f489f3fef32bb].', 'Dân số Luxembourg khoảng 672.000 người.', 'Viện trợ hơn 250 triệu euro.', 'Ngày 13/6/2024, hai nước ký thoả thuận 10 năm.'), { maxLength: 3 })).map(
      ([md, figs]) => `${figs.join('\r\n')}\n\n${md}`,
    );
    fc.assert(fc.property(withFigures, (t) => checkText(t)), params(150));
  });

  it('checkDocument after a series of edits gives the diagnostics of a fresh check', () => {
    const edit = fc.tuple(fc.nat(), fc.nat(20), fc.oneof(vietnameseish(8), fc.constantFrom('\n\n', '4,5 tỷ USD', '[@nope]', '```\n', '\r', '')));
    let n = 0;
    fc.assert(
      fc.property(markdownDraft(6), fc.array(edit, { minLength: 1, maxLength: 4 }), (initial, edits) => {
        const uri = `memory:///draft-${n++}.md`;
        let text = initial;
        for (const [at, del, insert] of [[0, 0, ''] as [number, number, string], ...edits]) {
          const p = text.length ? at % (text.length + 1) : 0;
          text = text.slice(0, p) + insert + text.slice(p + del);
          const current = text;
          const cached = service.checkDocument({ uri, getText: () => current } as Parameters<SourcemarkService['checkDocument']>[0], settings);
          assertDiagnostics(text, cached.diagnostics);
          assert.deepEqual(cached.diagnostics, service.checkDraft(text, settings).diagnostics);
        }
        service.forgetDocument(uri);
      }),
      params(60),
    );
  });
});

describe('property: corpus files with hostile content', () => {
  const content = fc.oneof(
    hostileText(80),
    anyUtf16(300),
    markdownDraft(6),
    fc.array(fc.oneof(fc.json(), hostileText(10), fc.constantFrom('{"id":"a","text":"5 USD"}', '{', '{"text":', '{"text":"\\ud800"}', '[]', 'null')), { maxLength: 6 }).map((ls) => ls.join('\n')),
  );
  const ext = fc.constantFrom('txt', 'md', 'markdown', 'jsonl');

  it('parseArticleFile never throws; paragraphs and removed spans lie inside the article text', () => {
    fc.assert(
      fc.property(content, ext, (text, e) => {
        const { articles, problems } = parseArticleFile(`dir/bài ${e}.${e}`, text);
        for (const p of problems) assert.equal(typeof p.message, 'string');
        for (const a of articles) {
          assert.equal(typeof a.meta.id, 'string');
          let prev = 0;
          for (const s of a.paragraphs) {
            assert.ok(s.start >= prev && s.start <= s.end && s.end <= a.text.length, `paragraph [${s.start}, ${s.end}) of ${a.text.length}`);
            prev = s.end;
          }
          for (const r of a.removed) assert.ok(r.span.start >= 0 && r.span.start <= r.span.end && r.span.end <= a.text.length, `removed ${r.reason} inside`);
        }
      }),
      params(400),
    );
  });

  it('findEntities: mentions inside the text, in order, disjoint', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText(60), anyUtf16(200)), (t) => {
        let prev = 0;
        for (const m of findEntities(t)) {
          assert.ok(m.start >= prev && m.start < m.end && m.end <= t.length, `mention ${m.id} [${m.start}, ${m.end})`);
          prev = m.end;
        }
      }),
      params(500),
    );
  });

  it('indexing hostile corpus files never throws and reports each bad file by name', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(content, ext), { minLength: 1, maxLength: 4 }), async (files) => {
        const input: Record<string, string | Uint8Array> = {};
        files.forEach(([text, e], i) => (input[`corpus/f${i}.${e}`] = text));
        input['corpus/binary.txt'] = new Uint8Array([0, 1, 2, 0xff, 0xfe, 0, 0]);
        const { service, settings } = await serviceFor(input);
        const problems = await service.indexCorpus(settings);
        for (const p of problems) assert.ok(p.file.length > 0 && p.message.length > 0);
        const { diagnostics } = service.checkDraft('Giá 5 triệu USD [@f0].', settings);
        assertRangeIn(diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [22], 'diagnostic');
      }),
      params(40),
    );
  });
});
