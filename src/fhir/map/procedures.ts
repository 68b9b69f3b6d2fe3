/**
 * Procedures → TreatmentSessions. Codes first (CPT, HCPCS, ICD-10-PCS, SNOMED — always system + code), then the
 * words of code.text / display (clinical-reference.md §5: "Always also match code.text/display"). CPT 37243 is
 * shared by cTACE, DEB-TACE, TAE and the embolization part of TARE, so the technique comes from the words.
 *
 * Site (issue 9 item 4): a resection, ablation or embolization is a liver treatment only when its code, words or
 * bodySite place it in the liver; one of another organ (colon resection, AV-node ablation, uterine fibroid
 * embolization …) is listed as "not relevant" and never closes a TACE's response window. An embolization of the
 * liver, or an arterial therapy, that is not recognisably TACE / TAE / TARE is kept on the timeline as `other` (so
 * it still closes the previous response window) and listed as "possible TACE not recognised", because a missing
 * session changes verdicts. Every Procedure read is either a session or a data issue.
 */
import type { DataIssue, SourceRef } from '../../domain/source';
import type { TreatmentKind, TreatmentSession, TreatmentStatus } from '../../domain/treatments';
import { dayOf, sortByDate } from '../../domain/timeline';
import {
  LIVER_SITE,
  NON_LIVER_PROCEDURE_CODES,
  PROCEDURE_CODES,
  PROCEDURE_INTENT,
  SYSTEMS,
  normalizeSystem,
  textMatches,
  type CodingLike,
} from '../codes';
import { codeableConceptSchema, type CodeableConcept } from '../schemas/common';
import { procedureSchema } from '../schemas/procedure';
import type { Procedure } from '../schemas/procedure';
import { SeenIds, conceptLabel, isAfterDay, isFhirDate, parseResource, sourceRef } from './common';

export interface MapProceduresResult {
  readonly sessions: TreatmentSession[];
  readonly issues: DataIssue[];
}

type CodedBy = TreatmentSession['codedBy'];

// Words that tell the TACE technique apart. They refine a TACE already recognised; alone they make nothing
// ("drug-eluting stent", "conventional radiotherapy" and "beads" are not TACE).
const DEB_WORDS = /\bdeb\b|drug[- ]eluting|\bbeads?\b|\bdc ?bead|lc ?bead|hepasphere|debdox/i;
const CONVENTIONAL_WORDS = /lipiodol|ethiodi[sz]ed oil|\bconventional\b|\bc-?tace\b/i;
// Words that are a TACE / TAE / TARE on their own (§5: "chemoemboli", "TACE", "DEB", "radioemboli", "Y-90").
const CHEMO_EMBO_WORDS =
  /chemo[- ]?emboli|\b(?:c|deb)?-?tace\b|debdox|hepasphere|\b(?:dc|lc) ?beads?\b|drug[- ]eluting (?:beads?|microspheres?)/i;
const LIPIODOL_WORDS = /lipiodol|ethiodi[sz]ed oil/i;
const BLAND_WORDS =
  /\btae\b|\bbland\b[^|]*emboli|emboli[^|]*\bbland\b|trans-?arterial emboli|trans-?catheter arterial emboli/i;
const TARE_WORDS = /radio-?emboli|\by-?90\b|yttrium|\bsirt\b|\btare\b|therasphere|sir-?sphere/i;
/** TARE words that name the liver procedure itself (Y-90 alone may be a radiosynovectomy). */
const TARE_LIVER_WORDS = /radio-?emboli|\bsirt\b|\btare\b|therasphere|sir-?sphere/i;
const HEPATIC_ARTERIAL_WORDS = /\bhaic\b|hepatic arter|intra-?arterial|\barterial\b/i;
/** An embolization of any kind ("embolization", "embolisation", "embolize", "embolotherapy"). */
const EMBOLI_WORDS = /emboli[sz]|embolotherapy/i;
/** Arterial therapies that may be a TACE written another way ("transarterial therapy", "arteriogram with …"). */
const ARTERIAL_THERAPY_WORDS =
  /trans-?arterial|trans-?catheter arterial|intra-?arterial|arteriogra(?:m|phy) with|angio[^|]*emboli/i;
/** An embolization aimed at a tumour: with these words and a liver site it is a bland TAE. */
const TUMOUR_EMBOLI_WORDS =
  /particle|microsphere|\bpva\b|polyvinyl alcohol|embosphere|\btumou?rs?\b|\bhcc\b|hepatoma|hepatocellular|\blesions?\b|\bmass\b|neoplas/i;
