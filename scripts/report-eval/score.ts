/**
 * Scorer for the report-text reader (ARCHITECTURE.md, "Report reading as a tested component with its own
 * evaluation"). Pure: it parses the labelled sentence corpus (tests/fixtures/report-sentences/*.tsv), runs a reader
 * over each text, normalises the reader's findings into the corpus's label language and compares. No file or clock
 * access here; scripts/eval-reports.ts reads the files and prints.
 *
 * Corpus line: `family<TAB>text<TAB>labels`. `#` starts a comment. In `text`, a literal `\n` is a line break and
 * `\r\n` a CRLF. `labels` is `-` (nothing of interest) or `;`-separated items (see the corpus README comment in
 * each .tsv and parseLabels below). A finding type absent from the labels must not be asserted by the reader.
 */
import type { ImagingFinding } from '../../src/domain/imaging';

// ---------------------------------------------------------------------------------------------------------------
// Label language
// ---------------------------------------------------------------------------------------------------------------

export const FAMILIES = [
  'distractor-numbers',
  'count-size',
  'response-category',
  'percentages',
  'tr-te-enhancement',
  'hedges',
  'layout',
  'vascular',
  'extrahepatic',
  'new-lesions',
] as const;
export type Family = (typeof FAMILIES)[number];

export const KINDS = ['vi', 'ehs', 'new', 'count', 'largest', 'resp', 'viable', 'lipiodol'] as const;
export type Kind = (typeof KINDS)[number];

export type PresenceValue = 'present' | 'absent' | 'uncertain';
export type Comparator = '=' | '<' | '<=' | '>' | '>=';
export type EvalScale = 'mrecist' | 'easl' | 'recist' | 'lirads-tr' | 'recicl';

/** One item of the label language; a normalised reader finding has the same shape. */
export type Item =
  | { readonly kind: 'vi' | 'ehs' | 'new'; readonly value: PresenceValue }
  | { readonly kind: 'count'; readonly value: number | 'many' }
  | { readonly kind: 'largest'; readonly cm: number }
  | { readonly kind: 'resp'; readonly scale: string; readonly category: string }
  | { readonly kind: 'viable' | 'lipiodol'; readonly comparator: Comparator; readonly percent: number };

/** Categories each scale may carry in a label (NR = "no objective response": SD or PD, stated). */
const SCALE_CATEGORIES: Readonly<Record<EvalScale, readonly string[]>> = {
  mrecist: ['CR', 'PR', 'SD', 'PD', 'NR'],
  easl: ['CR', 'PR', 'SD', 'PD', 'NR'],
  recist: ['CR', 'PR', 'SD', 'PD', 'NR'],
  'lirads-tr': ['viable', 'nonviable', 'equivocal', 'nonevaluable'],
  recicl: ['TE1', 'TE2', 'TE3', 'TE4'],
};

/** Largest-diameter readings within this many cm of the label match (rounding of mm → cm). */
export const LARGEST_TOLERANCE_CM = 0.05;

/**
 * The clinical line for a "critical" viable-percent false positive: the JSH "insufficient" rule is viable ≥ 50 %
 * (clinical-reference.md §2, "viable ≥ 50 % (setting)"; default 50).
 */
export const CRITICAL_VIABLE_PERCENT = 50;

export function formatItem(item: Item): string {
  switch (item.kind) {
    case 'vi':
    case 'ehs':
    case 'new':
    case 'count':
      return `${item.kind}=${item.value}`;
    case 'largest':
      return `largest=${item.cm}`;
    case 'resp':
      return `resp=${item.scale}:${item.category}`;
    case 'viable':
    case 'lipiodol':
      return `${item.kind}${item.comparator}${item.percent}`;
  }
}

