/**
 * Recognises countries and organisations in Vietnamese and English text and maps every
 * name, short form and metonym to one canonical id (ISO 3166-1 alpha-2 for countries,
 * `NATO`, `EU`, `G7`… for organisations): "Kiev", "Kyiv" and "Ukraine" are all `UA`,
 * "Washington", "Mỹ" and "Hoa Kỳ" are all `US`.
 *
 * Country names come from the `i18n-iso-countries` dataset (its Vietnamese and English
 * locales); `aliases.json` holds only what that dataset lacks.
 */
import viCountries from 'i18n-iso-countries/langs/vi.json';
import enCountries from 'i18n-iso-countries/langs/en.json';
import aliasData from './aliases.json';
import { canonicalText } from '../text/normalize';

/** A recognised name in a text. */
export interface EntityMention {
  start: number;
  end: number;
  /** Canonical id: `UA`, `US`, `NATO`… */
  id: string;
}

interface Matcher {
  /** lower-cased canonical syllables joined by one space → id */
  byKey: Map<string, string>;
  /** first syllable of a name → the most syllables a name starting with it has */
  firstWords: Map<string, number>;
  ambiguous: Set<string>;
  maxWords: number;
  labels: Map<string, { vi: string; en: string }>;
}

let matcher: Matcher | undefined;

const SYLLABLE = /[\p{L}\p{N}]+/gu;

function syllables(text: string): string[] {
  return canonicalText(text).toLowerCase().match(SYLLABLE) ?? [];
}

function buildMatcher(): Matcher {
  const byKey = new Map<string, string>();
  const labels = new Map<string, { vi: string; en: string }>();
  let maxWords = 1;
  const add = (id: string, name: string): void => {
    const words = syllables(name);
    if (words.length === 0) return;
    const key = words.join(' ');
    if (!byKey.has(key)) byKey.set(key, id);
    maxWords = Math.max(maxWords, words.length);
  };
  const vi = viCountries.countries as Record<string, string | string[]>;
  const en = enCountries.countries as Record<string, string | string[]>;
  for (const [code, names] of Object.entries(vi)) {
    const list = Array.isArray(names) ? names : [names];
    list.forEach((n) => add(code, n));
    const enNames = en[code];
    const enList = enNames === undefined ? [] : Array.isArray(enNames) ? enNames : [enNames];
    // Two-letter English codes ("US", "UK") are too ambiguous in prose; keep only full names.
    enList.filter((n) => n.replace(/\./g, '').length > 3).forEach((n) => add(code, n));
    labels.set(code, { vi: list[list.length - 1]!, en: enList[enList.length > 1 ? 1 : 0] ?? code });
  }
  for (const [id, names] of Object.entries(aliasData.names as Record<string, string[]>)) {
    // Aliases win over dataset names with the same spelling.
    for (const n of names) byKey.set(syllables(n).join(' '), id);
    maxWords = Math.max(maxWords, ...names.map((n) => syllables(n).length));
  }
  for (const [id, label] of Object.entries(aliasData.labels as Record<string, { vi: string; en: string }>)) labels.set(id, label);
  const ambiguous = new Set(aliasData.ambiguous.map((a) => syllables(a).join(' ')));
  const firstWords = new Map<string, number>();
  for (const key of byKey.keys()) {
    const words = key.split(' ');
    firstWords.set(words[0]!, Math.max(firstWords.get(words[0]!) ?? 0, words.length));
  }
  return { byKey, firstWords, ambiguous, maxWords, labels };
}

function getMatcher(): Matcher {
  matcher ??= buildMatcher();
  return matcher;
}

const isUpper = (ch: string | undefined): boolean => ch !== undefined && ch !== ch.toLowerCase() && ch === ch.toUpperCase();

/**
 * Finds entity mentions, longest name first. Names must be capitalised as proper nouns
 * ("NATO", "Nhật Bản"); names that are also common words or personal names ("Anh",
 * "Đức", "Nga") count only mid-sentence and not right after another capitalised word.
 */
