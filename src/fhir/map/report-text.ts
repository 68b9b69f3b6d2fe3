/**
 * Findings from radiology report text (clinical-reference.md §2; shared/ehr-integration.md: "almost always free
 * text"). Per sentence and clause, small regex extractors per phrasing family; NegEx-style negation (Chapman et al.,
 * J Biomed Inform 2001) within the clause → negative; hedges → uncertain, never positive. Every finding keeps the
 * exact sentence and the matched words so the clinician can check it.
 */
import type {
  FindingConfidence,
  ImagingFinding,
  LiradsTrCategory,
  MrecistCategory,
  Polarity,
  ReciclCategory,
  ResponseScale,
  VpGrade,
} from '../../domain/imaging';
import type { Evidence, EvidenceOrigin, SourceRef } from '../../domain/source';
import { splitSentences } from './text-normalize';

// ---------------------------------------------------------------------------------------------------------------
// Negation and hedging
// ---------------------------------------------------------------------------------------------------------------

/** Clause boundaries that end a negation's scope (NegEx termination terms). */
const CLAUSE_SPLIT =
  /;|:(?=\s)|,?\s+\b(?:but|however|although|though|except|whereas|while|yet|aside from)\b\s*/i;

const NEG_PRE =
  /\b(?:no|not|without|negative for|free of|absence of|absent|resolved|resolution of|no evidence of|no longer|rules? out|ruled out|never)\b/i;
const NEG_POST =
  /^[^.;]{0,30}?\b(?:is|are|has|have|was|were)?\s*(?:absent|not (?:seen|identified|present|visualized|visualised|demonstrated|evident)|resolved|no longer (?:seen|visible|present|identified))\b/i;
const HEDGE =
  /\b(?:possible|possibly|probable|probably|likely|may (?:be|represent)|might|could (?:be|represent)|cannot (?:be )?exclude[d]?|can ?not be (?:excluded|ruled out)|not (?:be )?excluded|indeterminate|equivocal|suspicious (?:for|of)|suspect(?:ed)?|questionable|question of|concern(?:ing)? for|worrisome for|suggestive of|differential|versus|vs\.?|uncertain|unclear)\b|\?/i;

/** The last `n` words of a string (NegEx looks back a few words, not the whole clause). */
function lastWords(s: string, n: number): string {
  const words = s.trim().split(/\s+/);
  return words.slice(Math.max(0, words.length - n)).join(' ');
}

/**
 * Polarity of the span [start, end) within `clause`. Hedges win over negation ("cannot exclude" contains a
 * negation but means uncertain). `ignore` removes words that belong to the finding itself (e.g. "Equivocal" as an
 * LI-RADS category) before the hedge test.
 */
export function polarityOf(clause: string, start: number, end: number, ignore?: RegExp): Polarity {
  const pre = clause.slice(0, start);
  const post = clause.slice(end);
  const whole = ignore ? clause.replace(ignore, ' ') : clause;
  const hedgeZone = ignore ? whole : `${pre} ${post}`;
  if (HEDGE.test(hedgeZone)) return 'uncertain';
  if (NEG_PRE.test(lastWords(pre, 8)) || NEG_POST.test(post)) return 'negative';
  return 'positive';
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------------------

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  single: 1,
  solitary: 1,
  a: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};
const NUM = '(\\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|single|solitary)';

function toNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const lower = s.toLowerCase();
  if (/^\d+$/.test(lower)) return Number(lower);
  return NUMBER_WORDS[lower];
}

type PctComparator = '<' | '<=' | '>' | '>=' | '~';
const PERCENT =
  /(?:(<=|>=|<|>|≤|≥|~|approximately|approx\.?|about|around|roughly|nearly|almost|estimated at|over|greater than|more than|no more than|not more than|less than|under|below|at least)\s*)?(\d{1,3}(?:\.\d+)?)\s*(?:%|percent)/gi;

function pctComparator(word: string | undefined): PctComparator | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase();
  if (w === '<' || w === 'less than' || w === 'under' || w === 'below') return '<';
  if (w === '<=' || w === '≤' || w === 'no more than' || w === 'not more than') return '<=';
  if (w === '>' || w === 'over' || w === 'greater than' || w === 'more than') return '>';
  if (w === '>=' || w === '≥' || w === 'at least') return '>=';
  return '~';
}

