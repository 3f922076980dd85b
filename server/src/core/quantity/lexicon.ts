/**
 * Word tables for the quantity parser. Keys are either the *lower-cased* word as written
 * (`lower`: keeps diacritics, so "đồng" ≠ "động", "độ" ≠ "do") or its `foldKey`
 * (`key`: no diacritics, used where collisions are harmless and spelling varies, e.g. the
 * old/new tone placement of "thoả/thỏa thuận").
 */
import type { Dimension, Qualifier } from '../types';

/** Scale words, by lower-cased spelling. */
export const SCALES: ReadonlyMap<string, number> = new Map([
  ['nghìn', 1e3],
  ['ngàn', 1e3],
  ['ngh', 1e3], // "ngh." abbreviation; the dot is consumed by the reader
  ['triệu', 1e6],
  ['tr', 1e6],
  ['tỷ', 1e9],
  ['tỉ', 1e9],
  ['thousand', 1e3],
  ['million', 1e6],
  ['mn', 1e6],
  ['billion', 1e9],
  ['bn', 1e9],
  ['trillion', 1e12],
  ['tn', 1e12],
]);

/** Scale suffixes glued to digits ("$38bn", "$5m", "$20k"); m/k only after a currency sign. */
export const GLUED_SCALES: ReadonlyMap<string, number> = new Map([
  ['bn', 1e9],
  ['mn', 1e6],
  ['tn', 1e12],
  ['m', 1e6],
  ['k', 1e3],
]);

export interface UnitInfo {
  dimension: Dimension;
  unit: string;
}

const money = (unit: string): UnitInfo => ({ dimension: 'money', unit });
const duration = (unit: string): UnitInfo => ({ dimension: 'duration', unit });

/** Currency signs, before or after the number. */
export const CURRENCY_SIGNS: ReadonlyMap<string, string> = new Map([
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₫', 'VND'],
  ['₽', 'RUB'],
  ['₹', 'INR'],
  ['₴', 'UAH'],
]);

/** Prefixes glued before "$": "US$", "A$"… */
export const DOLLAR_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['US', 'USD'],
  ['A', 'AUD'],
  ['C', 'CAD'],
  ['HK', 'HKD'],
  ['S', 'SGD'],
  ['NZ', 'NZD'],
  ['NT', 'TWD'],
]);

/** One-word units after a number, by lower-cased spelling. */
export const UNIT_WORDS: ReadonlyMap<string, UnitInfo> = new Map([
  // money
  ['usd', money('USD')],
  ['eur', money('EUR')],
  ['euro', money('EUR')],
  ['euros', money('EUR')],
  ['gbp', money('GBP')],
  ['jpy', money('JPY')],
  ['yên', money('JPY')],
  ['yen', money('JPY')],
  ['vnd', money('VND')],
  ['vnđ', money('VND')],
  ['đồng', money('VND')],
  ['đ', money('VND')],
  ['cny', money('CNY')],
  ['yuan', money('CNY')],
  ['ndt', money('CNY')],
  ['rub', money('RUB')],
  ['rúp', money('RUB')],
  ['ruble', money('RUB')],
  ['rubles', money('RUB')],
  ['rouble', money('RUB')],
  ['roubles', money('RUB')],
  ['uah', money('UAH')],
  ['hryvnia', money('UAH')],
  ['hryvnias', money('UAH')],
  ['krw', money('KRW')],
  ['won', money('KRW')],
  ['inr', money('INR')],
  ['rupee', money('INR')],
  ['rupees', money('INR')],
  ['chf', money('CHF')],
  ['cad', money('CAD')],
  ['aud', money('AUD')],
  ['dollar', money('USD')],
  ['dollars', money('USD')],
  ['đôla', money('USD')],
  ['đô', money('USD')], // "5 triệu đô"; "đô la" handled by the reader
  // percent
  ['percent', { dimension: 'percent', unit: '%' }],
  // duration
  ['năm', duration('year')],
  ['tháng', duration('month')],
  ['tuần', duration('week')],
  ['ngày', duration('day')],
  ['giờ', duration('hour')],
  ['tiếng', duration('hour')],
  ['phút', duration('minute')],
  ['giây', duration('second')],
  ['year', duration('year')],
  ['years', duration('year')],
  ['month', duration('month')],
  ['months', duration('month')],
  ['week', duration('week')],
  ['weeks', duration('week')],
  ['day', duration('day')],
  ['days', duration('day')],
  ['hour', duration('hour')],
  ['hours', duration('hour')],
  ['minute', duration('minute')],
  ['minutes', duration('minute')],
  ['second', duration('second')],
  ['seconds', duration('second')],
]);