/** Embolizations for something other than a tumour: not a TAE, whatever the site. */
const NON_TUMOUR_PURPOSE_WORDS =
  /bleed|h(?:a)?emorrhag|h(?:a)?emobilia|pseudoaneurysm|trauma|lacerat|portosystemic|\btips\b|varic|shunt|arteriovenous|\bavm\b|fistula/i;
/** Resection words that are a liver resection when the liver is named ("wedge excision of liver lesion"). */
const LIVER_EXCISION_WORDS = /excision|excise|enucleat|metastasectomy|\bwedge\b/i;
const BIOPSY_WORDS = /biops/i;
/** Other treatments of a liver tumour that this app does not classify (radiation, ethanol injection, IRE, HIFU). */
const OTHER_LIVER_TREATMENT_WORDS =
  /brachytherap|radiotherap|radiation|\bsbrt\b|\bsabr\b|stereotactic|proton|ethanol|\bpeit?\b|electroporation|\bhifu\b|histotripsy/i;
const PORTAL_VEIN_EMBOLIZATION = /portal vein emboli|\bpve\b/i;

// Site words (issue 9 item 4). "Strong" liver words place a procedure in the liver even when another organ is
// named too; "weak" ones (a segment number, segmentectomy) only when no other organ is named.
export const LIVER_WORDS =
  /\bliver\b|(?<!extra)hepat(?!ic flexure)|\bhcc\b|hepatocellular|hepatoma|couinaud|caudate/i;
export const WEAK_LIVER_WORDS =
  /\bsegments?\s*(?:[1-8][ab]?|i{1,3}|iv[ab]?|vi{0,3})\b|\bseg\.?\s?[1-8]\b|\bs[1-8]\b|segmentectomy|sectionectomy/i;
export const NON_LIVER_SITES: readonly (readonly [site: string, words: RegExp])[] = [
  [
    'heart',
    /\bheart|cardi(?:ac|o)|\batri(?:al|um|o)|\bav[- ]?nod|atrioventricular|ventric|arrhythm|tachycard|flutter|fibrillation|pulmonary vein|electrophysiolog|\bsvt\b|\bpvi\b|septal|coronary|myocard/i,
  ],
  [
    'bowel',
    /\bcolon|\bcolic\b|colectomy|hepatic flexure|splenic flexure|\bsigmoid|\bc(?:a)?ecum|\bc(?:a)?ecal\b|append(?:ix|ectomy)|\brect(?:um|al)\b|proctectomy|\bbowel|\bileum|\bile(?:al|o)|jejun|duoden|intestin|\banus\b|\banal\b|\bgi\b|gastrointestinal/i,
  ],
  ['stomach / oesophagus', /\bstomach|gastr(?:ic|ectomy)|\bgastro|(?:o|\b)esophag|varice|variceal/i],
  ['pancreas', /pancrea|whipple/i],
  ['spleen', /splen/i],
  ['kidney / adrenal', /\bkidney|\brenal\b|nephr|adrenal/i],
  ['lung / airway', /\blungs?\b|pulmonar|pneumon|bronch|\btrache|thoracoscop|\bpleur/i],
  [
    'uterus / ovary',
    /uter(?:us|ine)|fibroid|myoma|endometri|hysterosc|hysterectomy|\bovar|\bcervix|fallopian/i,
  ],
  ['prostate / testis', /prostat|varicocele|testic|\btestis|spermatic|gonadal|scrot|\bpenile|\burethr/i],
  ['bladder', /(?<!gall)bladder|\bturbt\b/i],
  ['breast', /breast|mastectomy|lumpectomy/i],
  ['thyroid', /thyroid/i],
  [
    'head and neck / brain',
    /\bbrain|cerebr|intracranial|crani|\bmening|\bnasal|tonsil|adenoid|parotid|laryn|pharyn|tongue/i,
  ],
  [
    'spine / nerve / bone',
    /\bspin(?:e|al)\b|vertebr|\bfacet|medial branch|genicular|\bnerves?\b|basivertebral|\bbones?\b|osteoid|\bfemur|\bknee|\bhip\b|shoulder|\bjoints?\b|synov/i,
  ],
  ['skin', /\bskin\b|\bsubcutaneous|(?<!per)cutaneous|\bwarts?\b|lipoma/i],
  ['leg veins', /varicose|saphenous|endovenous|\bgsv\b|perforator vein/i],
  ['lymph nodes', /\blymph/i],
  ['outside the liver', /extra-?hepatic/i],
];