/** Parses a labels field; returns the items, or an error message. */
export function parseLabels(field: string): { items: Item[] } | { error: string } {
  const trimmed = field.trim();
  if (trimmed === '-') return { items: [] };
  if (trimmed === '') return { error: 'empty labels (write - for nothing of interest)' };
  const items: Item[] = [];
  for (const raw of trimmed.split(';')) {
    const part = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(vi|ehs|new)=(present|absent|uncertain)$/))) {
      items.push({ kind: m[1] as 'vi' | 'ehs' | 'new', value: m[2] as PresenceValue });
    } else if ((m = part.match(/^count=(\d+|many)$/))) {
      items.push({ kind: 'count', value: m[1] === 'many' ? 'many' : Number(m[1]) });
    } else if ((m = part.match(/^largest=(\d+(?:\.\d+)?)$/))) {
      items.push({ kind: 'largest', cm: Number(m[1]) });
    } else if ((m = part.match(/^resp=([a-z-]+):(\w+)$/))) {
      const scale = m[1] as EvalScale;
      const allowed = SCALE_CATEGORIES[scale];
      if (!allowed) return { error: `unknown response scale "${m[1]}" in "${part}"` };
      if (!allowed.includes(m[2] ?? '')) return { error: `category "${m[2]}" is not one of ${scale}'s` };
      items.push({ kind: 'resp', scale, category: m[2] ?? '' });
    } else if ((m = part.match(/^(viable|lipiodol)(<=|>=|<|>|=)(\d+(?:\.\d+)?)$/))) {
      const percent = Number(m[3]);
      if (percent > 100) return { error: `percentage over 100 in "${part}"` };
      items.push({ kind: m[1] as 'viable' | 'lipiodol', comparator: m[2] as Comparator, percent });
    } else {
      return { error: `cannot parse label item "${part}"` };
    }
  }
  return { items };
}

// ---------------------------------------------------------------------------------------------------------------
// Corpus parsing
// ---------------------------------------------------------------------------------------------------------------

export interface CorpusCase {
  readonly file: string;
  /** 1-based line number in the file. */
  readonly line: number;
  readonly family: Family;
  /** The text as written in the file (escapes kept), for printing. */
  readonly raw: string;
  /** The text given to the reader (escapes turned into real line breaks). */
  readonly text: string;
  readonly labels: readonly Item[];
  readonly hasDistractor: boolean;
}

export interface ParsedCorpus {
  readonly cases: CorpusCase[];
  /** `file:line: message` for every line that could not be parsed. */
  readonly errors: string[];
}

/** `\r\n` (backslash-r backslash-n) → CRLF, then `\n` → LF. */
export function decodeText(raw: string): string {
  return raw.replace(/\\r\\n/g, '\r\n').replace(/\\n/g, '\n');
}

export function parseCorpusFile(file: string, content: string): ParsedCorpus {
  const cases: CorpusCase[] = [];
  const errors: string[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (line.trim() === '' || line.startsWith('#')) return;
    const fields = line.split('\t');
    if (fields.length !== 3) {
      errors.push(`${where}: expected 3 tab-separated fields, found ${fields.length}`);
      return;
    }
    const [family, raw, labelField] = fields as [string, string, string];
    if (!(FAMILIES as readonly string[]).includes(family)) {
      errors.push(`${where}: unknown family "${family}"`);
      return;
    }
    if (raw.trim() === '') {
      errors.push(`${where}: empty text`);
      return;
    }
    const parsed = parseLabels(labelField);
    if ('error' in parsed) {
      errors.push(`${where}: ${parsed.error}`);
      return;
    }
    const text = decodeText(raw);
    cases.push({
      file,
      line: i + 1,
      family: family as Family,
      raw,
      text,
      labels: parsed.items,
      hasDistractor: hasDistractorNumbers(text),
    });
  });
  return { cases, errors };
}