/** "đô la <country>" / "dollar" qualifiers: which dollar. Keys are folded. */
export const DOLLAR_COUNTRIES: ReadonlyMap<string, string> = new Map([
  ['my', 'USD'],
  ['canada', 'CAD'],
  ['uc', 'AUD'],
  ['australia', 'AUD'],
  ['singapore', 'SGD'],
  ['hong kong', 'HKD'],
  ['new zealand', 'NZD'],
  ['dai loan', 'TWD'],
]);

/** Glued unit suffixes after digits ("50.000đ", "100USD"). */
export const GLUED_UNITS: ReadonlyMap<string, UnitInfo> = new Map([
  ['đ', money('VND')],
  ['usd', money('USD')],
  ['vnd', money('VND')],
  ['vnđ', money('VND')],
  ['eur', money('EUR')],
]);

/** Qualifier phrases before a figure, lower-cased; the longest match wins. */
export const QUALIFIERS_BEFORE: ReadonlyMap<string, Qualifier> = new Map([
  ['khoảng', 'approx'],
  ['chừng', 'approx'],
  ['độ', 'approx'],
  ['ước tính', 'approx'],
  ['ước', 'approx'],
  ['xấp xỉ', 'approx'],
  ['gần như', 'nearly'],
  ['gần', 'nearly'],
  ['hơn', 'gt'],
  ['trên', 'gt'],
  ['vượt', 'gt'],
  ['vượt quá', 'gt'],
  ['ít nhất', 'gte'],
  ['tối thiểu', 'gte'],
  ['dưới', 'lt'],
  ['chưa đến', 'lt'],
  ['chưa tới', 'lt'],
  ['không tới', 'lt'],
  ['không đến', 'lt'],
  ['tối đa', 'lte'],
  ['nhiều nhất', 'lte'],
  ['about', 'approx'],
  ['around', 'approx'],
  ['roughly', 'approx'],
  ['approximately', 'approx'],
  ['some', 'approx'],
  ['an estimated', 'approx'],
  ['nearly', 'nearly'],
  ['almost', 'nearly'],
  ['close to', 'nearly'],
  ['more than', 'gt'],
  ['over', 'gt'],
  ['above', 'gt'],
  ['at least', 'gte'],
  ['less than', 'lt'],
  ['fewer than', 'lt'],
  ['under', 'lt'],
  ['below', 'lt'],
  ['up to', 'lte'],
  ['at most', 'lte'],
]);

/** Qualifier phrases after a figure ("4,5 tỷ USD trở lên"). */
export const QUALIFIERS_AFTER: ReadonlyMap<string, Qualifier> = new Map([
  ['trở lên', 'gte'],
  ['trở xuống', 'lte'],
  ['or more', 'gte'],
  ['or less', 'lte'],
  ['or fewer', 'lte'],
]);

/**
 * Words that make the number after them a label ("Điều 5", "Bell 212", "Article 5").
 * Lower-cased; one or two words.
 */
export const LABEL_WORDS: ReadonlySet<string> = new Set([
  // Lower-cased with diacritics: folded keys would confuse "mục" with "mức", "phần" with "phân".
  'điều',
  'điều khoản',
  'khoản',
  'chương',
  'mục',
  'phần',
  'tập',
  'phụ lục',
  'nghị quyết',
  'nghị định',
  'quyết định',
  'thông tư',
  'chỉ thị',
  'article',
  'section',
  'chapter',
  'clause',
  'paragraph',
  'resolution',
  'annex',
  'bell',
  'boeing',
  'airbus',
  'iphone',
  'galaxy',
  'windows',
  'apollo',
  'falcon',
  'soyuz',
  'leopard',
  'challenger',
  'covid',
  'sea games',
  'version',
  'phiên bản',
]);

/** Vietnamese digits as words (lower-cased). `năm` is handled with care: it also means "year". */
export const VI_UNITS: ReadonlyMap<string, number> = new Map([
  ['một', 1],
  ['hai', 2],
  ['ba', 3],
  ['bốn', 4],
  ['năm', 5],
  ['sáu', 6],
  ['bảy', 7],
  ['bẩy', 7],
  ['tám', 8],
  ['chín', 9],
]);

