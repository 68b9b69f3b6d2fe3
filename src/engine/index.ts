/**
 * The criteria engine: evaluate(timeline, { asOf, inputs, settings }) → AssessmentResult.
 * Pure and deterministic: no clock, no I/O; same input → identical JSON (arrays sorted).
 */
import type { Timeline } from '../domain/timeline';
import type { ImagingAssessment } from '../domain/imaging';
import type { ClinicianInputs } from './inputs';
import { applyConfirmation, applyCorrection } from './inputs';
import {
  ENGINE_VERSION,
  RULE_SET_ID,
  RULE_SET_VERSION,
  type Applicability,
  type AssessmentResult,
  type Consideration,
  type CriterionResult,
  type EngineSettings,
  type EvidenceItem,
  type ExpandedResult,
  type Status,
  type SubcriterionOutput,
  type SubcriterionResult,
} from './result';
import { appendAll } from './arrays';
import { keysAre } from './shapes';
import { slimResult } from './result-view';
import { oncePerCall, withCallMemo } from './per-call';
import { resolveSettings } from './settings';
import { buildSessions, EMBOLIZATION_KINDS, isCountedSession, sortedImaging } from './sessions';
import { dayNumber, isoDay, isValidDay } from './dates';
import { refOf, normalizeEvidence, sortByKey, uniqSorted, withEvidenceItems } from './evidence';
import {
  insufficientReading,
  responseClass,
  intrahepaticIncreaseReading,
  withAssessmentReadings,
} from './findings';
import { readSession, sessionConflictIssues } from './session-readings';
import type { CriterionDefinition, EngineContext } from './criteria/types';
import { jsh2010 } from './criteria/jsh-2010';
import { jshLcsgj2014 } from './criteria/jsh-lcsgj-2014';
import { epoihcc } from './criteria/epoihcc';
import { european } from './criteria/european';
import { taceUnsuitability } from './criteria/unsuitability';
import { clinicalCr, drugOff } from './criteria/clinical-cr';
import {
  albiAt,
  childPughAt,
  hapAt,
  liverClinicalNow,
  latestBurden,
  meldNaAt,
  upToScore,
} from './scores/from-timeline';
import { abcrAt, artAt } from './scores/pre-tace';
import { liverTrajectory, liverWarnings } from './liver-trajectory';
import { unusableLabIssues, withLabIndex } from './labs';
import { priorTaceBurden } from './prior-tace-burden';
import { considerations, currentSystemicTherapy, currentTherapyEntries } from './considerations';

export type { ClinicianInputs } from './inputs';
export type { AssessmentResult, EngineSettings, ExpandedResult } from './result';
export { evidenceOf, expandResult } from './result-view';

export interface EvaluateOptions {
  /** YYYY-MM-DD: the day the assessment is made for (no clock is read). */
  asOf: string;
  inputs?: ClinicianInputs;
  settings?: Partial<EngineSettings>;
}

export const CRITERIA: readonly CriterionDefinition[] = [
  jshLcsgj2014,
  jsh2010,
  epoihcc,
  european,
  taceUnsuitability,
  clinicalCr,
  drugOff,
];

/**
 * Text readings (origin 'text') in a verdict's basis that the clinician has neither confirmed nor corrected.
 * A reading is one finding of one report: the same finding stated in two sentences of that report (findings and
 * impression) is one reading, confirmed or corrected at once. An indeterminate verdict was decided by nothing, so
 * it counts 0.
 */
function unconfirmedTextReadings(status: Status, evidence: readonly EvidenceItem[]): number {
  if (status === 'indeterminate') return 0;
  // The same item object listed twice is one reading (its key is the same): the items of one call are shared
  // (evidence.ts withEvidenceItems), so most lists hold zero or one distinct unconfirmed text item, and the keys
  // need building only when two different objects are to be told apart.
  const items: EvidenceItem[] = [];
  for (const e of evidence) {
    if (e.origin !== 'text' || e.confirmed === true || items.includes(e)) continue;
    items.push(e);
    if (items.length > 1) break; // two objects: the keys decide (below)
  }
  if (items.length <= 1) return items.length;
  const readings = new Set<string>();
  for (const e of evidence) if (e.origin === 'text' && e.confirmed !== true) readings.add(readingKey(e));
  return readings.size;
}

/** The reading an item states; one string per item object and evaluate call (the same items recur in many lists). */
function readingKey(e: EvidenceItem): string {
  return oncePerCall(
    e,
    'readingKey',
    () => `${e.ref}\u0000${e.date}\u0000${e.label}\u0000${String(e.value ?? '')}\u0000${e.unit ?? ''}`,
  );
}

