/**
 * The layout habits of real radiology reports, undone before the phrase extractors read a sentence:
 * - structured templates ("Portal vein invasion: absent", "Response category (mRECIST): stable", "Number of
 *   lesions: 3") are read field by field, the value deciding polarity and quantity — read as a plain sentence, the
 *   field name alone ("Portal vein invasion") looks like a positive finding;
 * - numbers that are never tumour counts or sizes (LI-RADS categories, segment numbers, Vp/Vv/TE grades, BCLC,
 *   RECIST 1.1, dates, series/image numbers, list numbers) are masked, so "Two LR-5 lesions" is two lesions, not
 *   five. Masking keeps every character position, so matched words can still be cut from the original sentence.
 * Lexicons: ACR LI-RADS v2018 CT/MRI Treatment Response; Lencioni & Llovet, Semin Liver Dis 2010 (mRECIST);
 * Kudo et al., Liver Cancer 2021 (RECICL 2021); Liver Cancer Study Group of Japan (Vp/Vv grades).
 */

const FIELD_LINE =
  /^(\s*(?:\d{1,2}[.)]\s+|[-•*–]\s+)?)([A-Za-z][A-Za-z0-9()/,.'’&+-]*(?: [A-Za-z0-9()/,.'’&+=-]+){0,6}?)(?:\s*:|\s+[-–—]) *(\S.*)$/;
