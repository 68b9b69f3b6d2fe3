/**
 * The suggested clinical note: engine result (+ the clinician's own entries) → plain text a clinician would sign.
 * The assessment comes first (4–8 lines from note/assessment-summary: definitions met and on what, liver function
 * and its trend, tumour burden and treatment, options discussed, readings confirmed or not), then the supporting
 * detail: each definition's verdict with its basis ("needs …" for the undecided ones), each TACE session with its
 * response and liver function, the current scores, the options with citation and key figure, the clinician's own
 * entries, versions and the evaluation date. Every value with its unit and date; no "+N more": long runs are listed
 * in full, compactly; lines are wrapped at about 110 characters (never inside brackets).
 * Pure: no clock (the note date is an input), no I/O, no React; same input → same text, byte for byte.
 * Wording follows the transparency rules of shared/ehr-integration.md: statuses and options, never orders.
 */
import { readableValue } from '../domain/format';
import { responseLabel, responseWords, treatmentLabel, unitLabel } from '../domain/display-labels';
import type {
  AssessmentResult,
  ExpandedResult,
  CriterionResult,
  EvidenceItem,
  LiverSnapshot,
  LiverTrajectoryEntry,
  ScoreResult,
  SubcriterionOutput,
  TaceSessionResult,
} from '../engine/result';
import { resultView } from '../engine/result-view';
import {
  assessmentLines,
  criterionName,
  latestDate,
  metSubcriteria,
  signed,
  type SummaryOptions,
} from './assessment-summary';

/**
 * What the clinician entered (structurally the engine's ClinicianInputs; declared here so note/ imports
 * engine/result only). Only the fields shown in the note are read.
 */
export interface NoteClinicianInputs {
  intent?: string | undefined;
  ascites?: string | undefined;
  encephalopathy?: string | undefined;
  bclcStage?: string | undefined;
  grossType?: string | undefined;
  noIntranodularFlowOnCeus?: boolean | undefined;
  dialysis?: boolean | undefined;
  corrections?: Readonly<Record<string, object>> | undefined;
}

export interface ComposeNoteOptions {
  /** YYYY-MM-DD: the day the note is drafted (the caller's clock, never read here). */
  date: string;
  inputs?: NoteClinicianInputs | undefined;
  /** Names a source for a reader ("CT report"); the screen knows modalities, the result does not. */
  sourceName?: SummaryOptions['sourceName'];
}

export const DECISION_SUPPORT_STATEMENT =
  'Decision support only: this summary does not replace clinical judgement or multidisciplinary tumour-board review.';

export const OPTIONS_PHRASE = 'Options discussed in the literature include';

/** The heading of the assessment section, said first after the title (and the applicability line). */
export const ASSESSMENT_HEADING = 'Assessment';

/** Lines are wrapped at this width where they can be (a bracketed group or a long word is never split). */
export const NOTE_LINE_WIDTH = 110;

/** Binds two words for the line wrapper (a value and its unit, "criteria met"); a plain space in the text. */
const NBSP = '\u00a0';

const STATUS_WORDS: Record<string, string> = {
  met: `criteria${NBSP}met`,
  'not-met': `criteria${NBSP}not${NBSP}met`,
  indeterminate: 'indeterminate (not enough data to decide)',
};

/** A category code the session line states in words: the engine's session class is OR / SD / PD. */
function responseText(category: string): string {
  return responseWords(category);
}

/**
 * A response code pair left in a label ("mrecist SD", "lirads-tr viable") in words ("stable disease (mRECIST)"):
 * a safety net, so a label the mappers have not put in words yet never reaches the chart as a code.
 */
export function codesInWords(text: string): string {
  return text.replace(
    /\b(mrecist|easl|recist|lirads-tr|recicl|mcode-status) (CR|PR|SD|PD|NR|OR|viable|nonviable|equivocal|nonevaluable|TE[1-4]|improved|stable|worsened|undetermined)\b/g,
    (_whole, scale: string, category: string) => responseLabel(scale, category),
  );
}