/** The keys of a sub-criterion as criteria/types.ts `sub` makes it, without and with its notes. */
const SUB_KEYS = ['id', 'title', 'citation', 'status', 'evidence', 'missing', 'thresholds'] as const;
const SUB_KEYS_NOTES = [...SUB_KEYS, 'notes'] as const;

/**
 * `{ ...s, citation: s.citation || citation, unconfirmedTextReadings }`: for a sub-criterion of the shape `sub`
 * makes, the same keys in the same order as one literal (shapes.ts); any other shape is spread as before.
 */
function subOutput(s: SubcriterionResult, citation: string): SubcriterionOutput {
  const unconfirmed = unconfirmedTextReadings(s.status, s.evidence);
  if (keysAre(s, SUB_KEYS))
    return {
      id: s.id,
      title: s.title,
      citation: s.citation || citation,
      status: s.status,
      evidence: s.evidence,
      missing: s.missing,
      thresholds: s.thresholds,
      unconfirmedTextReadings: unconfirmed,
    };
  if (keysAre(s, SUB_KEYS_NOTES))
    return {
      id: s.id,
      title: s.title,
      citation: s.citation || citation,
      status: s.status,
      evidence: s.evidence,
      missing: s.missing,
      thresholds: s.thresholds,
      notes: s.notes,
      unconfirmedTextReadings: unconfirmed,
    };
  return { ...s, citation: s.citation || citation, unconfirmedTextReadings: unconfirmed };
}