/**
 * Whether any NON_LIVER_SITES pattern can match: one scan instead of eighteen for the usual procedure, which names
 * no other organ. Exact: a regex without the g / y flags matches a string when one of its alternatives matches at
 * some position, so the alternation of the eighteen sources matches exactly when one of them does. That holds
 * only for sources that keep their meaning when joined: the same flags (`i` only) and no backreference (group
 * numbers shift); otherwise there is no pre-test (every string "may" match) and the eighteen tests run as before.
 */
export const mayNameOtherSite: (text: string) => boolean = ((): ((text: string) => boolean) => {
  const patterns = NON_LIVER_SITES.map(([, re]) => re);
  const joinable = patterns.every((re) => re.flags === 'i' && !/\\[1-9k]/.test(re.source));
  if (!joinable) return () => true;
  const any = new RegExp(patterns.map((re) => `(?:${re.source})`).join('|'), 'i');
  return (text) => any.test(text);
})();

/** The first non-liver site whose words `text` names, in NON_LIVER_SITES order. */
function otherSiteInWords(text: string): string | undefined {
  if (!mayNameOtherSite(text)) return undefined;
  return NON_LIVER_SITES.find(([, re]) => re.test(text))?.[0];
}

const CPT_RESECTION = new Set(PROCEDURE_CODES.resection.codes.map((c) => c.code));
const CPT_ABLATION = new Set(
  PROCEDURE_CODES.ablation.codes.filter((c) => c.system === SYSTEMS.cpt).map((c) => c.code),
);

/** The codes of each system classifyProcedure reads, in coding order. */
export interface ProcedureCodes {
  readonly cpt: string[];
  readonly hcpcs: string[];
  readonly pcs: string[];
  readonly snomed: string[];
}

/**
 * The former `codesIn(concept, system)` (the codings whose normalised system is `system` and that have a code, as
 * their codes) for CPT, HCPCS, ICD-10-PCS and SNOMED in one pass over the codings, each system normalised once.
 * Exported for tests/unit/map-speed-procedures.test.ts.
 */
export function procedureCodes(concept: CodeableConcept | undefined): ProcedureCodes {
  const out = { cpt: [] as string[], hcpcs: [] as string[], pcs: [] as string[], snomed: [] as string[] };
  for (const c of concept?.coding ?? []) {
    if (!c.code) continue;
    const system = normalizeSystem(c.system);
    if (system === SYSTEMS.cpt) out.cpt.push(c.code);
    if (system === SYSTEMS.hcpcs) out.hcpcs.push(c.code);
    if (system === SYSTEMS.icd10pcs) out.pcs.push(c.code);
    if (system === SYSTEMS.snomed) out.snomed.push(c.code);
  }
  return out;
}

/** The words we read: code text, coding displays and procedure notes. */
function wordsOf(p: Procedure): string {
  return [p.code?.text, ...(p.code?.coding ?? []).map((c) => c.display), ...(p.note ?? []).map((n) => n.text)]
    .filter((t): t is string => typeof t === 'string')
    .join(' | ');
}

/** The words of bodySite (text and displays). */
function bodySiteWords(p: Procedure): string {
  return (p.bodySite ?? [])
    .flatMap((b) => [b.text, ...(b.coding ?? []).map((c) => c.display)])
    .filter((t): t is string => typeof t === 'string')
    .join(' | ');
}

// The code compared before the systems: the same conjunction of pure tests, in a cheaper order (most value-set
// entries differ by code, so the two normalizeSystem calls are skipped for them).
const sameCoding = (a: CodingLike, b: CodingLike): boolean =>
  a.system !== undefined &&
  a.code !== undefined &&
  a.code === b.code &&
  normalizeSystem(a.system) === normalizeSystem(b.system);

interface Site {
  /** `code`: a liver code or a coded liver bodySite; `strong` / `weak`: liver words (see LIVER_WORDS). */
  readonly liver?: 'code' | 'strong' | 'weak';
  /** The other organ named by a code, the words or bodySite. */
  readonly other?: string;
}

/** What the words of a procedure say about its site: liver words (strong, weak) and another organ named. */
export interface WordSite {
  readonly strong: boolean;
  readonly weak: boolean;
  readonly other: string | undefined;
}

