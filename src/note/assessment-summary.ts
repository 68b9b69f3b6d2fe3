/**
 * The answer first, in clinical words, for the screen's headline and verdict strip and the note's assessment:
 * which definitions are met and on what (the most serious finding first, with this patient's values and dates),
 * or why nothing can be decided yet and what would decide it. Pure: reads only the engine result.
 *
 * Seriousness order of failure findings (issue 12; JSH-LCSGJ 2014 lists vascular invasion and extrahepatic spread
 * as failure on their own, clinical-reference §1): vascular invasion, extrahepatic spread, intrahepatic
 * progression, insufficient response, tumour markers.
 */
import { readableValue } from '../domain/format';
import { unitLabel } from '../domain/display-labels';
import type {
  AssessmentResult,
  CriterionRecord,
  CriterionResult,
  EvidenceItem,
  ExpandedResult,
  SubcriterionOutput,
} from '../engine/result';
import { criterionView, resultView } from '../engine/result-view';

/** Names a resource for a reader ("CT report", "MRI report"); the caller knows modalities, the result does not. */
export type SourceName = (ref: string) => string | undefined;

export interface SummaryOptions {
  sourceName?: SourceName | undefined;
  /**
   * Say "(read from report text)" after unconfirmed text readings (default). The verdict strip says it once per
   * verdict instead ("N unconfirmed readings").
   */
  markText?: boolean | undefined;
}

/** The definitions of TACE failure/refractoriness (as opposed to unsuitability and response). */
export const FAILURE_CRITERIA = ['jsh-lcsgj-2014', 'jsh-2010', 'european', 'epoihcc'] as const;

const CRITERION_NAMES: Record<string, string> = {
  'jsh-lcsgj-2014': 'JSH-LCSGJ 2014',
  'jsh-2010': 'JSH 2010',
  epoihcc: 'EPOIHCC',
  european: 'European (Raoul)',
  'tace-unsuitability': 'TACE unsuitability (JSH 2021 / Kudo 2025)',
  'clinical-cr': 'clinical complete response (Kudo 2025)',
  'drug-off': 'drug-off criteria (Kudo 2025)',
};

export function criterionName(c: Pick<CriterionResult, 'id' | 'title'>): string {
  return CRITERION_NAMES[c.id] ?? c.title;
}

/** Lower rank = more serious; sub-criteria not listed come after, in the rule's order. */
const SERIOUSNESS: readonly string[] = [
  'vascular-invasion',
  'extrahepatic-spread',
  'intrahepatic-progression',
  'insufficient-response',
  'no-response',
  'progression-after-two',
  'tumor-marker-elevation',
  'beyond-up-to-seven',
  'malbi-2b',
  'resistant-gross-type',
  'imaging-cr',
];

function rank(id: string): number {
  const i = SERIOUSNESS.indexOf(id);
  return i < 0 ? SERIOUSNESS.length : i;
}

/** Met sub-criteria, most serious first. */
export function metSubcriteria(c: CriterionResult): SubcriterionOutput[] {
  return c.subcriteria
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.status === 'met')
    .sort((a, b) => rank(a.s.id) - rank(b.s.id) || a.i - b.i)
    .map(({ s }) => s);
}

/** What a met sub-criterion means, in a clause ("new vascular invasion"); the rule's title otherwise. */
function findingPhrase(c: CriterionResult, s: SubcriterionOutput, boundary: string): string {
  switch (s.id) {
    case 'vascular-invasion':
      return 'new vascular invasion';
    case 'extrahepatic-spread':
      return 'new extrahepatic spread';
    case 'intrahepatic-progression':
      return c.id === 'jsh-2010'
        ? 'new intrahepatic lesions on two consecutive response CTs'
        : 'more intrahepatic tumours after two consecutive TACE';
    case 'insufficient-response':
      return c.id === 'jsh-2010'
        ? 'lipiodol deposition or viable tumour insufficient on two consecutive response CTs'
        : `viable tumour ${boundary} after two consecutive TACE`;
    case 'no-response':
      return 'no objective response after ≥ 3 TACE within 6 months';
    case 'progression-after-two':
      return 'progression after ≥ 2 TACE cycles';
    case 'tumor-marker-elevation':
      return 'tumour markers rising right after TACE (engine policy)';
    case 'beyond-up-to-seven':
      return 'beyond up-to-seven';
    case 'malbi-2b':
      return 'mALBI grade 2b or worse';
    case 'resistant-gross-type':
      return 'TACE-resistant gross type';
    case 'imaging-cr':
      return 'complete response on imaging';
    default:
      return lowerFirst(s.title);
  }
}