/** "12 %", "2.9 mg/dL", "1.08" (INR has no unit), the value and its unit never on two lines. */
function withUnit(value: string, unit: string | undefined): string {
  const u = unitLabel(unit);
  if (!u) return value;
  return `${value}${NBSP}${u}`;
}

/**
 * The words of `value` that the label does not already say ("present Vp3" beside "… Vp3 …" → "present"). A coded
 * display that restates the label ("Patient's condition worsened" beside "worsened (…)") adds nothing: only a
 * figure or present/absent is kept from a value that shares words with its label.
 */
function valueBeyondLabel(value: string, label: string): string {
  const labelWords = new Set(label.toLowerCase().split(/[\s,;:()]+/));
  const all = value.split(/\s+/);
  const rest = all.filter((w) => !labelWords.has(w.toLowerCase()));
  const overlaps = rest.length < all.length;
  if (
    overlaps &&
    rest.length > 0 &&
    !/\d/.test(rest.join(' ')) &&
    !/^(present|absent)$/i.test(rest.join(' '))
  )
    return '';
  return rest.join(' ');
}

function formatValue(e: EvidenceItem): string {
  const { value } = e;
  if (value === undefined) return '';
  if (typeof value === 'boolean') return readableValue(value);
  if (typeof value === 'number') return withUnit(readableValue(value), e.unit);
  // Clinician corrections carry "new-lesions: present": the label already names the finding.
  let text = String(value).replace(/^[a-z]+(?:-[a-z]+)+: /, '');
  // A response code ("PD", "viable") is said by the label's words ("progressive disease (mRECIST)").
  const words = responseWords(text);
  if (words !== text && e.label.toLowerCase().includes(words.toLowerCase())) return '';
  if (words !== text) text = words;
  const rest = valueBeyondLabel(text, e.label).replace(/^\((.*)\)$/, '$1');
  return rest ? withUnit(readableValue(rest), e.unit) : '';
}

function originNote(e: EvidenceItem): string {
  if (e.origin === 'clinician') return ' (entered by clinician)';
  if (e.origin === 'text')
    return e.confirmed ? ' (from report text, confirmed by clinician)' : ' (from report text)';
  return '';
}

/**
 * The remark a verdict carries while it rests on text readings nobody confirmed (engine `unconfirmedTextReadings`):
 * "based on 2 readings from report text, not confirmed by a clinician"; empty when there are none. The screen
 * uses the same words.
 */
export function unconfirmedRemark(count: number): string {
  if (!(count > 0)) return '';
  return `based on ${count} reading${count === 1 ? '' : 's'} from report text, not confirmed by a clinician`;
}

function remarkSuffix(count: number): string {
  const r = unconfirmedRemark(count);
  return r ? ` (${r})` : '';
}

/** "2026-04-10 viable tumour ~70 % (from report text)": date, label, the value when the label lacks it, origin. */
export function formatEvidence(e: EvidenceItem): string {
  const value = formatValue(e);
  const showValue = value.length > 0 && !e.label.includes(value) && value !== e.label;
  return `${e.date} ${e.label}${showValue ? `: ${value}` : ''}${originNote(e)}`.replaceAll(NBSP, ' ');
}