/**
 * The word tests of siteOf by text, kept across calls: exports repeat the same code texts and displays in
 * procedure after procedure, and these are the costliest tests of the mapper (twenty regexes). Exact: none of the
 * regexes has the g or y flag, so `test` depends on the text alone (no lastIndex) and an answer kept is the answer
 * recomputed; the tests siteOf does not need are pure, so computing them too changes nothing. Bounded: emptied when
 * full (only speed depends on what it holds).
 */
const wordSites = new Map<string, WordSite>();
const WORD_SITES_MAX = 4096;
const wordSitesCacheable = [LIVER_WORDS, WEAK_LIVER_WORDS, ...NON_LIVER_SITES.map(([, re]) => re)].every(
  (re) => !re.global && !re.sticky,
);

export function wordSiteOf(all: string): WordSite {
  let site = wordSites.get(all);
  if (site === undefined) {
    site = { strong: LIVER_WORDS.test(all), weak: WEAK_LIVER_WORDS.test(all), other: otherSiteInWords(all) };
    if (!wordSitesCacheable) return site;
    if (wordSites.size >= WORD_SITES_MAX) wordSites.clear();
    wordSites.set(all, site);
  }
  return site;
}

function siteOf(p: Procedure, words: string): Site {
  const codings = p.code?.coding ?? [];
  // The body-site codings are tested where they are, in the order the flattened list had (no list built).
  const liverCode =
    codings.some((c) => LIVER_SITE.codes.some((l) => sameCoding(l, c))) ||
    (p.bodySite ?? []).some((b) =>
      (b.coding ?? []).some((c) => LIVER_SITE.bodySites.some((l) => sameCoding(l, c))),
    );
  const said = wordSiteOf(`${words} | ${bodySiteWords(p)}`);
  const liver = liverCode ? 'code' : said.strong ? 'strong' : said.weak ? 'weak' : undefined;
  const otherCode = codings
    .map((c) => NON_LIVER_PROCEDURE_CODES.find((n) => sameCoding(n, c)))
    .find((n) => n !== undefined);
  const other = otherCode?.site ?? said.other;
  return { ...(liver ? { liver } : {}), ...(other ? { other } : {}) };
}

/** TACE technique from the words; undefined when they do not say. Only for a procedure already known to be one. */
function taceFromWords(words: string): TreatmentKind | undefined {
  if (TARE_WORDS.test(words)) return 'tare';
  if (DEB_WORDS.test(words) || textMatches(PROCEDURE_CODES.debTace, { text: words })) return 'tace-deb';
  if (CONVENTIONAL_WORDS.test(words)) return 'tace-conventional';
  if (CHEMO_EMBO_WORDS.test(words)) return 'tace-unspecified';
  if (BLAND_WORDS.test(words)) return 'tae';
  return undefined;
}

interface Classified {
  readonly kind: TreatmentKind;
  readonly codedBy: CodedBy;
  readonly note?: string;
  /** Only CPT 37243/37204/75894 and no words: may be the embolization part of a same-day TARE. */
  readonly bareEmbolization?: boolean;
  /** Used, with this caveat listed as a data issue (site not stated, or another organ named too). */
  readonly warning?: string;
  /** An embolization / arterial therapy of the liver that is not recognisably TACE, TAE or TARE. */
  readonly possibleTace?: boolean;
  /** Another treatment of the liver (radiation, ethanol injection …): kept as `other`, listed. */
  readonly possibleLiverTreatment?: boolean;
}

/** Not a liver treatment; listed as a data issue "not relevant: …". */
interface NotRelevant {
  readonly notRelevant: string;
}

export type ProcedureClass = Classified | NotRelevant;

export const isNotRelevant = (c: ProcedureClass): c is NotRelevant => 'notRelevant' in c;