function boundaryText(result: ExpandedResult): string {
  return result.settings.viableBoundary === '>=50' ? '≥ 50 %' : '> 50 %';
}

/** "AFP baseline" / "AFP after TACE" / "AFP normal" → "AFP"; "PIVKA-II (mAU/mL) baseline" → "PIVKA-II". */
function seriesName(label: string): string {
  return label
    .replace(/\s*\((?:ng|mAU|m\[AU\])\/mL\)/i, '')
    .replace(/\s+(baseline|after TACE|before TACE|normal|≤.*|>.*)$/i, '')
    .trim();
}

function valueText(e: EvidenceItem): string {
  if (e.value === undefined) return '';
  return readableValue(e.value);
}

function withUnit(text: string, unit: string | undefined): string {
  const u = unitLabel(unit);
  if (!u) return text;
  return u === '%' ? `${text} %` : `${text} ${u}`;
}

function isLabSeries(e: EvidenceItem): boolean {
  return e.origin === 'structured' && e.ref.startsWith('Observation/') && e.value !== undefined && !!e.unit;
}

/** Lab values of one analyte as "AFP 110 → 310 → 520 ng/mL (2026-06-01 → 2026-07-28)"; long runs keep first and last. */
function labRun(name: string, items: readonly EvidenceItem[]): { values: string; span: string } {
  const sorted = [...items].sort((a, b) => a.date.localeCompare(b.date));
  const first = sorted[0] as EvidenceItem;
  const last = sorted[sorted.length - 1] as EvidenceItem;
  if (sorted.length === 1)
    return { values: `${name} ${withUnit(valueText(first), first.unit)}`, span: first.date };
  const values =
    sorted.length <= 3 ? sorted.map(valueText).join(' → ') : `${valueText(first)} → ${valueText(last)}`;
  const count = sorted.length > 3 ? `${sorted.length} results, ` : '';
  return { values: `${name} ${withUnit(values, last.unit)}`, span: `${count}${first.date} → ${last.date}` };
}

/** Runs of several analytes over the same dates say the dates once: "AFP 420 → 610 ng/mL, PIVKA-II … (5 results, …)". */
function labRuns(runs: readonly { values: string; span: string }[]): string[] {
  const spans = new Set(runs.map((r) => r.span));
  if (runs.length > 1 && spans.size === 1)
    return [`${runs.map((r) => r.values).join(', ')} (${runs[0]?.span ?? ''})`];
  return runs.map((r) => `${r.values} (${r.span})`);
}

/** Report readings grouped per report: "CT report 2026-07-24: vascular invasion Vp3 (right portal vein)". */
function reportReadings(
  items: readonly EvidenceItem[],
  sourceName: SourceName | undefined,
  markText: boolean,
): string[] {
  const byRef = new Map<string, EvidenceItem[]>();
  for (const e of items) {
    const list = byRef.get(e.ref) ?? [];
    list.push(e);
    byRef.set(e.ref, list);
  }
  let out: { date: string; text: string }[] = [];
  for (const [ref, list] of byRef) {
    const labels = [...new Set(list.map((e) => e.label))];
    // "vascular invasion" adds nothing next to "vascular invasion Vp3 (right portal vein)".
    const kept = labels.filter((l) => !labels.some((o) => o !== l && o.startsWith(`${l} `)));
    const date = list.map((e) => e.date).sort()[0] as string;
    const name = sourceName?.(ref) ?? sourceKind(ref);
    const unconfirmed = list.some((e) => e.origin === 'text' && !e.confirmed);
    out.push({
      date,
      text: `${name} ${date}: ${kept.join(', ')}${unconfirmed && markText ? ' (read from report text)' : ''}`,
    });
  }
  out = out.sort((a, b) => a.date.localeCompare(b.date));
  // The two latest reports decide "two consecutive" findings; earlier ones are named by date only.
  if (out.length > MAX_REPORTS) {
    const earlier = out.slice(0, out.length - MAX_REPORTS).map((o) => o.date);
    out = [...out.slice(-MAX_REPORTS), { date: '', text: `also reports of ${earlier.join(', ')}` }];
  }
  return out.map((o) => o.text);
}

