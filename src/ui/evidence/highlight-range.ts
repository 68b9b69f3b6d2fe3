/**
 * Where, in the report sentence as written, are the words a finding was read from? The extractor
 * (fhir/map/report-text.ts) reads a template line as the sentence it stands for ("Modified RECIST: SD" is read as
 * "Modified RECIST stable disease", "Viable tumour: 70 %" as "Viable tumour 70 %", a line under an "mRECIST"
 * heading as "mRECIST SD"), so its matched words are not always a substring of the sentence shown. This finds them
 * in the sentence as written — never a look-alike elsewhere in it ("SD" inside a word, a "5" of "LR-5" or of
 * "segment 5") — and returns nothing rather than a guess when the words are not there.
 */

export type Range = readonly [start: number, end: number];

/** The category phrases the template reader writes for a field's value, and how reports spell that value. */
const REWRITTEN: readonly [RegExp, string][] = [
  [/\bcomplete response\b/i, '(?:CR|complete(?:\\s+response)?)'],
  [/\bpartial response\b/i, '(?:PR|partial(?:\\s+response)?)'],
  [/\bstable disease\b/i, '(?:SD|stable(?:\\s+disease)?)'],
  [/\bprogressive disease\b/i, '(?:PD|progressi(?:on|ve)(?:\\s+disease)?)'],
];

/** Words the reader adds ("No", "The largest measures", "present", "Possible") that a template line may lack. */
const ADDED = new Set(['no', 'the', 'largest', 'measures', 'present', 'possible', 'is', 'previously']);

