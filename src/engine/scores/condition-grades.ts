/**
 * Ascites and hepatic-encephalopathy grades for Child-Pugh from coded Conditions (problem list, encounter
 * diagnoses). Child-Pugh bands (clinical-reference.md §3, confirmed): ascites none / mild / moderate-severe and
 * encephalopathy none / grade 1–2 / grade 3–4 give 1 / 2 / 3 points.
 *
 * A grade is read, in this order, from
 * - Condition.severity (SNOMED 255604002 mild, 6736007 or 1255665007 moderate, 24484000 severe, 371923003 mild to
 *   moderate, 371924009 moderate to severe) or a code that carries it (ICD-10-CM K72.x1 "hepatic failure with
 *   coma" = West Haven grade 4) — origin 'structured';
 * - the Condition's words (code.text, coding.display, severity.text): "mild", "slight", "small" → mild ascites;
 *   "moderate", "severe", "large", "tense", "refractory", "massive" → moderate–severe; "mild", "minimal",
 *   "grade 1/2" → encephalopathy grade 1–2; "severe", "coma", "grade 3/4" → grade 3–4 — origin 'text'.
 * "Moderate" or "overt" encephalopathy without a grade number spans both bands. No SNOMED CT concept that itself
 * carries an ascites or encephalopathy grade is listed in clinical-reference §5, so none is matched by code: a
 * coding's display is read as words instead. Unknown or conflicting wording leaves the grade 'present' (a range of
 * 2–3 points). Negated wording ("no ascites", "ascites: none", "history of …") or hedged wording ("possible",
 * "suspected") is never read as present: the Condition is not used (the component stays unknown, 1–3 points) and a
 * note says so. A Condition that is not active (resolved, inactive, remission, no status), refuted, entered in
 * error, unconfirmed or only a differential diagnosis, or whose onset is after the day of interest is not used;
 * one without an onset date is used only for the assessment date (asOf), never for an earlier session, and a note
 * says so. A clinician-entered grade always overrides the Conditions.
 */
import type { ConditionSummary } from '../../domain/patient';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs } from '../inputs';
import type { EvidenceItem } from '../result';
import { dayNumber, isoDay, isValidDay } from '../dates';
import { refOf } from '../evidence';
import type { AscitesGrade, AscitesInput, EncephalopathyGrade } from './child-pugh';
import { flatOf } from '../arrays';

export const CONDITION_GRADE_CITATION =
  'Child-Pugh ascites none/mild/moderate-severe and encephalopathy none/grade 1–2/grade 3–4 = 1/2/3 points (clinical-reference §3)';

/** SNOMED CT severity qualifiers (Condition.severity). */
export const SEVERITY_MILD = '255604002';
export const SEVERITY_MODERATE = ['6736007', '1255665007'] as const;
export const SEVERITY_SEVERE = '24484000';
export const SEVERITY_MILD_TO_MODERATE = '371923003';
export const SEVERITY_MODERATE_TO_SEVERE = '371924009';
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
/** ICD-10-CM hepatic failure "with coma" (K72.01 acute/subacute, K72.11 chronic, K72.91 unspecified). */
export const HEPATIC_COMA_CODES = ['K72.01', 'K72.11', 'K72.91'] as const;

type Severity = 'mild' | 'moderate' | 'severe' | 'mild-to-moderate' | 'moderate-to-severe';

export type EncephalopathyInput = EncephalopathyGrade | 'present';

/** Ascites and encephalopathy for one Child-Pugh calculation, with what they rest on. */
export interface LiverClinical {
  ascites?: AscitesInput | undefined;
  encephalopathy?: EncephalopathyInput | undefined;
  /** The Conditions used (clinician-entered grades have no evidence item). */
  evidence: EvidenceItem[];
  /** Which source gave each grade, and the Conditions not used and why. */
  notes: string[];
}

export const NO_LIVER_CLINICAL: LiverClinical = { evidence: [], notes: [] };

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

/** The words that name the condition, for negation scoped to them. */
const TERM: Record<'ascites' | 'encephalopathy', string> = {
  ascites: 'ascit\\w*',
  encephalopathy: '(?:encephalopath\\w*|he|coma)',
};
const NEGATION_BEFORE =
  '\\b(?:no|not|without|absence of|absent|negative for|denies|denied|free of|ruled out|rule out|r/o|history of|h/o|hx of|previous|prior|past|resolved)(?:\\s+[\\w-]+){0,3}?\\s+';