/** Units after "mười" (11–19): "lăm" is 5 there; "năm" is not taken ("mười năm" = ten years). */
export const VI_AFTER_MUOI: ReadonlyMap<string, number> = new Map([
  ['một', 1],
  ['hai', 2],
  ['ba', 3],
  ['bốn', 4],
  ['lăm', 5],
  ['sáu', 6],
  ['bảy', 7],
  ['bẩy', 7],
  ['tám', 8],
  ['chín', 9],
]);

/** Units after "mươi" (21–99): also "mốt" (1) and "tư" (4). */
export const VI_AFTER_MUOI_TENS: ReadonlyMap<string, number> = new Map([
  ['mốt', 1],
  ['một', 1],
  ['hai', 2],
  ['ba', 3],
  ['tư', 4],
  ['bốn', 4],
  ['lăm', 5],
  ['sáu', 6],
  ['bảy', 7],
  ['bẩy', 7],
  ['tám', 8],
  ['chín', 9],
]);

/** Vietnamese ordinal words after "thứ". */
export const VI_ORDINALS: ReadonlyMap<string, number> = new Map([
  ['nhất', 1],
  ['nhì', 2],
  ['hai', 2],
  ['ba', 3],
  ['tư', 4],
  ['bốn', 4],
  ['năm', 5],
  ['sáu', 6],
  ['bảy', 7],
  ['bẩy', 7],
  ['tám', 8],
  ['chín', 9],
  ['mười', 10],
]);

/**
 * Nouns (folded) that make "thứ N" after them an ordinal: "năm thứ ba", "lần thứ 3",
 * "lớn thứ hai". Deliberately excludes ngày/hôm/sáng/tối…: "hôm thứ Hai" is Monday.
 */
export const VI_ORDINAL_NOUNS: ReadonlySet<string> = new Set([
  'nam',
  'lan',
  'hang',
  'vong',
  'dot',
  'quy',
  'tuan',
  'thang',
  'nguoi',
  'nuoc',
  'phien',
  'ky',
  'khoa',
  'cuoc',
  'tran',
  'chiec',
  'goi',
  'buoc',
  'lon',
  'cao',
  'nhieu',
  'manh',
  'giai doan',
  'nhiem ky',
  'vi tri',
  'quoc gia',
  'the he',
  'the ky',
  'ky hop',
  'hoi nghi',
  'nen kinh te',
]);

/** English cardinal words. */
export const EN_UNITS: ReadonlyMap<string, number> = new Map([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['thirteen', 13],
  ['fourteen', 14],
  ['fifteen', 15],
  ['sixteen', 16],
  ['seventeen', 17],
  ['eighteen', 18],
  ['nineteen', 19],
]);

export const EN_TENS: ReadonlyMap<string, number> = new Map([
  ['twenty', 20],
  ['thirty', 30],
  ['forty', 40],
  ['fifty', 50],
  ['sixty', 60],
  ['seventy', 70],
  ['eighty', 80],
  ['ninety', 90],
]);

export const EN_ORDINALS: ReadonlyMap<string, number> = new Map([
  ['first', 1],
  ['second', 2],
  ['third', 3],
  ['fourth', 4],
  ['fifth', 5],
  ['sixth', 6],
  ['seventh', 7],
  ['eighth', 8],
  ['ninth', 9],
  ['tenth', 10],
]);

/** Nouns an English ordinal must precede to count ("third year"; not "second-hand", "a second"). */
export const EN_ORDINAL_NOUNS: ReadonlySet<string> = new Set([
  'year',
  'time',
  'day',
  'week',
  'month',
  'quarter',
  'round',
  'term',
  'place',
  'anniversary',
  'century',
  'decade',
  'stage',
  'phase',
  'wave',
  'package',
  'tranche',
  'meeting',
  'summit',
  'session',
  'edition',
  'generation',
  'attempt',
  'season',
]);