export function classifyProcedure(p: Procedure): ProcedureClass {
  const { cpt, hcpcs, pcs, snomed } = procedureCodes(p.code);
  const words = wordsOf(p);
  const site = siteOf(p, words);

  /**
   * Places a resection / ablation / embolization. `implied`: the code or words name a liver procedure themselves
   * (SNOMED "chemoembolization of liver", "TACE", "radioembolization").
   */
  const placed = (c: Classified, what: string, implied = false): ProcedureClass => {
    const liver =
      implied || site.liver === 'code' || site.liver === 'strong' || (site.liver === 'weak' && !site.other);
    if (!liver && site.other) return { notRelevant: `${what} outside the liver (${site.other})` };
    if (liver && site.other && site.liver !== 'code')
      return {
        ...c,
        warning: `also names ${site.other}: counted as a liver ${what}; check the site`,
      };
    if (!liver && c.codedBy === 'text')
      return {
        ...c,
        warning: `site not stated: counted as a liver ${what} (it closes the previous TACE's response window); check the site`,
      };
    return c;
  };
  const possibleTace = (): Classified => ({
    kind: 'other',
    codedBy: 'text',
    note: 'possible TACE not recognised: not counted as a TACE session',
    possibleTace: true,
  });

  if (cpt.includes('79445')) return placed({ kind: 'tare', codedBy: 'cpt' }, 'radioembolization', true);
  if (hcpcs.includes('S2095')) return placed({ kind: 'tare', codedBy: 'hcpcs' }, 'radioembolization', true);
  if (cpt.includes('47135')) return { kind: 'transplant', codedBy: 'cpt' };
  if (pcs.includes('0FY00Z0')) return { kind: 'transplant', codedBy: 'icd10pcs' };
  if (cpt.some((c) => CPT_RESECTION.has(c))) return { kind: 'resection', codedBy: 'cpt' };
  if (cpt.some((c) => CPT_ABLATION.has(c))) return { kind: 'ablation', codedBy: 'cpt' };
  if (cpt.some((c) => /^9642[0-5]$/.test(c))) {
    // §5: intra-arterial chemotherapy CPT codes are HAIC only "with an arterial route".
    return HEPATIC_ARTERIAL_WORDS.test(words)
      ? { kind: 'haic', codedBy: 'cpt' }
      : {
          kind: 'other',
          codedBy: 'cpt',
          note: 'intra-arterial chemotherapy code without a hepatic/arterial route',
        };
  }
  const embolCpt = cpt.includes('37243') || cpt.includes('37204') || cpt.includes('75894');
  const chemoSnomed = snomed.includes('233527006');
  if (embolCpt || chemoSnomed) {
    const by: CodedBy = chemoSnomed ? 'snomed' : 'cpt';
    const implied = chemoSnomed || CHEMO_EMBO_WORDS.test(words) || TARE_LIVER_WORDS.test(words);
    const fromWords = taceFromWords(words);
    if (fromWords) return placed({ kind: fromWords, codedBy: by }, 'embolization', implied);
    if (chemoSnomed)
      return { kind: 'tace-unspecified', codedBy: by, note: 'technique (cTACE / DEB-TACE) not stated' };
    return placed(
      {
        kind: 'tace-unspecified',
        codedBy: by,
        note: `CPT ${cpt.join(' + ')} only: embolization technique not stated`,
        bareEmbolization: true,
      },
      'embolization',
    );
  }

  // Words. Order matters: the most specific wording first.
  const generic: NotRelevant = {
    notRelevant: site.other
      ? `procedure outside the liver (${site.other})`
      : 'not a TACE, TAE, TARE, HAIC, ablation, resection or transplant of the liver',
  };
  if (words.trim() === '') return generic;
  const text = { text: words };
  if (TARE_WORDS.test(words) || textMatches(PROCEDURE_CODES.tare, text))
    return placed({ kind: 'tare', codedBy: 'text' }, 'radioembolization', TARE_LIVER_WORDS.test(words));
  if (textMatches(PROCEDURE_CODES.transplant, text)) return { kind: 'transplant', codedBy: 'text' };
  if (textMatches(PROCEDURE_CODES.haic, text)) return { kind: 'haic', codedBy: 'text' };
  if (CHEMO_EMBO_WORDS.test(words))
    return placed(
      { kind: taceFromWords(words) ?? 'tace-unspecified', codedBy: 'text' },
      'chemoembolization',
      true,
    );
  const liverSite = site.liver !== undefined && (site.liver !== 'weak' || !site.other);
  if (LIPIODOL_WORDS.test(words)) {
    if (liverSite || HEPATIC_ARTERIAL_WORDS.test(words) || EMBOLI_WORDS.test(words))
      return placed({ kind: 'tace-conventional', codedBy: 'text' }, 'chemoembolization', true);
    if (site.other) return { notRelevant: `lipiodol procedure outside the liver (${site.other})` };
    return possibleTace();
  }
  const embolization = EMBOLI_WORDS.test(words);
  const nonTumour = NON_TUMOUR_PURPOSE_WORDS.test(words) && !TUMOUR_EMBOLI_WORDS.test(words);
  if (embolization || BLAND_WORDS.test(words) || ARTERIAL_THERAPY_WORDS.test(words)) {
    if (!liverSite && site.other)
      return { notRelevant: `embolization / arterial therapy outside the liver (${site.other})` };
    if (PORTAL_VEIN_EMBOLIZATION.test(words))
      return { notRelevant: 'portal vein embolization (prepares a resection; not a tumour treatment)' };
    if (nonTumour) return possibleTace();
    if (BLAND_WORDS.test(words)) return placed({ kind: 'tae', codedBy: 'text' }, 'embolization');
    if (embolization && liverSite && TUMOUR_EMBOLI_WORDS.test(words))
      return {
        kind: 'tae',
        codedBy: 'text',
        note: 'embolization of the liver without a chemotherapy or radioactive agent: read as bland TAE',
      };
    return possibleTace();
  }
  if (textMatches(PROCEDURE_CODES.ablation, text))
    return placed({ kind: 'ablation', codedBy: 'text' }, 'ablation');
  if (textMatches(PROCEDURE_CODES.resection, text))
    return placed({ kind: 'resection', codedBy: 'text' }, 'resection');
  const namesLiver = site.liver === 'code' || site.liver === 'strong';
  if (namesLiver && LIVER_EXCISION_WORDS.test(words) && !BIOPSY_WORDS.test(words))
    return placed({ kind: 'resection', codedBy: 'text' }, 'resection');
  if (namesLiver && OTHER_LIVER_TREATMENT_WORDS.test(words))
    return {
      kind: 'other',
      codedBy: 'text',
      note: 'liver treatment of a kind this app does not classify',
      possibleLiverTreatment: true,
    };
  return generic;
}