function uniqueEvidence(items: readonly EvidenceItem[]): EvidenceItem[] {
  const seen = new Set<string>();
  const out: EvidenceItem[] = [];
  for (const e of items) {
    const key = `${e.date}|${e.label}|${String(e.value)}|${e.origin}|${e.confirmed ? 'confirmed' : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** A structured lab value (an Observation with a unit): told as a dated run per analyte. */
function isLabValue(e: EvidenceItem): boolean {
  return e.origin === 'structured' && e.ref.startsWith('Observation/') && e.value !== undefined && !!e.unit;
}

/** "AFP baseline" / "AFP after TACE" / "AFP normal" → "AFP"; "PIVKA-II (mAU/mL) baseline" → "PIVKA-II". */
function seriesName(label: string): string {
  return label
    .replace(/\s*\((?:ng|mAU|m\[AU\])\/mL\)/i, '')
    .replace(/\s+(baseline|after TACE|before TACE|normal)$/i, '')
    .trim();
}

function valueOnly(e: EvidenceItem): string {
  return e.value === undefined ? '' : readableValue(typeof e.value === 'number' ? e.value : String(e.value));
}

/**
 * An analyte's values, all of them, oldest first: "AFP in ng/mL: 110 (2026-06-01, baseline) → 310 (2026-06-24)".
 */
function labRun(name: string, items: readonly EvidenceItem[]): string {
  const sorted = [...items].sort((a, b) => a.date.localeCompare(b.date));
  const first = sorted[0] as EvidenceItem;
  const unit = unitLabel(first.unit);
  const sameUnit = sorted.every((e) => unitLabel(e.unit) === unit);
  const values = sorted.map((e) => {
    const baseline = /\bbaseline$/i.test(e.label) ? ', baseline' : '';
    const v = sameUnit ? valueOnly(e) : withUnit(valueOnly(e), e.unit);
    return `${v} (${e.date}${baseline})`;
  });
  return `${name}${sameUnit && unit ? ` in ${unit}` : ''}: ${values.join(' → ')}`;
}

/**
 * Evidence in reading order, every item, without repeats: lab values as one dated run per analyte, other items
 * grouped by date and origin ("2026-07-24 (from report text): vascular invasion Vp3 (right portal vein)").
 */
type SourceName = SummaryOptions['sourceName'];

function evidenceText(items: readonly EvidenceItem[], sourceName?: SourceName): string {
  const unique = uniqueEvidence(items).map((e) => ({ ...e, label: codesInWords(e.label) }));
  const labs = new Map<string, EvidenceItem[]>();
  const byDate = new Map<string, EvidenceItem[]>();
  for (const e of unique) {
    if (isLabValue(e)) {
      const name = seriesName(e.label);
      labs.set(name, [...(labs.get(name) ?? []), e]);
    }
  }
  // An analyte measured once is told with the other findings of its day ("2026-10-02: albumin 4.1 g/dL, …").
  for (const [name, list] of labs) if (list.length === 1) labs.delete(name);
  for (const e of unique) {
    if (isLabValue(e) && labs.has(seriesName(e.label))) continue;
    const key = `${e.date}|${sourceName?.(e.ref) ?? ''}|${originNote(e)}`;
    byDate.set(key, [...(byDate.get(key) ?? []), e]);
  }
  const parts: { date: string; text: string }[] = [...labs].map(([name, list]) => ({
    date: list.map((e) => e.date).sort()[0] ?? '',
    text: labRun(name, list),
  }));
  for (const list of byDate.values()) {
    const first = list[0] as EvidenceItem;
    const labels = list.map((e) => e.label);
    // "vascular invasion" adds nothing next to "vascular invasion Vp3 (right portal vein)".
    const kept = list.filter((e) => !labels.some((o) => o !== e.label && o.startsWith(`${e.label} `)));
    const shown = kept.map((e) => {
      const v = formatValue(e);
      if (!v || e.label.includes(v) || v === e.label) return e.label;
      // A lab value reads "albumin 3.5 g/dL"; a finding "new intrahepatic lesion(s): present".
      return isLabValue(e) ? `${e.label} ${v}` : `${e.label}: ${v}`;
    });
    // "CT report 2026-04-10 (from report text): …" when the caller can name the source; the date otherwise.
    const source = sourceName?.(first.ref);
    parts.push({
      date: first.date,
      text: `${source ? `${source} ` : ''}${first.date}${originNote(first)}: ${[...new Set(shown)].join(', ')}`,
    });
  }
  return parts
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((p) => p.text)
    .join('; ');
}

/**
 * Long evidence already listed under an earlier definition is referred to, not repeated ("same values as under
 * JSH-LCSGJ 2014 above"); short evidence is repeated, it reads faster than a reference.
 */
class EvidenceTeller {
  private readonly told = new Map<string, string>();

  constructor(readonly sourceName: SourceName) {}

  text(items: readonly EvidenceItem[], where: string): string {
    const full = evidenceText(items, this.sourceName);
    if (full.length <= REPEAT_MAX) return full;
    const earlier = this.told.get(full);
    if (earlier !== undefined) return `same values as under ${earlier} above`;
    this.told.set(full, where);
    return full;
  }
}

/** Evidence up to this long is repeated under each definition that rests on it. */
const REPEAT_MAX = 160;

// ── Definitions ────────────────────────────────────────────────────────────────────────────────────────────────

/** "JSH-LCSGJ 2014", "European (Raoul)": the name a later line refers back to. */
function shortName(c: CriterionResult): string {
  return criterionName(c);
}

function criterionHeading(c: CriterionResult): string {
  return `${c.title} (v${c.version})`;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]+(\s|$)/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function metLines(c: CriterionResult, teller: EvidenceTeller): string[] {
  const lines = [`- ${criterionHeading(c)}: ${STATUS_WORDS.met}${remarkSuffix(c.unconfirmedTextReadings)}`];
  const subs = metSubcriteria(c);
  for (const s of subs) {
    const evidence = teller.text(s.evidence, shortName(c));
    lines.push(`  - ${s.title}${evidence ? ` — ${evidence}` : ''}`);
  }
  if (subs.length === 0 && c.evidence.length > 0)
    lines.push(`  - ${evidenceText(c.evidence, teller.sourceName)}`);
  // Met is met: what the other findings would need does not change this verdict, so they are only named.
  const undecided = c.subcriteria.filter((s) => s.status === 'indeterminate');
  if (undecided.length > 0)
    lines.push(
      `  - Also undecided (does not change this verdict): ${undecided.map((s) => lowerFirst(s.title)).join('; ')}`,
    );
  return lines;
}

function notMetLines(c: CriterionResult, teller: EvidenceTeller): string[] {
  const head = `- ${criterionHeading(c)}: ${STATUS_WORDS['not-met']}${remarkSuffix(c.unconfirmedTextReadings)}`;
  if (c.subcriteria.length === 0) {
    const basis = c.evidence.length > 0 ? ` — ${evidenceText(c.evidence, teller.sourceName)}` : '';
    return [`${head}${basis}`];
  }
  const lines = [head];
  const absent = c.subcriteria.filter((s) => s.status === 'not-met');
  const present = c.subcriteria.filter((s) => s.status === 'met');
  const undecided = c.subcriteria.filter((s) => s.status === 'indeterminate');
  if (absent.length > 0) lines.push(`  - Not shown: ${absent.map((s) => lowerFirst(s.title)).join('; ')}`);
  for (const s of present) {
    const evidence = teller.text(s.evidence, shortName(c));
    lines.push(`  - Shown: ${lowerFirst(s.title)}${evidence ? ` — ${evidence}` : ''}`);
  }
  for (const s of undecided)
    lines.push(`  - Undecided: ${lowerFirst(s.title)} — needs ${compactMissing(s.missing).join('; ')}`);
  return lines;
}

/**
 * Missing items that name the same thing for several sessions are said once, every session kept: "imaging
 * statement on vascular invasion: response CT/MRI 2018-04-23 to 2018-06-29 after the session of 2018-03-26" and
 * "… 2019-07-15 to 2019-09-20 after the session of 2019-06-17" → "imaging statement on vascular invasion:
 * response CT/MRI 2018-04-23 to 2018-06-29 after the session of 2018-03-26, 2019-07-15 to 2019-09-20 after …".
 */
export function compactMissing(items: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  const order: string[] = [];
  for (const item of new Set(items)) {
    const i = item.indexOf(': ');
    const key = i > 0 ? item.slice(0, i) : item;
    if (!groups.has(key)) {
      groups.set(key, []);
      order.push(key);
    }
    (groups.get(key) as string[]).push(i > 0 ? item.slice(i + 2) : '');
  }
  return order.map((key) => {
    const rests = groups.get(key) as string[];
    if (rests.length === 1) return rests[0] ? `${key}: ${rests[0]}` : key;
    if (rests.some((r) => r === ''))
      return [key, ...rests.filter((r) => r !== '').map((r) => `${key}: ${r}`)].join('; ');
    // The words all the rests begin with are said once.
    const split = rests.map((r) => r.split(' '));
    let common = 0;
    const first = split[0] as string[];
    while (
      common < first.length - 1 &&
      split.every((w) => w.length - 1 > common && w[common] === first[common])
    )
      common++;
    const head = first.slice(0, common).join(' ');
    const tails = split.map((w) => w.slice(common).join(' '));
    return `${key}: ${head ? `${head} ` : ''}${tails.join(', ')}`;
  });
}

/** What an undecided criterion needs, per undecided sub-criterion ("needs …"), with what is already shown. */
function undecidedDetail(c: CriterionResult, teller: EvidenceTeller): string[] {
  const lines: string[] = [];
  const fromSubs = new Set(c.subcriteria.flatMap((s) => s.missing));
  const own = [...new Set(c.missing)].filter((m) => !fromSubs.has(m));
  if (own.length > 0) lines.push(`  - Needs ${compactMissing(own).join('; ')}`);
  for (const s of c.subcriteria.filter((x) => x.status === 'indeterminate')) {
    const missing = compactMissing(s.missing);
    lines.push(
      `  - ${s.title}: ${missing.length > 0 ? `needs ${missing.join('; ')}` : 'not enough data to decide'}`,
    );
  }
  const shown = c.subcriteria.filter((s) => s.status === 'met');
  for (const s of shown) {
    const evidence = teller.text(s.evidence, shortName(c));
    lines.push(`  - Shown so far: ${lowerFirst(s.title)}${evidence ? ` — ${evidence}` : ''}`);
  }
  const absent = c.subcriteria.filter((s) => s.status === 'not-met');
  if (absent.length > 0) lines.push(`  - Not shown: ${absent.map((s) => lowerFirst(s.title)).join('; ')}`);
  return lines;
}

/** The detail of an undecided criterion without its heading, to tell when two criteria need the same. */
function undecidedKey(c: CriterionResult): string {
  const needs = (s: SubcriterionOutput) => [...new Set(s.missing)].sort().join('|');
  return [
    [...new Set(c.missing)].sort().join('|'),
    ...c.subcriteria.map((s) => `${s.status}:${s.status === 'indeterminate' ? needs(s) : ''}`),
  ].join('#');
}

function definitionsSection(result: ExpandedResult, sourceName: SourceName): string[] {
  const applies = result.applicability.hccDiagnosis === 'recorded';
  const heading = applies
    ? 'Definitions'
    : result.applicability.hccDiagnosis === 'unknown'
      ? 'Definitions (may not apply: whether an HCC diagnosis is on record is not known)'
      : 'Definitions (may not apply: no hepatocellular carcinoma diagnosis found in the record)';
  const lines = [heading];
  const met = result.criteria.filter((c) => c.status === 'met');
  const notMet = result.criteria.filter((c) => c.status === 'not-met');
  const undecided = result.criteria.filter((c) => c.status === 'indeterminate');
  if (met.length === 0) lines.push('- No definition met.');
  const teller = new EvidenceTeller(sourceName);
  for (const c of met) lines.push(...metLines(c, teller));
  const told = new Map<string, CriterionResult>();
  for (const c of undecided) {
    lines.push(`- ${criterionHeading(c)}: ${STATUS_WORDS.indeterminate}`);
    const key = undecidedKey(c);
    const same = told.get(key);
    if (same && c.subcriteria.length === same.subcriteria.length)
      lines.push(`  - Needs the same as ${shortName(same)} above.`);
    else {
      lines.push(...undecidedDetail(c, teller));
      told.set(key, c);
    }
  }
  for (const c of notMet) lines.push(...notMetLines(c, teller));
  return lines;
}

// ── TACE sessions ──────────────────────────────────────────────────────────────────────────────────────────────

/** "ALBI −2.616, grade 1, Child-Pugh A or B (2026-02-21)"; "no ALBI labs" when nothing was measured. */
function snapshotText(s: LiverSnapshot): string {
  const parts: string[] = [];
  if (s.albi !== null) parts.push(`ALBI ${signed(s.albi)}, grade ${s.albiGrade ?? 'unknown'}`);
  else if (s.albiGrade) parts.push(`ALBI grade ${s.albiGrade}`);
  if (s.childPughClass) parts.push(`Child-Pugh ${s.childPughClass}`);
  if (parts.length === 0) return 'no albumin and bilirubin on record';
  const date = latestDate(s.evidence);
  return `${parts.join(', ')}${date ? ` (${date})` : ''}`;
}

function trendText(t: LiverTrajectoryEntry): string {
  if (t.deteriorated === true) return 'worsened';
  if (t.deteriorated === false) return 'not worse';
  const afterKnown = t.after.albi !== null || t.after.albiGrade !== null;
  const beforeKnown = t.before.albi !== null || t.before.albiGrade !== null;
  if (!afterKnown && beforeKnown) return 'no labs after this session to compare';
  if (!beforeKnown && afterKnown) return 'no labs before this session to compare';
  return 'not comparable';
}

function sessionLines(
  s: TaceSessionResult,
  index: number,
  liver: LiverTrajectoryEntry | undefined,
): string[] {
  const r = s.response;
  const head = `${index + 1}. ${s.date} ${treatmentLabel(s.kind)}`;
  let response: string;
  if (r.assessmentDate) {
    const findings: string[] = [];
    if (r.category) findings.push(responseText(r.category));
    if (r.viablePercent !== null) findings.push(`viable tumour ${readableValue(r.viablePercent)} %`);
    if (r.newLesions === 'positive') findings.push('new lesions reported');
    else if (r.newLesions === 'negative') findings.push('no new lesions');
    else if (r.newLesions === 'uncertain') findings.push('new lesions uncertain');
    const clinician = r.evidence.some((e) => e.origin === 'clinician') ? ' (entered by clinician)' : '';
    const jsh = r.jshReading !== 'unknown' ? `; JSH reading: ${r.jshReading} response` : '';
    response = `response imaging ${r.assessmentDate}: ${
      findings.length > 0 ? findings.join(', ') : 'no response statement found'
    }${clinician}${jsh}`;
  } else response = 'no response imaging found';
  const lines = [`${head} — ${response}`];
  if (liver)
    lines.push(
      `${' '.repeat(String(index + 1).length + 2)}Liver function: before ${snapshotText(liver.before)}; after ${snapshotText(liver.after)}: ${trendText(liver)}`,
    );
  return lines;
}

function sessionsSection(result: ExpandedResult): string[] {
  const n = result.taceSessions.length;
  const lines = [`TACE sessions (${n}${n > 0 ? ': response imaging and liver function around each' : ''})`];
  if (n === 0) lines.push('- No TACE sessions found in the record.');
  const liverBy = new Map(result.liverTrajectory.map((t) => [`${t.sessionRef}|${t.sessionDate}`, t]));
  const liverByDate = new Map(result.liverTrajectory.map((t) => [t.sessionDate, t]));
  result.taceSessions.forEach((s, i) =>
    lines.push(...sessionLines(s, i, liverBy.get(`${s.ref}|${s.date}`) ?? liverByDate.get(s.date))),
  );
  lines.push(
    `Prior TACE sessions: ${result.priorTaceBurden.count}${
      result.priorTaceBurden.overFourSessions ? ' (more than 4)' : ''
    }.`,
  );
  return lines;
}

// ── Scores ─────────────────────────────────────────────────────────────────────────────────────────────────────

function rangeText(score: ScoreResult, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (score.value !== null) return `${signed(score.value)}${u}`;
  if (score.range)
    return score.range.min === score.range.max
      ? `${score.range.min}${u}`
      : `${score.range.min}–${score.range.max}${u}`;
  return 'not calculable';
}

function needsText(missing: readonly string[]): string {
  return missing.length > 0 ? `; needs ${compactMissing(missing).join('; ')}` : '';
}

function liverSection(result: ExpandedResult, sourceName: SourceName): string[] {
  const { albi, childPugh } = result.scores;
  const lines = ['Liver function'];
  const albiGrade = albi.grade ? `, grade ${albi.grade}${albi.mGrade ? ` (mALBI ${albi.mGrade})` : ''}` : '';
  const albiInputs = albi.evidence.length > 0 ? ` — ${evidenceText(albi.evidence, sourceName)}` : '';
  lines.push(`- ALBI: ${rangeText(albi)}${albiGrade}${albiInputs}${needsText(albi.missing)}`);
  const cpClass = childPugh.category ? `, ${childPugh.category}` : '';
  const cpInputs = childPugh.evidence.length > 0 ? ` — ${evidenceText(childPugh.evidence, sourceName)}` : '';
  lines.push(
    `- Child-Pugh: ${rangeText(childPugh, 'points')}${cpClass}${cpInputs}${needsText(childPugh.missing)}`,
  );
  // Liver-function warnings across sessions (engine: liverWarnings), each with its source.
  for (const w of result.liverWarnings) lines.push(`- Warning: ${w.text} [${w.citation}]`);
  return lines;
}

function burdenSection(result: ExpandedResult, sourceName: SourceName): string[] {
  const s = result.scores.upToSeven;
  const lines = ['Tumour burden'];
  const status = s.category ?? 'not determinable';
  const detail = s.notes && s.notes.length > 0 ? ` (${s.notes.join('; ')})` : '';
  const evidence = s.evidence.length > 0 ? ` — ${evidenceText(s.evidence, sourceName)}` : '';
  lines.push(`- Up-to-seven: ${status}${detail}${evidence}${needsText(s.missing)}`);
  return lines;
}

function considerationsSection(result: ExpandedResult): string[] {
  if (result.considerations.length === 0) return [];
  const lines = [`${OPTIONS_PHRASE} (for discussion; not orders):`];
  for (const c of result.considerations) {
    const text = c.text.startsWith(OPTIONS_PHRASE)
      ? c.text.slice(OPTIONS_PHRASE.length).replace(/^\s+/, '')
      : c.text;
    const figure =
      c.keyFigure && !text.includes(c.keyFigure) ? ` Key figure: ${c.keyFigure.replace(/\.$/, '')}.` : '';
    // The text continues the heading's sentence; titles ("Switch to …") would read as orders and are left out.
    lines.push(`- ${text}${figure} [${c.citation}]`);
  }
  return lines;
}

const INPUT_LABELS: Record<string, string> = {
  intent: 'Treatment intent',
  ascites: 'Ascites',
  encephalopathy: 'Hepatic encephalopathy',
  bclcStage: 'BCLC stage',
  grossType: 'Gross type',
  noIntranodularFlowOnCeus: 'No intranodular arterial flow on contrast ultrasound',
  dialysis: 'Dialysis',
};

function clinicianSection(result: ExpandedResult, inputs: NoteClinicianInputs | undefined): string[] {
  const lines: string[] = [];
  for (const [key, label] of Object.entries(INPUT_LABELS)) {
    const value = inputs?.[key as keyof NoteClinicianInputs];
    if (value === undefined || typeof value === 'object') continue;
    const shown = typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
    lines.push(`- ${label}: ${shown} (entered by clinician)`);
  }
  const corrected = new Set<string>();
  for (const e of collectEvidence(result)) {
    if (e.origin !== 'clinician') continue;
    const value = formatValue(e);
    // A label with a number already states the value ("viable tumour 20 %"); a bare finding gets it added.
    const shown = value && !/\d/.test(e.label) && !e.label.includes(value) ? `${e.label}: ${value}` : e.label;
    corrected.add(`- ${e.date} ${shown} (entered by clinician; replaces the report reading)`);
  }
  lines.push(...[...corrected].sort());
  return lines.length > 0 ? ['Clinician-entered findings', ...lines] : [];
}

function collectEvidence(result: ExpandedResult): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  for (const c of result.criteria) {
    out.push(...c.evidence);
    for (const s of c.subcriteria) out.push(...s.evidence);
  }
  for (const s of result.taceSessions) out.push(...s.response.evidence);
  for (const score of Object.values(result.scores)) out.push(...score.evidence);
  return out;
}

// ── Layout ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** A bracketed group up to this long is kept on one line, with the word before it. */
const GROUP_MAX = 72;

/** Index ranges of the short bracketed groups of `text` (outermost only). */
function shortGroups(text: string): boolean[] {
  const inside = new Array<boolean>(text.length).fill(false);
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '(' || ch === '[') stack.push(i);
    else if ((ch === ')' || ch === ']') && stack.length > 0) {
      const start = stack.pop() as number;
      if (stack.length === 0 && i - start + 1 <= GROUP_MAX) for (let j = start; j <= i; j++) inside[j] = true;
    }
  }
  return inside;
}

/**
 * Splits a line into words that may be broken between: spaces inside a short (…) or […] never break, a short
 * group stays with the word before it ("criteria met (based on …)", "Child-Pugh A (2026-04-22)"), and "%" stays
 * with its number.
 */
function words(text: string): string[] {
  const out: string[] = [];
  const inside = shortGroups(text);
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const next = text.charAt(i + 1);
    const groupNext = inside[i + 1] === true && (next === '(' || next === '[');
    // A short figure stays with the word before it: "mALBI 3", "grade 2b", "→ 2a".
    const figureNext = /^[0-9][ab]?(?=[\s,.;:)]|$)/.test(text.slice(i + 1, i + 5));
    const breakable = !inside[i] && !groupNext && !figureNext && next !== ' ' && next !== '%';
    if (ch === ' ' && breakable && current.length > 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Wraps one line at `width`, continuation lines indented under the text after the bullet ("- ", "  - ", "12. ").
 * Words bound by a no-break space stay together; the caller turns it into a plain space.
 */
export function wrapLine(line: string, width: number = NOTE_LINE_WIDTH): string[] {
  if (line.length <= width) return [line];
  const bullet = /^(\s*(?:- |\d+\. )|\s+)/.exec(line)?.[0] ?? '';
  const indent = ' '.repeat(bullet.length);
  const out: string[] = [];
  let current = bullet;
  for (const w of words(line.slice(bullet.length))) {
    const prefix = out.length === 0 ? bullet : indent;
    if (current.length > prefix.length && current.length + 1 + w.length > width) {
      out.push(current);
      current = indent + w;
    } else current = current.length > prefix.length ? `${current} ${w}` : current + w;
  }
  out.push(current);
  return out;
}

/** The suggested note as plain text (lines joined with "\n", ending with a newline). */
export function composeNote(
  published: AssessmentResult | ExpandedResult,
  options: ComposeNoteOptions,
): string {
  // The published result lists its evidence once, by id; the note reads each part with its own items.
  const result = resultView(published);
  const sections: string[][] = [];
  const push = (section: readonly string[]) => {
    if (section.length > 0) sections.push([...section]);
  };

  push([`TACE review — decision-support summary (${options.date})`]);
  // Said first: without a hepatocellular carcinoma diagnosis on record the definitions below may not apply.
  if (result.applicability.hccDiagnosis !== 'recorded') push([`Applicability: ${result.applicability.note}`]);

  const summary = assessmentLines(result, { sourceName: options.sourceName });
  push([ASSESSMENT_HEADING, ...summary.map((l) => `- ${l}`)]);

  push(definitionsSection(result, options.sourceName));
  push(sessionsSection(result));
  push(liverSection(result, options.sourceName));
  push(burdenSection(result, options.sourceName));
  push(considerationsSection(result));
  push(clinicianSection(result, options.inputs));
  push([
    `Engine ${result.engineVersion}; rule set ${result.ruleSetId} ${result.ruleSetVersion}; evaluated ${result.asOf}.`,
    DECISION_SUPPORT_STATEMENT,
  ]);

  const lines: string[] = [];
  for (const section of sections) {
    if (lines.length > 0) lines.push('');
    for (const line of section)
      lines.push(...(line === DECISION_SUPPORT_STATEMENT ? [line] : wrapLine(codesInWords(line))));
  }
  return `${lines.join('\n').replaceAll(NBSP, ' ')}\n`;
}