const MAX_REPORTS = 2;

function sourceKind(ref: string): string {
  if (ref.startsWith('DiagnosticReport/') || ref.startsWith('DocumentReference/')) return 'report';
  if (ref.startsWith('Observation/')) return 'observation';
  if (ref.startsWith('Procedure/')) return 'procedure';
  if (ref.startsWith('Condition/')) return 'problem list';
  return 'record';
}

/** This patient's values and dates behind a verdict, in reading order, without repeats. */
export function evidenceSummary(items: readonly EvidenceItem[], options: SummaryOptions = {}): string {
  const labs = new Map<string, EvidenceItem[]>();
  const others: EvidenceItem[] = [];
  for (const e of items) {
    if (isLabSeries(e)) {
      const name = seriesName(e.label);
      const list = labs.get(name) ?? [];
      list.push(e);
      labs.set(name, list);
    } else others.push(e);
  }
  const parts = labRuns([...labs].map(([name, list]) => labRun(name, list)));
  parts.push(...reportReadings(others, options.sourceName, options.markText ?? true));
  return parts.join('; ');
}

/** Sub-criterion notes that carry this patient's figures ("5.1 cm + 2 tumour(s) vs 7", "ALBI -1.091 → mALBI 3"). */
function figureNotes(s: SubcriterionOutput): string[] {
  if (s.id !== 'beyond-up-to-seven' && s.id !== 'malbi-2b') return [];
  return (s.notes ?? []).map((n) => n.replace(/-(\d)/g, '−$1'));
}

function metReason(
  c: CriterionResult,
  s: SubcriterionOutput,
  result: ExpandedResult,
  options: SummaryOptions,
): string {
  const phrase = findingPhrase(c, s, boundaryText(result));
  const figures = figureNotes(s);
  const evidence = evidenceSummary(s.evidence, options);
  const basis = [...figures, evidence].filter((p) => p.length > 0).join('; ');
  return basis ? `${capitalize(phrase)} — ${basis}` : capitalize(phrase);
}