const FLIP: Readonly<Record<PctComparator, PctComparator>> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '~': '~',
};

// ---------------------------------------------------------------------------------------------------------------
// Extraction
// ---------------------------------------------------------------------------------------------------------------

export interface TextContext {
  readonly source: SourceRef;
  readonly date?: string;
  /** `text` for narrative, `coded` for conclusionCode displays. */
  readonly origin?: EvidenceOrigin;
}

interface Hit {
  /** The finding without evidence (added by the caller). */
  readonly finding: DistributiveOmit<ImagingFinding, 'evidence'>;
  readonly matched: string;
  readonly value?: string;
  readonly unit?: string;
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type Extractor = (clause: string, sentence: string) => Hit[];

/**
 * Global twins of the module's regex literals, built once: compiling a fresh RegExp for every clause × extractor
 * was a top cost in profiles. Keyed by the (module-level, never mutated) pattern object.
 */
const GLOBAL_TWIN = new WeakMap<RegExp, RegExp>();

function globalTwin(re: RegExp): RegExp {
  let g = GLOBAL_TWIN.get(re);
  if (!g) {
    g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    GLOBAL_TWIN.set(re, g);
  }
  return g;
}

/**
 * Every match of `re` in `s`, in order. Collected eagerly so the shared global twin's lastIndex is never left
 * mid-scan while the caller runs (nested use of the same pattern stays safe).
 */
function matches(re: RegExp, s: string): RegExpExecArray[] {
  const g = globalTwin(re);
  g.lastIndex = 0;
  const out: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while ((m = g.exec(s)) !== null) {
    out.push(m);
    if (m[0].length === 0) g.lastIndex++;
  }
  g.lastIndex = 0;
  return out;
}

const confidenceFor = (p: Polarity, base: FindingConfidence): FindingConfidence =>
  p === 'uncertain' ? 'low' : base;

// -- response categories (mRECIST / EASL / LI-RADS TR / RECICL) --------------------------------------------------

const RESPONSE_PHRASES: readonly [RegExp, MrecistCategory][] = [
  [/\bcomplete (?:response|remission)\b/i, 'CR'],
  [/\bpartial (?:response|remission)\b/i, 'PR'],
  [/\bstable disease\b/i, 'SD'],
  [/\b(?:progressive disease|disease progression)\b/i, 'PD'],
];

function scaleIn(sentence: string): { scale: ResponseScale; named: boolean } {
  if (/\bEASL\b/i.test(sentence)) return { scale: 'easl', named: true };
  if (/\bm-?RECIST\b/i.test(sentence)) return { scale: 'mrecist', named: true };
  // Unnamed: read as mRECIST (the usual HCC scale) with lower confidence.
  return { scale: 'mrecist', named: false };
}

const NAMED_SCALE_ABBREVIATION = /\b(?:m-?RECIST|EASL)\b[^.;]{0,25}?\b(CR|PR|SD|PD)\b/;

const responseExtractor: Extractor = (clause, sentence) => {
  const hits: Hit[] = [];
  const { scale, named } = scaleIn(sentence);
  for (const [re, category] of RESPONSE_PHRASES) {
    for (const m of matches(re, clause)) {
      const polarity = polarityOf(clause, m.index, m.index + m[0].length);
      hits.push({
        finding: {
          type: 'response',
          scale,
          category,
          polarity,
          confidence: confidenceFor(polarity, named ? 'high' : 'medium'),
        },
        matched: m[0],
        value: category,
      });
    }
  }
  // Abbreviations only next to a named scale ("mRECIST: PR", "EASL PD"): bare "PD"/"PR" are too ambiguous.
  if (named && hits.length === 0) {
    // Read on the whole sentence: "mRECIST: PR" is split into clauses at the colon.
    for (const m of matches(NAMED_SCALE_ABBREVIATION, sentence)) {
      if (!clause.includes(m[1] ?? '')) continue; // report it once, from the clause that holds the category
      const category = m[1] as MrecistCategory;
      const polarity = polarityOf(sentence, m.index, m.index + m[0].length);
      hits.push({
        finding: { type: 'response', scale, category, polarity, confidence: confidenceFor(polarity, 'high') },
        matched: m[0],
        value: category,
      });
    }
  }
  return hits;
};

const LIRADS_TR =
  /\b(?:LR|LI-?RADS)[\s-]*(?:v?2018\s*)?(?:TR|treatment response)[\s:,-]*(non-?viable|viable|equivocal|non-?evaluable)\b/gi;

const liradsExtractor: Extractor = (clause) =>
  matches(LIRADS_TR, clause).map((m) => {
    const word = (m[1] ?? '').toLowerCase().replace('-', '');
    const category: LiradsTrCategory =
      word === 'nonviable'
        ? 'nonviable'
        : word === 'viable'
          ? 'viable'
          : word === 'equivocal'
            ? 'equivocal'
            : 'nonevaluable';
    const polarity = polarityOf(
      clause,
      m.index,
      m.index + m[0].length,
      new RegExp(m[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'),
    );
    return {
      finding: {
        type: 'response',
        scale: 'lirads-tr',
        category,
        polarity,
        confidence: confidenceFor(polarity, 'high'),
      },
      matched: m[0],
      value: category,
    };
  });

const RECICL_TE = /\bTE\s?-?\s?([1-4])\b/;

const reciclExtractor: Extractor = (clause, sentence) =>
  matches(RECICL_TE, clause).map((m) => {
    const category = `TE${m[1] ?? ''}` as ReciclCategory;
    const polarity = polarityOf(clause, m.index, m.index + m[0].length);
    return {
      finding: {
        type: 'response',
        scale: 'recicl',
        category,
        polarity,
        confidence: confidenceFor(polarity, /RECICL|treatment effect/i.test(sentence) ? 'high' : 'medium'),
      },
      matched: m[0],
      value: category,
    };
  });

// -- percentages: lipiodol deposition, necrosis, viable tumour ---------------------------------------------------

const LIPIODOL = /lipiodol|ethiodi[sz]ed oil/i;
const NECROSIS = /necros[ie]s|necrotic/i;
const VIABLE =
  /viab(?:le|ility)|residual (?:arterial )?enhanc\w*|arterial(?:ly)? enhanc\w*|enhancing (?:tumou?r|component|portion|tissue)|residual tumou?r/i;

function nearestPercent(clause: string, keywordIndex: number): RegExpExecArray | undefined {
  let best: RegExpExecArray | undefined;
  for (const m of matches(PERCENT, clause)) {
    if (!best || Math.abs(m.index - keywordIndex) < Math.abs(best.index - keywordIndex)) best = m;
  }
  return best;
}

function spanBetween(clause: string, a: number, aEnd: number, b: number, bEnd: number): [number, number] {
  return [Math.min(a, b), Math.max(aEnd, bEnd)];
}

const percentExtractor: Extractor = (clause) => {
  const lip = LIPIODOL.exec(clause);
  const nec = NECROSIS.exec(clause);
  const via = VIABLE.exec(clause);
  const kw = lip ?? nec ?? via;
  if (!kw) return [];
  const pm = nearestPercent(clause, kw.index);
  if (!pm) {
    // "No residual enhancement" / "no viable tumour" / "complete necrosis" → viable 0 %.
    const zero =
      /\b(?:no|without)\s+(?:\w+\s+){0,2}?(?:residual|viable|arterial(?:ly)? enhanc\w*|enhancing)\b[^.;]*|\bcomplete(?:ly)? necro\w*|\b100\s*% necro\w*/i.exec(
        clause,
      );
    if (zero && !lip) {
      const hedged = HEDGE.test(clause);
      return [
        {
          finding: {
            type: 'viable-percent',
            percent: 0,
            basis: /necro/i.test(zero[0]) ? 'necrosis' : 'stated',
            polarity: hedged ? 'uncertain' : 'positive',
            confidence: hedged ? 'low' : 'medium',
          },
          matched: zero[0].trim(),
          value: '0',
          unit: '%',
        },
      ];
    }
    return [];
  }
  const percent = Number(pm[2]);
  if (!Number.isFinite(percent) || percent > 100) return [];
  const comparator = pctComparator(pm[1]);
  const [s, e] = spanBetween(clause, kw.index, kw.index + kw[0].length, pm.index, pm.index + pm[0].length);
  const matched = clause.slice(s, e);
  // Comparator words like "no more than" are part of the number, not a negation.
  const polarity = polarityOf(
    clause.replace(/\b(?:no|not) more than\b/gi, (w) => ' '.repeat(w.length)),
    s,
    e,
  );
  const confidence = confidenceFor(
    polarity,
    comparator === '~' || comparator === undefined ? 'high' : 'medium',
  );
  const withCmp = <T extends object>(o: T, c: PctComparator | undefined): T =>
    c ? { ...o, comparator: c } : o;
  if (lip) {
    return [
      {
        finding: withCmp({ type: 'lipiodol-deposition', percent, polarity, confidence } as const, comparator),
        matched,
        value: String(percent),
        unit: '%',
      },
    ];
  }
  if (nec) {
    return [
      {
        finding: withCmp(
          {
            type: 'viable-percent',
            percent: 100 - percent,
            basis: 'necrosis',
            polarity,
            confidence,
          } as const,
          comparator ? FLIP[comparator] : undefined,
        ),
        matched,
        value: String(100 - percent),
        unit: '%',
      },
    ];
  }
  return [
    {
      finding: withCmp(
        { type: 'viable-percent', percent, basis: 'stated', polarity, confidence } as const,
        comparator,
      ),
      matched,
      value: String(percent),
      unit: '%',
    },
  ];
};

// -- tumour count, new lesions, largest diameter -----------------------------------------------------------------

const LESION_NOUN = '(?:lesions?|nodules?|tumou?rs?|masses|mass|foci|focus|observations?)';

// Count patterns, compiled once (they were rebuilt from these strings for every clause).
const COUNT_FROM_TO = new RegExp(
  `\\bfrom\\s+${NUM}\\s+to\\s+${NUM}\\s+(?:[a-z-]+\\s+){0,3}?${LESION_NOUN}`,
  'i',
);
const COUNT_NOUN = new RegExp(`\\b${NUM}\\s+((?:[a-z-]+\\s+){0,3}?)${LESION_NOUN}\\b`, 'gi');
const COUNT_PREVIOUS = new RegExp(
  `^[^.;]{0,30}?\\b(?:previously|formerly|prior(?:ly)?|compared (?:with|to)|up from|from)\\s+${NUM}\\b`,
  'i',
);

const countExtractor: Extractor = (clause) => {
  const hits: Hit[] = [];
  // "increased from three to five lesions"
  for (const m of matches(COUNT_FROM_TO, clause)) {
    const previous = toNumber(m[1]);
    const count = toNumber(m[2]);
    if (count === undefined || previous === undefined) continue;
    const polarity = polarityOf(clause, m.index, m.index + m[0].length);
    hits.push({
      finding: {
        type: 'tumor-count',
        count,
        previous,
        polarity,
        confidence: confidenceFor(polarity, 'medium'),
      },
      matched: m[0],
      value: String(count),
    });
  }
  if (hits.length > 0) return hits;
  for (const m of matches(COUNT_NOUN, clause)) {
    const between = (m[2] ?? '').toLowerCase();
    // "two new lesions" is a new-lesion finding; "2 cm lesion" a size; "a lesion" says nothing about the count.
    if (/\bnew\b|\b(?:cm|mm)\b/.test(between) || m[1]?.toLowerCase() === 'a') continue;
    const count = toNumber(m[1]);
    if (count === undefined || count === 0) continue;
    // Plural noun for counts > 1 keeps "segment 2 lesion" out.
    if (count > 1 && !/(?:s|masses|foci)$/i.test(m[0])) continue;
    if (count === 1 && !/^(?:one|single|solitary)$/i.test(m[1] ?? '')) continue;
    const after = clause.slice(m.index + m[0].length);
    const prev = COUNT_PREVIOUS.exec(after);
    const previous = prev ? toNumber(prev[1]) : undefined;
    const polarity = polarityOf(clause, m.index, m.index + m[0].length);
    if (polarity === 'negative') continue;
    hits.push({
      finding: {
        type: 'tumor-count',
        count,
        ...(previous !== undefined ? { previous } : {}),
        polarity,
        confidence: confidenceFor(polarity, 'medium'),
      },
      matched: prev ? m[0] + after.slice(0, prev.index + prev[0].length) : m[0],
      value: String(count),
    });
  }
  return hits;
};

const EXTRAHEPATIC_SITE: readonly [RegExp, string][] = [
  [/\b(?:lung|pulmonary)\b/i, 'lung'],
  [/\b(?:bone|osseous|vertebra\w*|rib|skeletal)\b/i, 'bone'],
  [/\b(?:lymph node|nodal|lymphadenopathy|adenopathy)\b/i, 'lymph node'],
  [/\badrenal\b/i, 'adrenal'],
  [/\bperitone\w*|omentum|omental\b/i, 'peritoneum'],
  [/\bbrain\b/i, 'brain'],
];
const siteIn = (s: string): string | undefined => EXTRAHEPATIC_SITE.find(([re]) => re.test(s))?.[1];

/** Compiled once (it was rebuilt for every clause). */
const NEW_LESION = new RegExp(
  `(?:\\b${NUM}\\s+)?\\bnew\\b\\s+((?:[a-z-]+\\s+){0,4}?)(?:${LESION_NOUN}|metasta\\w*)`,
  'gi',
);

const newLesionExtractor: Extractor = (clause) => {
  return matches(NEW_LESION, clause).map((m) => {
    const polarity = polarityOf(clause, m.index, m.index + m[0].length);
    const count = toNumber(m[1]);
    const site = siteIn(clause);
    const location =
      site && !/\b(?:hepatic|liver|intrahepatic|segment)\b/i.test(m[0]) ? 'extrahepatic' : 'intrahepatic';
    return {
      finding: {
        type: 'new-lesions',
        presence: polarity === 'positive' ? 'present' : polarity === 'negative' ? 'absent' : 'unknown',
        ...(count !== undefined && polarity === 'positive' && m[1]?.toLowerCase() !== 'a' ? { count } : {}),
        location,
        polarity,
        confidence: confidenceFor(polarity, 'high'),
      },
      matched: m[0],
    };
  });
};

const SIZE =
  /(\d{1,3}(?:\.\d{1,2})?)(?:\s*(?:cm|mm))?(?:\s*[x×]\s*(\d{1,3}(?:\.\d{1,2})?)(?:\s*(?:cm|mm))?)*\s*(cm|mm)\b/gi;

const diameterExtractor: Extractor = (clause) => {
  const hits: Hit[] = [];
  const largest = /\b(?:largest|dominant|biggest|index)\b/i.exec(clause);
  for (const m of matches(SIZE, clause)) {
    const before = clause.slice(Math.max(0, m.index - 25), m.index);
    // A prior size ("previously 3.1 cm") is not today's diameter.
    if (/\b(?:previously|prior|from|was)\s*(?:measuring\s*)?$/i.test(before)) continue;
    const measured =
      /\b(?:measur\w*|size|diameter|spanning|up to|of)\s*(?:approximately|about|up to)?\s*$/i.test(before);
    if (!largest && !measured) continue;
    const numbers = m[0].match(/\d{1,3}(?:\.\d{1,2})?/g) ?? [];
    const unit = (m[3] ?? 'cm').toLowerCase();
    const max = Math.max(...numbers.map(Number));
    const cm = unit === 'mm' ? max / 10 : max;
    if (!Number.isFinite(cm) || cm <= 0 || cm > 40) continue;
    const start = largest && largest.index < m.index ? largest.index : m.index;
    const polarity = polarityOf(clause, start, m.index + m[0].length);
    hits.push({
      finding: {
        type: 'largest-diameter',
        cm,
        polarity,
        confidence: confidenceFor(polarity, largest ? 'high' : 'medium'),
      },
      matched: clause.slice(start, m.index + m[0].length),
      value: String(cm),
      unit: 'cm',
    });
    if (largest) break; // the first size after "largest" is the one
  }
  return hits;
};

// -- vascular invasion -------------------------------------------------------------------------------------------

const VESSEL =
  /\b(?:(main|right|left|right anterior|right posterior|segmental|intrahepatic)\s+)?(portal vein|hepatic vein|inferior vena cava|IVC)\b/i;
const TUMOUR_THROMBUS =
  /\b(?:tumou?r (?:thrombus|thrombosis|in vein)|PVTT|enhancing thrombus|(?:macro)?vascular invasion|venous invasion|(?:portal|hepatic) vein (?:tumou?r )?invasion|invasion of the (?:\w+\s+)?(?:portal|hepatic) vein|Vp\s?[1-4]|Vv\s?[1-3])\b/i;
const PLAIN_THROMBUS =
  /\b(?:portal vein|hepatic vein|PV)\s+(?:branch\s+)?(?:thrombus|thrombosis)\b|\bthrombus\b|\bthrombosis\b/i;
const BLAND = /\bbland\b|non-?enhancing|without enhancement|no enhancement/i;

const vascularExtractor: Extractor = (clause) => {
  const vpm = /\bVp\s?([1-4])\b/i.exec(clause);
  const vp = vpm ? (`Vp${vpm[1] ?? ''}` as VpGrade) : undefined;
  const vm = VESSEL.exec(clause);
  const vessel = vm ? vm[0].replace(/\s+/g, ' ').toLowerCase().replace('ivc', 'IVC') : undefined;
  const extra = { ...(vp ? { vp } : {}), ...(vessel ? { vessel } : {}) };
  const tm = TUMOUR_THROMBUS.exec(clause);
  if (tm) {
    const bland = BLAND.test(clause);
    const polarity = bland ? 'uncertain' : polarityOf(clause, tm.index, tm.index + tm[0].length);
    return [
      {
        finding: {
          type: 'vascular-invasion',
          presence: polarity === 'positive' ? 'present' : polarity === 'negative' ? 'absent' : 'unknown',
          ...(polarity === 'positive' ? extra : vessel ? { vessel } : {}),
          ...(bland ? { bland: true } : {}),
          polarity,
          confidence: confidenceFor(polarity, 'high'),
        },
        matched: tm[0],
      },
    ];
  }
  const pm = PLAIN_THROMBUS.exec(clause);
  if (pm && (vm || /\bPV\b/.test(pm[0]))) {
    const polarity = polarityOf(clause, pm.index, pm.index + pm[0].length);
    const bland = BLAND.test(clause);
    if (polarity === 'negative') {
      return [
        {
          finding: {
            type: 'vascular-invasion',
            presence: 'absent',
            ...(vessel ? { vessel } : {}),
            polarity,
            confidence: 'medium',
          },
          matched: pm[0],
        },
      ];
    }
    // A thrombus not called tumour may be bland: never positive for invasion.
    return [
      {
        finding: {
          type: 'vascular-invasion',
          presence: 'unknown',
          ...(vessel ? { vessel } : {}),
          ...(bland ? { bland: true } : {}),
          polarity: 'uncertain',
          confidence: 'low',
        },
        matched: pm[0],
      },
    ];
  }
  const patent =
    /\b(?:portal veins?|hepatic veins?)\s+(?:\w+\s+){0,2}?(?:is|are|remains?)\s+patent\b|\bpatent (?:portal|hepatic) veins?\b/i.exec(
      clause,
    );
  if (patent && !HEDGE.test(clause)) {
    return [
      {
        finding: {
          type: 'vascular-invasion',
          presence: 'absent',
          ...(vessel ? { vessel } : {}),
          polarity: 'negative',
          confidence: 'medium',
        },
        matched: patent[0],
      },
    ];
  }
  return [];
};

// -- extrahepatic spread -----------------------------------------------------------------------------------------

const EHS =
  /\bextra-?hepatic (?:disease|spread|metasta\w*|extension|tumou?r|lesions?|involvement)\b|\b(?:distant )?metasta(?:sis|ses|tic|tatic)\b/i;

const extrahepaticExtractor: Extractor = (clause) => {
  const m = EHS.exec(clause);
  if (!m) return [];
  // "intrahepatic metastasis" is intrahepatic spread, not extrahepatic.
  if (/\bintra-?hepatic\s+$/i.test(clause.slice(0, m.index))) return [];
  const polarity = polarityOf(clause, m.index, m.index + m[0].length);
  const site = siteIn(clause);
  const isExplicit = /extra-?hepatic|distant/i.test(m[0]) || site !== undefined;
  if (!isExplicit && polarity !== 'negative') return []; // "metastasis" with no site could be intrahepatic
  return [
    {
      finding: {
        type: 'extrahepatic-spread',
        presence: polarity === 'positive' ? 'present' : polarity === 'negative' ? 'absent' : 'unknown',
        ...(site && polarity !== 'negative' ? { site } : {}),
        polarity,
        confidence: confidenceFor(polarity, site ? 'high' : 'medium'),
      },
      matched: m[0],
    },
  ];
};

const EXTRACTORS: readonly Extractor[] = [
  responseExtractor,
  liradsExtractor,
  reciclExtractor,
  percentExtractor,
  countExtractor,
  newLesionExtractor,
  diameterExtractor,
  vascularExtractor,
  extrahepaticExtractor,
];

export function splitClauses(sentence: string): string[] {
  return sentence
    .split(CLAUSE_SPLIT)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/** Findings of one text, in reading order, each with its sentence and matched words. */
export function extractFindings(text: string, ctx: TextContext): ImagingFinding[] {
  return extractKeyedFindings(text, ctx).map((k) => k.finding);
}

/**
 * extractFindings with each finding's findingKey, already computed for de-duplication here, so a caller that
 * de-duplicates across texts (mapImaging) does not serialise every finding a second time.
 */
export function extractKeyedFindings(
  text: string,
  ctx: TextContext,
): { finding: ImagingFinding; key: string }[] {
  const out: { finding: ImagingFinding; key: string }[] = [];
  const seen = new Set<string>();
  for (const sentence of splitSentences(text)) {
    for (const { hit: h, key } of sentenceHits(sentence)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const evidence: Evidence = {
        source: ctx.source,
        ...(ctx.date ? { date: ctx.date } : {}),
        ...(h.value !== undefined ? { value: h.value } : {}),
        ...(h.unit !== undefined ? { unit: h.unit } : {}),
        sentence,
        matched: h.matched,
        origin: ctx.origin ?? 'text',
      };
      out.push({ finding: { ...h.finding, evidence } as ImagingFinding, key });
    }
  }
  return out;
}

interface KeyedHit {
  readonly hit: Hit;
  /** findingKey of the finding this hit becomes (it depends only on the hit and the sentence). */
  readonly key: string;
}

/**
 * Pure memo of the extractors' hits per sentence: a report repeats its conclusion in the narrative, and
 * templated phrasings ("No new lesions.") recur across reports, so the regex families run once per distinct
 * sentence. Keyed by the immutable sentence string, values frozen (findings hold only primitives), bounded.
 */
const SENTENCE_HITS = new Map<string, readonly KeyedHit[]>();
const SENTENCE_HITS_MAX = 5_000;

function sentenceHits(sentence: string): readonly KeyedHit[] {
  const cached = SENTENCE_HITS.get(sentence);
  if (cached) return cached;
  const out: KeyedHit[] = [];
  for (const clause of splitClauses(sentence)) {
    for (const extract of EXTRACTORS) {
      let hits: Hit[];
      try {
        hits = extract(clause, sentence);
      } catch {
        hits = []; // an extractor bug must not lose the rest of the report
      }
      for (const h of hits) {
        const key = findingKey({ ...h.finding, evidence: { sentence } } as ImagingFinding);
        out.push(
          Object.freeze({ hit: Object.freeze({ ...h, finding: Object.freeze({ ...h.finding }) }), key }),
        );
      }
    }
  }
  if (SENTENCE_HITS.size >= SENTENCE_HITS_MAX) SENTENCE_HITS.clear();
  SENTENCE_HITS.set(sentence, Object.freeze(out));
  return out;
}

/** Identity of a finding for de-duplication (conclusion and narrative often repeat the same sentence). */
export function findingKey(f: ImagingFinding): string {
  const { evidence, confidence: _c, ...rest } = f;
  return `${JSON.stringify(rest)}|${(evidence.sentence ?? '').toLowerCase().replace(/\s+/g, ' ')}`;
}