const SEPARATOR = '[\\s:;,.()\\[\\]/–—-]*';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Word-like tokens of the matched words: "Viable tumour 70 %" → Viable, tumour, 70, %. */
function tokens(words: string): string[] {
  return words.match(/[A-Za-z0-9µ]+(?:[.,'’][A-Za-z0-9]+)*|[%<>≤≥~×]/g) ?? [];
}

/** A token as a pattern that never matches inside a longer word or number ("PR" not in "PRIOR", "5" not in "15"). */
function tokenPattern(t: string): string {
  const e = escape(t);
  if (/^\d/.test(t)) return `${NOT_A_GRADE}(?<![A-Za-z0-9µ.,])${e}(?![A-Za-z0-9µ]|[.,]\\d)`;
  return /^[A-Za-z0-9µ]/.test(t) ? `(?<![A-Za-z0-9µ])${e}(?![A-Za-z0-9µ])` : e;
}

/** A number that is a grade or a place, never a count or size: LR-5, TE3, Vp3, segment 5, S5. */
const NOT_A_GRADE = '(?<!\\b(?:LR|LI-?RADS|TE|Vp|Vv|S)[\\s-]?)(?<!\\b(?:segments?|seg\\.?|Couinaud)\\s*)';

/** The reader's nouns for a count field without one ("Tumor count: 7" is read as "7 lesions"). */
const SOFT = new Set(['lesion', 'lesions']);

function firstMatch(sentence: string, pattern: string): Range | undefined {
  const m = new RegExp(pattern, 'i').exec(sentence);
  return m && m[0].length > 0 ? [m.index, m.index + m[0].length] : undefined;
}

/** The matched words as a phrase: token by token, any punctuation or spacing between them. */
function phrase(sentence: string, parts: readonly string[]): Range | undefined {
  if (parts.length === 0) return undefined;
  return firstMatch(sentence, parts.join(SEPARATOR));
}

/** The phrase with the reader's category phrases turned back into what a report writes ("SD", "stable"). */
function rewrittenParts(matched: string): string[] | undefined {
  let text = matched;
  const alternatives: string[] = [];
  for (const [re, alt] of REWRITTEN) {
    if (!re.test(text)) continue;
    text = text.replace(re, ` \uE000${alternatives.length} `);
    alternatives.push(alt);
  }
  if (alternatives.length === 0) return undefined;
  return text
    .split(/\s+/)
    .filter((w) => w !== '')
    .flatMap((w) => {
      const alt = /^\uE000(\d+)$/.exec(w);
      if (alt) return [alternatives[Number(alt[1])] as string];
      return tokens(w).map(tokenPattern);
    });
}

/**
 * The shortest stretch of the sentence holding every content token of the matched words, in any order ("3
 * lesions" read from "Number of lesions: 3"), if it is no longer than the words themselves plus a field's worth.
 */
function window(sentence: string, matched: string): Range | undefined {
  const content = tokens(matched).filter((t) => !ADDED.has(t.toLowerCase()));
  const found = content
    .map((t) => {
      const re = new RegExp(tokenPattern(t), 'gi');
      const out: Range[] = [];
      for (let m = re.exec(sentence); m; m = re.exec(sentence)) out.push([m.index, m.index + m[0].length]);
      return { t, out };
    })
    .filter((h) => h.out.length > 0 || !SOFT.has(h.t.toLowerCase()));
  if (found.length < 2 || found.some((h) => h.out.length === 0)) return undefined;
  const hits = found.map((h) => h.out);
  let best: Range | undefined;
  // Anchor on each occurrence of the first token; take the nearest occurrence of every other token.
  for (const anchor of hits[0] as Range[]) {
    let lo = anchor[0];
    let hi = anchor[1];
    for (const h of hits.slice(1)) {
      const near = h.reduce((a, b) => (Math.abs(b[0] - anchor[0]) < Math.abs(a[0] - anchor[0]) ? b : a));
      lo = Math.min(lo, near[0]);
      hi = Math.max(hi, near[1]);
    }
    if (!best || hi - lo < best[1] - best[0]) best = [lo, hi];
  }
  if (!best || best[1] - best[0] > matched.length + 24) return undefined;
  return best;
}

/**
 * The longest run of consecutive matched tokens found as a phrase, when the reader put words before the sentence's
 * own (a scale heading: "mRECIST SD" for the line "SD"). Added words alone ("No") never make a run.
 */
function longestRun(sentence: string, matched: string): Range | undefined {
  const ts = tokens(matched);
  for (let len = ts.length - 1; len >= 1; len--) {
    for (let i = 0; i + len <= ts.length; i++) {
      const run = ts.slice(i, i + len);
      if (run.every((t) => ADDED.has(t.toLowerCase()) || /^[%<>≤≥~×]$/.test(t))) continue;
      const r = phrase(sentence, run.map(tokenPattern));
      if (r) return r;
    }
  }
  return undefined;
}

/** Where the matched words stand in the sentence as written, or undefined when they are not in it. */
export function highlightRange(sentence: string, matched: string | undefined): Range | undefined {
  const words = matched?.trim();
  if (!words || !sentence) return undefined;
  const r = found(sentence, words);
  if (!r) return undefined;
  // "(<50%" → "(<50%)": a bracket opened in the marked words is closed with them when the sentence closes it next.
  const marked = sentence.slice(r[0], r[1]);
  const open = (marked.match(/\(/g) ?? []).length - (marked.match(/\)/g) ?? []).length;
  if (open > 0 && sentence[r[1]] === ')') return [r[0], r[1] + 1];
  // "… target lesion)" → "… target lesion": a bracket closed in the marked words but opened before them stays out.
  if (open < 0 && marked.endsWith(')')) return [r[0], r[1] - 1];
  return r;
}

function found(sentence: string, words: string): Range | undefined {
  return (
    firstMatch(sentence, tokenPattern(words)) ??
    phrase(sentence, tokens(words).map(tokenPattern)) ??
    phrase(sentence, rewrittenParts(words) ?? []) ??
    window(sentence, words) ??
    longestRun(sentence, words)
  );
}

/** The ranges of several matched phrases (one evidence item may rest on more than one), merged and sorted. */
export function highlightRanges(sentence: string, matched: readonly (string | undefined)[]): Range[] {
  const ranges = matched
    .map((m) => highlightRange(sentence, m))
    .filter((r): r is Range => r !== undefined)
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of ranges) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