export function findEntities(text: string): EntityMention[] {
  const m = getMatcher();
  const words: { start: number; end: number; key: string }[] = [];
  const canon = canonicalText(text);
  const lower = canon.length === text.length ? canon.toLowerCase() : text.toLowerCase();
  SYLLABLE.lastIndex = 0;
  for (let w = SYLLABLE.exec(text); w; w = SYLLABLE.exec(text)) {
    words.push({ start: w.index, end: w.index + w[0].length, key: lower.slice(w.index, w.index + w[0].length) });
  }
  const mentions: EntityMention[] = [];
  for (let i = 0; i < words.length; i++) {
    const first = words[i]!;
    if (!isUpper(text[first.start])) continue;
    const longest = m.firstWords.get(first.key);
    if (longest === undefined) continue;
    for (let n = Math.min(longest, words.length - i); n >= 1; n--) {
      const last = words[i + n - 1]!;
      // Words of a name are separated by spaces or hyphens only.
      if (n > 1 && !/^[\s\-‐–]*$/.test(text.slice(words[i + n - 2]!.end, last.start))) continue;
      let key = first.key;
      for (let k = 1; k < n; k++) key += ' ' + words[i + k]!.key;
      const id = m.byKey.get(key);
      if (id === undefined) continue;
      if (m.ambiguous.has(key) && !ambiguousNameIsEntity(text, words, i, i + n)) continue;
      mentions.push({ start: first.start, end: last.end, id });
      i += n - 1;
      break;
    }
  }
  return mentions;
}

function ambiguousNameIsEntity(text: string, words: { start: number; end: number }[], from: number, to: number): boolean {
  const before = text.slice(0, words[from]!.start).trimEnd();
  if (before === '' || /[.!?:…"“]$/.test(before)) return false;
  const prev = words[from - 1];
  if (prev && isUpper(text[prev.start]) && before.endsWith(text.slice(prev.start, prev.end))) return false;
  const next = words[to];
  if (next && isUpper(text[next.start]) && /^\s+$/.test(text.slice(words[to - 1]!.end, next.start))) {
    // "Anh David Cameron" is still Britain, but "Đức Anh" is a name: accept only a following
    // capitalised word when the ambiguous name was preceded by a lower-case title word.
    return prev !== undefined && !isUpper(text[prev.start]);
  }
  return true;
}

/** The ids mentioned in `text`, each once, in order of first mention. */
/** Each name of an entity as its syllables (cached per entity). */
function nameSyllables(id: string): string[][] {
  let names = nameCache.get(id);
  if (!names) {
    names = [];
    for (const [key, owner] of getMatcher().byKey) if (owner === id) names.push(key.split(' '));
    nameCache.set(id, names);
  }
  return names;
}

const nameCache = new Map<string, string[][]>();

/**
 * Search words for an entity: the syllables of its short names (one or two syllables, three
 * letters or more), so "Nhật Bản" also retrieves a sentence that says "Tokyo".
 */
export function entitySearchWords(id: string): string[] {
  return [...new Set(nameSyllables(id).filter((parts) => parts.length <= 2).flatMap((parts) => parts.filter((p) => p.length >= 3)))];
}

/**
 * Every syllable of every name of an entity: a sentence naming the entity holds at least one
 * (a filter, generous by design: "Hoa Kỳ" gives "hoa" and "ky").
 */
export function entityFilterWords(id: string): string[] {
  return [...new Set(nameSyllables(id).flat())];
}

export function entityIds(text: string): string[] {
  return [...new Set(findEntities(text).map((e) => e.id))];
}

/** A display name for an entity id. */
export function entityLabel(id: string, locale: 'vi' | 'en' = 'vi'): string {
  return getMatcher().labels.get(id)?.[locale] ?? id;
}

/** True when `id` names an organisation rather than a country. */
export function isOrganisation(id: string): boolean {
  return !/^[A-Z]{2}$/.test(id) || id === 'EU' || id === 'UN';
}