function runCriterion(def: CriterionDefinition, ctx: EngineContext): CriterionResult {
  let v: ReturnType<CriterionDefinition['evaluate']>;
  try {
    v = def.evaluate(ctx);
  } catch (e) {
    // evaluate never throws by contract; this guard keeps one broken rule from hiding the others.
    v = {
      status: 'indeterminate',
      evidence: [],
      missing: [`engine error in ${def.id}: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
  const subcriteria: SubcriterionOutput[] = (v.subcriteria ?? []).map((s) => subOutput(s, def.citation));
  const evidence = normalizeEvidence(v.evidence);
  // The criterion rests on its own evidence and on the sub-criteria that share its status (for an any-of
  // "not met", every sub-criterion; its own evidence list is then empty). An indeterminate verdict counts 0
  // whatever its basis (unconfirmedTextReadings), so the list is built only for a decided one.
  const basis: EvidenceItem[] = [];
  if (v.status !== 'indeterminate') {
    appendAll(basis, evidence);
    for (const s of subcriteria) if (s.status === v.status) appendAll(basis, s.evidence);
  }
  const r: CriterionResult = {
    id: def.id,
    title: def.title,
    version: def.version,
    status: v.status,
    subcriteria,
    evidence,
    missing: uniqSorted(v.missing),
    citation: def.citation,
    thresholds: def.thresholds,
    unconfirmedTextReadings: unconfirmedTextReadings(v.status, basis),
  };
  if (v.notes && v.notes.length > 0) r.notes = uniqSorted(v.notes);
  return r;
}

/** What the screen and the note say first when the diagnosis is not on record (result.ts: applicabilitySchema). */
export const NO_HCC_NOTE =
  'No hepatocellular carcinoma diagnosis found in the record: the criteria below may not apply. ' +
  'They are defined for HCC treated with TACE; the scores are calculated as for any patient.';
export const HCC_UNKNOWN_NOTE =
  'The conditions could not be loaded, so whether a hepatocellular carcinoma diagnosis is recorded is not known: ' +
  'the criteria below may not apply.';
/** Added to every criterion's notes when the diagnosis is not on record. */
export const CRITERION_MAY_NOT_APPLY =
  'May not apply: no hepatocellular carcinoma diagnosis found in the record (this definition is for HCC treated with TACE).';
export const CRITERION_MAY_NOT_APPLY_UNKNOWN =
  'May not apply: the conditions could not be loaded, so an HCC diagnosis on record could not be checked.';

/**
 * The Condition search failed or is still loading (the data layer's `timeline.notLoaded`): then an absent
 * diagnosis is unknown, not "not found".
 */
/** An option said while the medications did not load: the patient may already be on what it discusses. */
export const THERAPY_UNKNOWN_REMARK =
  'Current systemic therapy not known: the medication search did not load — check what the patient is on.';

function withTherapyUnknown(c: Consideration): Consideration {
  return { ...c, text: `${c.text} ${THERAPY_UNKNOWN_REMARK}` };
}

function conditionsNotLoaded(timeline: Timeline): boolean {
  return timeline.notLoaded?.includes('Condition') ?? false;
}

/** Whether a hepatocellular carcinoma diagnosis is on record on or before `asOf`. */
export function applicabilityOf(timeline: Timeline, asOf: string): Applicability {
  const asOfNum = dayNumber(asOf);
  const conditions = timeline.conditions
    .filter((c) => c.kind === 'hcc')
    .map((c) => {
      const dated = [c.onset, c.recorded].find((d): d is string => d !== undefined && isValidDay(d));
      return {
        ref: refOf(c.source),
        label: c.label,
        date: dated ? isoDay(dated) : null,
        clinicalStatus: c.clinicalStatus ?? null,
        verificationStatus: c.verificationStatus ?? null,
        codedBy: c.codedBy,
      };
    })
    // Recorded after the assessment date: not on record for an assessment made then.
    .filter((c) => c.date === null || dayNumber(c.date) <= asOfNum)
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  if (conditions.length > 0) {
    const described = conditions.map((c) => {
      const status = [c.clinicalStatus, c.verificationStatus].filter((x): x is string => x !== null);
      const words = [
        ...status,
        ...(c.date ? [`since ${c.date}`] : []),
        ...(c.codedBy === 'text' ? ['recognised by its words only'] : []),
      ];
      return `${c.label}${words.length > 0 ? ` (${words.join(', ')})` : ''}`;
    });
    return {
      hccDiagnosis: 'recorded',
      conditions,
      note: `Hepatocellular carcinoma diagnosis recorded: ${described.join('; ')}.`,
    };
  }
  if (conditionsNotLoaded(timeline))
    return { hccDiagnosis: 'unknown', conditions: [], note: HCC_UNKNOWN_NOTE };
  return { hccDiagnosis: 'not-found', conditions: [], note: NO_HCC_NOTE };
}

/** The published result (0.6.0): evidence listed once and cited by id (result.ts, result-view.ts). */
export function evaluate(timeline: Timeline, options: EvaluateOptions): AssessmentResult {
  return slimResult(evaluateExpanded(timeline, options));
}

/**
 * The result as the rules build it, every part with its own evidence items (the shape up to 0.5.0): what
 * `expandResult(evaluate(…))` must give back (tests/unit/result-view.test.ts).
 */
export function evaluateExpanded(timeline: Timeline, options: EvaluateOptions): ExpandedResult {
  // Lab series are sorted once for this call and shared by every rule and score (labs.ts: withLabIndex).
  // …and each assessment's shared readings are read once (findings.ts: withAssessmentReadings), and each evidence
  // item is built once (evidence.ts: withEvidenceItems), and what several rules ask for is read once (per-call.ts).
  return withLabIndex(timeline, () =>
    withAssessmentReadings(() =>
      withEvidenceItems(() => withCallMemo(() => evaluateTimeline(timeline, options))),
    ),
  );
}

function evaluateTimeline(timeline: Timeline, options: EvaluateOptions): ExpandedResult {
  const asOf = isValidDay(options.asOf) ? isoDay(options.asOf) : '1970-01-01';
  const settings = resolveSettings(options.settings);
  const inputs: ClinicianInputs = options.inputs ?? {};
  // No corrections (or confirmations) given: every lookup is undefined, as an own-key lookup in `{}` would give,
  // without looking each report id up as a property key (a string-table lookup per id).
  const corrections = inputs.corrections ?? null;
  const confirmations = inputs.confirmations ?? null;
  const own = <T>(o: Readonly<Record<string, T>> | null, id: string): T | undefined =>
    o !== null && Object.prototype.hasOwnProperty.call(o, id) ? o[id] : undefined;
  // Confirm first, then correct: a corrected finding type replaces the (confirmed or not) reading.
  const imaging: ImagingAssessment[] = sortedImaging(
    timeline.imaging.map((a) =>
      applyCorrection(applyConfirmation(a, own(confirmations, a.id)), own(corrections, a.id)),
    ),
    asOf,
  );
  const sessions = buildSessions(timeline, imaging, asOf, settings);
  const albi = albiAt(timeline, asOf, settings);
  const ctx: EngineContext = { timeline, asOf, settings, inputs, imaging, sessions, albi };

  const applicability = applicabilityOf(timeline, asOf);
  const mayNotApply =
    applicability.hccDiagnosis === 'not-found'
      ? CRITERION_MAY_NOT_APPLY
      : applicability.hccDiagnosis === 'unknown'
        ? CRITERION_MAY_NOT_APPLY_UNKNOWN
        : undefined;
  // The verdicts are still computed from the data; each says why it may not apply to this patient.
  const criteria = CRITERIA.map((d) => runCriterion(d, ctx)).map((c) =>
    mayNotApply ? { ...c, notes: uniqSorted([mayNotApply, ...(c.notes ?? [])]) } : c,
  );
  const cp = childPughAt(timeline, asOf, settings, liverClinicalNow(timeline, asOf, inputs));
  const scores = {
    albi,
    childPugh: cp.result,
    meldNa: meldNaAt(timeline, asOf, settings, inputs),
    upToSeven: upToScore(imaging, 7),
    upToEleven: upToScore(imaging, 11),
    art: artAt(ctx),
    abcr: abcrAt(ctx),
    hap: hapAt(timeline, imaging, asOf),
  };
  const burden = priorTaceBurden(ctx);
  const asOfNum = dayNumber(asOf);

  const taceSessions = sessions.map((s) => {
    const r = readSession(s, (a) => insufficientReading(a, settings), 'response');
    const cls = r.assessment ? responseClass(r.assessment) : null;
    const nl = r.assessment ? intrahepaticIncreaseReading(r.assessment, null).state : null;
    const viable = r.assessment?.findings.find((f) => f.type === 'viable-percent');
    return {
      date: s.day,
      ref: s.ref,
      kind: s.session.kind,
      response: {
        assessmentId: r.assessment?.id ?? null,
        assessmentDate: r.assessment ? isoDay(r.assessment.date) : null,
        jshReading:
          r.state === 'positive'
            ? ('insufficient' as const)
            : r.state === 'negative'
              ? ('sufficient' as const)
              : ('unknown' as const),
        category: cls && cls.cls !== 'unknown' ? cls.cls : null,
        viablePercent: viable && viable.type === 'viable-percent' ? viable.percent : null,
        newLesions:
          nl === null
            ? null
            : nl === 'positive'
              ? ('positive' as const)
              : nl === 'negative'
                ? ('negative' as const)
                : ('uncertain' as const),
        evidence: normalizeEvidence(r.evidence),
      },
    };
  });

  type TreatmentEntry = { date: string; ref: string; kind: string; status: string };
  const treatments = timeline.treatments
    .filter(
      (t) =>
        !isCountedSession(t, asOfNum) && Number.isFinite(dayNumber(t.date)) && dayNumber(t.date) <= asOfNum,
    )
    .map((t): TreatmentEntry => ({
      date: isoDay(t.date),
      ref: refOf(t.source),
      kind: EMBOLIZATION_KINDS.includes(t.kind) ? `${t.kind} (not counted: ${t.status})` : t.kind,
      status: t.status,
    }))
    .concat(
      timeline.therapies
        .filter((s) => s.start !== undefined && isValidDay(s.start) && dayNumber(s.start) <= asOfNum)
        .map((s): TreatmentEntry => ({
          date: isoDay(s.start as string),
          ref: refOf(s.source),
          kind: `systemic: ${s.agent}`,
          status: s.status,
        })),
    );
  sortByKey(treatments, (t) => t.date + t.ref);

  const invalidAsOf = isValidDay(options.asOf)
    ? []
    : [
        {
          kind: 'malformed' as const,
          id: undefined,
          reason: `asOf "${options.asOf}" is not a YYYY-MM-DD date: nothing is dated before it`,
          resourceType: 'Engine',
        },
      ];
  // Disagreements between different reports, recorded while the criteria read each session (session-readings.ts).
  // Lab values the engine skips (impossible date, implausible number) that did not come through the mapper.
  const dataIssues = [
    ...timeline.dataIssues,
    ...invalidAsOf,
    ...sessionConflictIssues(sessions),
    ...unusableLabIssues(timeline),
  ].map((d) => ({
    code: d.kind,
    message: d.reason,
    ...(d.id ? { ref: `${d.resourceType}/${d.id}` } : {}),
  }));
  sortByKey(dataIssues, (d) => `${d.code}\u0000${d.ref ?? ''}\u0000${d.message}`);

  const largest = latestBurden(imaging)?.cm ?? null;
  const trajectory = liverTrajectory(ctx);
  const warnings = liverWarnings(trajectory);
  const current = currentSystemicTherapy(timeline, asOf);
  const therapyKnown = !(timeline.notLoaded?.includes('MedicationRequest') ?? false);
  const discussed = considerations(criteria, scores, burden, largest, trajectory, current, warnings);
  const p = timeline.patient;
  return {
    engineVersion: ENGINE_VERSION,
    ruleSetId: RULE_SET_ID,
    ruleSetVersion: RULE_SET_VERSION,
    asOf,
    settings,
    patient: { id: p?.id ?? null, birthDate: p?.birthDate ?? null, sex: p?.gender ?? null },
    applicability,
    criteria,
    scores,
    liverTrajectory: trajectory,
    liverWarnings: warnings,
    priorTaceBurden: burden,
    taceSessions,
    treatments,
    currentTherapy: currentTherapyEntries(current),
    currentTherapyKnown: therapyKnown,
    considerations: therapyKnown ? discussed : discussed.map(withTherapyUnknown),
    dataIssues,
  };
}
