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
import { maskDistractors, prefixSignature, prefixTables, readingOf, scaleHeading } from './report-layout';
import type { PrefixGroup } from './report-layout';
import { isWhitespace, splitSentences } from './text-normalize';

// ---------------------------------------------------------------------------------------------------------------
// Negation and hedging
// ---------------------------------------------------------------------------------------------------------------

/** Clause boundaries that end a negation's scope (NegEx termination terms). */
const CLAUSE_SPLIT =
  /;|:(?=\s)|,?\s+\b(?:but|however|although|though|except|whereas|while|yet|aside from)\b\s*/i;

const NEG_PRE =
  /\b(?:no|not|without|negative for|free of|absence of|absent|resolved|resolution of|no evidence of|no longer|rules? out|ruled out|never)\b/i;
const NEG_POST =
  /^[^.;]{0,40}?\b(?:is|are|has|have|was|were)?\s*(?:been\s+)?(?:(?:therefore|thus|hence)\s+)?(?:not (?:a )?new\b|(?:completely |fully |entirely )(?:regressed|resolved)|disappeared|absent|not (?:been )?(?:seen|identified|present|visualized|visualised|demonstrated|evident|detected|appreciated)|resolved|no longer (?:seen|visible|present|identified))\b/i;
const HEDGE =
  /\b(?:possible|possibly|probable|probably|likely|may (?:be|represent)|might|could (?:be|represent)|cannot (?:be )?exclude[d]?|can ?not be (?:excluded|ruled out)|not (?:be )?excluded|indeterminate|equivocal|suspicious (?:for|of)|suspect(?:ed)?|questionable|question of|concern(?:ing)? for|worrisome for|suggestive of|differential|versus|vs\.?|uncertain|unclear|favou?red|presum(?:ed|ably)|not (?:assessable|evaluable|assessed|evaluated)|cannot (?:be )?(?:assess|evaluat|differentiat|distinguish|characteri[sz])\w*|(?:is|are) (?:not|difficult to) (?:assess|evaluat)\w*|difficult to (?:assess|evaluat|characteri[sz])\w*|(?:assessment|evaluation) (?:of [^.;]{0,40}?)?(?:is )?limited|limited (?:by|due to|assessment|evaluation)|too small to characteri[sz]e|below the size threshold|no definite|no convincing|not (?:entirely |completely )?(?:certain|sure|clear)|not diagnostic of|difficult to (?:delineate|separate|distinguish)|perhaps|maybe|conceivably|borderline|cannot rule out|can'?t rule out|could (?:reflect|indicate)|(?:most |more )?in keeping with (?:a )?(?:perfusion|shunt|pseudo)|no definitive|without definite|not definitely|cannot be confirmed|not confirmed|unconfirmed|(?:is|are) a consideration|may (?:reflect|indicate|measure|correspond|relate)|differentiat\w* (?:between|from)|distinguish\w* (?:between|from))\b|\?/i;

/**
 * Space-free words every HEDGE alternative holds one of ("?" too). The texts HEDGE is run on are a clause with
 * parts blanked or cut out and a space put in, so a word of these in them is a word of the clause: a clause
 * without any has no hedge in any of them.
 */
const HEDGE_WORDS =
  /possib|probab|likely|may|might|could|cannot|exclud|rule|indetermin|equivocal|susp|question|concern|worrisome|suggestive|differen|versus|vs|uncertain|unclear|favo|presum|assess|evalua|difficult|limited|small|threshold|definit|convincing|not|diagnostic|perhaps|conceivabl|borderline|keeping|confirmed|consideration|distinguish|\?/i;

/** Exported for the test that checks the pre-test against its pattern. */
export const HEDGE_PRETEST = { hedge: HEDGE, words: HEDGE_WORDS } as const;

/** The last clause asked about and whether it holds a HEDGE_WORDS word; sentenceHits forgets it at every clause. */
let hedgeWordsOf: { readonly from: string; readonly any: boolean } | undefined;

/** HEDGE.test(zone) for a zone made from `from` by blanking or cutting out parts (exact, see HEDGE_WORDS). */
function hedgedIn(zone: string, from: string): boolean {
  if (hedgeWordsOf?.from !== from) hedgeWordsOf = { from, any: HEDGE_WORDS.test(from) };
  return hedgeWordsOf.any && HEDGE.test(zone);
}

/**
 * NegEx pseudo-negations: "no change in the tumour thrombus" or "no significant interval growth of the lung
 * metastases" keep the finding present (Chapman et al. 2001, pseudo-negation list).
 */
const PSEUDO_NEGATION =
  /\b(?:no|without|not)\s+(?:significant\s+|appreciable\s+|interval\s+|definite\s+|substantial\s+|major\s+|further\s+)*(?:change|increase|decrease|growth|difference|enlargement|progression of the size)\b(?:\s+(?:in|of)\b)?|\bnot only\b|\bno longer than\b/gi;

/** Whitespace other than one space, or two spaces: where /\s+/g → ' ' changes the text. */
const SPACING_TO_NORMALISE = /[^\S ]| {2}/;

/**
 * The last `n` words of a string (NegEx looks back a few words, not the whole clause): those of
 * `s.trim().split(/\s+/)`, joined by one space, found from the end without splitting the whole string (exported
 * for the test that checks it against that split).
 */
export function lastWords(s: string, n: number): string {
  const t = s.trim();
  let i = t.length;
  let words = 0;
  while (i > 0) {
    while (i > 0 && !isWhitespace(t.charCodeAt(i - 1))) i -= 1; // back over a word
    words += 1;
    if (words === n) break;
    while (i > 0 && isWhitespace(t.charCodeAt(i - 1))) i -= 1; // and the whitespace before it
  }
  const tail = t.slice(i);
  return SPACING_TO_NORMALISE.test(tail) ? tail.replace(/\s+/g, ' ') : tail;
}

/**
 * Polarity of the span [start, end) within `clause`. Hedges win over negation ("cannot exclude" contains a
 * negation but means uncertain). `ignore` removes words that belong to the finding itself (e.g. "Equivocal" as an
 * LI-RADS category) before the hedge test.
 */
export function polarityOf(clause: string, start: number, end: number, ignore?: RegExp): Polarity {
  const pre = clause.slice(0, start).replace(PSEUDO_NEGATION, (w) => ' '.repeat(w.length));
  const post = clause.slice(end);
  const whole = ignore ? clause.replace(ignore, ' ') : clause;
  const hedgeZone = ignore ? whole : `${pre} ${post}`;
  if (hedgedIn(hedgeZone, clause)) return 'uncertain';
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
  /** One patient's memo of sentence readings (`sentenceMemo()`; mapImaging makes one per call). */
  readonly memo?: SentenceMemo;
}

interface Hit {
  /** The finding without evidence (added by the caller). */
  readonly finding: DistributiveOmit<ImagingFinding, 'evidence'>;
  readonly matched: string;
  readonly value?: string;
  readonly unit?: string;
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * One phrasing family. `masked` is the clause with distractor numbers masked (report-layout.ts), same length:
 * number-reading families match on it and cut their words from `clause` by position.
 */
type Extractor = (clause: string, sentence: string, masked: string) => Hit[];

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

// -- response categories (mRECIST / EASL / RECIST 1.1 / LI-RADS TR / RECICL) -----------------------------------

const RESPONSE_PHRASES: readonly [RegExp, MrecistCategory][] = [
  [/\bcomplete (?:response|remission)\b/i, 'CR'],
  [/\bpartial (?:response|remission)\b/i, 'PR'],
  [/\bstable disease\b/i, 'SD'],
  [/\b(?:progressive disease|disease progression|progression of disease)\b/i, 'PD'],
  [/\bdisease (?:is |remains )?stable (?=by |per |according to )/i, 'SD'],
  // "Objective response (PR)": the bracket says which objective response.
  [/\bobjective response \(\s*PR\s*\)/i, 'PR'],
  [/\bobjective response \(\s*CR\s*\)/i, 'CR'],
];

/**
 * "No objective response" states SD or PD (mRECIST: objective response = CR or PR); it is a statement, not a hedge.
 * A category in brackets right after it ("no objective response (SD)") is the more precise reading.
 */
const NO_OBJECTIVE_RESPONSE =
  /\b(?:no|without|absence of|lack of)\s+(?:an?\s+)?(?:objective|radiologic(?:al)?|tumou?r)\s+response\b(?:\s*\(\s*(CR|PR|SD|PD|stable disease|progressive disease)\s*\))?/i;

const SCALE_MENTION = /\bEASL\b|\bm-?RECIST\b|\bmodified RECIST\b|\bRECIST\b/gi;

function scaleOfName(name: string): ResponseScale {
  if (/EASL/i.test(name)) return 'easl';
  if (/^m-?RECIST|modified/i.test(name)) return 'mrecist';
  return 'recist';
}

/** The scale named nearest to [start, end) in the clause ("PR by RECIST 1.1, CR by mRECIST"), else the sentence's. */
function scaleNear(
  clause: string,
  start: number,
  end: number,
  sentence: string,
): { scale: ResponseScale; named: boolean } {
  let best: { scale: ResponseScale; distance: number } | undefined;
  for (const m of matches(SCALE_MENTION, clause)) {
    const distance = m.index >= end ? m.index - end : Math.max(0, start - (m.index + m[0].length));
    // A scale written after the phrase binds tighter ("partial response by RECIST"): half the distance.
    const weighted = m.index >= end ? distance / 2 : distance;
    if (!best || weighted < best.distance) best = { scale: scaleOfName(m[0]), distance: weighted };
  }
  return best ? { scale: best.scale, named: true } : scaleIn(sentence);
}

function scaleIn(sentence: string): { scale: ResponseScale; named: boolean } {
  if (/\bEASL\b/i.test(sentence)) return { scale: 'easl', named: true };
  if (/\bm-?RECIST\b|\bmodified RECIST\b/i.test(sentence)) return { scale: 'mrecist', named: true };
  if (/\bRECIST\b/i.test(sentence)) return { scale: 'recist', named: true };
  // Unnamed: read as mRECIST (the usual HCC scale) with lower confidence.
  return { scale: 'mrecist', named: false };
}

const SCALE_NAME = String.raw`(?:m-?RECIST|modified RECIST|RECIST(?:\s*(?:v(?:ersion)?\s*)?1\.[01])?|EASL)`;
/** "mRECIST: PR", "Modified RECIST - SD", "RECIST 1.1 category PD", "SD (mRECIST)", "PR per EASL". */
const NAMED_SCALE_ABBREVIATION = new RegExp(
  String.raw`\b${SCALE_NAME}\b[^.;]{0,30}?\b(CR|PR|SD|PD)\b|\b(CR|PR|SD|PD)\b\)?\s*(?:\([^)]{0,15}\)\s*)?(?:\(\s*|by\s+|per\s+|according to\s+|on\s+)${SCALE_NAME}\b`,
);
/** The category written before its scale ("CR (EASL)", "SD by mRECIST"): it binds tighter, so it is read first. */
const SCALE_AFTER_ABBREVIATION = new RegExp(
  String.raw`\b(CR|PR|SD|PD)\b\)?\s*(?:\([^)]{0,15}\)\s*)?(?:\(\s*|by\s+|per\s+|according to\s+|on\s+)${SCALE_NAME}\b`,
);
/** "… was achieved after the first TACE": a category stated as past. */
const PRIOR_POST =
  /^[^.;]{0,20}?\b(?:was|were|had been)\s+(?:achieved|obtained|seen|noted|documented|reported|observed)\b|^\s*(?:on|at) (?:the )?(?:prior|previous|baseline)\b/i;
/** An earlier category being reported as history ("previously PR, now PD"). */
const PRIOR_CATEGORY =
  /\b(?:previously|prior(?:ly)?|formerly|was|from|initially|had been)\s+(?:\w+\s+){0,2}$/i;

/** A response-category hit; a named scale gives high confidence, an unnamed one (read as mRECIST) medium. */
function responseHit(
  scale: ResponseScale,
  category: MrecistCategory,
  polarity: Polarity,
  named: boolean,
  matched: string,
): Hit {
  return {
    finding: {
      type: 'response',
      scale,
      category,
      polarity,
      confidence: confidenceFor(polarity, named ? 'high' : 'medium'),
    },
    matched,
    value: category,
  };
}

const responseExtractor: Extractor = (clause, sentence) => {
  const hits: Hit[] = [];
  const { scale, named } = scaleIn(sentence);
  const nr = NO_OBJECTIVE_RESPONSE.exec(clause);
  if (nr) {
    const inBrackets = (nr[1] ?? '').toUpperCase();
    const category: MrecistCategory =
      inBrackets === 'SD' || inBrackets === 'STABLE DISEASE'
        ? 'SD'
        : inBrackets === 'PD' || inBrackets === 'PROGRESSIVE DISEASE'
          ? 'PD'
          : 'NR';
    const polarity = polarityOf(
      clause.slice(0, nr.index) + ' '.repeat(nr[0].length) + clause.slice(nr.index + nr[0].length),
      nr.index,
      nr.index + nr[0].length,
    );
    hits.push(responseHit(scale, category, polarity, named, nr[0]));
    return hits;
  }
  for (const [re, category] of RESPONSE_PHRASES) {
    for (const m of matches(re, clause)) {
      if (PRIOR_CATEGORY.test(clause.slice(0, m.index))) continue;
      // "Near-complete response" is not CR; "CR was achieved after the first TACE" is history.
      if (/\bnear[- ]?$/i.test(clause.slice(Math.max(0, m.index - 6), m.index))) continue;
      if (PRIOR_POST.test(clause.slice(m.index + m[0].length))) continue;
      const { scale, named } = scaleNear(clause, m.index, m.index + m[0].length, sentence);
      const polarity = polarityOf(clause, m.index, m.index + m[0].length);
      hits.push(responseHit(scale, category, polarity, named, m[0]));
    }
  }
  // Abbreviations only next to a named scale ("mRECIST: PR", "CR (EASL)"): bare "PD"/"PR" are too ambiguous. The
  // scale is the one named in the match; a category already read from a phrase of the same scale is not repeated.
  if (named) {
    // Read on the whole sentence: "mRECIST: PR" is split into clauses at the colon.
    const reverse = matches(SCALE_AFTER_ABBREVIATION, sentence);
    const taken = (i: number): boolean => reverse.some((r) => i >= r.index && i < r.index + r[0].length);
    const forward = matches(NAMED_SCALE_ABBREVIATION, sentence).filter((m) => {
      const at = m.index + m[0].lastIndexOf(m[1] ?? m[2] ?? '');
      return !taken(at);
    });
    for (const m of [...reverse, ...forward]) {
      const abbreviation = m[1] ?? m[2] ?? '';
      if (!new RegExp(`\\b${abbreviation}\\b`).test(clause)) continue; // report it once, from its clause
      if (PRIOR_CATEGORY.test(sentence.slice(0, m.index + m[0].indexOf(abbreviation)))) continue;
      const category = abbreviation as MrecistCategory;
      const own = new RegExp(SCALE_NAME, 'i').exec(m[0]);
      const abbreviationScale = own ? scaleOfName(own[0]) : scale;
      if (
        hits.some(
          (h) =>
            h.finding.type === 'response' &&
            h.finding.scale === abbreviationScale &&
            h.finding.category === category,
        )
      )
        continue;
      const polarity = polarityOf(sentence, m.index, m.index + m[0].length);
      hits.push({
        finding: {
          type: 'response',
          scale: abbreviationScale,
          category,
          polarity,
          confidence: confidenceFor(polarity, 'high'),
        },
        matched: m[0],
        value: category,
      });
    }
  }
  return hits;
};

const LIRADS_TR =
  /\b(?:LR|LI-?RADS)[\s-]*(?:v?2018\s*)?(?:TRA?|treatment response)\b(?:[\s:,-]|\bcategory\b|\bsegment\s*\w{1,4}\b|\bS\d\b|#)*?(non-?viable|viable|equivocal|non-?evaluable)\b|\b(non-?viable|viable|equivocal|non-?evaluable)\s*\(\s*(?:LR-?TR|LI-?RADS TR)\s*\)/gi;

const liradsExtractor: Extractor = (clause) =>
  matches(LIRADS_TR, clause).flatMap((m) => {
    // "LR-TR Viable (previously LR-TR Nonviable)": the earlier category is history.
    if (PRIOR_CATEGORY.test(clause.slice(0, m.index)) || PRIOR_POST.test(clause.slice(m.index + m[0].length)))
      return [];
    const word = (m[1] ?? m[2] ?? '').toLowerCase().replace('-', '');
    const category: LiradsTrCategory =
      word === 'nonviable'
        ? 'nonviable'
        : word === 'viable'
          ? 'viable'
          : word === 'equivocal'
            ? 'equivocal'
            : 'nonevaluable';
    const polarity = categoryPolarity(clause, m.index, m.index + m[0].length);
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

/**
 * Polarity of a category label (LR-TR Nonviable, TE4): a hedge in the clause makes it uncertain (the category words
 * themselves, "Equivocal", are not a hedge), but only a negation right before the label negates it — "No residual
 * arterial enhancement (LR-TR Nonviable)" asserts the category.
 */
function categoryPolarity(clause: string, start: number, end: number): Polarity {
  const label = clause.slice(start, end);
  const rest = clause.slice(0, start) + ' '.repeat(label.length) + clause.slice(end);
  if (hedgedIn(rest, clause)) return 'uncertain';
  if (/\b(?:not|no)\s+(?:\w+\s+)?$/i.test(clause.slice(0, start))) return 'negative';
  return 'positive';
}

/** RECICL TE1–TE4 — not an MRI echo time ("TE 2.3/4.6 ms"). */
const RECICL_TE = /\bTE\s?-?\s?([1-4])\b(?!\s*(?:\.\d|\/|ms\b))/;

const reciclExtractor: Extractor = (clause, sentence) =>
  matches(RECICL_TE, clause).flatMap((m): Hit[] => {
    // "(TE3 on 2025-12-01)": an earlier grade in brackets.
    const bracket = /\(([^()]*)$/.exec(clause.slice(0, m.index));
    if (
      bracket &&
      /\b(?:on|in|previously|prior)\b|\d{4}/i.test(
        (bracket[1] ?? '') + clause.slice(m.index, m.index + 25).split(')')[0],
      )
    )
      return [];
    const category = `TE${m[1] ?? ''}` as ReciclCategory;
    const polarity = categoryPolarity(clause, m.index, m.index + m[0].length);
    return [
      {
        finding: {
          type: 'response',
          scale: 'recicl',
          category,
          polarity,
          confidence: confidenceFor(polarity, /RECICL|treatment effect/i.test(sentence) ? 'high' : 'medium'),
        },
        matched: m[0],
        value: category,
      },
    ];
  });

// -- percentages: lipiodol deposition, necrosis, viable tumour ---------------------------------------------------

const LIPIODOL = /lipiodol|ethiodi[sz]ed oil/i;
const NECROSIS = /necros[ie]s|necrotic/i;
const VIABLE =
  /viab(?:le|ility)|residual (?:arterial )?enhanc\w*|arterial(?:ly)? enhanc\w*|enhancing (?:tumou?r|component|portion|tissue)|residual tumou?r(?!\s+thromb)|lesional enhancement|(?:still |continues to )enhanc\w*|(?:treated|ablated|embolized|embolised) (?:lesion|tumou?r|nodule|area|zone|observation)[^.;]{0,60}?\benhanc\w*/i;

/** A change, not a fraction: "decreased by 45 %", "(−45 %)", "a 30% reduction", "increase of 20%". */
const CHANGE_BEFORE =
  /(?:[−–+-]\s*$|\b(?:decrease[sd]?|decreasing|reduc(?:ed|tion|ing)|increase[sd]?|increasing|shr[iu]nk\w*|chang\w*|smaller|larger|grew|growth|drop(?:ped)?|fell|rise|rose|declin\w*)\s+(?:(?:approximately|about|roughly|nearly|~)\s+)?(?:by\s+)?$)/i;
const CHANGE_AFTER =
  /^\s*(?:\)\s*)?(?:decrease|reduction|increase|shrinkage|change|growth|drop|decline|smaller|larger|rise|from (?:baseline|nadir|prior))\b/i;

function isChangePercent(clause: string, m: RegExpExecArray): boolean {
  const numberAt = m.index + m[0].search(/\d/);
  const before = clause.slice(Math.max(0, numberAt - 40), numberAt);
  const after = clause.slice(m.index + m[0].length, m.index + m[0].length + 30);
  if (/[−–+-]\s*$/.test(before)) return true;
  // "of" introduces a fraction ("deposition of 90%") unless a change word leads it ("a reduction of 40%").
  if (CHANGE_BEFORE.test(before)) return true;
  if (
    /\b(?:decrease[sd]?|reduc(?:ed|tion)|increase[sd]?|shr[iu]nk\w*|change[sd]?|smaller|larger|grew|growth|enlargement|drop(?:ped)?|declin\w*)\s+(?:\w+\s+){0,3}(?:of|by)\s+(?:(?:approximately|about|~|more than|less than|over|under|at least|[<>≤≥])\s*)?$/i.test(
      before,
    )
  )
    return true;
  return CHANGE_AFTER.test(after);
}

function nearestPercent(clause: string, keywordIndex: number): RegExpExecArray | undefined {
  let best: RegExpExecArray | undefined;
  for (const m of matches(PERCENT, clause)) {
    if (isChangePercent(clause, m)) continue;
    // "(previously 60 %)", "was 60 %", "at baseline 60 %": an earlier value.
    if (
      /\b(?:previously|prior|formerly|baseline|was|were)\s*(?:\w+\s*)?$/i.test(
        clause.slice(Math.max(0, m.index - 20), m.index),
      )
    )
      continue;
    // "from 30 % to 85 %": the earlier value is not today's fraction.
    if (
      /\bfrom\s*$/i.test(clause.slice(Math.max(0, m.index - 8), m.index)) &&
      /^\s*to\b/i.test(clause.slice(m.index + m[0].length))
    )
      continue;
    if (!best || Math.abs(m.index - keywordIndex) < Math.abs(best.index - keywordIndex)) best = m;
  }
  return best;
}

function spanBetween(clause: string, a: number, aEnd: number, b: number, bEnd: number): [number, number] {
  return [Math.min(a, b), Math.max(aEnd, bEnd)];
}

const percentExtractor: Extractor = (clause, _sentence, masked) => {
  // The percentage goes with the keyword nearest to it ("dense lipiodol, ~70% necrosis" is necrosis).
  const lip = LIPIODOL.exec(clause);
  const nec = NECROSIS.exec(clause);
  const via = VIABLE.exec(clause);
  const kw = lip ?? nec ?? via;
  if (!kw) return [];
  // A fraction from an earlier exam ("on the prior exam the viable fraction was 60 %") is not today's.
  if (/\b(?:prior|previous) (?:exam|study|scan|CT|MRI|imaging)\b/i.test(masked.slice(0, kw.index))) return [];
  const pm = nearestPercent(masked, kw.index);
  if (!pm) {
    // "No residual enhancement" / "no viable tumour" / "complete necrosis" → viable 0 %.
    const zero =
      /\b(?:no|without)\s+(?:\w+\s+){0,2}?(?:residual|viable|arterial(?:ly)? enhanc\w*|enhancing|lesional enhancement|enhancement)\b[^.;]*|\bcomplete(?:ly)? necro\w*|\b100\s*% necro\w*/i.exec(
        clause,
      );
    // "no new arterially enhancing lesions" and "no residual tumour thrombus" say nothing of the treated tumour.
    // "largely without enhancement, except a 6 mm enhancing rim" is not 0 % viable.
    const qualified =
      /\b(?:largely|mostly|predominantly|almost|nearly|near|partly|partially)\s+(?:\w+\s+)?$/i.test(
        clause.slice(Math.max(0, zero ? zero.index - 25 : 0), zero?.index ?? 0),
      ) || /\b(?:except|apart from|other than|but|however)\b/i.test(_sentence);
    if (zero && !qualified && (!lip || !/lipiodol/i.test(zero[0])) && !/\bnew\b|thromb/i.test(zero[0])) {
      const hedged = hedgedIn(clause, clause);
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
  // The percentage belongs to the keyword nearest to it: "necrotic (0 % viable)" is viable 0 %, "dense lipiodol,
  // ~70% necrosis" is necrosis 70 %.
  // Crossing a comma or "with" to reach a keyword costs more, and a negated keyword ("…, no residual enhancement")
  // never owns a number.
  const gap = (k: RegExpExecArray): number => {
    const after = k.index >= pm.index + pm[0].length;
    const between = after
      ? clause.slice(pm.index + pm[0].length, k.index)
      : clause.slice(k.index + k[0].length, pm.index);
    const crossing = /[,;]|\bwith(?:out)?\b|\band\b/i.test(between) ? 30 : 0;
    const negated = /\b(?:no|without|not)\s+(?:\w+\s+){0,2}$/i.test(
      clause.slice(Math.max(0, k.index - 25), k.index),
    );
    return between.length + crossing + (negated ? 1000 : 0);
  };
  const near = [lip, nec, via]
    .filter((k): k is RegExpExecArray => k !== null)
    .reduce((a, b) => (gap(b) < gap(a) ? b : a));
  const nearest = near === lip ? 'lipiodol' : near === nec ? 'necrosis' : 'viable';
  const [s, e] = spanBetween(
    clause,
    near.index,
    near.index + near[0].length,
    pm.index,
    pm.index + pm[0].length,
  );
  const matched = clause.slice(s, e);
  // Comparator words like "no more than" are part of the number, not a negation; a hedge anywhere in the clause
  // ("viable tumour possibly > 50 %") makes the number uncertain.
  const read = hedgedIn(clause, clause)
    ? 'uncertain'
    : polarityOf(
        clause.replace(/\b(?:no|not) more than\b/gi, (w) => ' '.repeat(w.length)),
        s,
        e,
      );
  // "No viable tumour (0 %)": the negation and the zero say the same thing.
  const polarity: Polarity = read === 'negative' && percent === 0 ? 'positive' : read;
  const confidence = confidenceFor(
    polarity,
    comparator === '~' || comparator === undefined ? 'high' : 'medium',
  );
  const withCmp = <T extends object>(o: T, c: PctComparator | undefined): T =>
    c ? { ...o, comparator: c } : o;
  if (nearest === 'lipiodol') {
    // "Lipiodol uptake 100 %, no residual enhancement": the deposition and, separately, no viable tumour.
    const none =
      /\b(?:no|without)\s+(?:\w+\s+){0,2}?(?:residual (?:arterial )?enhanc\w*|enhancing (?:tissue|tumou?r|component)|viable tumou?r|lesional enhancement)\b/i.exec(
        clause,
      );
    const zero: Hit[] =
      none && polarity !== 'uncertain'
        ? [
            {
              finding: {
                type: 'viable-percent',
                percent: 0,
                basis: 'stated',
                polarity: 'positive',
                confidence: 'medium',
              },
              matched: none[0],
              value: '0',
              unit: '%',
            },
          ]
        : [];
    return [
      {
        finding: withCmp({ type: 'lipiodol-deposition', percent, polarity, confidence } as const, comparator),
        matched,
        value: String(percent),
        unit: '%',
      },
      ...zero,
    ];
  }
  if (nearest === 'necrosis') {
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

const LESION_NOUN = '(?:lesions?|nodules?|tumou?rs?|masses|mass|foci|focus|observations?|HCCs?)';
/** Words between a number and its noun: adjectives, masked categories ("LR-#"), sizes ("6.0 cm", "3.1-cm"). */
const BETWEEN = String.raw`((?:(?:[a-z#-]+|\d{1,3}(?:\.\d{1,2})?\s*-?\s*(?:cm|mm)|\([^)]{0,25}\))\s+){0,4}?)`;

// Count patterns, compiled once (they were rebuilt from these strings for every clause).
const COUNT_FROM_TO = new RegExp(
  String.raw`\bfrom\s+${NUM}\s+to\s+${NUM}\s+(?:[a-z#-]+\s+){0,3}?${LESION_NOUN}|\b(?:number|count) of (?:[a-z#-]+\s+){0,2}?${LESION_NOUN}\s+(?:has\s+)?(?:increased|decreased|changed|gone)(?:\s+up)?\s+from\s+${NUM}\s+to\s+${NUM}\b`,
  'i',
);
const COUNT_NOUN = new RegExp(String.raw`\b${NUM}\s+${BETWEEN}${LESION_NOUN}\b`, 'gi');
const COUNT_PREVIOUS = new RegExp(
  `^[^.;]{0,30}?\\b(?:previously|formerly|prior(?:ly)?|compared (?:with|to)|up from|from)\\s+${NUM}\\b`,
  'i',
);
const STATED_COUNT = new RegExp(
  String.raw`\b${LESION_NOUN}\s*\(\s*n\s*=\s*(\d{1,2})\s*\)|\b(?:tumou?r|lesion|nodule|HCC) (?:count|number)\s*(?:is\s+|remains\s+|unchanged\s+)?(?:at\s+|of\s+|=\s*|:\s*)?${NUM}\b(?!\s*(?:cm|mm))(?:\s*,?\s*\(?\s*(?:previously|before TACE:?|prior|from)\s+${NUM}\b)?`,
  'i',
);

const COUNT_FROM_LITERAL = /from/i;
const STATED_COUNT_LITERALS = /=| count| number/i;
/** Exported for the test that checks each pre-test against its pattern. */
export const COUNT_PRETESTS: readonly (readonly [RegExp, RegExp])[] = [
  [COUNT_FROM_LITERAL, COUNT_FROM_TO],
  [STATED_COUNT_LITERALS, STATED_COUNT],
];

/** "more than ten lesions", "at least 3 nodules", "> 5 lesions": a lower bound. */
const MORE_THAN = /\b(?:more than|over|greater than|at least|no fewer than|>|≥)\s*$/i;
/** "… and one in segment 3": lesions added to the count in the same breath. */
const ADDED_COUNT = new RegExp(
  String.raw`^[^.;]{0,40}?\b(?:and|plus|with)\s+(?:an?\s+)?(?:additional\s+|further\s+|other\s+)?${NUM}\s+(?:(?:more|other|additional|further)\s+)?(?:in|at|within|on)\b`,
  'i',
);
/** A count that belongs to an earlier exam: "two lesions previously", "… on the prior study". */
const PRIOR_AFTER =
  /^\s*(?:\([^)]*\)\s*)?(?:previously|before|at baseline|on the prior|on prior|in \d{4}|were seen previously)\b/i;

/** "Multiple", "innumerable", "diffuse infiltrative HCC": more than one tumour, number not stated. */
const MANY = new RegExp(
  String.raw`\b(many|multiple|numerous|innumerable|countless|several|a few|multifocal|multinodular|diffuse(?:ly)?(?:\s+infiltrative)?|infiltrative|myriad)\s+${BETWEEN}(?:${LESION_NOUN}|hepatocellular carcinoma|disease|tumou?r burden)\b|\binnumerable\b|\bdiffuse(?:ly)? infiltrat\w*|\bmultinodular\b|\btoo numerous to count\b`,
  'gi',
);
/** A noun phrase of tumours outside the liver ("two pulmonary nodules", "multiple nodules in both lungs"). */
const OUTSIDE_LIVER =
  /\b(?:lungs?|(?:upper|middle|lower) lobe|lingula|pulmonary|bone|osseous|lymph|nodal|adrenal|peritone\w*|omentum|omental|brain|renal|kidneys?|splenic|spleen|pancrea\w*|thyroid|breast|skin|chest wall|pleura\w*)\b/i;
const NOT_TUMOUR =
  /\b(?:regenerative|dysplastic|siderotic|benign|perfusion|shunts?|pseudolesions?|cysts?|hemangiomas?|haemangiomas?|calcifications?|granulomas?|stones?|lymph nodes?|nodes?)\b/i;

/**
 * matches(COUNT_NOUN, masked) for the count and the diameter readers, which are given the same masked clause:
 * computed once per clause (a pure function of the string; the callers only read the matches). sentenceHits
 * forgets it at every clause.
 */
let countNouns: { readonly masked: string; readonly list: readonly RegExpExecArray[] } | undefined;
function countNounMatches(masked: string): readonly RegExpExecArray[] {
  if (countNouns?.masked !== masked) countNouns = { masked, list: matches(COUNT_NOUN, masked) };
  return countNouns.list;
}

const countExtractor: Extractor = (clause, _sentence, masked) => {
  const hits: Hit[] = [];
  // "increased from three to five lesions", "the number of lesions increased from 2 to 4"
  // Both alternatives of COUNT_FROM_TO hold "from", and STATED_COUNT's "=" or " count"/" number".
  const fromTo = COUNT_FROM_LITERAL.test(masked) ? COUNT_FROM_TO.exec(masked) : null;
  if (fromTo) {
    const previous = toNumber(fromTo[1] ?? fromTo[3]);
    const count = toNumber(fromTo[2] ?? fromTo[4]);
    if (count !== undefined && previous !== undefined) {
      const polarity = polarityOf(clause, fromTo.index, fromTo.index + fromTo[0].length);
      if (polarity !== 'negative') {
        hits.push({
          finding: {
            type: 'tumor-count',
            count,
            previous,
            polarity,
            confidence: confidenceFor(polarity, 'medium'),
          },
          matched: clause.slice(fromTo.index, fromTo.index + fromTo[0].length),
          value: String(count),
        });
        return hits;
      }
    }
  }
  // "Lesions (n = 3)", "lesion count unchanged at four", "Tumor count 5, previously 3"
  const stated = STATED_COUNT_LITERALS.test(masked) ? STATED_COUNT.exec(masked) : null;
  if (stated) {
    const count = toNumber(stated[1] ?? stated[2]);
    const previous = toNumber(stated[3]);
    const polarity = polarityOf(clause, stated.index, stated.index + stated[0].length);
    if (count !== undefined && count > 0 && polarity !== 'negative') {
      hits.push({
        finding: {
          type: 'tumor-count',
          count,
          ...(previous !== undefined ? { previous } : {}),
          polarity,
          confidence: confidenceFor(polarity, 'medium'),
        },
        matched: clause.slice(stated.index, stated.index + stated[0].length),
        value: String(count),
      });
      return hits;
    }
  }
  for (const m of countNounMatches(masked)) {
    const word = m[1] ?? '';
    const between = (m[2] ?? '').toLowerCase();
    // "two new lesions" is a new-lesion finding; "2 cm lesion" a size; "a lesion" says nothing about the count.
    if (/\bnew\b/.test(between) || word.toLowerCase() === 'a') continue;
    if (/^\d/.test(word) && (/^(?:-?\s*(?:cm|mm)\b)/.test(between) || /[.,]$/.test(masked.slice(0, m.index))))
      continue;
    const count = toNumber(word);
    if (count === undefined || count === 0) continue;
    const end = m.index + m[0].length;
    // Plural noun for counts > 1 keeps "segment 2 lesion" out.
    if (
      count > 1 &&
      !/(?:s|masses|foci)$/i.test(m[0]) &&
      !/^\s*(?:[a-z-]+\s+){0,2}?(?:lesions|nodules|tumou?rs|masses|foci|observations)\b/i.test(
        masked.slice(end),
      )
    )
      continue;
    if (count === 1 && !/^(?:one|single|solitary)$/i.test(word)) continue;
    if (OUTSIDE_LIVER.test(between) || OUTSIDE_LIVER.test(masked.slice(end, end + 30).split(/[,;]/)[0] ?? ''))
      continue;
    if (NOT_TUMOUR.test(between)) continue;
    const after = masked.slice(end);
    const prev = COUNT_PREVIOUS.exec(after);
    const previous = prev ? toNumber(prev[1]) : undefined;
    // "previously two lesions", "two lesions previously; now one", "on the prior study, three lesions"
    if (PRIOR_CATEGORY.test(masked.slice(0, m.index)) || PRIOR_AFTER.test(after)) continue;
    if (/\bprior (?:exam|study|scan|CT|MRI|imaging)\b/i.test(masked.slice(0, m.index))) continue;
    // "more than ten lesions" is a lower bound; "two lesions in segment 6 and one in segment 3" adds up.
    // "twelve or more lesions", "two or three lesions": a lower bound, not a number.
    const atLeast = MORE_THAN.test(masked.slice(0, m.index)) || /^\s*or\s+(?:more|\w+)\b/i.test(between);
    const more = ADDED_COUNT.exec(after);
    const total =
      count +
      (more ? (toNumber(more[1]) ?? 0) : 0) +
      (atLeast && /more than|over|greater than|>/i.test(masked.slice(0, m.index)) ? 1 : 0);
    const polarity = polarityOf(clause, m.index, end);
    if (polarity === 'negative') continue;
    hits.push({
      finding: {
        type: 'tumor-count',
        count: total,
        ...(atLeast ? { atLeast: true } : {}),
        ...(previous !== undefined ? { previous } : {}),
        polarity,
        confidence: confidenceFor(polarity, 'medium'),
      },
      matched: clause.slice(m.index, prev ? end + prev.index + prev[0].length : end),
      value: String(count),
    });
    break; // one count per clause: a second number is a subset ("two lesions, one of them …")
  }
  if (hits.length > 0) return hits;
  for (const m of matches(MANY, masked)) {
    const end = m.index + m[0].length;
    if (/\bnew\b/i.test(m[0]) || OUTSIDE_LIVER.test(m[0]) || NOT_TUMOUR.test(m[0])) continue;
    if (OUTSIDE_LIVER.test(masked.slice(end, end + 30).split(/[,;]/)[0] ?? '')) continue;
    const polarity = polarityOf(clause, m.index, end);
    if (polarity === 'negative') continue;
    hits.push({
      finding: {
        type: 'tumor-count',
        count: 2,
        atLeast: true,
        polarity,
        confidence: confidenceFor(polarity, 'medium'),
      },
      matched: clause.slice(m.index, end),
      value: 'multiple',
    });
    break;
  }
  return hits;
};

const EXTRAHEPATIC_SITE: readonly [RegExp, string][] = [
  [
    /\b(?:lungs?|pulmonary|pleura\w*|lung bases|(?:right|left) (?:upper|middle|lower) lobes?|lingula)\b/i,
    'lung',
  ],
  [
    /\b(?:bones?|osseous|vertebra\w*|ribs?|skeletal|sclerotic|lytic|skeleton|skeletal|L[1-5]\b|sacrum|pelvis|femur)\b/i,
    'bone',
  ],
  [
    /\b(?:lymph nodes?|nodal|lymphadenopathy|adenopathy|(?:hilar|para-?aortic|retroperitoneal|portocaval|celiac|mediastinal) nodes?)\b/i,
    'lymph node',
  ],
  [/\badrenals?\b/i, 'adrenal'],
  [
    /\bperitone\w*|\bomentum\b|\bomental\b|\bcarcinomatosis\b|\bparacolic\b|\babdominal wall\b|\bdrain tract\b|\b(?:hemi)?diaphragm\w*|\bmesenter\w*/i,
    'peritoneum',
  ],
  [/\bbrain\b/i, 'brain'],
];
const siteIn = (s: string): string | undefined => EXTRAHEPATIC_SITE.find(([re]) => re.test(s))?.[1];

/** Compiled once (it was rebuilt for every clause). */
const NEW_LESION = new RegExp(
  String.raw`(?:\b${NUM}\s+)?\b(?:new(?:ly)?|de novo)\b\s+${BETWEEN.replace('{0,4}', '{0,5}')}(?:${LESION_NOUN}|metasta\w*|abnormalit(?:y|ies)|disease)|\b${LESION_NOUN}\s+(?:(?:is|are)\s+)(?:(?:definitely|clearly)\s+)?new\b|\b${LESION_NOUN}\b[^.;]{0,30}?,?\s*(?:possibly|probably|likely)\s+new\b|\binterval (?:development|appearance|emergence) of\s+(?:an?\s+|two\s+|three\s+|several\s+|multiple\s+)?${BETWEEN}(?:${LESION_NOUN}|metasta\w*|spread|disease)|\b${LESION_NOUN}\s+(?:\w+\s+){0,3}?(?:newly|de novo)\s+(?:appeared|developed|seen|noted|identified|detected)\b`,
  'gi',
);

const newLesionExtractor: Extractor = (clause, sentence, masked) => {
  return matches(NEW_LESION, masked).flatMap((m): Hit[] => {
    const text = clause.slice(m.index, m.index + m[0].length);
    // "new tumor in vein" is vascular invasion; "newly diagnosed HCC" is history, not a new lesion.
    if (
      /^\s*(?:in (?:the )?(?:\w+\s+)?vein|thromb\w*)/i.test(clause.slice(m.index + m[0].length)) ||
      /\bnewly diagnosed\b/i.test(text)
    )
      return [];
    // A new observation categorised LR-1…LR-4 or LR-M is not (yet) a definite HCC lesion (ACR LI-RADS v2018).
    const category =
      /\bLR-?([1-4]|M)\b/i.test(clause.slice(m.index, m.index + m[0].length + 25)) ||
      (/\bLR-?(?:[1-3]|M)\b/i.test(sentence) && !/\bLR-?5\b/i.test(sentence));
    const notNew =
      /\b(?:is|are|was|were)\s+(?:therefore\s+|thus\s+|hence\s+)?not\s+(?:a\s+)?new\b|\bnot a new\b/i;
    const polarity =
      m[1] === '0' || notNew.test(clause)
        ? ('negative' as const)
        : category
          ? ('uncertain' as const)
          : polarityOf(clause, m.index, m.index + m[0].length);
    const count = toNumber(m[1]);
    const site = siteIn(clause);
    const location =
      site && !/\b(?:hepatic|liver|intrahepatic|segment)\b/i.test(text) ? 'extrahepatic' : 'intrahepatic';
    return [
      {
        finding: {
          type: 'new-lesions',
          presence: polarity === 'positive' ? 'present' : polarity === 'negative' ? 'absent' : 'unknown',
          ...(count !== undefined && polarity === 'positive' && m[1]?.toLowerCase() !== 'a' ? { count } : {}),
          location,
          polarity,
          confidence: confidenceFor(polarity, 'high'),
        },
        matched: text,
      },
    ];
  });
};

/** Sizes: "3.1 cm", "45 mm", "3.1 x 2.8 cm", lists "4.3, 2.4 and 1.6 cm", ranges "2-3 cm", "up to 45 mm". */
const SIZE =
  /(\d{1,3}(?:\.\d{1,2})?)(?:\s*(?:cm|mm))?(?:\s*(?:[x×]|,|and|&|-|–|to)\s*(\d{1,3}(?:\.\d{1,2})?)(?:\s*(?:cm|mm))?)*\s*-?\s*(cm|mm)\b/gi;
const LARGEST = /\b(?:largest|larger|dominant|biggest|bigger|index|greatest|maximum|max\.?)\b/i;
/** A size given for an earlier exam ("previously 3.1 cm", "from 4.2 cm", "baseline 5.0 cm"). */
const PRIOR_SIZE =
  /\b(?:previously|prior|from|was|were|baseline|before|compared (?:with|to)|vs\.?|versus|formerly|initially|pre-?treatment)\s*(?:\w+\s+){0,2}?(?:measuring\s*|of\s*)?(?:approximately\s*|about\s*)?$/i;
const MEASURED =
  /\b(?:measur\w*|size|sized|diameter|spanning|up to|of|to|now|currently|approximately|about|roughly|approx\.?)\s*$|\(\s*$/i;
const SIZE_OF_LESION = new RegExp(String.raw`^\s*(?:[a-z#-]+\s+){0,3}?${LESION_NOUN}\b`, 'i');
const HAS_LESION_NOUN = new RegExp(String.raw`\b${LESION_NOUN}\b|\bHCC\b|hepatocellular carcinoma`, 'i');
const NOT_A_TUMOUR_SIZE =
  /\b(?:margin|ablation zone|ablative margin|spleen|splenomegaly|kidneys?|cysts?|hemangiomas?|haemangiomas?|gallbladder|stones?|aneurysms?|duct|CBD|aorta|ascites|catheter|needle|coils?|microspheres?|particles?|beads?|veins?|artery|arteries|IVC|diameter of the (?:portal|hepatic)|sum of)\b/i;

const BENIGN_BEFORE =
  /\b(?:regenerative|dysplastic|siderotic)\s+nodules?\b|\b(?:cysts?|hemangiomas?|haemangiomas?|granulomas?|perfusion|shunts?|pseudolesions?)\b/i;

const diameterExtractor: Extractor = (clause, sentence, masked) => {
  // Only a SIZE match makes a finding, and SIZE cannot match without a digit and its "cm"/"mm" unit.
  if (!/\d/.test(masked) || !/[cm]m/i.test(masked)) return [];
  // A new observation categorised LR-1…LR-4 or LR-M is not (yet) a tumour, so neither is its size.
  if (
    /\bnew\b/i.test(sentence) &&
    /\bLR-?(?:[1-4]|M)\b/i.test(sentence) &&
    !/\bLR-?(?:5|TR)\b/i.test(sentence)
  )
    return [];
  if (NOT_A_TUMOUR_SIZE.test(masked) && !HAS_LESION_NOUN.test(masked)) return [];
  if (
    OUTSIDE_LIVER.test(masked) &&
    !/\b(?:liver|hepatic|segment|(?:right|left|caudate) (?:hepatic )?lobe(?! of the lung))\b/i.test(
      masked.replace(/\b(?:right|left) (?:upper|middle|lower) lobe\b/gi, ''),
    )
  )
    return [];
  const largest = LARGEST.exec(masked);
  const lesionBefore = (at: number): boolean => HAS_LESION_NOUN.test(masked.slice(0, at));
  let best: { cm: number; start: number; end: number; listed: number } | undefined;
  for (const m of matches(SIZE, masked)) {
    const before = masked.slice(Math.max(0, m.index - 40), m.index);
    // "decreased from 4.1 cm to 2.9 cm", "grew from 2.4 to 3.0 cm": today's size is the one after "to".
    const fromTo = /\bfrom\s*$/i.test(before)
      ? /\bto\s*(\d{1,3}(?:\.\d{1,2})?)\s*(cm|mm)\b/i.exec(m[0])
      : null;
    if (fromTo) {
      const v = Number(fromTo[1]);
      const cm = (fromTo[2] ?? 'cm').toLowerCase() === 'mm' ? v / 10 : v;
      const start = m.index + fromTo.index;
      if (cm > 0 && cm <= 40 && (!best || cm > best.cm))
        best = { cm, start, end: m.index + m[0].length, listed: 1 };
      continue;
    }
    if (PRIOR_SIZE.test(before)) continue;
    if (/\b(?:prior|previous) (?:exam|study|scan|CT|MRI|imaging)\b/i.test(masked.slice(0, m.index))) continue;
    // "5.1 cm → 2.4 cm viable", "3.9 cm, now 1.2 cm": the size before the arrow or "now" is the earlier one.
    if (
      /^\s*(?:→|->|=>|>|to\b)|^\s*,?\s*(?:now|currently|today|at baseline|on the prior|in #{4})\b/i.test(
        masked.slice(m.index + m[0].length, m.index + m[0].length + 12),
      )
    )
      continue;
    const end = m.index + m[0].length;
    const after = masked.slice(end);
    if (/^\s*(?:margin|ablation zone)\b/i.test(after)) continue;
    const afterLargest = largest !== null && largest.index < m.index;
    const accepted =
      afterLargest ||
      MEASURED.test(before) ||
      SIZE_OF_LESION.test(after) ||
      lesionBefore(m.index) ||
      /^\s*(?:#\s?\d|(?:lesion|target|observation|nodule)\s*#?\s?\d)/i.test(clause);
    // A benign or uncertain nodule's size is not a tumour size ("regenerative nodules of 6 and 8 mm").
    const since = masked.slice(0, m.index);
    const boundary = Math.max(
      since.lastIndexOf(','),
      since.lastIndexOf(';'),
      since.lastIndexOf(')'),
      since.search(/\band\s+(?:an?\s+)?$/i),
    );
    if (BENIGN_BEFORE.test(since.slice(Math.max(0, boundary)))) continue;
    if (!accepted) continue;
    const numbers = m[0].match(/\d{1,3}(?:\.\d{1,2})?/g) ?? [];
    const unit = (m[3] ?? 'cm').toLowerCase();
    // Math.max(...numbers.map(Number)) without the array and the spread (the numbers are digits: never NaN).
    let max = Number.NEGATIVE_INFINITY;
    for (const n of numbers) {
      const v = Number(n);
      if (v > max) max = v;
    }
    const cm = unit === 'mm' ? max / 10 : max;
    if (!Number.isFinite(cm) || cm <= 0 || cm > 40) continue;
    // Lesions listed one by one ("4.3, 2.4 and 1.6 cm"); "3.1 x 2.8 cm" and "2-3 cm" are one lesion.
    const listed = m[0].split(/\s*(?:,|\band\b|&)\s*/).length;
    if (afterLargest) {
      best = { cm, start: largest.index, end, listed: Number.POSITIVE_INFINITY };
      break; // the first size after "largest" is the one
    }
    if (!best || cm > best.cm) best = { cm, start: m.index, end, listed: (best?.listed ?? 0) + listed };
    else best = { ...best, listed: best.listed + listed };
  }
  if (!best) return [];
  const polarity = polarityOf(clause, best.start, best.end);
  if (polarity === 'negative') return [];
  // Is this the largest tumour? Said so, a solitary lesion, or as many sizes as the clause counts lesions.
  const counted = countNounMatches(masked)
    .filter((m) => !/\bnew\b/i.test(m[2] ?? ''))
    .map((m) => toNumber(m[1]))
    .find((n) => n !== undefined);
  const single =
    /\b(?:solitary|single|unifocal|one)\b/i.test(masked) && (counted === undefined || counted === 1);
  const complete =
    best.listed === Number.POSITIVE_INFINITY || single || (counted !== undefined && best.listed >= counted);
  return [
    {
      finding: {
        type: 'largest-diameter',
        cm: best.cm,
        ...(complete ? {} : { lowerBound: true }),
        polarity,
        confidence: confidenceFor(polarity, largest ? 'high' : 'medium'),
      },
      matched: clause.slice(best.start, best.end),
      value: String(best.cm),
      unit: 'cm',
    },
  ];
};

// -- vascular invasion -------------------------------------------------------------------------------------------

const VESSEL =
  /\b(?:(main|right|left|right anterior|right posterior|segmental|intrahepatic)\s+)?(portal vein|hepatic vein|inferior vena cava|IVC)\b/i;
const TUMOUR_THROMBUS =
  /\b(?:tumou?r (?:thrombus|thrombosis|in vein)|PVTT|enhancing thrombus|(?:macro)?vascular invasion|venous invasion|(?:portal|hepatic) vein (?:tumou?r )?invasion|invasion of the (?:\w+\s+)?(?:portal|hepatic) vein|Vp\s?[1-4]|Vv\s?[1-3]|LR-?TIV|invasion of the (?:\w+\s+)?(?:IVC|inferior vena cava)|(?:IVC|inferior vena cava) invasion|invad(?:es|ing|e) the (?:\w+\s+){0,2}?(?:vein|IVC)|(?:macro)?vascular tumou?r invasion|enhancing (?:soft )?tissue (?:with)?in the (?:\w+\s+){0,3}?(?:vein|lumen)|fills the lumen of the (?:\w+\s+){0,2}?vein|(?:portal|hepatic) vein (?:tumou?r )?involvement|occluded by (?:enhancing )?tumou?r|tumou?r in vein|enhancing soft tissue (?:with)?in the (?:\w+\s+){0,2}?vein)\b/i;
const PLAIN_THROMBUS =
  /\b(?:portal vein|hepatic vein|PV)\s+(?:branch\s+)?(?:thrombus|thrombosis)\b|\bthrombus\b|\bthrombosis\b/i;
const BLAND = /\bbland\b|non-?enhancing|without enhancement|no enhancement/i;

/** LCSGJ grade 0 ("Vp0", "Vv0"): no invasion of that vessel system. */
const GRADE_ZERO = /\bV[pv]\s?-?0\b/i;

const vascularExtractor: Extractor = (clause, sentence, masked) => {
  const zero = GRADE_ZERO.exec(clause);
  // "Vascular invasion grade: Vp0/Vv0" names the finding only to grade it zero.
  const rest = zero && !/\bV[pv]\s?-?[1-4]\b/i.test(clause) ? [] : vascularFindings(clause, sentence, masked);
  if (!zero) return rest;
  return [
    ...rest,
    {
      finding: { type: 'vascular-invasion', presence: 'absent', polarity: 'negative', confidence: 'high' },
      matched: zero[0],
    },
  ];
};

const vascularFindings: Extractor = (clause, sentence) => {
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
  if (pm && (vm || /\bPV\b/.test(pm[0]) || /\bportal\b[^.;]{0,40}\bveins?\b/i.test(clause))) {
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
    /\b(?:portal veins?|hepatic veins?|IVC|inferior vena cava|portal (?:venous )?branches)\s+(?:\w+\s+){0,3}?(?:(?:is|are|remains?|remain|appears?)\s+)?(?:patent|free)\b|\bpatent (?:main |right |left )?(?:portal|hepatic)(?: and (?:portal|hepatic))? veins?\b/i.exec(
      clause,
    );
  if (patent && !hedgedIn(clause, clause)) {
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
  // "without evidence of invasion" next to a named vein; a bare "invasion" asserted is too vague to be positive.
  const invasion = /\binvasion\b|\binvad\w*|\btumou?r extension\b/i.exec(clause);
  if (invasion && (vm || VESSEL.test(sentence))) {
    const polarity = polarityOf(clause, invasion.index, invasion.index + invasion[0].length);
    return [
      {
        finding: {
          type: 'vascular-invasion',
          presence: polarity === 'negative' ? 'absent' : 'unknown',
          ...(vessel ? { vessel } : {}),
          polarity: polarity === 'negative' ? 'negative' : 'uncertain',
          confidence: polarity === 'negative' ? 'medium' : 'low',
        },
        matched: invasion[0],
      },
    ];
  }
  return [];
};

// -- extrahepatic spread -----------------------------------------------------------------------------------------

const EHS =
  /\bextra-?hepatic (?:disease|spread|metasta\w*|extension|tumou?r|lesions?|involvement|malignancy)\b|\b(?:distant )?metasta(?:sis|ses|tic|tatic|size[sd]?)\b|\bperitoneal carcinomatosis\b|\bEHS\b|\bextra-?hepatic\b(?!\s+(?:bile|biliary|duct|portal|arter\w*|vein|veins|collateral\w*|vessels?))/i;

/**
 * Disease at a site outside the liver without the word "metastasis": implants, deposits, adenopathy, nodules.
 * Asserted only with words that call it tumour (implants, deposits, "consistent with metastases"); a bare nodule or
 * enlarged node is uncertain; a negated one ("no lymphadenopathy", "no pleural nodules") is absent.
 */
const SITE_LESION =
  /\b(?:implants?|deposits?|seeding|nodularity|nodules?|lesions?|masses|mass|lymphadenopathy|adenopathy|(?:enlarged |suspicious )?(?:lymph )?nodes?|carcinomatosis|spread outside the liver|disease outside the liver)\b/i;
const TUMOUR_WORDS = /\bimplants?\b|\bdeposits?\b|carcinomatosis|metasta\w*/i;

function siteLesionHit(clause: string): Hit[] {
  const outside = /\b(?:spread|disease) (?:outside|beyond) the liver\b/i.exec(clause);
  const site = outside ? 'outside the liver' : siteIn(clause);
  if (!site) return [];
  const m = outside ?? SITE_LESION.exec(clause);
  if (!m) return [];
  // "lymph nodes are not enlarged" / "no lymphadenopathy" / "no pleural nodules"
  const notEnlarged = /\bnodes?\b[^.;]{0,25}\bnot (?:enlarged|pathologic\w*)\b/i.test(clause);
  let polarity = notEnlarged ? ('negative' as const) : polarityOf(clause, m.index, m.index + m[0].length);
  if (polarity === 'positive' && !TUMOUR_WORDS.test(clause)) polarity = 'uncertain';
  if (
    polarity === 'positive' &&
    /\bnew\b/i.test(clause.slice(Math.max(0, m.index - 30), m.index)) &&
    !TUMOUR_WORDS.test(clause)
  )
    polarity = 'uncertain';
  return [
    {
      finding: {
        type: 'extrahepatic-spread',
        presence: polarity === 'positive' ? 'present' : polarity === 'negative' ? 'absent' : 'unknown',
        ...(polarity !== 'negative' && site !== 'outside the liver' ? { site } : {}),
        polarity,
        confidence: confidenceFor(polarity, 'medium'),
      },
      matched: m[0],
    },
  ];
}

const extrahepaticExtractor: Extractor = (clause) => {
  const m = EHS.exec(clause);
  if (!m) return siteLesionHit(clause);
  // "No new extrahepatic lesions" is a new-lesion statement, not a statement on known extrahepatic disease.
  if (
    /\bnew\s+(?:(?:intra-?hepatic|hepatic|liver)\s+(?:or|and|\/)\s+)?(?:\w+\s+)?$/i.test(
      clause.slice(0, m.index),
    ) &&
    polarityOf(clause, m.index, m.index + m[0].length) !== 'positive'
  )
    return [];
  // "intrahepatic metastasis" is intrahepatic spread, not extrahepatic.
  if (/\bintra-?hepatic\s+$/i.test(clause.slice(0, m.index))) return [];
  const polarity = polarityOf(clause, m.index, m.index + m[0].length);
  const site = siteIn(clause);
  const isExplicit = /extra-?hepatic|distant/i.test(m[0]) || site !== undefined;
  // "metastasis" with no site could be intrahepatic: never present, but a hedge still makes it uncertain.
  if (!isExplicit && polarity === 'positive') return [];
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

/**
 * A phrasing family with its exact pre-test, `mayHit`: false only when the extractor cannot return a hit for the
 * clause. Each pre-test looks for literals the family's patterns cannot match without (one regex of alternative
 * literals scans faster than a loop of `includes`): tested case-insensitively for a case-insensitive pattern, as
 * written for a case-sensitive one. Masking changes only digits (to '#') and the comma of a decimal, so letters in
 * the masked clause are the clause's, and a digit left there is one of the clause's digits.
 */
export interface ExtractorFamily {
  readonly name: string;
  readonly extract: Extractor;
  /** `signature`: the clause's pretestSignature, when the caller has it (computed otherwise). */
  readonly mayHit: (clause: string, signature?: number) => boolean;
  /** Whether the family reads the masked clause (the others are not given one: masking is skipped for them). */
  readonly readsMasked: boolean;
}

/** Lesion nouns (LESION_NOUN) as literals: "nodul" also covers "multinodular" and "nodularity". */
const LESION_LITERALS = 'lesion|nodul|tumo|mass|foci|focus|observation|hcc';

/** NO_OBJECTIVE_RESPONSE and RESPONSE_PHRASES each need one of these. */
const RESPONSE_LITERALS = /response|remission|stable|progress/i;
/** An abbreviation is reported only when its clause holds it as written (case-sensitive CR|PR|SD|PD). */
const RESPONSE_ABBREVIATIONS = /CR|PR|SD|PD/;
/** Both alternatives of LIRADS_TR end in (non-?viable|viable|equivocal|non-?evaluable). */
const LIRADS_LITERALS = /viable|equivocal|evaluable/i;
/** …and "LR" or "LI(-)RADS" after a word boundary (the first alternative begins so; the second has it after "("
 * and whitespace). */
const LIRADS_NAME = /\bl[ri]/i;
/** RECICL_TE without its word boundaries and look-ahead (case-sensitive). */
const RECICL_LITERALS = /TE\s?-?\s?[1-4]/;
/** The keyword percentExtractor needs: LIPIODOL, NECROSIS ("necros…", "necrotic") or VIABLE (each of its
 * alternatives has "viab", "enhanc" or "residual tumo(u)r"). */
const PERCENT_KEYWORDS = /lipiodol|ethiodi|necro|viab|enhanc|residual tumo/i;
/** With a keyword, a hit needs a PERCENT match ("%" or "percent") or the zero pattern ("no"/"without" …,
 * "complete(ly) necro…"). */
/** (PERCENT_OR_ZERO is /%|percent|\bno\b|without|complete/i: its "%" is found exactly by the signature, its words
 * by this.) */
const PERCENT_OR_ZERO_WORDS = /percent|\bno\b|without|complete/i;
/** COUNT_FROM_TO, STATED_COUNT and COUNT_NOUN end in a lesion noun; MANY in a lesion noun, "hepatocellular
 * carcinoma", "disease" or "tumo(u)r burden", or is "innumerable", "diffuse(ly) infiltrat…", "multinodular",
 * "too numerous to count". */
const COUNT_NOUNS = new RegExp(
  `${LESION_LITERALS}|carcinoma|disease|innumerable|infiltrat|too numerous`,
  'i',
);
/** …and a number (NUM: digits, which masking can only remove, or a number word) or one of MANY's words. */
/** (COUNT_QUANTITIES is this with \d as well: a digit is found exactly by the signature.) */
const COUNT_QUANTITY_WORDS =
  /one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|single|solitary|many|multiple|numerous|innumerable|countless|several|a few|multifocal|multinodular|diffuse|infiltrat|myriad/i;
/** Every alternative of NEW_LESION has "new"/"newly", "de novo" or "interval". */
const NEW_LESION_LITERALS = /new|de novo|interval/i;
/** Only a SIZE match makes a finding, and SIZE ends in its unit, "cm" or "mm". */
const SIZE_UNITS = /cm|mm/i;
/** GRADE_ZERO needs "vp"/"vv"; TUMOUR_THROMBUS one of "tumo(u)r", "pvtt", "thromb", "invasion", "invad…", "vp",
 * "vv", "tiv", "tissue", "lumen", "involvement"; PLAIN_THROMBUS "thromb"; the patent pattern "patent" or "free";
 * the invasion pattern "invasion", "invad…" or "tumo(u)r extension". */
/**
 * The vascular, extrahepatic and site pre-tests below also need a word boundary before the literal (a scan that
 * fails fast inside words): in every pattern they stand for, each literal begins right after `\b` or after
 * whitespace. LR-?TIV is kept whole ("LRTIV" has no boundary before "TIV").
 */
const VASCULAR_LITERALS =
  /\b(?:tumo|pvtt|thromb|invasion|invad|vp|vv|lr-?tiv|tissue|lumen|involvement|patent|free)/i;
/** EHS needs one of these, and so does siteLesionHit's "(spread|disease) (outside|beyond) the liver". */
const EHS_LITERALS = /\b(?:extra|metasta|carcinomatosis|ehs|the liver)/i;
/**
 * Otherwise siteLesionHit needs a site (EXTRAHEPATIC_SITE: each alternative holds one of these; "lymph" for
 * "lymphadenopathy", "hemidiaphragm" for "(hemi)diaphragm", whose inner words start no word) …
 */
const SITE_LITERALS =
  /\b(?:lung|pulmonary|pleura|lobe|lingula|bone|osseous|vertebra|rib|skelet|sclerotic|lytic|l[1-5]|sacrum|pelvis|femur|node|nodal|lymph|adenopathy|adrenal|peritone|oment|carcinomatosis|paracolic|abdominal wall|drain tract|diaphragm|hemidiaphragm|mesenter|brain)/i;
/** … and a SITE_LESION match (implants, deposits, seeding, nodul…, lesions, mass(es), (lymph)adenopathy, nodes). */
const SITE_LESION_LITERALS =
  /\b(?:implant|deposit|seeding|nodul|node|lesion|mass|lymph|adenopathy|carcinomatosis)/i;

/**
 * The literals each pre-test regex looks for, as prefixes (report-layout.ts, prefixSignature), one bit each: a
 * regex whose bit is clear in a clause's signature cannot match it, so it is not run. Exported for the test that
 * checks each group against its regex. Only the extraction families are ruled out here, never the negation and
 * hedge tests (polarityOf): a prefix list that fell behind an edit of NEG_PRE or HEDGE_WORDS would turn a negated or
 * hedged finding positive, the one error that can end as a false "met"; a missed family pre-test only misses a
 * finding.
 */
export const PRETEST_PREFIXES: readonly (PrefixGroup & { readonly re: RegExp })[] = [
  { bit: 1 << 0, re: RESPONSE_LITERALS, prefixes: ['resp', 'remi', 'stab', 'prog'] },
  { bit: 1 << 1, re: RESPONSE_ABBREVIATIONS, prefixes: ['cr', 'pr', 'sd', 'pd'] },
  { bit: 1 << 2, re: LIRADS_LITERALS, prefixes: ['viab', 'equi', 'eval'] },
  { bit: 1 << 3, re: RECICL_LITERALS, prefixes: ['te'] },
  { bit: 1 << 4, re: PERCENT_KEYWORDS, prefixes: ['lipi', 'ethi', 'necr', 'viab', 'enha', 'resi'] },
  // PERCENT_OR_ZERO's words in two groups: "\bno\b" begins a word, the rest may begin anywhere.
  { bit: 1 << 5, re: PERCENT_OR_ZERO_WORDS, prefixes: ['perc', 'with', 'comp'] },
  { bit: 1 << 6, re: PERCENT_OR_ZERO_WORDS, prefixes: ['no'], wordStart: true },
  // prettier-ignore
  { bit: 1 << 7, re: COUNT_NOUNS, prefixes: ['lesi', 'nodu', 'tumo', 'mass', 'foci', 'focu', 'obse', 'hcc', 'carc',
    'dise', 'innu', 'infi', 'too '] },
  // One unit, so these bits are exact: set exactly where the clause holds a digit (\d is ASCII) or a "%".
  { bit: 1 << 15, re: /\d/, prefixes: ['#'] },
  { bit: 1 << 16, re: /%/, prefixes: ['%'] },
  { bit: 1 << 17, re: LIRADS_NAME, prefixes: ['lr', 'li'], wordStart: true },
  // prettier-ignore
  { bit: 1 << 8, re: COUNT_QUANTITY_WORDS, prefixes: ['one', 'two', 'thre', 'four', 'five', 'six', 'seve', 'eigh',
    'nine', 'ten', 'elev', 'twel', 'sing', 'soli', 'many', 'mult', 'nume', 'innu', 'coun', 'a fe', 'diff', 'infi',
    'myri'] },
  { bit: 1 << 9, re: NEW_LESION_LITERALS, prefixes: ['new', 'de n', 'inte'] },
  { bit: 1 << 10, re: SIZE_UNITS, prefixes: ['cm', 'mm'] },
  // prettier-ignore
  { bit: 1 << 11, re: VASCULAR_LITERALS, wordStart: true, prefixes: ['tumo', 'pvtt', 'thro', 'inva', 'vp', 'vv',
    'lr-t', 'lrti', 'tiss', 'lume', 'invo', 'pate', 'free'] },
  { bit: 1 << 12, re: EHS_LITERALS, wordStart: true, prefixes: ['extr', 'meta', 'carc', 'ehs', 'the '] },
  // prettier-ignore
  { bit: 1 << 13, re: SITE_LITERALS, wordStart: true, prefixes: ['lung', 'pulm', 'pleu', 'lobe', 'ling', 'bone',
    'osse', 'vert', 'rib', 'skel', 'scle', 'lyti', 'l#', 'sacr', 'pelv', 'femu', 'node', 'noda', 'lymp', 'aden',
    'adre', 'peri', 'omen', 'carc', 'para', 'abdo', 'drai', 'diap', 'hemi', 'mese', 'brai'] },
  // prettier-ignore
  { bit: 1 << 14, re: SITE_LESION_LITERALS, wordStart: true, prefixes: ['impl', 'depo', 'seed', 'nodu', 'node',
    'lesi', 'mass', 'lymp', 'aden', 'carc'] },
];
const PRETEST_TABLES = prefixTables(PRETEST_PREFIXES);
const bitOf = (re: RegExp): number =>
  PRETEST_PREFIXES.reduce((bits, g) => (g.re === re ? bits | g.bit : bits), 0);
const RESPONSE_WORDS_BIT = bitOf(RESPONSE_LITERALS);
const RESPONSE_ABBREVIATIONS_BIT = bitOf(RESPONSE_ABBREVIATIONS);
const LIRADS_BIT = bitOf(LIRADS_LITERALS);
const LIRADS_NAME_BIT = bitOf(LIRADS_NAME);
const DIGIT_BIT = 1 << 15;
const PERCENT_SIGN_BIT = 1 << 16;
const RECICL_BIT = bitOf(RECICL_LITERALS);
const PERCENT_KEYWORDS_BIT = bitOf(PERCENT_KEYWORDS);
const PERCENT_OR_ZERO_WORDS_BITS = bitOf(PERCENT_OR_ZERO_WORDS);
const COUNT_NOUNS_BIT = bitOf(COUNT_NOUNS);
const COUNT_QUANTITY_WORDS_BIT = bitOf(COUNT_QUANTITY_WORDS);
const NEW_LESION_BIT = bitOf(NEW_LESION_LITERALS);
const SIZE_UNITS_BIT = bitOf(SIZE_UNITS);
const VASCULAR_BIT = bitOf(VASCULAR_LITERALS);
const EHS_BIT = bitOf(EHS_LITERALS);
const SITE_BIT = bitOf(SITE_LITERALS);
const SITE_LESION_BIT = bitOf(SITE_LESION_LITERALS);

/** The clause's prefix signature for the family pre-tests. */
export const pretestSignature = (clause: string): number => prefixSignature(clause, PRETEST_TABLES);

/** `re.test(clause)`, not run where the signature rules every literal of `re` out (exact, see PRETEST_PREFIXES). */
const may = (signature: number, bits: number, re: RegExp, clause: string): boolean =>
  (signature & bits) !== 0 && re.test(clause);

/** The families in reading order; exported for the test that checks each pre-test against its extractor. */
export const EXTRACTOR_FAMILIES: readonly ExtractorFamily[] = [
  {
    name: 'response',
    extract: responseExtractor,
    mayHit: (c, sig = pretestSignature(c)) =>
      may(sig, RESPONSE_WORDS_BIT, RESPONSE_LITERALS, c) ||
      may(sig, RESPONSE_ABBREVIATIONS_BIT, RESPONSE_ABBREVIATIONS, c),
    readsMasked: false,
  },
  {
    name: 'lirads-tr',
    extract: liradsExtractor,
    mayHit: (c, sig = pretestSignature(c)) =>
      may(sig, LIRADS_BIT, LIRADS_LITERALS, c) && may(sig, LIRADS_NAME_BIT, LIRADS_NAME, c),
    readsMasked: false,
  },
  {
    name: 'recicl',
    extract: reciclExtractor,
    mayHit: (c, sig = pretestSignature(c)) => may(sig, RECICL_BIT, RECICL_LITERALS, c),
    readsMasked: false,
  },
  {
    name: 'percent',
    extract: percentExtractor,
    mayHit: (c, sig = pretestSignature(c)) =>
      may(sig, PERCENT_KEYWORDS_BIT, PERCENT_KEYWORDS, c) &&
      ((sig & PERCENT_SIGN_BIT) !== 0 || may(sig, PERCENT_OR_ZERO_WORDS_BITS, PERCENT_OR_ZERO_WORDS, c)),
    readsMasked: true,
  },
  {
    name: 'count',
    extract: countExtractor,
    mayHit: (c, sig = pretestSignature(c)) =>
      may(sig, COUNT_NOUNS_BIT, COUNT_NOUNS, c) &&
      ((sig & DIGIT_BIT) !== 0 || may(sig, COUNT_QUANTITY_WORDS_BIT, COUNT_QUANTITY_WORDS, c)),
    readsMasked: true,
  },
  {
    name: 'new-lesions',
    extract: newLesionExtractor,
    mayHit: (c, sig = pretestSignature(c)) => may(sig, NEW_LESION_BIT, NEW_LESION_LITERALS, c),
    readsMasked: true,
  },
  {
    name: 'largest-diameter',
    extract: diameterExtractor,
    mayHit: (c, sig = pretestSignature(c)) => may(sig, SIZE_UNITS_BIT, SIZE_UNITS, c),
    readsMasked: true,
  },
  {
    name: 'vascular',
    extract: vascularExtractor,
    mayHit: (c, sig = pretestSignature(c)) => may(sig, VASCULAR_BIT, VASCULAR_LITERALS, c),
    readsMasked: false,
  },
  {
    name: 'extrahepatic',
    extract: extrahepaticExtractor,
    // The short lesion-word list first: a clause holds one far more often than a site, but it is the cheaper scan.
    mayHit: (c, sig = pretestSignature(c)) =>
      may(sig, EHS_BIT, EHS_LITERALS, c) ||
      (may(sig, SITE_LESION_BIT, SITE_LESION_LITERALS, c) && may(sig, SITE_BIT, SITE_LITERALS, c)),
    readsMasked: false,
  },
];

const CLAUSE_SPLIT_ALL = new RegExp(CLAUSE_SPLIT.source, 'gi');
const OPENING_BRACKET = /[([]/;
/** CLAUSE_SPLIT's ";", ":" and its words, each of which follows whitespace there (`\s+\b`). */
const CLAUSE_SPLIT_LITERALS = /;|:|\s(?:but|however|although|though|except|whereas|while|yet|aside from)/i;

/** `sentence` with what its brackets hold hidden; without an opening bracket it is `sentence` itself. */
function hideBracketed(sentence: string): string {
  let depth = 0;
  let hidden = '';
  for (const ch of sentence) {
    if (ch === '(' || ch === '[') depth += 1;
    if (depth > 0 && ch !== '(' && ch !== '[' && ch !== ')' && ch !== ']') hidden += ch === ' ' ? ' ' : 'x';
    else hidden += ch;
    if ((ch === ')' || ch === ']') && depth > 0) depth -= 1;
  }
  return hidden;
}

/** Clauses of a sentence; a bracket is never split ("two lesions (S3: 12 mm; S5: 9 mm)" stays one clause). */
export function splitClauses(sentence: string): string[] {
  // Exact fast path: every CLAUSE_SPLIT alternative holds ";", ":" or whitespace then one of its words, and a match
  // in the hidden text lies outside brackets, where the hidden text is the sentence's own (inside, all but spaces
  // and brackets is 'x', so a word there, and a space before a word outside, cannot be hidden): without them there
  // is one clause.
  if (!CLAUSE_SPLIT_LITERALS.test(sentence)) {
    const only = sentence.trim();
    return only.length > 0 ? [only] : [];
  }
  // Hide the brackets' insides from the split, then cut the original at the same places.
  const hidden = OPENING_BRACKET.test(sentence) ? hideBracketed(sentence) : sentence;
  const out: string[] = [];
  const re = CLAUSE_SPLIT_ALL;
  re.lastIndex = 0;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(hidden)) !== null) {
    out.push(sentence.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  out.push(sentence.slice(last));
  return out.map((c) => c.trim()).filter((c) => c.length > 0);
}

/** Findings of one text, in reading order, each with its sentence and matched words. */
export function extractFindings(text: string, ctx: TextContext): ImagingFinding[] {
  return extractReportFindings([{ text, origin: ctx.origin ?? 'text' }], ctx);
}

/** extractFindings with each finding's findingKey. */
export function extractKeyedFindings(
  text: string,
  ctx: TextContext,
): { finding: ImagingFinding; key: string }[] {
  return extractFindings(text, ctx).map((finding) => ({ finding, key: findingKey(finding) }));
}

/** One hit read from one sentence of one text, before its finding (with evidence) is built. */
interface Occurrence {
  readonly keyed: KeyedHit;
  readonly sentence: string;
  /** sentenceKey(sentence). */
  readonly sk: string;
}

/**
 * A set of findingKeys (`JSON of the finding without evidence and confidence` + `|` + sentenceKey), held as the
 * hits each key came from, grouped by sentenceKey: the JSON is serialised only when two different hits of the same
 * sentenceKey might be equal. A findingKey is a valid JSON object text, which no other one can begin, then `|`: two
 * keys are equal exactly when their JSON parts and their sentenceKeys are.
 */
class FindingKeys {
  private readonly bySentence = new Map<string, KeyedHit[]>();

  /** Adds the key of `keyed` read from a sentence whose sentenceKey is `sk`; false when it is there already. */
  add(sk: string, keyed: KeyedHit): boolean {
    const list = this.bySentence.get(sk);
    if (list === undefined) {
      this.bySentence.set(sk, [keyed]);
      return true;
    }
    for (const other of list) if (sameFinding(other, keyed)) return false;
    list.push(keyed);
    return true;
  }
}

/**
 * Whether two hits' findings have the same JSON without confidence. The same hit object is the same finding. Type
 * and polarity are strings every finding has, so findings that differ in either serialise differently: only the
 * rest compare by their (cached) JSON.
 */
function sameFinding(a: KeyedHit, b: KeyedHit): boolean {
  if (a === b) return true;
  if (a.hit.finding.type !== b.hit.finding.type || a.hit.finding.polarity !== b.hit.finding.polarity)
    return false;
  return a.json() === b.json();
}

/**
 * The findings of one report read from all its texts (conclusion, coded conclusion, narratives), de-duplicated.
 * An addendum in any of them revises the report: for every finding type it speaks to, its reading replaces the
 * original's ("ADDENDUM: on re-review this is a perfusion anomaly; there is no new lesion"), and what the original
 * said in the same sentence as a replaced finding (the size of the retracted lesion) goes with it.
 */
export function extractReportFindings(
  texts: readonly { text: string; origin: EvidenceOrigin }[],
  ctx: TextContext,
): ImagingFinding[] {
  const original: { o: Occurrence; origin: EvidenceOrigin }[] = [];
  const addendum: { o: Occurrence; origin: EvidenceOrigin }[] = [];
  for (const t of texts) {
    const [before, added, after] = splitAddendum(t.text);
    for (const o of occurrencesOf(before + after, ctx.memo)) original.push({ o, origin: t.origin });
    if (added) for (const o of occurrencesOf(added, ctx.memo)) addendum.push({ o, origin: t.origin });
  }
  let kept = original;
  if (addendum.length > 0) {
    const revised = new Set(addendum.map((k) => k.o.keyed.hit.finding.type));
    const retractedSentences = new Set(
      original.filter((k) => revised.has(k.o.keyed.hit.finding.type)).map((k) => k.o.sentence),
    );
    kept = original.filter(
      (k) => !revised.has(k.o.keyed.hit.finding.type) && !retractedSentences.has(k.o.sentence),
    );
  }
  // Findings are built only for the occurrences kept: conclusion and narrative repeat many sentences.
  const out: ImagingFinding[] = [];
  const seen = new FindingKeys();
  for (const list of addendum.length > 0 ? [kept, addendum] : [kept]) {
    for (const { o, origin } of list) {
      if (!seen.add(o.sk, o.keyed)) continue;
      out.push(findingOf(o, ctx, origin));
    }
  }
  return out;
}

/** The finding of one occurrence, with its evidence. */
function findingOf(o: Occurrence, ctx: TextContext, origin: EvidenceOrigin): ImagingFinding {
  const h = o.keyed.hit;
  // Field by field in the published key order: conditional spreads cost a throwaway object per field.
  const evidence: { -readonly [K in keyof Evidence]?: Evidence[K] } = { source: ctx.source };
  if (ctx.date) evidence.date = ctx.date;
  if (h.value !== undefined) evidence.value = h.value;
  if (h.unit !== undefined) evidence.unit = h.unit;
  evidence.sentence = o.sentence;
  evidence.matched = h.matched;
  evidence.origin = origin;
  // Object.assign then one store: the same own keys in the same order as a spread, and cheaper than V8's
  // spread of the many finding shapes that meet at this one site.
  const finding: Record<string, unknown> = Object.assign({}, h.finding);
  finding.evidence = evidence;
  return finding as unknown as ImagingFinding;
}

const ADDENDUM = /(?:^|\n)\s*(?:\*+\s*)?addend(?:um|a)\b/i;
const HISTORY_SECTION =
  /^(?:clinical )?(?:history|indication|indications|reason for (?:exam|examination|study|referral)|clinical (?:information|details|question|indication))\s*:/i;
/** Where the original report resumes after an addendum placed on top ("*** ORIGINAL REPORT ***"). */
const ORIGINAL_RESUMES = /\n\s*(?:\*+\s*)?(?:original (?:report|text)|final report|report text)\b[^\n]*\n/i;

/** [text before the addendum, the addendum, text after it] — an addendum may sit above or below the original. */
/** ADDENDUM's one literal: a text without it has no addendum (one scan for a literal, cheaper than ADDENDUM's). */
const ADDENDUM_LITERAL = /addend/i;

function splitAddendum(text: string): [string, string, string] {
  const at = ADDENDUM_LITERAL.test(text) ? ADDENDUM.exec(text) : null;
  if (!at) return [text, '', ''];
  // Search past the word itself (the match may begin with the blank line above it).
  const start = at.index + at[0].length;
  const after = text.slice(start);
  // Without a marker, the addendum is its own paragraph: the original may follow after a blank line.
  const resumes = ORIGINAL_RESUMES.exec(after) ?? /\n[ \t]*\n/.exec(after);
  if (!resumes) return [text.slice(0, at.index), text.slice(at.index), ''];
  const end = start + resumes.index;
  return [text.slice(0, at.index), text.slice(at.index, end), '\n' + text.slice(end + resumes[0].length)];
}

/**
 * Every hit of `text` as a finding, in reading order, repeats included: extractFindings keeps the first finding of
 * each findingKey of these (exported for the test that checks the de-duplication against findingKey).
 */
export function findingsWithRepeats(text: string, ctx: TextContext): ImagingFinding[] {
  return occurrencesOf(text, ctx.memo, true).map((o) => findingOf(o, ctx, ctx.origin ?? 'text'));
}

/** The hits of one text in reading order, each findingKey once (its first occurrence) unless `repeats`. */
function occurrencesOf(text: string, memo: SentenceMemo | undefined, repeats = false): Occurrence[] {
  const out: Occurrence[] = [];
  const seen = new FindingKeys();
  let heading: string | undefined;
  let inHistory = false;
  for (const sentence of splitSentences(text)) {
    const named = scaleHeading(sentence);
    if (named !== undefined) {
      heading = named; // "mRECIST" / "LI-RADS TR:" heads the lines below it until the next heading
      continue;
    }
    if (/^[A-Z][A-Z /&-]{2,40}:?$/.test(sentence)) heading = undefined; // another section heading ("IMPRESSION:")
    // Clinical history and indication describe the past and the question, not this exam's findings.
    if (HISTORY_SECTION.test(sentence)) {
      inHistory = true;
      continue;
    }
    if (inHistory && !/^[A-Za-z][A-Za-z /&-]{2,40}:/.test(sentence)) continue;
    inHistory = false;
    // A heading alone ("Extrahepatic findings:") states nothing.
    if (headingAlone(sentence) && !/\(\s*n\s*=/i.test(sentence)) continue;
    const reading = sentenceHits(sentence, heading, memo);
    if (reading.hits.length === 0) continue;
    const sk = reading.sentenceKey(sentence);
    for (const keyed of reading.hits) {
      if (!seen.add(sk, keyed) && !repeats) continue;
      out.push({ keyed, sentence, sk });
    }
  }
  return out;
}

const ONLY_WHITESPACE = /^\s*$/;

/**
 * /^[^:]{1,60}:\s*$/: the first colon at index 1 to 60 and only whitespace after it (exported for the test that
 * checks it against that pattern).
 */
export function headingAlone(sentence: string): boolean {
  const colon = sentence.indexOf(':');
  return colon >= 1 && colon <= 60 && ONLY_WHITESPACE.test(sentence.slice(colon + 1));
}

/** A hit with the JSON part of its findingKey (the finding without confidence), serialised once, when asked. */
class KeyedHit {
  private serialised: string | undefined;

  constructor(readonly hit: Hit) {}

  json(): string {
    if (this.serialised === undefined) {
      const { confidence: _c, ...rest } = this.hit.finding;
      this.serialised = JSON.stringify(rest);
    }
    return this.serialised;
  }
}

/** The hits of one sentence, and its sentenceKey, computed once, when asked. */
class SentenceReading {
  private key: string | undefined;

  constructor(readonly hits: readonly KeyedHit[]) {}

  /** sentenceKey of the sentence these hits were read from (the memo keys readings by that sentence). */
  sentenceKey(sentence: string): string {
    return (this.key ??= sentenceKey(sentence));
  }
}

/**
 * A memo of the extractors' hits per sentence, for one patient's reports: a report repeats its conclusion in the
 * narrative and a patient's reports repeat their templated phrasings ("No new lesions."), so the regex families run
 * once per distinct sentence. One per patient, never shared across patients: a batch of copies of the same record
 * would otherwise read each sentence once for the whole run and flatter the CLI's throughput (issue 13). Keyed by
 * the immutable sentence string, bounded. Its hits and their findings are never handed out (findingOf gives a copy
 * with its own evidence; findings hold only primitives) and never changed, so they are not frozen one by one; only
 * the keys computed from them are cached, on first use.
 */
export interface SentenceMemo {
  readonly hits: Map<string, SentenceReading>;
}
const SENTENCE_HITS_MAX = 5_000;

export function sentenceMemo(): SentenceMemo {
  return { hits: new Map() };
}

function sentenceHits(sentence: string, heading?: string, memo?: SentenceMemo): SentenceReading {
  const memoKey = heading ? `${heading}\u0000${sentence}` : sentence;
  const cached = memo?.hits.get(memoKey);
  if (cached) return cached;
  const out: KeyedHit[] = [];
  // A "Field: value" line is read as the sentence it stands for; the evidence keeps the original sentence.
  const reading = readingOf(sentence, heading);
  for (const clause of splitClauses(reading)) {
    let masked: string | undefined; // masked once, and only for a family that reads it
    countNouns = undefined; // reused within this clause only, never from another clause or patient
    hedgeWordsOf = undefined;
    const signature = pretestSignature(clause); // one pass for all the families' pre-tests
    for (const family of EXTRACTOR_FAMILIES) {
      if (!family.mayHit(clause, signature)) continue; // exact: this family has nothing to find here
      if (family.readsMasked) masked ??= maskDistractors(clause);
      let hits: Hit[];
      try {
        // A family that does not read the masked clause ignores its third argument.
        hits = family.extract(clause, reading, masked ?? clause);
      } catch {
        hits = []; // an extractor bug must not lose the rest of the report
      }
      for (const h of hits) {
        // The extractors build a new hit and finding each time and keep no reference.
        out.push(new KeyedHit(h));
      }
    }
  }
  const read = new SentenceReading(oneLargestPerSentence(out));
  if (memo) {
    if (memo.hits.size >= SENTENCE_HITS_MAX) memo.hits.clear();
    memo.hits.set(memoKey, read);
  }
  return read;
}

/** One sentence states one largest diameter: the largest of its sizes (an exact one before a lower bound). */
function oneLargestPerSentence(hits: KeyedHit[]): KeyedHit[] {
  const sizes = hits.filter((k) => k.hit.finding.type === 'largest-diameter');
  if (sizes.length < 2) return hits;
  const cm = (k: KeyedHit): number => (k.hit.finding.type === 'largest-diameter' ? k.hit.finding.cm : 0);
  const best = sizes.reduce((a, b) => (cm(b) > cm(a) ? b : a));
  return hits.filter((k) => k.hit.finding.type !== 'largest-diameter' || k === best);
}

/** Identity of a finding for de-duplication (conclusion and narrative often repeat the same sentence). */
export function findingKey(f: ImagingFinding): string {
  const { evidence, confidence: _c, ...rest } = f;
  return `${JSON.stringify(rest)}|${sentenceKey(evidence.sentence ?? '')}`;
}

const sentenceKey = (sentence: string): string => {
  const lower = sentence.toLowerCase();
  return SPACING_TO_NORMALISE.test(lower) ? lower.replace(/\s+/g, ' ') : lower;
};