const KEPT_STATUS: Partial<Record<Procedure['status'], TreatmentStatus>> = {
  completed: 'completed',
  'in-progress': 'in-progress',
  preparation: 'preparation',
  'on-hold': 'on-hold',
  stopped: 'stopped',
  unknown: 'unknown',
};

const isTaceKind = (k: TreatmentKind): boolean => k.startsWith('tace-');

/** Same-day sessions that are one treatment: same kind, a TACE of unknown technique with a specific TACE, or a
 * bare embolization code next to a TARE (§5: "TARE/Y-90: CPT 79445 with 37243"). Returns the merged kind. */
function mergeKind(a: TreatmentSession & { bare?: boolean }, b: Classified): TreatmentKind | undefined {
  if (a.kind === b.kind) return a.kind;
  if (isTaceKind(a.kind) && isTaceKind(b.kind)) {
    if (a.kind === 'tace-unspecified') return b.kind;
    if (b.kind === 'tace-unspecified') return a.kind;
  }
  if (a.kind === 'tare' && b.bareEmbolization) return 'tare';
  if (b.kind === 'tare' && a.bare) return 'tare';
  return undefined;
}

/** The mCODE procedure-intent extension, matched on system + code; anything else is no intent. */
function intentOf(p: Procedure): 'curative' | 'palliative' | undefined {
  for (const ext of p.extension ?? []) {
    if (ext.url !== PROCEDURE_INTENT.extensionUrl) continue;
    const parsed = codeableConceptSchema.safeParse(
      (ext as { valueCodeableConcept?: unknown }).valueCodeableConcept,
    );
    const codings = parsed.success ? (parsed.data.coding ?? []) : [];
    for (const kind of ['curative', 'palliative'] as const) {
      const want = PROCEDURE_INTENT[kind];
      if (codings.some((c) => c.system === want.system && c.code === want.code)) return kind;
    }
  }
  return undefined;
}

/** Statuses of a procedure that did not happen that R4 Procedure.status does not have. */
const NOT_R4_NOT_DONE = new Set(['cancelled', 'aborted']);

function notR4Status(raw: unknown): string | undefined {
  try {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const r = raw as { resourceType?: unknown; status?: unknown };
    return r.resourceType === 'Procedure' && typeof r.status === 'string' && NOT_R4_NOT_DONE.has(r.status)
      ? r.status
      : undefined;
  } catch {
    return undefined; // a hostile getter: parseResource reports it
  }
}

