/**
 * The suggested clinical note: engine result (+ the clinician's own entries) → concise plain text.
 * Pure: no clock (the note date is an input), no I/O, no React; same input → same text, byte for byte.
 * Wording follows the transparency rules of shared/ehr-integration.md: statuses and options, never orders;
 * every value with its unit and date; clinician-entered findings marked as such; versions and the evaluation date.
 */
import { readableValue } from '../domain/format';
import type {
  AssessmentResult,
  CriterionResult,
  EvidenceItem,
  ScoreResult,
  SubcriterionResult,
  TaceSessionResult,
} from '../engine/result';

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
}

export const DECISION_SUPPORT_STATEMENT =
  'Decision support only: this summary does not replace clinical judgement or multidisciplinary tumour-board review.';

export const OPTIONS_PHRASE = 'Options discussed in the literature include';

const MAX_EVIDENCE_PER_ITEM = 4;

const KIND_NAMES: Record<string, string> = {
  'tace-conventional': 'conventional TACE (cTACE)',
  'tace-deb': 'DEB-TACE',
  'tace-unspecified': 'TACE (technique not recorded)',
  tae: 'TAE',
  tare: 'TARE',
  haic: 'HAIC',
  ablation: 'ablation',
  resection: 'resection',
  transplant: 'transplant',
  other: 'other procedure',
};

const STATUS_WORDS: Record<string, string> = {
  met: 'criteria met',
  'not-met': 'criteria not met',
  indeterminate: 'indeterminate (not enough data to decide)',
};

/** UCUM for reading: annotations (`{INR}`) are dropped, brackets (`m[AU]/mL`) removed. */
export function displayUnit(unit: string | undefined): string {
  if (!unit) return '';
  return unit
    .replace(/\{[^}]*\}/g, '')
    .replace(/[[\]]/g, '')
    .trim();
}