/** "new vascular invasion" → "New vascular invasion"; "mALBI …" and "AFP …" are left as written. */
function capitalize(text: string): string {
  return /^[a-z][a-z ]/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** The first missing items of an undecided verdict (the criterion's own, else its undecided sub-criteria's). */
export function missingItems(c: CriterionResult): string[] {
  const fromSubs = c.subcriteria.filter((s) => s.status === 'indeterminate').flatMap((s) => s.missing);
  return [...new Set([...c.missing, ...fromSubs])];
}

function latestResponse(result: ExpandedResult): string | undefined {
  const withResponse = result.taceSessions.filter((s) => s.response.assessmentDate !== null);
  const last = withResponse[withResponse.length - 1];
  if (!last) return undefined;
  const ev = last.response.evidence.find((e) => e.origin !== 'derived') ?? last.response.evidence[0];
  if (!ev) return undefined;
  return `response after the last TACE (${last.date}): ${ev.label}, ${ev.date}`;
}

/**
 * One reason per criterion for the verdict strip, readable in full: for a met criterion its most serious met
 * sub-criterion with this patient's values and dates (and the other met ones named); for an undecided one what
 * would decide it; for a not-met one what was seen.
 */
export function leadingReason(
  criterion: CriterionResult | CriterionRecord,
  published: AssessmentResult | ExpandedResult,
  options: SummaryOptions = {},
): string {
  const result = resultView(published);
  const c = criterionView(published, criterion);
  if (c.status === 'met') {
    const [first, ...rest] = metSubcriteria(c);
    if (!first) {
      const basis = evidenceSummary(c.evidence, options);
      return basis ? `Met — ${basis}` : 'Met';
    }
    const also = rest.map((s) => findingPhrase(c, s, boundaryText(result)));
    return `${metReason(c, first, result, options)}${also.length > 0 ? `. Also: ${also.join('; ')}` : ''}`;
  }
  if (c.status === 'indeterminate') {
    const missing = missingItems(c);
    const met = metSubcriteria(c).map((s) => findingPhrase(c, s, boundaryText(result)));
    const metText = met.length > 0 ? ` Met so far: ${met.join('; ')}.` : '';
    if (missing.length === 0) return `Not enough data to decide.${metText}`;
    const more = missing.length > 2 ? ` (and ${missing.length - 2} other missing items)` : '';
    // Data past its budget is waited for, not missing (the screen's markStillLoading puts it first).
    const parts = missing.slice(0, 2).map((m) => (m.startsWith('still loading: ') ? m : `needs ${m}`));
    return `Undecided — ${parts.join('; ')}${more}.${metText}`;
  }
  const undecided = c.subcriteria.filter((s) => s.status === 'indeterminate');
  const seen = FAILURE_CRITERIA.includes(c.id as (typeof FAILURE_CRITERIA)[number])
    ? latestResponse(result)
    : undefined;
  const head = c.subcriteria.length > 0 ? 'None of its findings is present' : 'Not met';
  const rest = undecided.length > 0 ? `; undecided: ${undecided.map((s) => s.title).join('; ')}` : '';
  return `${head}${seen ? ` (${seen})` : ''}${rest}`;
}

export type HeadlineTone = 'failure' | 'unsuitable' | 'response' | 'not-met' | 'undecided';

export interface Headline {
  tone: HeadlineTone;
  /** One sentence, clinical words, this patient's decisive finding with its date and source. */
  text: string;
  /** What would decide it, when nothing can be decided yet (or is only partly decided). */
  toDecide: string[];
}

function namesList(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The answer first: which definitions are met and the decisive finding, or why nothing can be decided yet.
 * A failure definition met outranks unsuitability, which outranks a response; "not met" is said only when every
 * failure definition is not met (an undecided one keeps the headline undecided).
 */
export function headline(
  published: AssessmentResult | ExpandedResult,
  options: SummaryOptions = {},
): Headline {
  const result = resultView(published);
  const byId = new Map(result.criteria.map((c) => [c.id, c]));
  const failure = FAILURE_CRITERIA.map((id) => byId.get(id)).filter((c): c is CriterionResult => !!c);
  const failureMet = failure.filter((c) => c.status === 'met');
  const unsuitable = byId.get('tace-unsuitability');
  const cr = byId.get('clinical-cr');
  const unsuitableText =
    unsuitable?.status === 'met'
      ? `TACE-unsuitable: ${metSubcriteria(unsuitable)
          .map((s) => findingPhrase(unsuitable, s, boundaryText(result)))
          .join('; ')}`
      : '';

  if (failureMet.length > 0) {
    // The decisive finding: the most serious met sub-criterion across the met failure definitions.
    const ranked = failureMet
      .flatMap((c) => metSubcriteria(c).map((s) => ({ c, s })))
      .sort((a, b) => rank(a.s.id) - rank(b.s.id));
    const decisive = ranked[0];
    const reason = decisive ? metReason(decisive.c, decisive.s, result, options) : '';
    const names = namesList(failureMet.map(criterionName));
    const text = `Meets TACE failure/refractoriness by ${names}${reason ? ` — ${lowerFirst(reason)}` : ''}.${
      unsuitableText ? ` Also ${unsuitableText}.` : ''
    }`;
    return { tone: 'failure', text, toDecide: [] };
  }
  if (unsuitable?.status === 'met') {
    const [first] = metSubcriteria(unsuitable);
    const reason = first ? metReason(unsuitable, first, result, options) : '';
    const undecided = failure.filter((c) => c.status === 'indeterminate');
    return {
      tone: 'unsuitable',
      text: `TACE-unsuitable (JSH 2021 / Kudo 2025)${reason ? ` — ${lowerFirst(reason)}` : ''}. ${
        undecided.length > 0
          ? `No TACE-failure definition is met so far: ${namesList(undecided.map(criterionName))} ${
              undecided.length === 1 ? 'is' : 'are'
            } undecided`
          : 'No TACE-failure definition is met'
      }.`,
      toDecide: [...new Set(undecided.flatMap((c) => missingItems(c).slice(0, 1)))],
    };
  }
  const allNotMet = failure.length > 0 && failure.every((c) => c.status === 'not-met');
  if (cr?.status === 'met') {
    const [first] = metSubcriteria(cr);
    const basis = first ? evidenceSummary(first.evidence, options) : '';
    return {
      tone: 'response',
      text: `Clinical complete response (Kudo 2025)${basis ? ` — ${basis}` : ''}; ${
        allNotMet ? 'no TACE-failure definition is met' : 'TACE failure not decided'
      }.`,
      toDecide: allNotMet ? [] : [...new Set(failure.flatMap((c) => missingItems(c).slice(0, 1)))],
    };
  }
  if (allNotMet) {
    const seen = latestResponse(result);
    return {
      tone: 'not-met',
      text: `No TACE-failure definition is met${seen ? ` — ${seen}` : ''}.`,
      toDecide: [],
    };
  }
  const undecided = failure.filter((c) => c.status === 'indeterminate');
  const toDecide = [...new Set(undecided.flatMap((c) => missingItems(c).slice(0, 2)))].slice(0, 3);
  return {
    tone: 'undecided',
    text: `TACE failure cannot be decided yet: ${namesList(undecided.map(criterionName))} ${
      undecided.length === 1 ? 'is' : 'are'
    } undecided for lack of data.`,
    toDecide,
  };
}

/** "Beyond up-to-seven" → "beyond up-to-seven"; acronyms and analyte names ("AFP", "TACE-unsuitable") as written. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** One line of the liver-and-burden panel (and of the note's assessment): a label, the words, a flag. */
export interface BurdenFact {
  id: 'albi' | 'albi-trend' | 'child-pugh' | 'up-to-seven' | 'prior-tace' | 'current-therapy';
  label: string;
  text: string;
  /** Shown as a warning (worsening, TACE at poor liver function, > 4 prior sessions). */
  flagged: boolean;
}

/** A score as printed: "−2.06" (a true minus sign). */
export function signed(n: number): string {
  return readableValue(n).replace(/^-/, '−');
}

/** The latest date among evidence items (YYYY-MM-DD sorts as text). */
export function latestDate(items: readonly EvidenceItem[]): string | undefined {
  return items
    .map((e) => e.date)
    .sort()
    .pop();
}

/** ALBI grade before each TACE: "1 → 2b → 3" (mALBI grades), "?" where the labs before a session are missing. */
export function albiTrail(published: AssessmentResult | ExpandedResult): string {
  const result = resultView(published);
  return result.liverTrajectory.map((t) => t.before.albiGrade ?? '?').join(' → ');
}

/** Up to this many sessions the trail names each grade, then all dates ("1 → 2b → 3 (date, date, date)"). */
const TRAIL_EACH_MAX = 6;

/**
 * The trail with its dates. Long histories are told in runs of the same grade, every session still counted and
 * dated: "1 (7 sessions, 2018-03-26 to 2020-01-27) → 2a (2020-05-18) → 2b (2 sessions, 2023-06-12 to 2024-01-22)".
 */
function albiTrailWithDates(result: ExpandedResult, compact: boolean): string {
  const t = result.liverTrajectory;
  if (t.length <= TRAIL_EACH_MAX) return `${albiTrail(result)} (${t.map((x) => x.sessionDate).join(', ')})`;
  if (compact) {
    // The screen: the grade changes and the span; each session's grade is in the note and the criteria detail.
    const changes: string[] = [];
    for (const x of t) {
      const grade = x.before.albiGrade ?? '?';
      if (changes[changes.length - 1] !== grade) changes.push(grade);
    }
    const first = t[0]?.sessionDate ?? '';
    const last = t[t.length - 1]?.sessionDate ?? '';
    return `${changes.join(' → ')} (${t.length} sessions, ${first} to ${last})`;
  }
  const runs: { grade: string; dates: string[] }[] = [];
  for (const x of t) {
    const grade = x.before.albiGrade ?? '?';
    const last = runs[runs.length - 1];
    if (last && last.grade === grade) last.dates.push(x.sessionDate);
    else runs.push({ grade, dates: [x.sessionDate] });
  }
  return runs
    .map(({ grade, dates }) =>
      dates.length === 1
        ? `${grade} (${dates[0] ?? ''})`
        : `${grade} (${dates.length} sessions, ${dates[0] ?? ''} to ${dates[dates.length - 1] ?? ''})`,
    )
    .join(' → ');
}

/** "lenvatinib since 2026-05-02", "atezolizumab + bevacizumab since 2026-03-01"; one entry per regimen. */
function currentTherapyText(list: ExpandedResult['currentTherapy']): string {
  if (list.length === 0) return 'none on record';
  const since = new Map<string, string>();
  for (const e of list) {
    const prev = since.get(e.regimen);
    if (prev === undefined || e.since < prev) since.set(e.regimen, e.since);
  }
  return [...since].map(([regimen, date]) => `${regimen} since ${date}`).join('; ');
}

/**
 * Everything beyond the verdicts that decides the next step: ALBI/mALBI now and before each TACE, Child-Pugh,
 * up-to-seven, prior TACE count (> 4 flagged, Hien 2024), and the current systemic therapy with its start when the
 * result carries it (engine 0.5.0 `currentTherapy`; "none on record" when empty).
 */
export function liverAndBurden(
  published: AssessmentResult | ExpandedResult,
  options: { compact?: boolean } = {},
): BurdenFact[] {
  const result = resultView(published);
  const { albi, upToSeven } = result.scores;
  const facts: BurdenFact[] = [];
  const albiDate = latestDate(albi.evidence);
  facts.push({
    id: 'albi',
    label: 'ALBI now',
    text:
      albi.value !== null
        ? `${signed(albi.value)}, grade ${albi.grade ?? '?'}${albi.mGrade ? ` (mALBI ${albi.mGrade})` : ''}${albiDate ? `, ${albiDate}` : ''}`
        : `not calculable — needs ${albi.missing.join('; ') || 'albumin and bilirubin'}`,
    flagged: albi.grade === 3,
  });
  if (result.liverTrajectory.length > 0) {
    const worsened = result.liverWarnings.some((w) => w.id === 'albi-grade-worsened');
    const atPoor = result.liverWarnings.some((w) => w.id === 'tace-at-poor-liver-function');
    const notes = [
      worsened ? 'grade worsened across sessions' : '',
      atPoor ? 'TACE done at poor liver function' : '',
    ]
      .filter((n) => n.length > 0)
      .join('; ');
    facts.push({
      id: 'albi-trend',
      label: 'mALBI before each TACE',
      text: `${albiTrailWithDates(result, options.compact ?? false)}${notes ? ` — ${notes}` : ''}`,
      flagged: worsened || atPoor,
    });
  }
  facts.push({
    id: 'child-pugh',
    label: 'Child-Pugh',
    text: childPughText(result),
    flagged: childPughWorse(result),
  });
  facts.push({
    id: 'up-to-seven',
    label: 'Up-to-seven',
    text: upToSevenText(result),
    flagged: upToSeven.category === 'beyond up-to-seven',
  });
  const burden = result.priorTaceBurden;
  facts.push({
    id: 'prior-tace',
    label: 'Prior TACE',
    text: `${burden.count} session${burden.count === 1 ? '' : 's'}${burden.overFourSessions ? ' — more than 4 (Hien 2024: higher risk with further TACE)' : ''}`,
    flagged: burden.overFourSessions,
  });
  facts.push({
    id: 'current-therapy',
    label: 'Current systemic therapy',
    text: result.currentTherapyKnown
      ? currentTherapyText(result.currentTherapy)
      : 'not known — the medication search did not load',
    flagged: false,
  });
  return facts;
}

function childPughText(result: ExpandedResult): string {
  const cp = result.scores.childPugh;
  const date = latestDate(
    cp.evidence.filter((e) => e.origin === 'structured' && e.ref.startsWith('Observation/')),
  );
  const points =
    cp.value !== null
      ? `${cp.value} points`
      : cp.range
        ? cp.range.min === cp.range.max
          ? `${cp.range.min} points`
          : `${cp.range.min}–${cp.range.max} points`
        : 'not calculable';
  const cls = cp.category ? `, ${cp.category.replace(/^indeterminate \((.*)\)$/, 'class $1')}` : '';
  const clinical = cp.missing.every((m) => / grade \(clinician input\)$/.test(m));
  const unknown = cp.missing.map((m) => m.replace(/ grade \(clinician input\)$/, ''));
  const missing =
    unknown.length === 0
      ? ''
      : clinical
        ? ` — ${unknown.join(' and ')} not entered`
        : ` — not known: ${cp.missing.join('; ')}`;
  const conditions = cp.evidence.filter((e) => e.ref.startsWith('Condition/'));
  const fromConditions =
    conditions.length > 0
      ? `; from the problem list: ${conditions.map((e) => `${e.label} (${e.date})`).join(', ')}`
      : '';
  return `${points}${cls}${date ? `, labs ${date}` : ''}${fromConditions}${missing}`;
}

function childPughWorse(result: ExpandedResult): boolean {
  const cp = result.scores.childPugh;
  return cp.value !== null ? cp.value >= 7 : cp.range !== null && cp.range.min >= 7;
}

function upToSevenText(result: ExpandedResult): string {
  const s = result.scores.upToSeven;
  const date = latestDate(s.evidence);
  if (!s.category)
    return `not determinable — needs ${s.missing.join('; ') || 'tumour count and largest diameter'}`;
  const figures = (s.notes ?? []).join('; ');
  return `${s.category}${figures ? ` (${figures})` : ''}${date ? `, imaging ${date}` : ''}`;
}

/**
 * Which met verdicts rest on readings from report text nobody confirmed, with how many:
 * "Resting on readings from report text not confirmed by a clinician: JSH-LCSGJ 2014 (2 readings), …".
 */
function unconfirmedLine(result: ExpandedResult): string {
  const met = result.criteria.filter((c) => c.status === 'met');
  if (met.length === 0) return '';
  const resting = met.filter((c) => c.unconfirmedTextReadings > 0);
  return resting.length > 0
    ? `Resting on readings from report text not confirmed by a clinician: ${resting
        .map(
          (c) =>
            `${criterionName(c)} (${c.unconfirmedTextReadings} reading${c.unconfirmedTextReadings === 1 ? '' : 's'})`,
        )
        .join(', ')}.`
    : 'No met verdict rests on an unconfirmed reading from report text.';
}

/** "ALBI now: −2.67, grade 1 …"; a text that already names the fact ("within up-to-seven …") stands alone. */
function factText(f: BurdenFact): string {
  if (f.text.toLowerCase().includes(f.label.toLowerCase())) return f.text;
  // "Prior TACE" → "prior TACE", "Current systemic therapy" → "current …"; names ("ALBI now", "Child-Pugh") stay.
  const plainFirstWord = /^[A-Z][a-z]+(-[a-z]+)*(\s|$)/.test(f.label);
  return `${plainFirstWord ? f.label.charAt(0).toLowerCase() + f.label.slice(1) : f.label}: ${f.text}`;
}

/**
 * The note's assessment, 4–8 lines a clinician would sign: definitions met and on what; liver function and its
 * trend; tumour burden; options discussed; readings confirmed or not.
 */
export function assessmentLines(
  published: AssessmentResult | ExpandedResult,
  options: SummaryOptions = {},
): string[] {
  const result = resultView(published);
  const h = headline(result, options);
  const lines = [h.text];
  if (h.toDecide.length > 0) lines.push(`Would decide it: ${[...new Set(h.toDecide)].join('; ')}.`);
  const facts = new Map(liverAndBurden(result).map((f) => [f.id, f]));
  const liver = ['albi', 'albi-trend', 'child-pugh']
    .map((id) => facts.get(id as BurdenFact['id']))
    .filter((f): f is BurdenFact => !!f)
    .map(factText);
  lines.push(`Liver function: ${liver.join('; ')}.`);
  const burden = ['up-to-seven', 'prior-tace', 'current-therapy']
    .map((id) => facts.get(id as BurdenFact['id']))
    .filter((f): f is BurdenFact => !!f)
    .map(factText);
  lines.push(`Tumour burden and treatment: ${burden.join('; ')}.`);
  if (result.considerations.length > 0)
    lines.push(`Options discussed (not orders): ${result.considerations.map((c) => c.title).join('; ')}.`);
  const unconfirmed = unconfirmedLine(result);
  if (unconfirmed) lines.push(unconfirmed);
  return lines;
}