/** The resource with a non-R4 "did not happen" status read as not-done (never throws). */
function asNotDone(raw: unknown): unknown {
  try {
    return { ...(raw as object), status: 'not-done' };
  } catch {
    return raw;
  }
}

export function mapProcedures(
  resources: readonly unknown[],
  options: { asOf?: string } = {},
): MapProceduresResult {
  const issues: DataIssue[] = [];
  const seen = new SeenIds();
  const sessions: (TreatmentSession & { bare?: boolean })[] = [];

  for (const raw of resources) {
    // "cancelled" / "aborted" are not R4 Procedure statuses (older FHIR versions and some interfaces send them):
    // read the resource as not-done so that it is excluded with its real status named, not failed as malformed.
    const offStatus = notR4Status(raw);
    const parsed = parseResource(procedureSchema, offStatus ? asNotDone(raw) : raw, 'Procedure');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const p = parsed.value;
    const dup = seen.check('Procedure', p.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    const c = classifyProcedure(p);
    const label = conceptLabel(p.code) ?? (isNotRelevant(c) ? 'procedure without a code' : c.kind);
    const issue = (reason: string, kind: DataIssue['kind']): void => {
      issues.push({ resourceType: 'Procedure', id: p.id, reason: `${label}: ${reason}`, kind });
    };
    const status = offStatus ? undefined : KEPT_STATUS[p.status];
    if (!status) {
      const why = conceptLabel(p.statusReason);
      issue(`status ${offStatus ?? p.status}${why ? ` (${why})` : ''}: excluded`, 'excluded');
      continue;
    }
    if (isNotRelevant(c)) {
      issues.push({
        resourceType: 'Procedure',
        id: p.id,
        reason: `not relevant: ${label} (${c.notRelevant})`,
        kind: 'excluded',
      });
      continue;
    }
    const date = p.performedDateTime ?? p.performedPeriod?.start;
    if (date === undefined || !isFhirDate(date)) {
      issue(
        date === undefined
          ? 'no performed date: not placed on the timeline'
          : `date "${date}" is not a FHIR date`,
        'malformed',
      );
      continue;
    }
    if (isAfterDay(date, options.asOf)) {
      issue(`dated ${date}, after the evaluation date: excluded`, 'excluded');
      continue;
    }
    const source: SourceRef = sourceRef('Procedure', p.id, label);
    const end = p.performedPeriod?.end;
    if (c.possibleTace)
      issues.push({
        resourceType: 'Procedure',
        id: p.id,
        reason: `possible TACE not recognised: ${label} (kept on the timeline as an unclassified treatment, which closes the previous TACE's response window, but not counted as a TACE session; correct it if it was a TACE or TAE)`,
        kind: 'unsupported',
      });
    if (c.possibleLiverTreatment)
      issues.push({
        resourceType: 'Procedure',
        id: p.id,
        reason: `liver treatment not classified: ${label} (kept on the timeline as an unclassified treatment, which closes the previous TACE's response window; not counted as a TACE session)`,
        kind: 'unsupported',
      });
    if (c.warning) issue(c.warning, 'warning');

    const same = sessions.find((s) => dayOf(s.date) === dayOf(date) && mergeKind(s, c) !== undefined);
    if (same) {
      const kind = mergeKind(same, c) ?? same.kind;
      const merged = {
        ...same,
        kind,
        mergedSources: [...(same.mergedSources ?? []), source],
        notes: [...(same.notes ?? []), `merged with Procedure/${p.id} (same day, ${c.kind})`],
      };
      delete merged.bare;
      sessions[sessions.indexOf(same)] = merged;
      issue(`same-day ${c.kind} merged into Procedure/${same.id}`, 'warning');
      continue;
    }
    const notes = [
      ...(c.note ? [c.note] : []),
      ...(c.codedBy === 'text' ? ['recognised from text only'] : []),
    ];
    const intent = intentOf(p);
    sessions.push({
      id: p.id,
      kind: c.kind,
      date,
      ...(end ? { endDate: end } : {}),
      status,
      source,
      codedBy: c.codedBy,
      label,
      ...(notes.length > 0 ? { notes } : {}),
      ...(intent ? { intent } : {}),
      ...(c.bareEmbolization ? { bare: true } : {}),
    });
  }
  const clean: TreatmentSession[] = sessions.map((s) => {
    const { bare: _bare, ...rest } = s;
    return rest;
  });
  return { sessions: sortByDate(clean), issues };
}