const NEGATION_AFTER = '\\s*[:,(-]?\\s*(?:none|absent|not present|negative|resolved|nil|no)\\b';
/** Negated or past wording about the condition itself ("no ascites", "ascites: none", "history of HE"). */
function negated(kind: 'ascites' | 'encephalopathy', t: string): boolean {
  return NEGATED[kind].test(t);
}
/** Compiled once per condition (no flags: test keeps no state between calls). */
const NEGATED: Record<'ascites' | 'encephalopathy', RegExp> = {
  ascites: negationOf(TERM.ascites),
  encephalopathy: negationOf(TERM.encephalopathy),
};
function negationOf(term: string): RegExp {
  return new RegExp(`${NEGATION_BEFORE}${term}\\b|\\b${term}${NEGATION_AFTER}`);
}
const HEDGED =
  /\b(possible|possibly|probable|probably|suspected|suspect|suspicion|questionable|query|likely|cannot exclude|can't exclude|not excluded|equivocal|versus|vs)\b|\?/;

const ASCITES_MILD = /\b(mild|mildly|slight|slightly|small|minimal|trace)\b/;
const ASCITES_SEVERE = /\b(moderate|moderately|severe|severely|large|tense|refractory|massive|gross)\b/;
const HE_MILD = /\b(mild|mildly|minimal|covert)\b/;
const HE_SEVERE = /\b(severe|severely|coma|comatose|stupor|stuporous)\b/;
/** Wording that names encephalopathy without a Child-Pugh band: "moderate" (grade 2 or 3), "overt" (grades 2–4). */
const HE_AMBIGUOUS = /\b(moderate|moderately|overt)\b/;
const GRADE_NUMBER =
  /\b(?:grade|stage|west haven(?: grade)?)\s*(iv|iii|ii|i|[0-4])\b(?:\s*(?:-|to|\/|or)\s*(iv|iii|ii|i|[0-4])\b)?/g;
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

function normalized(t: string): string {
  // "Hepatic failure without coma" (ICD-10-CM K72.x0) denies coma, not encephalopathy: that phrase is set aside.
  return ` ${t
    .toLowerCase()
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\bwithout (?:hepatic )?coma\b/g, ' ')} `;
}

function gradeNumbers(t: string): number[] {
  const out: number[] = [];
  for (const m of t.matchAll(GRADE_NUMBER)) {
    for (const g of [m[1], m[2]]) {
      if (g === undefined) continue;
      out.push(ROMAN[g] ?? Number(g));
    }
  }
  return out;
}

function severityOf(c: ConditionSummary): Severity | undefined {
  const s = c.severity;
  if (!s?.code || (s.system !== undefined && s.system !== SNOMED)) return undefined;
  if (s.code === SEVERITY_MILD) return 'mild';
  if ((SEVERITY_MODERATE as readonly string[]).includes(s.code)) return 'moderate';
  if (s.code === SEVERITY_SEVERE) return 'severe';
  if (s.code === SEVERITY_MILD_TO_MODERATE) return 'mild-to-moderate';
  if (s.code === SEVERITY_MODERATE_TO_SEVERE) return 'moderate-to-severe';
  return undefined;
}

type Grade<G> = G | 'present';

interface Reading<G> {
  grade: Grade<G>;
  origin: 'structured' | 'text';
  /** How the grade was read, for the note. */
  how: string;
}

/** The texts a grade may be stated in: the Condition's words and its severity text. */
function textsOf(c: ConditionSummary): string[] {
  const words = c.words && c.words.length > 0 ? [...c.words] : [c.label];
  return [...words, ...(c.severity?.text ? [c.severity.text] : [])];
}

/** One grade from a set of word readings: all agree → it; none → undefined; they disagree → 'present'. */
function agree<G>(gs: readonly G[]): Grade<G> | undefined {
  const u = [...new Set(gs)];
  return u.length === 0 ? undefined : u.length === 1 ? (u[0] as G) : 'present';
}

function ascitesWords(t: string): AscitesGrade[] {
  const out: AscitesGrade[] = [];
  if (ASCITES_MILD.test(t)) out.push('mild');
  if (ASCITES_SEVERE.test(t)) out.push('moderate-severe');
  for (const n of gradeNumbers(t)) out.push(n <= 1 ? 'mild' : 'moderate-severe');
  return out;
}

function encephalopathyWords(t: string): { grades: EncephalopathyGrade[]; ambiguous: boolean } {
  const grades: EncephalopathyGrade[] = [];
  const nums = gradeNumbers(t);
  for (const n of nums) grades.push(n <= 2 ? 'grade-1-2' : 'grade-3-4');
  // "overt grade 3": the grade number decides; "overt" or "moderate" alone does not.
  const ambiguous = nums.length === 0 && HE_AMBIGUOUS.test(t);
  if (HE_MILD.test(t)) grades.push('grade-1-2');
  if (HE_SEVERE.test(t)) grades.push('grade-3-4');
  return { grades, ambiguous };
}

function readAscites(c: ConditionSummary, texts: readonly string[]): Reading<AscitesGrade> {
  const sev = severityOf(c);
  const coded: Grade<AscitesGrade> | undefined =
    sev === undefined
      ? undefined
      : sev === 'mild'
        ? 'mild'
        : sev === 'mild-to-moderate'
          ? 'present'
          : 'moderate-severe';
  const worded = agree(flatOf(texts.map(normalized), ascitesWords));
  return combine(coded, worded, `severity ${sev ?? ''}`.trim(), c);
}

function readEncephalopathy(c: ConditionSummary, texts: readonly string[]): Reading<EncephalopathyGrade> {
  const sev = severityOf(c);
  const coma = (c.codings ?? []).some(
    (x) => (x.system === undefined || x.system === ICD10CM) && HEPATIC_COMA_CODES.includes(x.code as never),
  );
  const coded: Grade<EncephalopathyGrade> | undefined = coma
    ? 'grade-3-4'
    : sev === 'mild'
      ? 'grade-1-2'
      : sev === 'severe'
        ? 'grade-3-4'
        : sev === undefined
          ? undefined
          : 'present';
  const parts = texts.map(normalized).map(encephalopathyWords);
  const ambiguous = parts.some((p) => p.ambiguous);
  const fromWords = agree(flatOf(parts, (p) => p.grades));
  const worded = ambiguous && fromWords !== undefined ? 'present' : fromWords;
  return combine(coded, worded, coma ? 'code with coma (West Haven grade 4)' : `severity ${sev ?? ''}`, c);
}

function combine<G>(
  coded: Grade<G> | undefined,
  worded: Grade<G> | undefined,
  codedHow: string,
  c: ConditionSummary,
): Reading<G> {
  if (coded !== undefined && worded !== undefined && coded !== worded && worded !== 'present')
    return { grade: 'present', origin: 'structured', how: `its coded ${codedHow} and its words disagree` };
  if (coded !== undefined) return { grade: coded, origin: 'structured', how: `coded ${codedHow}` };
  if (worded !== undefined) return { grade: worded, origin: 'text', how: 'its words' };
  return {
    grade: 'present',
    origin: c.codedBy === 'text' ? 'text' : 'structured',
    how: 'no grade stated',
  };
}

const GRADE_WORDS: Record<string, string> = {
  mild: 'mild (2 points)',
  'moderate-severe': 'moderate to severe (3 points)',
  'grade-1-2': 'grade 1–2 (2 points)',
  'grade-3-4': 'grade 3–4 (3 points)',
  present: 'present, grade not stated (2–3 points)',
  none: 'none (1 point)',
};

function categoryWords(c: ConditionSummary): string {
  const cats = c.categories ?? [];
  if (cats.includes('problem-list-item')) return 'problem list';
  if (cats.includes('encounter-diagnosis')) return 'encounter diagnosis';
  return 'condition';
}

/** Onset (else recorded) as YYYY-MM-DD, and whether it is an onset. */
function dated(c: ConditionSummary): { day: string | null; isOnset: boolean } {
  if (c.onset !== undefined && isValidDay(c.onset)) return { day: isoDay(c.onset), isOnset: true };
  if (c.recorded !== undefined && isValidDay(c.recorded)) return { day: isoDay(c.recorded), isOnset: false };
  return { day: null, isOnset: false };
}

interface Used<G> {
  c: ConditionSummary;
  reading: Reading<G>;
  evidence: EvidenceItem;
  note: string;
}

function useOf<G>(
  c: ConditionSummary,
  kind: 'ascites' | 'encephalopathy',
  kindWord: string,
  refDay: string,
  forAsOf: boolean,
  read: (c: ConditionSummary, texts: readonly string[]) => Reading<G>,
  notes: string[],
): Used<G> | null {
  if (!ACTIVE.has(c.clinicalStatus ?? '')) return null;
  if (c.verificationStatus === 'refuted' || c.verificationStatus === 'entered-in-error') return null;
  const name = `Condition "${c.label}" (${refOf(c.source)})`;
  if (c.verificationStatus === 'unconfirmed' || c.verificationStatus === 'differential') {
    notes.push(`${name} not used for Child-Pugh: its verification status is ${c.verificationStatus}`);
    return null;
  }
  const texts = textsOf(c);
  const norm = texts.map(normalized);
  if (norm.some((t) => negated(kind, t))) {
    notes.push(`${name} not used for Child-Pugh: its words are negated or past ("${texts.join('; ')}")`);
    return null;
  }
  if (norm.some((t) => HEDGED.test(t))) {
    notes.push(`${name} not used for Child-Pugh: its words are hedged ("${texts.join('; ')}")`);
    return null;
  }
  const d = dated(c);
  const ref = dayNumber(refDay);
  const hasOnset = d.isOnset && d.day !== null;
  if (hasOnset && dayNumber(d.day as string) > ref) {
    if (!forAsOf) notes.push(`${name} not used for ${refDay}: its onset ${d.day} is after it`);
    return null;
  }
  if (!hasOnset) {
    if (!forAsOf) {
      notes.push(
        `${name} not used for ${refDay}: it has no onset date, so it is used for the assessment date only`,
      );
      return null;
    }
    if (d.day !== null && dayNumber(d.day) > ref) return null; // recorded after the assessment date
  }
  const reading = read(c, texts);
  const evidence: EvidenceItem = {
    ref: refOf(c.source),
    date: d.day ?? refDay,
    label: `${c.label} (${categoryWords(c)})`,
    value: GRADE_WORDS[reading.grade as string] ?? String(reading.grade),
    origin: reading.origin,
  };
  const when = hasOnset
    ? `onset ${d.day}`
    : `no onset date${d.day ? `, recorded ${d.day}` : ''}: used for the assessment date only`;
  const note = `${kindWord}: ${GRADE_WORDS[reading.grade as string] ?? String(reading.grade)} from ${name}, ${categoryWords(c)}, ${when}; read from ${reading.how} (${reading.origin === 'text' ? 'words, not a code' : 'coded'})`;
  return { c, reading, evidence, note };
}

function fromConditions<G>(
  timeline: Timeline,
  kind: 'ascites' | 'encephalopathy',
  kindWord: string,
  refDay: string,
  forAsOf: boolean,
  read: (c: ConditionSummary, texts: readonly string[]) => Reading<G>,
  notes: string[],
): { grade: Grade<G>; used: Used<G>[] } | undefined {
  const used = timeline.conditions
    .filter((c) => c.kind === kind)
    .map((c) => useOf(c, kind, kindWord, refDay, forAsOf, read, notes))
    .filter((u): u is Used<G> => u !== null)
    .sort((a, b) => (a.evidence.ref < b.evidence.ref ? -1 : a.evidence.ref > b.evidence.ref ? 1 : 0));
  if (used.length === 0) return undefined;
  const graded = used.map((u) => u.reading.grade).filter((g) => g !== 'present');
  const grade = agree(graded) ?? 'present';
  if (graded.length > 1 && grade === 'present')
    notes.push(`${kindWord}: the Conditions on file state different grades: the range of 2–3 points is used`);
  return { grade, used };
}

/**
 * Ascites and encephalopathy for Child-Pugh on `refDay`: the clinician's grade, else the Conditions active on that
 * day. `forAsOf` is true for the assessment date itself (undated Conditions are then used); false for a session.
 * `inputs` is omitted where the clinician's current grades must not be applied (past sessions).
 */
export function liverClinicalAt(
  timeline: Timeline,
  refDay: string,
  forAsOf: boolean,
  inputs?: ClinicianInputs,
): LiverClinical {
  const notes: string[] = [];
  const evidence: EvidenceItem[] = [];
  const out: LiverClinical = { evidence, notes };
  const a = fromConditions(timeline, 'ascites', 'Ascites', refDay, forAsOf, readAscites, notes);
  if (inputs?.ascites) {
    out.ascites = inputs.ascites;
    if (a)
      notes.push('Ascites grade entered by the clinician: used instead of the ascites Condition on file');
  } else if (a) {
    out.ascites = a.grade;
    for (const u of a.used) {
      evidence.push(u.evidence);
      notes.push(u.note);
    }
  }
  const e = fromConditions(
    timeline,
    'encephalopathy',
    'Hepatic encephalopathy',
    refDay,
    forAsOf,
    readEncephalopathy,
    notes,
  );
  if (inputs?.encephalopathy) {
    out.encephalopathy = inputs.encephalopathy;
    if (e)
      notes.push(
        'Encephalopathy grade entered by the clinician: used instead of the encephalopathy Condition on file',
      );
  } else if (e) {
    out.encephalopathy = e.grade;
    for (const u of e.used) {
      evidence.push(u.evidence);
      notes.push(u.note);
    }
  }
  if (evidence.length > 0) notes.push(CONDITION_GRADE_CITATION);
  return out;
}