/** "new lesions none", "extrahepatic disease absent": a field and its negative value without a colon. */
const FIELD_NEGATIVE_TAIL =
  /^(\s*)([A-Za-z][A-Za-z0-9()/,.'’&+ -]{2,60}?)\s+(?:none|absent|nil|not seen|not identified|negative)\s*\.?\s*$/i;

/** A field value that says the finding is not there. */
const NEGATIVE_VALUE =
  /^(?:none (?:seen|identified|detected|present|evident|noted|demonstrated|enlarged)|no evidence|not (?:seen|identified|present|detected|evident|visuali[sz]ed|demonstrated|appreciated|found)|absent|none|nil|no|negative|zero|0|not applicable|n\/a|unremarkable|clear|free|V[pv]\s?0(?:\s*[/,]\s*V[pv]\s?0)?)(?![\w-])/i;
const POSITIVE_VALUE = /^(?:present|yes|positive|seen|identified|noted|detected)\b/i;
const HEDGED_VALUE =
  /^(?:possible|possibly|probable|indeterminate|equivocal|cannot be excluded|not excluded|suspected|suspicious|questionable|uncertain|unclear|not (?:assessable|evaluable|assessed|evaluated)|non-?evaluable|limited)\b/i;
const PATENT_VALUE = /^patent\b/i;
/** What may follow a one-word value without changing it: brackets, or a short qualifier ("in the imaged field"). */
const REST_OF_VALUE =
  /^[\s,]*(?:(?:seen|identified|noted|evident|detected|demonstrated)\s*)?(?:(?:in|within) the (?:imaged|visuali[sz]ed|included|scanned) (?:field|portion|region|area)s?(?: of view)?|on this (?:study|exam|examination|scan)|at this time)?[\s.,]*(?:\([^)]*\))?[\s.]*$/i;

const RESPONSE_FIELD =
  /\b(?:response|m-?RECIST|RECIST|EASL|LI-?RADS|LR-?TR|RECICL|treatment effect|TE category)\b/i;
/** "Number of lesions", "Lesions", "Tumour count", "Count" — a singular noun alone ("Treated tumour") is not one. */
const COUNT_FIELD =
  /^count$|^(?:(?:total )?number of |no\.? of |#\s*)((?:new |target |hepatic |liver |intrahepatic |viable |treated )*(?:lesions?|tumou?rs?|nodules?|observations?|masses|HCCs?))(?: count| number)?$|^((?:new |target |hepatic |liver |intrahepatic |viable |treated )*(?:lesions|tumou?rs|nodules|observations|masses|HCCs))(?: count| number)?$|^(?:tumou?r|lesion|nodule|HCC) (?:count|number)$/i;
/** A count value — not the first digit of a size ("2,7 x 2,1 cm") or of a decimal. */
const COUNT_VALUE =
  /^([1-9]\d?|one|two|three|four|five|six|seven|eight|nine|ten|single|solitary|multiple|numerous|innumerable|several|many|too numerous to count)\b(?![.,]\d|\s*(?:cm|mm|%|x\b|×))/i;
const SIZE_FIELD = /\b(?:size|diameter|dimension|largest|measure(?:ment|s)?)\b/i;
const PRIOR_FIELD = /\b(?:prior|previous|previously|baseline|pre-?treatment|comparison)\b/i;

const RESPONSE_WORDS: readonly [RegExp, string][] = [
  [/^(?:CR|complete(?: response)?)\b/i, 'complete response'],
  [/^(?:PR|partial(?: response)?)\b/i, 'partial response'],
  [/^(?:SD|stable(?: disease)?)\b/i, 'stable disease'],
  [/^(?:PD|progressi(?:on|ve)(?: disease)?)\b/i, 'progressive disease'],
];

function singular(noun: string): string {
  return noun.replace(/(?:es|s)$/i, (m) => (/masses$/i.test(noun) ? 'es' : m)).trim();
}

/**
 * The text to read for one sentence: each "Field: value" part (a sentence may hold several, separated by
 * semicolons: "Lipiodol deposition: 60 %; viable tumour: < 10 %") is rewritten as the sentence it stands for; any
 * other text is returned unchanged. `heading` is a section heading that names a scale ("mRECIST", "LI-RADS TR:")
 * and gives its lines their context. The caller keeps the original sentence as the evidence.
 */
export function readingOf(sentence: string, heading?: string): string {
  // Without a semicolon the sentence is its one part.
  if (!sentence.includes(';')) return fieldReading(heading ? `${heading} ${sentence.trimStart()}` : sentence);
  const parts = splitOutsideBrackets(sentence, ';');
  const read = parts.map((part, i) =>
    fieldReading(i === 0 && heading ? `${heading} ${part.trimStart()}` : part),
  );
  return read.join(';');
}

/** Splits at `sep` where no bracket is open. */
function splitOutsideBrackets(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth += 1;
    else if ((ch === ')' || ch === ']') && depth > 0) depth -= 1;
    else if (ch === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** A line that only names a response scale: it heads the lines below it ("mRECIST", "LI-RADS TR:"). */
const SCALE_HEADING =
  /^\s*(m-?RECIST|modified RECIST|EASL|RECIST(?:\s*1\.1)?|LI-?RADS(?:\s*v?2018)?(?:\s*(?:TR|treatment response))?|LR-?TR|RECICL(?:\s*2021)?)(?:\s*(?:response|assessment|category))?\s*:?\s*$/i;

/** The scale a heading line names, or undefined when the line is not such a heading. */
export function scaleHeading(line: string): string | undefined {
  const m = SCALE_HEADING.exec(line);
  return m ? (m[1] ?? '').replace(/\s+/g, ' ') : undefined;
}

/** The last words FIELD_NEGATIVE_TAIL's values end in ("not seen" in "seen", "not identified" in "identified"). */
const NEGATIVE_TAIL_WORDS = ['none', 'absent', 'nil', 'seen', 'identified', 'negative'];

/**
 * Whether `s` ends in one of NEGATIVE_TAIL_WORDS, any case, before optional whitespace, one optional '.' and
 * whitespace: FIELD_NEGATIVE_TAIL cannot match otherwise. trimEnd strips what \s matches; the words are ASCII, so
 * lower-casing keeps them at the end.
 */
function mayEndNegative(s: string): boolean {
  let t = s.trimEnd();
  if (t.endsWith('.')) t = t.slice(0, -1).trimEnd();
  // The words end in e, t, l, n or d, either case (| 0x20 lower-cases an ASCII letter).
  const last = t.charCodeAt(t.length - 1) | 0x20;
  if (last !== 0x65 && last !== 0x74 && last !== 0x6c && last !== 0x6e && last !== 0x64) return false;
  const end = t.slice(-10).toLowerCase();
  return NEGATIVE_TAIL_WORDS.some((w) => end.endsWith(w));
}

/** FIELD_LINE's separator without a colon: whitespace, then a dash. */
const FIELD_DASH = /\s[-–—]/;

/** Exported for the test that checks each pre-test against its pattern. */
export const FIELD_PRETESTS = {
  negativeTail: FIELD_NEGATIVE_TAIL,
  mayEndNegative,
  fieldLine: FIELD_LINE,
  fieldDash: FIELD_DASH,
} as const;

function fieldReading(sentence: string): string {
  // A field without a colon: the negative tail ("new lesions none") is read only then, and FIELD_LINE needs its
  // colon or a dash after whitespace.
  if (!sentence.includes(':')) {
    const tail = mayEndNegative(sentence) ? FIELD_NEGATIVE_TAIL.exec(sentence) : null;
    if (tail && !/\b(?:no|not|without)\b/i.test(tail[2] ?? ''))
      return `${tail[1] ?? ''}No ${(tail[2] ?? '').trim()}.`;
    if (!FIELD_DASH.test(sentence)) return sentence;
  }
  const m = FIELD_LINE.exec(sentence);
  if (!m) return sentence;
  const lead = m[1] ?? '';
  const field = (m[2] ?? '').trim();
  const whole = (m[3] ?? '').trim();
  // The value's first clause decides the field; what follows a semicolon is read as its own clause.
  const semi = whole.indexOf(';');
  const value = semi === -1 ? whole : whole.slice(0, semi);
  const rest = semi === -1 ? '' : whole.slice(semi);
  const blank = (s: string): string => ' '.repeat(s.length);
  const valueTail = (re: RegExp): string | undefined => {
    const v = re.exec(value);
    if (!v) return undefined;
    return value.slice(v[0].length);
  };

  const responseField = RESPONSE_FIELD.test(field);
  if (responseField) {
    for (const [re, phrase] of RESPONSE_WORDS) {
      if (re.test(value)) return `${blank(lead)}${field} ${phrase}${value.replace(re, '')}${rest}`;
    }
  }
  const countNoun = COUNT_FIELD.exec(field);
  if (countNoun && !PRIOR_FIELD.test(field)) {
    const noun = countNoun[1] ?? countNoun[2] ?? 'lesions';
    const cv = COUNT_VALUE.exec(value);
    const plural = /s$/i.test(noun) ? noun : /mass$/i.test(noun) ? `${noun}es` : `${noun}s`;
    if (cv)
      return `${blank(lead)}${cv[1]} ${/^(?:1|one|single|solitary)$/i.test(cv[1] ?? '') ? noun : plural}${value.slice(cv[0].length)}${rest}`;
    if (NEGATIVE_VALUE.test(value)) return `${blank(lead)}No ${noun}.${rest}`;
  }
  if (SIZE_FIELD.test(field) && /\d\s*(?:cm|mm)\b/i.test(value)) {
    if (PRIOR_FIELD.test(field)) return `${blank(lead)}Previously ${value}${rest}`;
    return `${blank(lead)}The largest measures ${value}${rest}`;
  }
  // "Vp: 0" is grade Vp0; "Portal vein: Vp0" keeps its grade for the vascular reader.
  if (/^V[pv]$/i.test(field) && /^[0-4]\b/.test(value)) return `${blank(lead)}${field}${value}${rest}`;
  if (/^V[pv]\s?0\b/i.test(value)) return `${blank(lead)}${field} ${whole}`;
  const negTail = valueTail(NEGATIVE_VALUE);
  if (negTail !== undefined && REST_OF_VALUE.test(negTail)) return `${blank(lead)}No ${field}.${rest}`;
  const patentTail = valueTail(PATENT_VALUE);
  if (patentTail !== undefined && REST_OF_VALUE.test(patentTail))
    return `${blank(lead)}The ${field} is patent${patentTail}${rest}`;
  const posTail = valueTail(POSITIVE_VALUE);
  if (posTail !== undefined && REST_OF_VALUE.test(posTail))
    return `${blank(lead)}${field} present${posTail}${rest}`;
  if (HEDGED_VALUE.test(value) && !responseField)
    return `${blank(lead)}Possible ${singular(field)}, ${value}${rest}`;
  // Any other value: field and value are one clause (no colon split), so the value's own words set polarity.
  return `${blank(lead)}${field} ${whole}`;
}

/**
 * A text's prefix signature: one pass over it sets a bit for each group of literals that may begin at some unit of
 * it, read from the unit and the three after it, so a group of regexes holding those literals is tested only where
 * one of them may be. A group's literals are given by up to four leading units, lower case, '#' for any digit; a
 * shorter one stands for any units after it. Each unit is read as a small code (UNIT_CODE): its letter in either
 * case, "a digit", one of the few punctuation units the prefixes hold, '_', or "other" (every other unit, the end,
 * and any non-ASCII unit). At each unit the codes of the first two units index `head`, of the next two `tail`: a
 * literal there sets its group's bit in both entries, so a bit not set in their AND is no literal of its group
 * beginning there. Under the i flag without u, an ASCII letter matches only itself in either case, and a non-ASCII
 * unit never an ASCII one; a literal's unit is never "other"; so reading codes misses nothing. A group marked
 * `wordStart` stands for literals after `\b` that begin with a letter: the unit before them is not a word character
 * there, so its bit is kept only where the unit before is not a letter or '_' (a digit is allowed: a digit masked to
 * '#' makes a boundary). The signature is a necessary condition: a set bit does not say the literal is there, a
 * clear one says none is. The tables are small (36 × 36 entries) so they stay in the processor's nearest cache.
 */
export interface PrefixTables {
  readonly head: Int32Array;
  readonly tail: Int32Array;
  /** The bits of the wordStart groups. */
  readonly wordStart: number;
  /** The bits of groups without prefixes: set in every signature. */
  readonly always: number;
}

export interface PrefixGroup {
  readonly bit: number;
  /** None: the bit is always set. */
  readonly prefixes?: readonly string[];
  readonly wordStart?: boolean;
}

/** Codes: 0 other, 1–26 the letters a–z (either case), 27 a digit, 28–34 the punctuation below, 35 '_'. */
const CODES = 36;
const DIGIT_CODE = 27;
const UNDERSCORE_CODE = 35;
const PUNCTUATION = '- %?/.:';
const UNIT_CODE = ((): Uint8Array => {
  const code = new Uint8Array(128);
  for (let i = 0; i < 26; i++) {
    code[65 + i] = 1 + i;
    code[97 + i] = 1 + i;
  }
  for (let i = 48; i <= 57; i++) code[i] = DIGIT_CODE;
  for (let i = 0; i < PUNCTUATION.length; i++) code[PUNCTUATION.charCodeAt(i)] = 28 + i;
  code[95] = UNDERSCORE_CODE;
  return code;
})();

/** The code a prefix character stands for ('#' and the digits: a digit). */
function codeOf(ch: string): number {
  const code = ch === '#' ? DIGIT_CODE : (UNIT_CODE[ch.charCodeAt(0)] ?? 0);
  if (code === 0 || code === UNDERSCORE_CODE || (ch >= 'A' && ch <= 'Z'))
    throw new Error(`prefix character "${ch}" has no code`);
  return code;
}
const ALL_CODES = Array.from({ length: CODES }, (_, i) => i);

export function prefixTables(groups: readonly PrefixGroup[]): PrefixTables {
  const head = new Int32Array(CODES * CODES);
  const tail = new Int32Array(CODES * CODES);
  let wordStart = 0;
  let always = 0;
  // Every entry of the code pairs the characters `a` and `b` (undefined: any code) stand for.
  const mark = (table: Int32Array, a: string | undefined, b: string | undefined, bit: number): void => {
    for (const x of a === undefined ? ALL_CODES : [codeOf(a)])
      for (const y of b === undefined ? ALL_CODES : [codeOf(b)]) table[x * CODES + y]! |= bit;
  };
  for (const g of groups) {
    if (g.prefixes === undefined) always |= g.bit;
    if (g.wordStart) wordStart |= g.bit;
    for (const p of g.prefixes ?? []) {
      if (p.length === 0 || p.length > 4) throw new Error(`bad prefix "${p}"`);
      mark(head, p[0], p[1], g.bit);
      mark(tail, p[2], p[3], g.bit);
    }
  }
  return { head, tail, wordStart, always };
}

export function prefixSignature(text: string, t: PrefixTables): number {
  const { head, tail } = t;
  const notWordStart = ~t.wordStart;
  const n = text.length;
  let mask = t.always;
  // A window of four codes (0 past the end) and the one before it; the loop starts three units early to fill it.
  let prev: number;
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = -3; i < n; i++) {
    const unit = i + 3 < n ? text.charCodeAt(i + 3) : 0;
    const next = unit < 128 ? UNIT_CODE[unit]! : 0;
    prev = a;
    a = b;
    b = c;
    c = d;
    d = next;
    if (i < 0 || a === 0) continue;
    const hit = head[a * CODES + b]! & tail[c * CODES + d]!;
    // After a letter or '_' no word begins.
    if (hit !== 0) mask |= (prev <= 26 && prev !== 0) || prev === UNDERSCORE_CODE ? hit & notWordStart : hit;
  }
  return mask;
}

/**
 * Tokens whose digits are never tumour counts, sizes or fractions. Each is masked digit by digit, in this order.
 * `needs` is an exact pre-test: a literal the pattern cannot match without (tested case-insensitively for a
 * case-insensitive pattern), so where it is absent the replace would return the text unchanged; `\b` before it
 * where the pattern has the literal begin a word (after `\b`, whitespace or a hyphen). It is tested on the text
 * masked so far, the text the pattern runs on, so word boundaries are the pattern's own.
 */
export interface Distractor {
  readonly re: RegExp;
  readonly needs: RegExp;
  /**
   * The literals `needs` begins with, as prefixes (see prefixSignature), and whether each follows `\b` there;
   * without them `needs` is always tested (a one-unit class, as cheap as the signature's look-up).
   */
  readonly prefixes?: readonly string[];
  readonly wordStart?: boolean;
}

/** Exported for the test that checks each pre-test against its pattern. */
export const DISTRACTORS: readonly Distractor[] = [
  // First, before any '#' is written by the masks below: "TACE #2", "#1 S8 2.9 cm".
  { re: /(?<![\w#])#\s?\d{1,3}\b/g, needs: /#/ },
  {
    re: /\bL(?:R|I-?RADS)[\s-]*(?:category\s*)?(?:\d|M|TIV|TR|NC)\b/gi,
    needs: /\bl[ri]/i,
    prefixes: ['lr', 'li'],
    wordStart: true,
  },
  { re: /\bLI-?RADS\s*v?\d{4}\b/gi, needs: /rads/i, prefixes: ['rads'] },
  { re: /\bv\d{4}\b/gi, needs: /v\d/i, prefixes: ['v#'] },
  {
    re: /\b(?:segments?|seg\.?|Couinaud)\s*(?:\d{1,2}(?![.,]\d)|[IVX]{1,4}\b)[ab]?(?:\s*(?:,|and|\/|-|–|&|or|to)\s*(?:\d{1,2}(?![.,]?\d|\s*(?:cm|mm|%))|[IVX]{1,4}\b)[ab]?)*/gi,
    needs: /\b(?:seg|couinaud)/i,
    prefixes: ['seg', 'coui'],
    wordStart: true,
  },
  {
    re: /\bS[1-8][ab]?(?:\s*(?:\/|-|,|and)\s*(?:S[1-8][ab]?|[1-8](?![.,]?\d|\s*(?:cm|mm))))*\b/g,
    needs: /S[1-8]/,
    prefixes: ['s#'],
  },
  { re: /\bV[pv]\s?-?[0-4]\b/gi, needs: /\bv[pv]/i, prefixes: ['vp', 'vv'], wordStart: true },
  { re: /\bTE\s?-?[1-4]\b/gi, needs: /\bte/i, prefixes: ['te'], wordStart: true },
  { re: /\bBCLC\s*(?:stage\s*)?[0ABCD]\b/gi, needs: /\bbclc/i, prefixes: ['bclc'], wordStart: true },
  {
    re: /\b(?:m-?)?RECIST\s*(?:v(?:ersion)?\s*)?1\.[01]\b/gi,
    needs: /\bm?recist/i,
    prefixes: ['mrec', 'reci'],
    wordStart: true,
  },
  { re: /\bT[12](?:-?weighted|W)?\b/g, needs: /T[12]/, prefixes: ['t#'] },
  // "series", "se", "image", "im", "img", "slice", "sl".
  {
    re: /\b(?:series|se|image|im|img|slice|sl)\.?\s*[:#]?\s*\d+(?:\s*[/,]\s*\d+)?/gi,
    needs: /\b(?:se|im|sl)/i,
    prefixes: ['se', 'im', 'sl'],
    wordStart: true,
  },
  { re: /\(\s*\d{1,3}\s*\/\s*\d{1,4}\s*\)/g, needs: /\// },
  { re: /\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?\b/g, needs: /\d-/, prefixes: ['#-'] },
  { re: /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, needs: /\d[/.]/, prefixes: ['#/', '#.'] },
  { re: /\b\d{1,2}:\d{2}\b/g, needs: /\d:/, prefixes: ['#:'] },
  { re: /\b(?:19|20)\d{2}\b/g, needs: /19|20/, prefixes: ['19', '20'] },
  {
    re: /\b\d{1,2}(?:st|nd|rd|th)\b/gi,
    needs: /\d(?:st|nd|rd|th)/i,
    prefixes: ['#st', '#nd', '#rd', '#th'],
  },
  {
    re: /\b(?:\d{1,2}\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:\s+\d{1,2}\b)?/gi,
    needs: /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i,
    prefixes: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    wordStart: true,
  },
  // "mo" also covers "month(s)".
  {
    re: /\b\d{1,3}(?:\s|-)(?:days?|weeks?|months?|years?|yrs?|wk|mo)\b(?:-old)?/gi,
    needs: /\b(?:day|week|mo|year|yr|wk)/i,
    prefixes: ['day', 'week', 'mo', 'year', 'yr', 'wk'],
    wordStart: true,
  },
  {
    re: /\b(?:grade|class|stage|ECOG|PS|ALBI|Child-?Pugh(?:\s*(?:class|score))?)\s*[A-C]?\d\w?\b/gi,
    needs: /\b(?:grade|class|stage|ecog|ps|albi|child)/i,
    prefixes: ['grad', 'clas', 'stag', 'ecog', 'ps', 'albi', 'chil'],
    wordStart: true,
  },
  {
    re: /\b(?:TACE|session|cycle|procedure|treatment|visit|phase|day|week|month)\s*#?\s*\d+\b/gi,
    needs: /\b(?:tace|session|cycle|procedure|treatment|visit|phase|day|week|month)/i,
    prefixes: ['tace', 'sess', 'cycl', 'proc', 'trea', 'visi', 'phas', 'day', 'week', 'mont'],
    wordStart: true,
  },
  { re: /(?<!\d\s?)\bx\s?\d\b(?![.\d])/g, needs: /\bx/, prefixes: ['x'], wordStart: true },
  { re: /^\s*(?:\d{1,2}|[a-z])[.)]\s/gi, needs: /[.)]/ },
];

const HAS_DIGIT = /\d/;
const maskDigits = (m: string): string => m.replace(/\d/g, '#');
/** "2,4 cm" → "2.4 cm" (European dictation). */
const DECIMAL_COMMA = /(\d),(\d{1,2})(?=\s*(?:cm|mm|%|[x×]\s*\d))/g;
/** DECIMAL_COMMA cannot match without a digit, a comma and a digit. */
const DECIMAL_COMMA_PRETEST = /\d,\d/;
/** Bit k: DISTRACTORS[k] may need testing (always for those without prefixes). */
const NEEDS_TABLES = prefixTables(
  DISTRACTORS.map((d, k) => ({ bit: 1 << k, prefixes: d.prefixes, wordStart: d.wordStart === true })),
);

/**
 * `clause` with the digits of every distractor token replaced by '#', character positions unchanged; a decimal
 * comma before a unit becomes a point ("2,4 cm" → "2.4 cm", European dictation).
 */
export function maskDistractors(clause: string): string {
  // Every step only rewrites digits, so once none is left the rest cannot change the text.
  if (!HAS_DIGIT.test(clause)) return clause;
  let out = DECIMAL_COMMA_PRETEST.test(clause) ? clause.replace(DECIMAL_COMMA, '$1.$2') : clause;
  // Signed once, on the text the first pre-test runs on: the masks after it only turn digits into '#', which no
  // prefix begins with, so a literal a later text holds begins at the same place, with the same units, in this
  // one (a masked digit before it counts as a possible word start).
  const signature = prefixSignature(out, NEEDS_TABLES);
  for (let k = 0; k < DISTRACTORS.length; k++) {
    const d = DISTRACTORS[k]!;
    if ((signature & (1 << k)) === 0) continue; // exact: `needs` cannot match (see prefixSignature)
    if (!d.needs.test(out)) continue; // exact: the replace would change nothing
    // A test without a match is much cheaper than a replace without one; `test` on the global pattern scans from
    // lastIndex 0 and leaves lastIndex behind its match, and `replace` starts again from 0.
    d.re.lastIndex = 0;
    if (!d.re.test(out)) continue;
    d.re.lastIndex = 0;
    out = out.replace(d.re, maskDigits);
    if (!HAS_DIGIT.test(out)) break;
  }
  return out;
}
