/**
 * Agreement records from the text: who agreed with whom, when and where it was signed, for
 * how long, for how much, and which sentences say so. The same agreement reported by several
 * articles (same parties, same kind) becomes one record with several sources.
 *
 * Heuristics, stated plainly:
 * - an agreement sentence names an agreement noun (thỏa thuận, hiệp ước, hiệp định,
 *   agreement, treaty, pact, compact, accord) in the singular; plural generic mentions
 *   ("các thỏa thuận", "khoảng 20 hiệp ước") describe many agreements and are skipped;
 * - parties are the countries and organisations named in it, except a place ("tại Mỹ",
 *   "ở miền Nam Italy", "in Italy") and a comparison ("kiểu Israel", "như Điều 5");
 * - "X và Y ký … với Z" is two bilateral agreements, X–Z and Y–Z;
 * - a sentence that names one party or none but begins with the agreement noun continues the
 *   previous agreement of the same article ("Thoả thuận được ký bởi …").
 */
import type { DateParts, Quantity } from '../types';
import type { Corpus, IndexedArticle, IndexedSentence } from '../corpus/corpus';
import { findEntities, entityLabel, isOrganisation, type EntityMention } from '../entities/entities';
import { foldKey } from '../text/normalize';

export interface AgreementSource {
  articleId: string;
  uri: string;
  sentenceIndex: number;
  start: number;
  end: number;
  text: string;
}

export interface AgreementFigure {
  quantity: Quantity;
  articleId: string;
  sentenceIndex: number;
}

export interface AgreementRecord {
  /** Stable key: sorted party ids and kind, e.g. `LU+UA:security`. */
  key: string;
  kind: string;
  /** Entity ids, sorted. */
  parties: string[];
  /** "Ukraine – Luxembourg" (in the requested locale). */
  label: string;
  status: 'signed' | 'negotiating' | 'mentioned';
  signed?: { date: DateParts; text: string; articleId: string };
  place?: string;
  term?: AgreementFigure;
  amounts: AgreementFigure[];
  sources: AgreementSource[];
}

const NOUN = /\b(thoa thuan|hiep uoc|hiep dinh|agreements?|treaty|treaties|pacts?|compacts?|accords?)\b/;
const PLURAL_BEFORE = /(cac|nhung|mot so|mot loat|hang loat|\d+|hon|khoang|nhieu)\s+$/;
const SIGN = /\b(ky|ky ket|signed|sign|signing)\b/;
const NEGOTIATE = /\b(dam phan|thao luan|negotiat\w*|discuss\w*|du kien|se duoc ky|se ky)\b/;
const KINDS: [RegExp, string][] = [
  [/an ninh|security/, 'security'],
  [/quoc phong|quan su|defen[cs]e|military/, 'defence'],
  [/thuong mai|trade|kinh te|economic/, 'trade'],
  [/hop tac|cooperation/, 'cooperation'],
];

/** Index terms (folded syllables) of the agreement nouns: a sentence must hold one group whole to be read. */
const NOUN_TERMS = [['thoa', 'thuan'], ['hiep', 'uoc'], ['hiep', 'dinh'], ['agreement'], ['agreements'], ['treaty'], ['treaties'], ['pact'], ['pacts'], ['compact'], ['compacts'], ['accord'], ['accords']];

/** An agreement sentence of one article, and the records (by key) it speaks of. */
export interface Mention {
  sentence: IndexedSentence;
  folded: string;
  /** New records this sentence names; empty when it continues the previous ones. */
  targets: { key: string; kind: string; parties: string[] }[];
  continues: boolean;
}

/** The sentences `extractAgreements` reads: those naming an agreement ("thỏa thuận", "treaty"…), as index documents. */
export function agreementCandidates(corpus: Corpus): number[] {
  return NOUN_TERMS.flatMap((words) => corpus.index.docsWithAll(words.map(foldKey)));
}

/** Candidate sentences (made here when they are not yet) by article. */
export function candidatesByArticle(corpus: Corpus, docs: readonly number[]): Map<IndexedArticle, IndexedSentence[]> {
  const candidates = new Map<IndexedArticle, IndexedSentence[]>();
  for (const doc of docs) {
    const s = corpus.sentence(doc);
    if (!s) continue;
    let list = candidates.get(s.article);
    if (!list) candidates.set(s.article, (list = []));
    list.push(s);
  }
  return candidates;
}