// ---------------------------------------------------------------------------------------------------------------
// Distractor numbers: numbers in a report that are not counts, sizes or viable fractions
// ---------------------------------------------------------------------------------------------------------------

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const DISTRACTOR_PATTERNS: readonly RegExp[] = [
  // LI-RADS v2018 categories
  /\bLR-(?:[1-5]|M|TIV|TR|NC)\b/i,
  // Couinaud segments: "segment 8", "segments 6 and 7", "seg. VI", "S8", "S4a"
  /\bseg(?:ment)?s?\.?\s*(?:[1-8]|I{1,3}|IV[ab]?|VI{0,3})\b/i,
  /\bS[1-8][ab]?\b/,
  // LCSGJ portal / hepatic vein grades, RECICL treatment effect
  /\bV[pv]\s?[0-4]\b/,
  /\bTE\s?[1-4]\b/,
  // BCLC stages, Child-Pugh classes with points
  /\bBCLC(?:\s+stage)?\s*[-:]?\s*(?:0|A|B|C|D)\b/i,
  /\bChild[- ]Pugh(?:\s+class)?\s*[ABC]\s?\d{0,2}\b/i,
  // dates
  /\b\d{4}-\d{2}-\d{2}\b/,
  /\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b/,
  /\b\d{4}\/\d{1,2}\/\d{1,2}\b/,
  new RegExp(`\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'i'),
  new RegExp(`\\b\\d{1,2}\\s+${MONTH}\\s+\\d{4}\\b`, 'i'),
  new RegExp(`\\b${MONTH}\\s+\\d{4}\\b`, 'i'),
  // series / image numbers
  /\b(?:series|se|ser)\.?\s*:?\s*#?\d+\b/i,
  /\b(?:image|img|im)\.?\s*:?\s*#?\d+\b/i,
  // change percentages: "decreased by 45 %", "(−45 %)", "a 30% reduction"
  /\b(?:decrease|increase|reduc|shrink|shrank|grow|grew|enlarg|change|rise|fall|drop|declin)\w*\s+(?:by\s+|of\s+)?(?:about\s+|approximately\s+)?[−–+-]?\d+(?:\.\d+)?\s*%/i,
  /\d+(?:\.\d+)?\s*%\s+(?:decrease|increase|reduction|shrinkage|growth|enlargement|change)\b/i,
  /\(\s*[−–+-]\s?\d+(?:\.\d+)?\s*%\s*\)/,
  // prior sizes: "previously 3.4 cm", "from 4.1 cm", "baseline 52 mm"
  /\b(?:previously|prior|formerly|was|were|from|baseline|nadir|before)\b[^.;\n]{0,25}?\d+(?:\.\d+)?\s*(?:cm|mm)\b/i,
];

export function hasDistractorNumbers(text: string): boolean {
  return DISTRACTOR_PATTERNS.some((re) => re.test(text));
}

// ---------------------------------------------------------------------------------------------------------------
// Normalising reader findings
// ---------------------------------------------------------------------------------------------------------------

export interface Reading {
  readonly item: Item;
  /** True when the finding is hedged (polarity uncertain or confidence low) or negated. */
  readonly assertion: boolean;
  readonly finding: ImagingFinding;
}

const PRESENCE_KIND = {
  'vascular-invasion': 'vi',
  'extrahepatic-spread': 'ehs',
  'new-lesions': 'new',
} as const;

function comparatorOf(c: string | undefined): Comparator {
  return c === '<' || c === '<=' || c === '>' || c === '>=' ? c : '=';
}

/**
 * One reader finding in the label language. Presence types: hedged (polarity uncertain, confidence low or
 * presence unknown) → `uncertain`; negated → `absent`; else the finding's presence. Value types (count, largest,
 * response, percentages): a hedged or negated reading is kept but marked as not an assertion (it is ignored).
 */
export function normaliseFinding(f: ImagingFinding): Reading {
  const hedged = f.polarity === 'uncertain' || f.confidence === 'low';
  const assertion = !hedged && f.polarity === 'positive';
  switch (f.type) {
    case 'vascular-invasion':
    case 'extrahepatic-spread':
    case 'new-lesions': {
      const value: PresenceValue =
        hedged || f.presence === 'unknown' ? 'uncertain' : f.polarity === 'negative' ? 'absent' : f.presence;
      return { item: { kind: PRESENCE_KIND[f.type], value }, assertion: true, finding: f };
    }
    case 'tumor-count': {
      // `atLeast` is being added to TumorCountFinding; read it structurally so this compiles before and after.
      const atLeast = 'atLeast' in f && (f as { readonly atLeast?: unknown }).atLeast === true;
      return { item: { kind: 'count', value: atLeast ? 'many' : f.count }, assertion, finding: f };
    }
    case 'largest-diameter':
      return { item: { kind: 'largest', cm: f.cm }, assertion, finding: f };
    case 'response':
      return {
        item: { kind: 'resp', scale: String(f.scale), category: String(f.category) },
        assertion,
        finding: f,
      };
    case 'viable-percent':
      return {
        item: { kind: 'viable', comparator: comparatorOf(f.comparator), percent: f.percent },
        assertion,
        finding: f,
      };
    case 'lipiodol-deposition':
      return {
        item: { kind: 'lipiodol', comparator: comparatorOf(f.comparator), percent: f.percent },
        assertion,
        finding: f,
      };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------------------------

export function sameItem(a: Item, b: Item): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'vi':
    case 'ehs':
    case 'new':
    case 'count':
      return a.value === (b as typeof a).value;
    case 'largest':
      return Math.abs(a.cm - (b as typeof a).cm) <= LARGEST_TOLERANCE_CM + 1e-9;
    case 'resp':
      return a.scale === (b as typeof a).scale && a.category === (b as typeof a).category;
    case 'viable':
    case 'lipiodol':
      return (
        a.comparator === (b as typeof a).comparator && Math.abs(a.percent - (b as typeof a).percent) < 1e-6
      );
  }
}

/** Lower bound of a percentage interval (`<`/`<=` start at 0). */
function lowerBound(item: Extract<Item, { kind: 'viable' | 'lipiodol' }>): number {
  return item.comparator === '<' || item.comparator === '<=' ? 0 : item.percent;
}

/** A viable reading whose whole interval lies at or above the 50 % line. */
export function wholeIntervalAtOrAbove50(item: Item): boolean {
  return item.kind === 'viable' && lowerBound(item) >= CRITICAL_VIABLE_PERCENT;
}

/**
 * Critical false positives are the ones that can turn a criterion falsely "met": vascular invasion, extrahepatic
 * spread or new lesions read as present; any asserted tumour count the labels do not hold; a viable fraction wholly
 * ≥ 50 % when the label's is not.
 */
export function isCritical(fp: Item, labels: readonly Item[]): boolean {
  if ((fp.kind === 'vi' || fp.kind === 'ehs' || fp.kind === 'new') && fp.value === 'present') return true;
  if (fp.kind === 'count') return true;
  if (fp.kind === 'viable' && wholeIntervalAtOrAbove50(fp)) {
    return !labels.some((l) => l.kind === 'viable' && wholeIntervalAtOrAbove50(l));
  }
  return false;
}

export interface CaseResult {
  readonly case: CorpusCase;
  readonly readings: readonly Reading[];
  /** Hedged or negated value readings, not counted. */
  readonly ignored: readonly Reading[];
  readonly tp: readonly Item[];
  readonly fp: readonly Item[];
  readonly fn: readonly Item[];
  readonly critical: readonly Item[];
}

/** Compares one line's labels with the reader's findings. Pure. */
export function compareFindings(c: CorpusCase, findings: readonly ImagingFinding[]): CaseResult {
  const readings = findings.map(normaliseFinding);
  const asserted: Item[] = [];
  const ignored: Reading[] = [];
  for (const r of readings) {
    if (!r.assertion) ignored.push(r);
    else if (!asserted.some((a) => sameItem(a, r.item))) asserted.push(r.item);
  }
  const tp: Item[] = [];
  const fp: Item[] = [];
  const matched = new Set<number>();
  for (const a of asserted) {
    const idx = c.labels.findIndex((l, i) => !matched.has(i) && sameItem(l, a));
    if (idx >= 0) {
      matched.add(idx);
      tp.push(a);
    } else if (c.labels.some((l) => sameItem(l, a))) {
      // A second reading matching an already-matched label (e.g. 3.2 and 3.24 cm): not a new error.
      continue;
    } else {
      fp.push(a);
    }
  }
  const fn = c.labels.filter((_, i) => !matched.has(i));
  const critical = fp.filter((f) => isCritical(f, c.labels));
  return { case: c, readings, ignored, tp, fp, fn, critical };
}

// ---------------------------------------------------------------------------------------------------------------
// Whole corpus
// ---------------------------------------------------------------------------------------------------------------

export type Reader = (text: string) => readonly ImagingFinding[];

export interface TypeScore {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  /** null when there is nothing to divide by. */
  readonly precision: number | null;
  readonly recall: number | null;
}

export interface FamilyScore {
  readonly lines: number;
  readonly tp: number;
  readonly fn: number;
  readonly fp: number;
  readonly recall: number | null;
}

export interface Located {
  readonly where: string;
  readonly family: Family;
  readonly text: string;
  readonly item: string;
  /** What the reader said on that line (label language), to see a mismatch at a glance. */
  readonly reader: string;
}

export interface CorpusScore {
  readonly lines: number;
  readonly distractorLines: number;
  readonly distractorShare: number;
  readonly perType: Readonly<Record<Kind, TypeScore>>;
  readonly perFamily: Readonly<Record<Family, FamilyScore>>;
  readonly falsePositives: readonly Located[];
  readonly falseNegatives: readonly Located[];
  readonly criticalFalsePositives: readonly Located[];
  readonly errors: readonly string[];
  readonly results: readonly CaseResult[];
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** Runs the reader over every case (each reader call is wrapped: a throw is recorded, never fatal). */
export function scoreCorpus(files: readonly { name: string; content: string }[], read: Reader): CorpusScore {
  const errors: string[] = [];
  const cases: CorpusCase[] = [];
  for (const f of files) {
    const parsed = parseCorpusFile(f.name, f.content);
    cases.push(...parsed.cases);
    errors.push(...parsed.errors);
  }
  const results: CaseResult[] = cases.map((c) => {
    let findings: readonly ImagingFinding[] = [];
    try {
      findings = read(c.text);
    } catch (e) {
      errors.push(`${c.file}:${c.line}: reader threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    return compareFindings(c, findings);
  });

  const perTypeCounts = Object.fromEntries(KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }])) as Record<
    Kind,
    { tp: number; fp: number; fn: number }
  >;
  const perFamilyCounts = Object.fromEntries(
    FAMILIES.map((fam) => [fam, { lines: 0, tp: 0, fn: 0, fp: 0 }]),
  ) as Record<Family, { lines: number; tp: number; fn: number; fp: number }>;
  const falsePositives: Located[] = [];
  const falseNegatives: Located[] = [];
  const criticalFalsePositives: Located[] = [];
  for (const r of results) {
    const where = `${r.case.file}:${r.case.line}`;
    const said = r.readings
      .map((x) => (x.assertion ? formatItem(x.item) : `(${formatItem(x.item)} not asserted)`))
      .join('; ');
    const loc = (item: Item): Located => ({
      where,
      family: r.case.family,
      text: r.case.raw,
      item: formatItem(item),
      reader: said || '(nothing)',
    });
    const fam = perFamilyCounts[r.case.family];
    fam.lines += 1;
    fam.tp += r.tp.length;
    fam.fn += r.fn.length;
    fam.fp += r.fp.length;
    for (const i of r.tp) perTypeCounts[i.kind].tp += 1;
    for (const i of r.fp) {
      perTypeCounts[i.kind].fp += 1;
      falsePositives.push(loc(i));
    }
    for (const i of r.fn) {
      perTypeCounts[i.kind].fn += 1;
      falseNegatives.push(loc(i));
    }
    for (const i of r.critical) criticalFalsePositives.push(loc(i));
  }
  const perType = Object.fromEntries(
    KINDS.map((k) => {
      const { tp, fp, fn } = perTypeCounts[k];
      return [k, { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) }];
    }),
  ) as Record<Kind, TypeScore>;
  const perFamily = Object.fromEntries(
    FAMILIES.map((fam) => {
      const s = perFamilyCounts[fam];
      return [fam, { ...s, recall: ratio(s.tp, s.tp + s.fn) }];
    }),
  ) as Record<Family, FamilyScore>;
  const distractorLines = cases.filter((c) => c.hasDistractor).length;
  return {
    lines: cases.length,
    distractorLines,
    distractorShare: cases.length === 0 ? 0 : distractorLines / cases.length,
    perType,
    perFamily,
    falsePositives,
    falseNegatives,
    criticalFalsePositives,
    errors,
    results,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------------------------

const pct = (x: number | null): string => (x === null ? '  n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);

export function formatLocated(l: Located): string {
  return `  ${l.where} [${l.family}] ${l.item} — reader: ${l.reader}\n      ${l.text}`;
}

/** The summary tables only (no per-line lists). */
export function formatSummary(s: CorpusScore): string {
  const out: string[] = [];
  out.push(
    `lines: ${s.lines}; with distractor numbers: ${s.distractorLines} (${pct(s.distractorShare).trim()})`,
    '',
    'type       TP    FP    FN  precision  recall',
  );
  for (const k of KINDS) {
    const t = s.perType[k];
    out.push(
      `${k.padEnd(9)}${String(t.tp).padStart(4)}${String(t.fp).padStart(6)}${String(t.fn).padStart(6)}` +
        `     ${pct(t.precision)}  ${pct(t.recall)}`,
    );
  }
  const total = KINDS.reduce(
    (acc, k) => ({
      tp: acc.tp + s.perType[k].tp,
      fp: acc.fp + s.perType[k].fp,
      fn: acc.fn + s.perType[k].fn,
    }),
    { tp: 0, fp: 0, fn: 0 },
  );
  out.push(
    `${'all'.padEnd(9)}${String(total.tp).padStart(4)}${String(total.fp).padStart(6)}${String(total.fn).padStart(6)}` +
      `     ${pct(ratio(total.tp, total.tp + total.fp))}  ${pct(ratio(total.tp, total.tp + total.fn))}`,
    '',
    'family               lines   TP   FN   FP  recall',
  );
  for (const fam of FAMILIES) {
    const f = s.perFamily[fam];
    out.push(
      `${fam.padEnd(20)}${String(f.lines).padStart(6)}${String(f.tp).padStart(5)}${String(f.fn).padStart(5)}` +
        `${String(f.fp).padStart(5)}  ${pct(f.recall)}`,
    );
  }
  out.push('', `critical false positives: ${s.criticalFalsePositives.length}`);
  if (s.errors.length > 0) out.push(`corpus/reader errors: ${s.errors.length}`);
  return out.join('\n');
}

/** The full report: summary, then every error, critical FP, FP and FN with its file:line. */
export function formatReport(s: CorpusScore): string {
  const out = [formatSummary(s)];
  if (s.errors.length > 0) out.push('', 'ERRORS', ...s.errors.map((e) => `  ${e}`));
  out.push('', `CRITICAL FALSE POSITIVES (${s.criticalFalsePositives.length})`);
  out.push(...s.criticalFalsePositives.map(formatLocated));
  out.push('', `FALSE POSITIVES (${s.falsePositives.length})`);
  out.push(...s.falsePositives.map(formatLocated));
  out.push('', `FALSE NEGATIVES (${s.falseNegatives.length})`);
  out.push(...s.falseNegatives.map(formatLocated));
  return out.join('\n');
}