export const EN_MONTHS: ReadonlyMap<string, number> = new Map([
  ['january', 1],
  ['jan', 1],
  ['february', 2],
  ['feb', 2],
  ['march', 3],
  ['mar', 3],
  ['april', 4],
  ['apr', 4],
  ['may', 5],
  ['june', 6],
  ['jun', 6],
  ['july', 7],
  ['jul', 7],
  ['august', 8],
  ['aug', 8],
  ['september', 9],
  ['sep', 9],
  ['sept', 9],
  ['october', 10],
  ['oct', 10],
  ['november', 11],
  ['nov', 11],
  ['december', 12],
  ['dec', 12],
]);

/** Words before a date that belong to it in Vietnamese ("ngày 13/6", "hôm 10/7", "tối 22/4"). */
export const VI_DATE_LEADS: ReadonlySet<string> = new Set(['ngày', 'hôm', 'sáng', 'trưa', 'chiều', 'tối', 'đêm', 'rạng']);

/** Classifiers skipped before the head noun of a count ("5 chiếc máy bay" → "may bay"). */
export const VI_CLASSIFIERS: ReadonlySet<string> = new Set(['cái', 'con', 'chiếc', 'quả', 'khẩu', 'tấm', 'bức', 'ngôi', 'căn', 'tòa', 'toà']);

/** Multi-syllable Vietnamese head nouns (folded), tried longest first. */
export const VI_COMPOUND_NOUNS: ReadonlySet<string> = new Set([
  'nha lanh dao',
  'ca tu vong',
  'chien dau co',
  'xe boc thep',
  'nguoi ti nan',
  'nguoi di cu',
  'nguoi lao dong',
  'nuoc thanh vien',
  'dai su quan',
  'hiep uoc',
  'thoa thuan',
  'hiep dinh',
  'quoc gia',
  'he thong',
  'binh si',
  'binh linh',
  'may bay',
  'xe tang',
  'ten lua',
  'nan nhan',
  'tre em',
  'hoc sinh',
  'sinh vien',
  'du khach',
  'doanh nghiep',
  'cong nhan',
  'thanh vien',
  'lanh dao',
  'nguoi dan',
  'cu dan',
  'ca nhiem',
  'ca mac',
  'ca benh',
  'cong ty',
  'du an',
  'ngan hang',
  'to chuc',
  'don vi',
  'thanh pho',
  'truong hop',
  'khu vuc',
  'truc thang',
  'tiem kich',
  'dai bieu',
  'huy chuong',
  'hop dong',
  'chuong trinh',
  'van ban',
  'giai doan',
  'linh vuc',
  'muc tieu',
  'the he',
  'nhiem ky',
  'phuong an',
  'van de',
  'dieu kien',
  'chuyen bay',
  'benh vien',
  'truong hoc',
  'quan nhan',
  'si quan',
  'chien binh',
  'dong minh',
  'lu doan',
  'su doan',
  'tieu doan',
  'trung doan',
  'tau chien',
  'dan thuong',
  'lao dong',
  'ho gia dinh',
  'gia dinh',
  'luot khach',
  'bien ban',
  'dia phuong',
  'nha may',
  'tau ngam',
  'phong khong',
  'khau doi',
]);

/**
 * Single-syllable Vietnamese count nouns (folded) a *spelled* number may precede ("ba nước",
 * "hai bên"). Digits accept any lower-case non-stopword; spelled numbers only these, since
 * "ba mẹ", "chín chắn", "tám chuyện" are not figures.
 */
export const VI_COUNT_NOUNS: ReadonlySet<string> = new Set([
  'nguoi',
  'nuoc',
  'ben',
  'lan',
  'tau',
  'xe',
  'tinh',
  'vu',
  'dot',
  'ca',
  'cuoc',
  'phien',
  'vong',
  'tran',
  'ghe',
  'phieu',
  'diem',
  'lang',
  'xa',
  'huyen',
  'tuoi',
  'nha',
  'goi',
  'khoan',
  'bo',
  'nhom',
  'loai',
  'ky',
  'buoc',
  'chuyen',
  'phe',
  'mien',
  'dao',
  'chiec',
  'con',
  'cai',
  'qua',
  'khau',
  'toa',
  'can',
  'ngoi',
  'luot',
]);