/** What an article's candidate sentences say of agreements, kept with the article. */
export function articleMentions(article: IndexedArticle, sentences: IndexedSentence[]): Mention[] {
  let mentions = article.memo.get('agreements') as Mention[] | undefined;
  if (!mentions) article.memo.set('agreements', (mentions = mentionsOf(sentences)));
  return mentions;
}

/**
 * Extracts and merges agreement records from every article of the corpus. Only sentences
 * the index says hold an agreement noun are read (`docs`, when the caller has them), and
 * what each article says is kept with the article, so a changed file costs its own
 * sentences, not the whole archive's.
 */
export function extractAgreements(corpus: Corpus, locale: 'vi' | 'en' = 'vi', docs: readonly number[] = agreementCandidates(corpus)): AgreementRecord[] {
  const candidates = candidatesByArticle(corpus, docs);
  const records = new Map<string, AgreementRecord>();
  // In corpus order, which is the order of the articles' documents (an article gets its
  // documents when added, after all before it): the other articles are not made.
  for (const [article, sentences] of [...candidates].sort((a, b) => a[0].docBase - b[0].docBase)) {
    const mentions = articleMentions(article, sentences);
    let previous: AgreementRecord[] = [];
    for (const m of mentions) {
      const targets = m.continues
        ? previous
        : m.targets.map(({ key, kind, parties }) => {
            let r = records.get(key);
            if (!r) {
              r = { key, kind, parties, label: parties.map((p) => entityLabel(p, locale)).join(' – '), status: 'mentioned', amounts: [], sources: [] };
              records.set(key, r);
            }
            return r;
          });
      if (!targets.length) continue;
      for (const r of targets) addSentence(r, m.sentence, m.folded);
      previous = targets;
    }
  }
  return mergeGeneric([...records.values()]).sort((a, b) => b.sources.length - a.sources.length || a.key.localeCompare(b.key));
}

/** The agreement sentences of one article, in order, with the records each names or continues. */
function mentionsOf(candidates: IndexedSentence[]): Mention[] {
  const sentences = [...new Set(candidates)].sort((a, b) => a.index - b.index);
  const out: Mention[] = [];
  let hasPrevious = false;
  for (const s of sentences) {
    const folded = foldKey(s.text);
    const noun = singularNoun(folded);
    if (!noun) continue;
    const demonstrative = /^\s*(nay|do|tren|nói tren|this|that)\b/.test(folded.slice(noun.index + noun.length, noun.index + noun.length + 12));
    const pairs = demonstrative && hasPrevious ? [] : partiesOf(s.text, folded);
    if (pairs.length) {
      const kind = kindOf(folded.slice(noun.index + noun.length, noun.index + noun.length + 30));
      out.push({ sentence: s, folded, continues: false, targets: pairs.map((parties) => ({ key: `${parties.join('+')}:${kind}`, kind, parties })) });
      hasPrevious = true;
    } else if ((noun.index < 3 || demonstrative) && hasPrevious) {
      out.push({ sentence: s, folded, continues: true, targets: [] });
    }
  }
  return out;
}

/** "Thoả thuận được ký…" (no kind) joins the one specific agreement of the same parties. */
function mergeGeneric(records: AgreementRecord[]): AgreementRecord[] {
  const out: AgreementRecord[] = [];
  for (const r of records) {
    if (r.kind !== 'agreement' && r.kind !== 'cooperation') continue;
    const specific = records.filter((o) => o !== r && o.kind !== 'agreement' && o.kind !== 'cooperation' && o.parties.join() === r.parties.join());
    if (specific.length !== 1) continue;
    const target = specific[0]!;
    for (const src of r.sources) if (!target.sources.some((x) => x.articleId === src.articleId && x.sentenceIndex === src.sentenceIndex)) target.sources.push(src);
    if (r.status === 'signed' || (r.status === 'negotiating' && target.status === 'mentioned')) target.status = r.status;
    target.signed ??= r.signed;
    target.term ??= r.term;
    target.place ??= r.place;
    for (const a of r.amounts) if (!target.amounts.some((x) => x.quantity.text === a.quantity.text)) target.amounts.push(a);
    r.sources = [];
  }
  for (const r of records) if (r.sources.length) out.push(r);
  for (const r of out) r.sources.sort((a, b) => a.articleId.localeCompare(b.articleId) || a.sentenceIndex - b.sentenceIndex);
  return out;
}

/** The first agreement noun not in a plural, generic phrase ("các thỏa thuận", "khoảng 20 hiệp ước"). */
function singularNoun(folded: string): { index: number; length: number } | undefined {
  const re = new RegExp(NOUN.source, 'g');
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    if (!PLURAL_BEFORE.test(folded.slice(Math.max(0, m.index - 20), m.index))) return { index: m.index, length: m[0].length };
  }
  return undefined;
}