function formatValue(value: EvidenceItem['value'], unit: string | undefined): string {
  if (value === undefined) return '';
  const u = displayUnit(unit);
  // Clinician corrections carry "new-lesions: present": the label already names the finding.
  const v =
    typeof value === 'boolean'
      ? readableValue(value)
      : readableValue(typeof value === 'number' ? value : String(value).replace(/^[a-z]+(?:-[a-z]+)+: /, ''));
  if (!u) return v;
  return u === '%' ? `${v} %` : `${v} ${u}`;
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

/** "2026-04-10 viable tumour ~70 % (70 %)": the label, the value with its unit when the label lacks it, the origin. */
export function formatEvidence(e: EvidenceItem): string {
  const value = formatValue(e.value, e.unit);
  const showValue = value.length > 0 && !e.label.includes(value) && value !== e.label;
  return `${e.date} ${e.label}${showValue ? `: ${value}` : ''}${originNote(e)}`;
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

function evidenceList(items: readonly EvidenceItem[]): string {
  const unique = uniqueEvidence(items);
  const shown = unique.slice(0, MAX_EVIDENCE_PER_ITEM).map(formatEvidence);
  const more = unique.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; +${more} more` : '');
}

function sessionLine(s: TaceSessionResult, index: number): string {
  const kind = KIND_NAMES[s.kind] ?? s.kind;
  const r = s.response;
  const parts: string[] = [];
  if (r.assessmentDate) {
    const findings: string[] = [];
    if (r.category) findings.push(`response ${r.category}`);
    if (r.viablePercent !== null) findings.push(`viable tumour ${r.viablePercent} %`);
    if (r.newLesions === 'positive') findings.push('new lesions reported');
    else if (r.newLesions === 'negative') findings.push('no new lesions');
    else if (r.newLesions === 'uncertain') findings.push('new lesions uncertain');
    const clinician = r.evidence.some((e) => e.origin === 'clinician') ? ' (entered by clinician)' : '';
    parts.push(
      `imaging ${r.assessmentDate}: ${findings.length > 0 ? findings.join(', ') : 'no response statement found'}${clinician}`,
    );
    if (r.jshReading !== 'unknown') parts.push(`JSH reading: ${r.jshReading} response`);
  } else {
    parts.push('no response imaging found');
  }
  return `${index + 1}. ${s.date} ${kind} — ${parts.join('; ')}`;
}

function criterionHeading(c: CriterionResult): string {
  return `${c.title} (v${c.version})`;
}

function metLines(c: CriterionResult): string[] {
  const lines = [`- ${criterionHeading(c)}: criteria met${remarkSuffix(c.unconfirmedTextReadings)}`];
  const subs = c.subcriteria.filter((s: SubcriterionResult) => s.status === 'met');
  for (const s of subs) {
    lines.push(`  - ${s.title}${s.evidence.length > 0 ? ` — ${evidenceList(s.evidence)}` : ''}`);
  }
  if (subs.length === 0 && c.evidence.length > 0) lines.push(`  - ${evidenceList(c.evidence)}`);
  return lines;
}

const MAX_MISSING = 3;

function missingText(c: CriterionResult): string {
  const all = [
    ...c.missing,
    ...c.subcriteria.filter((s) => s.status === 'indeterminate').flatMap((s) => s.missing),
  ];
  const unique = [...new Set(all)];
  if (unique.length === 0) return '';
  const more = unique.length - MAX_MISSING;
  return `; missing: ${unique.slice(0, MAX_MISSING).join('; ')}${more > 0 ? `; +${more} more` : ''}`;
}

function scoreDate(score: ScoreResult): string | undefined {
  const dates = score.evidence.map((e) => e.date).sort();
  return dates[dates.length - 1];
}

function rangeText(score: ScoreResult): string {
  if (score.value !== null) return String(score.value);
  if (score.range)
    return score.range.min === score.range.max
      ? String(score.range.min)
      : `${score.range.min}–${score.range.max}`;
  return 'not calculable';
}

function scoreLine(name: string, score: ScoreResult): string {
  const date = scoreDate(score);
  const head = `- ${name}: ${rangeText(score)}${score.category ? `, ${score.category}` : ''}${date ? ` (${date})` : ''}`;
  const inputs = score.evidence.length > 0 ? ` — ${evidenceList(score.evidence)}` : '';
  const missing = score.missing.length > 0 ? `; missing: ${score.missing.join('; ')}` : '';
  return `${head}${inputs}${missing}`;
}

function liverSection(result: AssessmentResult): string[] {
  const lines = ['Liver function'];
  lines.push(scoreLine('ALBI', result.scores.albi));
  lines.push(scoreLine('Child-Pugh', result.scores.childPugh));
  for (const t of result.liverTrajectory) {
    const before = t.before.albiGrade ? `ALBI grade ${t.before.albiGrade}` : 'ALBI unknown';
    const after = t.after.albiGrade ? `ALBI grade ${t.after.albiGrade}` : 'ALBI unknown';
    const cpBefore = t.before.childPughClass ? `, Child-Pugh ${t.before.childPughClass}` : '';
    const cpAfter = t.after.childPughClass ? `, Child-Pugh ${t.after.childPughClass}` : '';
    const trend =
      t.deteriorated === true
        ? 'worsened'
        : t.deteriorated === false
          ? 'no worsening'
          : 'trend not determinable';
    const beforeDate = latestDate(t.before.evidence);
    const afterDate = latestDate(t.after.evidence);
    lines.push(
      `- Around TACE ${t.sessionDate}: ${before}${cpBefore}${beforeDate ? ` (${beforeDate})` : ''} → ${after}${cpAfter}${afterDate ? ` (${afterDate})` : ''}: ${trend}`,
    );
  }
  // Liver-function warnings across sessions (engine: liverWarnings), each with its source.
  for (const w of result.liverWarnings) lines.push(`- Warning: ${w.text} [${w.citation}]`);
  return lines;
}

function latestDate(items: readonly EvidenceItem[]): string | undefined {
  const dates = items.map((e) => e.date).sort();
  return dates[dates.length - 1];
}

function burdenSection(result: AssessmentResult): string[] {
  const s = result.scores.upToSeven;
  const lines = ['Tumour burden'];
  const date = scoreDate(s);
  const status = s.category ?? 'not determinable';
  const detail = s.notes && s.notes.length > 0 ? ` (${s.notes.join('; ')})` : '';
  lines.push(`- Up-to-seven: ${status}${detail}${date ? `, imaging ${date}` : ''}`);
  if (s.evidence.length > 0) lines.push(`  - ${evidenceList(s.evidence)}`);
  if (s.missing.length > 0) lines.push(`  - missing: ${s.missing.join('; ')}`);
  return lines;
}

function considerationsSection(result: AssessmentResult): string[] {
  if (result.considerations.length === 0) return [];
  const lines = [`${OPTIONS_PHRASE} (for discussion; not orders):`];
  for (const c of result.considerations) {
    const text = c.text.startsWith(OPTIONS_PHRASE)
      ? c.text.slice(OPTIONS_PHRASE.length).replace(/^\s+/, '')
      : c.text;
    // The text continues the heading's sentence; titles ("Switch to …") would read as orders and are left out.
    lines.push(`- ${text} [${c.citation}]`);
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

function clinicianSection(result: AssessmentResult, inputs: NoteClinicianInputs | undefined): string[] {
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
    const value = formatValue(e.value, e.unit);
    // A label with a number already states the value ("viable tumour 20 %"); a bare finding gets it added.
    const shown = value && !/\d/.test(e.label) && !e.label.includes(value) ? `${e.label}: ${value}` : e.label;
    corrected.add(`- ${e.date} ${shown} (entered by clinician; replaces the report reading)`);
  }
  lines.push(...[...corrected].sort());
  return lines.length > 0 ? ['Clinician-entered findings', ...lines] : [];
}

function collectEvidence(result: AssessmentResult): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  for (const c of result.criteria) {
    out.push(...c.evidence);
    for (const s of c.subcriteria) out.push(...s.evidence);
  }
  for (const s of result.taceSessions) out.push(...s.response.evidence);
  for (const score of Object.values(result.scores)) out.push(...score.evidence);
  return out;
}

/** The suggested note as plain text (lines joined with "\n", ending with a newline). */
export function composeNote(result: AssessmentResult, options: ComposeNoteOptions): string {
  const lines: string[] = [];
  const push = (section: readonly string[]) => {
    if (section.length === 0) return;
    if (lines.length > 0) lines.push('');
    lines.push(...section);
  };

  push([`TACE review — decision-support summary (${options.date})`]);
  // Said first: without a hepatocellular carcinoma diagnosis on record the definitions below may not apply.
  const applies = result.applicability.hccDiagnosis === 'recorded';
  if (!applies) push([`Applicability: ${result.applicability.note}`]);

  const tace = ['TACE history'];
  if (result.taceSessions.length === 0) tace.push('- No TACE sessions found in the record.');
  else result.taceSessions.forEach((s, i) => tace.push(sessionLine(s, i)));
  tace.push(`Prior TACE sessions: ${result.priorTaceBurden.count}.`);
  push(tace);

  const met = result.criteria.filter((c) => c.status === 'met');
  const notMet = result.criteria.filter((c) => c.status === 'not-met');
  const undecided = result.criteria.filter((c) => c.status === 'indeterminate');
  const defs = [
    applies
      ? 'Definitions'
      : result.applicability.hccDiagnosis === 'unknown'
        ? 'Definitions (may not apply: whether an HCC diagnosis is on record is not known)'
        : 'Definitions (may not apply: no hepatocellular carcinoma diagnosis found in the record)',
  ];
  if (met.length === 0) defs.push('- No definition met.');
  for (const c of met) defs.push(...metLines(c));
  if (notMet.length > 0)
    defs.push(
      `- ${STATUS_WORDS['not-met']}: ${notMet
        .map((c) => `${criterionHeading(c)}${remarkSuffix(c.unconfirmedTextReadings)}`)
        .join('; ')}`,
    );
  for (const c of undecided)
    defs.push(`- ${criterionHeading(c)}: ${STATUS_WORDS.indeterminate}${missingText(c)}`);
  push(defs);

  push(liverSection(result));
  push(burdenSection(result));
  push(considerationsSection(result));
  push(clinicianSection(result, options.inputs));

  push([
    `Engine ${result.engineVersion}; rule set ${result.ruleSetId} ${result.ruleSetVersion}; evaluated ${result.asOf}.`,
    DECISION_SUPPORT_STATEMENT,
  ]);
  return `${lines.join('\n')}\n`;
}