/**
 * Words after a number that are not its head noun (lower-cased, with diacritics where they
 * disambiguate): function words, verbs that commonly follow figures, English stopwords.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  // Vietnamese
  'và', 'của', 'là', 'với', 'cho', 'trong', 'tại', 'ở', 'đã', 'sẽ', 'được', 'bị', 'thì', 'mà',
  'nhưng', 'hoặc', 'hay', 'nếu', 'khi', 'này', 'đó', 'kia', 'ấy', 'các', 'những', 'từ', 'đến',
  'tới', 'về', 'theo', 'trên', 'dưới', 'so', 'như', 'để', 'vì', 'do', 'bởi', 'nên', 'cũng',
  'đều', 'chỉ', 'vẫn', 'còn', 'ra', 'vào', 'lên', 'xuống', 'rồi', 'nữa', 'sau', 'trước', 'nay',
  'qua', 'vừa', 'mới', 'đang', 'có', 'không', 'chưa', 'rất', 'hơn', 'nhất', 'lại', 'ngay',
  'tính', 'gồm', 'bao', 'mỗi', 'mọi', 'cả', 'đây', 'kể', 'trở', 'thêm', 'khoảng', 'gần', 'hết',
  'tăng', 'giảm', 'đạt', 'nhằm', 'thuộc', 'giữa', 'tương', 'một', 'hai', 'ba', 'bốn', 'năm',
  'sáu', 'bảy', 'tám', 'chín', 'mười', 'thứ', 'lúc', 'hồi', 'vốn', 'nào', 'gì', 'ai', 'sao',
  'ông', 'bà', 'anh', 'chị', 'em', 'họ', 'nó', 'tôi', 'chúng', 'mình',
  // English
  'and', 'or', 'of', 'to', 'in', 'on', 'at', 'for', 'the', 'a', 'an', 'with', 'by', 'from',
  'is', 'was', 'were', 'are', 'be', 'been', 'has', 'have', 'had', 'as', 'than', 'that', 'which',
  'who', 'this', 'these', 'those', 'it', 'its', 'per', 'into', 'over', 'under', 'after', 'before',
  'since', 'while', 'but', 'not', 'so', 'if', 'when', 'where', 'would', 'will', 'could', 'should',
  'can', 'may', 'more', 'less', 'up', 'down', 'out', 'off', 'about', 'also', 'only', 'each',
  'all', 'such', 'other', 'new', 'last', 'next', 'this', 'his', 'her', 'their', 'our', 'your',
  'against', 'during', 'between', 'among', 'through', 'via', 'said', 'says', 'according', 'plus',
  'times', 'or', 'nor', 'yet', 'then', 'there', 'here', 'what', 'whose',
]);

/** English plurals that the simple rules get wrong. */
export const EN_IRREGULAR: ReadonlyMap<string, string> = new Map([
  ['people', 'person'],
  ['persons', 'person'],
  ['children', 'child'],
  ['men', 'man'],
  ['women', 'woman'],
  ['feet', 'foot'],
  ['teeth', 'tooth'],
  ['mice', 'mouse'],
  ['news', 'news'],
  ['series', 'series'],
  ['species', 'species'],
  ['aircraft', 'aircraft'],
  ['police', 'police'],
  ['personnel', 'personnel'],
  ['staff', 'staff'],
]);

/** Words after a number that mark English context (affects `4,500` vs `4,5`). */
export const EN_HINTS_AFTER: ReadonlySet<string> = new Set([
  'thousand', 'million', 'billion', 'trillion', 'bn', 'mn', 'percent', 'per', 'people', 'dollars',
  'euros', 'pounds', 'yen', 'yuan', 'year', 'month', 'week', 'day', 'hour', 'minute', 'second',
  'and', 'or', 'of', 'to', 'in', 'on', 'at', 'for', 'the', 'a', 'with', 'by', 'from', 'is', 'was',
  'were', 'are', 'has', 'have', 'had', 'than', 'that', 'men', 'women', 'children',
]);

/** Words before a number that mark English context. */
export const EN_HINTS_BEFORE: ReadonlySet<string> = new Set([
  'about', 'around', 'roughly', 'approximately', 'some', 'nearly', 'almost', 'than', 'over',
  'least', 'under', 'to', 'most', 'in', 'since', 'from', 'between', 'of', 'the', 'by', 'and',
  'at', 'on', 'for', 'with', 'were', 'was', 'is', 'are', 'has', 'have', 'had', 'total', 'estimated',
  'killed', 'reached', 'rose', 'fell', 'only', 'just', 'another', 'additional', 'extra', 'all',
]);