function addSentence(r: AgreementRecord, s: IndexedSentence, folded: string): void {
  const articleId = s.article.meta.id;
  if (!r.sources.some((x) => x.articleId === articleId && x.sentenceIndex === s.index)) {
    r.sources.push({ articleId, uri: s.article.uri, sentenceIndex: s.index, start: s.start, end: s.end, text: s.text });
  }
  const signed = SIGN.test(folded) && !NEGOTIATE.test(folded);
  if (signed) r.status = 'signed';
  else if (r.status === 'mentioned' && NEGOTIATE.test(folded)) r.status = 'negotiating';
  for (const q of s.quantities) {
    const figure = { quantity: q, articleId, sentenceIndex: s.index };
    if (q.dimension === 'date' && signed && !r.signed && q.date) r.signed = { date: q.date, text: q.text, articleId };
    else if (q.dimension === 'duration' && q.unit === 'year' && !r.term) r.term = figure;
    else if (q.dimension === 'money' && !r.amounts.some((a) => a.quantity.text === q.text)) r.amounts.push(figure);
  }
  if (signed && !r.place) {
    const place = placeOf(s.text);
    if (place) r.place = place;
  }
}

/** Offsets of names that are places or comparisons, not parties. */
function excluded(text: string, m: EntityMention): boolean {
  const before = foldKey(text.slice(Math.max(0, m.start - 30), m.start));
  // Places ("tại Mỹ", "ở miền Nam Italy"), comparisons ("kiểu Israel"), adversaries and
  // possessors ("của Nga", "xung đột với Nga", "against Russia") are not parties.
  if (/(\bcua|\bgia nhap|\bjoin|\bjoining|\bchong|\bchong lai|\bxung dot voi|\bchien tranh voi|\bagainst|\bnham vao)\s*$/.test(before)) return true;
  return /(\btai|\bo|\bin|\bat|\bkieu|\bnhu|\btuong tu|\bthanh vien|\bmember of|\bben le)(\s+(mien|thu do|nam|bac|dong|tay|hoi nghi|thuong dinh|\p{L}+)){0,3}\s*$/u.test(before);
}

function partiesOf(text: string, folded: string): string[][] {
  const all = findEntities(text);
  // "giữa Mỹ và Israel", "giữa Washington-Kiev", "between X and Y": the parties, said outright.
  const between = /\b(giua|between)\s+$/;
  const firstIdx = all.findIndex((m) => between.test(foldKey(text.slice(Math.max(0, m.start - 10), m.start))));
  const second = firstIdx >= 0 ? all[firstIdx + 1] : undefined;
  if (firstIdx >= 0 && second && /^\s*(và|and|-|–|với)\s*$/i.test(text.slice(all[firstIdx]!.end, second.start)) && all[firstIdx]!.id !== second.id) {
    return [[all[firstIdx]!.id, second.id].sort()];
  }
  const mentions = all.filter((m) => !excluded(text, m));
  const countries = [...new Set(mentions.filter((m) => !isOrganisation(m.id)).map((m) => m.id))];
  const orgs = [...new Set(mentions.filter((m) => isOrganisation(m.id)).map((m) => m.id))];
  const ids = countries.length >= 2 ? countries : [...countries, ...orgs.filter((o) => o === 'EU' || o === 'NATO')].slice(0, 3);
  if (ids.length < 2) return [];
  // "X và Y ký … với Z": bilateral agreements X–Z and Y–Z.
  const withIdx = folded.search(/\b(voi|with)\b/);
  if (withIdx > 0 && ids.length > 2) {
    const after = new Set(mentions.filter((m) => m.start > withIdx).map((m) => m.id));
    const z = ids.filter((id) => after.has(id));
    const xs = ids.filter((id) => !after.has(id));
    if (z.length === 1 && xs.length >= 1) return xs.map((x) => [x, z[0]!].sort());
  }
  return [ids.slice(0, 4).sort()];
}

function kindOf(phrase: string): string {
  for (const [re, kind] of KINDS) if (re.test(phrase)) return kind;
  return 'agreement';
}

const PLACE = /(?:^|[\s,])(?:tại|ở|in)\s+((?:[\p{Lu}][\p{L}]*)(?:\s+[\p{Lu}][\p{L}]*){0,3}|miền\s+\p{L}+\s+[\p{Lu}][\p{L}]*)/u;

function placeOf(text: string): string | undefined {
  const m = PLACE.exec(text);
  return m?.[1];
}
