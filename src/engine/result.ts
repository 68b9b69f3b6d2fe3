/**
 * The engine's public contract: result types and their zod schema (versioned).
 * `note/` and `ui/` read only this shape. Every verdict is 'met' | 'not-met' | 'indeterminate';
 * missing or ambiguous data gives 'indeterminate', never 'not-met' (README, ARCHITECTURE.md).
 */
import { z } from 'zod';

/**
 * 0.3.0: `applicability` (whether a hepatocellular carcinoma diagnosis is on record) added to the result.
 * 0.4.0: `liverWarnings` added; considerations know the current systemic therapy and carry `keyFigure`.
 * 0.5.0: Child-Pugh reads ascites / encephalopathy grades from active Conditions (severity, codes, words; cited as
 *   evidence); `currentTherapy` (systemic therapy running at asOf) and `currentTherapyKnown` (false when the
 *   medications did not load) added; the liver trend per session is told from
 *   the ALBI grades even when Child-Pugh is a range, with `basis` saying what it rests on.
 * 0.6.0: evidence listed once per result (`evidence`: items with an `id`) and referenced by id (`evidenceIds`) from
 *   criteria, sub-criteria, scores, liver snapshots and warnings, burden factors and session responses, in the
 *   order each listed it before; `engine/result-view.ts` expands a result back to the nested shape of 0.5.0.
 */
export const ENGINE_VERSION = '0.6.0';
export const RULE_SET_ID = 'tace-navigator-criteria';
export const RULE_SET_VERSION = '2026.12.0';

export const statusSchema = z.enum(['met', 'not-met', 'indeterminate']);
export type Status = z.infer<typeof statusSchema>;

/** Where an item of evidence came from: structured value, report text, a clinician correction, or derived by the engine. */
export const evidenceOriginSchema = z.enum(['structured', 'text', 'clinician', 'derived']);

export const evidenceItemSchema = z.object({
  /** Resource reference (e.g. "Observation/123") or engine-derived reference. */
  ref: z.string(),
  /** YYYY-MM-DD */
  date: z.string(),
  /** What this item shows, in words. */
  label: z.string(),
  value: z.union([z.number(), z.string(), z.boolean()]).optional(),
  unit: z.string().optional(),
  /** Report sentence, when text was used. */
  sentence: z.string().optional(),
  origin: evidenceOriginSchema,
  /** A reading from report text (origin 'text') that the clinician confirmed as read; absent otherwise. */
  confirmed: z.literal(true).optional(),
  /**
   * Read from a preliminary or partial report of which no final/amended/corrected version was received (the
   * mapper drops superseded versions): used, but the reading may still change. Absent otherwise.
   */
  preliminary: z.literal(true).optional(),
});
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

/** An item of the result's evidence list: the item plus its id (unique within the result: "e1", "e2", …). */
export const evidenceEntrySchema = evidenceItemSchema.extend({ id: z.string() });
export type EvidenceEntry = z.infer<typeof evidenceEntrySchema>;

/** The ids of the result's evidence items a part rests on, in the order the part cites them. */
const evidenceIdsSchema = z.array(z.string());

export const thresholdValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export const thresholdsSchema = z.record(z.string(), thresholdValueSchema);
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** The `{ status, evidence, missing }` every rule's `evaluate` returns. */
export const verdictSchema = z.object({
  status: statusSchema,
  evidence: z.array(evidenceItemSchema),
  missing: z.array(z.string()),
  /** Optional plain-language notes (e.g. "derived from mRECIST", which boundary setting was used). */
  notes: z.array(z.string()).optional(),
});
export type Verdict = z.infer<typeof verdictSchema>;

export const subcriterionResultSchema = verdictSchema.extend({
  id: z.string(),
  title: z.string(),
  thresholds: thresholdsSchema,
  /** The criterion's citation unless the sub-criterion has its own. */
  citation: z.string(),
});
export type SubcriterionResult = z.infer<typeof subcriterionResultSchema>;

/**
 * How many evidence items read from report text (origin 'text') decided this verdict without the clinician having
 * confirmed or corrected them: the UI and the note say "based on N readings from report text, not confirmed by a
 * clinician". 0 for an indeterminate verdict (nothing was decided) and when every deciding text reading is
 * confirmed or corrected.
 */
export const unconfirmedTextReadingsSchema = z.number().int().nonnegative();

/** A sub-criterion as published in the result (the rule's sub-criterion plus the engine's count). */
export const subcriterionOutputSchema = subcriterionResultSchema.extend({
  unconfirmedTextReadings: unconfirmedTextReadingsSchema,
});
export type SubcriterionOutput = z.infer<typeof subcriterionOutputSchema>;

export const criterionResultSchema = verdictSchema.extend({
  id: z.string(),
  title: z.string(),
  version: z.string(),
  subcriteria: z.array(subcriterionOutputSchema),
  citation: z.string(),
  thresholds: thresholdsSchema,
  unconfirmedTextReadings: unconfirmedTextReadingsSchema,
});
export type CriterionResult = z.infer<typeof criterionResultSchema>;

export const rangeSchema = z.object({ min: z.number(), max: z.number() });
export type Range = z.infer<typeof rangeSchema>;

/** Common score shape: a value when determinate, a range when some components are unknown. */
export const scoreResultSchema = z.object({
  value: z.number().nullable(),
  range: rangeSchema.nullable(),
  category: z.string().nullable(),
  evidence: z.array(evidenceItemSchema),
  missing: z.array(z.string()),
  thresholds: thresholdsSchema,
  citation: z.string(),
  notes: z.array(z.string()).optional(),
});
export type ScoreResult = z.infer<typeof scoreResultSchema>;

export const albiResultSchema = scoreResultSchema.extend({
  grade: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
  mGrade: z.enum(['1', '2a', '2b', '3']).nullable(),
});
export type AlbiResult = z.infer<typeof albiResultSchema>;

export const scoresSchema = z.object({
  albi: albiResultSchema,
  childPugh: scoreResultSchema,
  meldNa: scoreResultSchema,
  upToSeven: scoreResultSchema,
  upToEleven: scoreResultSchema,
  art: scoreResultSchema,
  abcr: scoreResultSchema,
  hap: scoreResultSchema,
});
export type Scores = z.infer<typeof scoresSchema>;

export const liverSnapshotSchema = z.object({
  albi: z.number().nullable(),
  albiGrade: z.string().nullable(),
  childPugh: rangeSchema.nullable(),
  childPughClass: z.string().nullable(),
  evidence: z.array(evidenceItemSchema),
  missing: z.array(z.string()),
  /** E.g. which window the labs after a session came from when none were drawn within 60 days (0.5.0). */
  notes: z.array(z.string()).optional(),
});
export type LiverSnapshot = z.infer<typeof liverSnapshotSchema>;

/**
 * What a liver trend rests on: the (m)ALBI grades alone (Child-Pugh a range or not shown to rise), ALBI and exact
 * Child-Pugh totals, or Child-Pugh alone (a certain rise in points while ALBI is unknown or unchanged).
 */
export const trendBasisSchema = z.enum(['albi', 'albi+child-pugh', 'child-pugh']);
export type TrendBasis = z.infer<typeof trendBasisSchema>;

export const liverTrajectoryEntrySchema = z.object({
  sessionDate: z.string(),
  sessionRef: z.string(),
  before: liverSnapshotSchema,
  after: liverSnapshotSchema,
  /**
   * true: the (m)ALBI grade or the Child-Pugh points worsened across the session; false: both ALBI grades known
   * and not worse, and Child-Pugh not shown to rise (never on missing labs); null when it cannot be told.
   */
  deteriorated: z.boolean().nullable(),
  /** What `deteriorated` rests on; null when it is null. Always set by the engine from 0.5.0. */
  basis: trendBasisSchema.nullable().optional(),
});
export type LiverTrajectoryEntry = z.infer<typeof liverTrajectoryEntrySchema>;

/**
 * A warning about liver function across TACE sessions (Ogasawara 2020 "stop and think before each TACE"):
 * `albi-grade-worsened` when the ALBI grade before a session is worse than before an earlier one;
 * `tace-at-poor-liver-function` when a TACE was done at ALBI grade 3 or Child-Pugh B/C.
 */
export const liverWarningSchema = z.object({
  id: z.enum(['albi-grade-worsened', 'tace-at-poor-liver-function']),
  text: z.string(),
  /** The labs before each session the warning rests on. */
  evidence: z.array(evidenceItemSchema),
  /** The sessions concerned (YYYY-MM-DD). */
  sessionDates: z.array(z.string()),
  citation: z.string(),
});
export type LiverWarning = z.infer<typeof liverWarningSchema>;

export const burdenFactorSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: statusSchema,
  evidence: z.array(evidenceItemSchema),
  missing: z.array(z.string()),
});

export const priorTaceBurdenSchema = z.object({
  count: z.number(),
  overFourSessions: z.boolean(),
  factors: z.array(burdenFactorSchema),
  citation: z.string(),
  thresholds: thresholdsSchema,
});
export type PriorTaceBurden = z.infer<typeof priorTaceBurdenSchema>;

export const sessionResponseSchema = z.object({
  assessmentId: z.string().nullable(),
  assessmentDate: z.string().nullable(),
  /** 'insufficient' | 'sufficient' | 'unknown' under the JSH reading of §2. */
  jshReading: z.enum(['insufficient', 'sufficient', 'unknown']),
  category: z.string().nullable(),
  viablePercent: z.number().nullable(),
  newLesions: z.enum(['positive', 'negative', 'uncertain']).nullable(),
  evidence: z.array(evidenceItemSchema),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const taceSessionSchema = z.object({
  date: z.string(),
  ref: z.string(),
  kind: z.string(),
  response: sessionResponseSchema,
});
export type TaceSessionResult = z.infer<typeof taceSessionSchema>;

export const treatmentEntrySchema = z.object({
  date: z.string(),
  ref: z.string(),
  kind: z.string(),
  status: z.string(),
});

export const considerationSchema = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  /** The patient's findings that triggered this consideration (criterion/sub-criterion ids and words). */
  triggers: z.array(z.string()),
  citation: z.string(),
  /** The headline figure of the source (trial or study, outcome) from clinical-reference §6, when it gives one. */
  keyFigure: z.string().optional(),
});
export type Consideration = z.infer<typeof considerationSchema>;

/** A systemic agent running at asOf (started on or before it, not ended before it: engine/considerations.ts). */
export const currentTherapyEntrySchema = z.object({
  agent: z.string(),
  /** The agent in words (domain/display-labels systemicAgentLabel). */
  label: z.string(),
  /** The regimen it is given in, in words ("atezolizumab + bevacizumab"), or the agent alone. */
  regimen: z.string(),
  /** YYYY-MM-DD: start of this agent. */
  since: z.string(),
  ref: z.string(),
  /** MedicationRequest/Statement status as given (active, on-hold, unknown, completed or stopped with a later end). */
  status: z.string(),
});
export type CurrentTherapyEntry = z.infer<typeof currentTherapyEntrySchema>;

export const dataIssueResultSchema = z.object({
  code: z.string(),
  message: z.string(),
  ref: z.string().optional(),
  severity: z.string().optional(),
});

export const settingsSchema = z.object({
  viableBoundary: z.enum(['>50', '>=50']),
  markerSessions: z.union([z.literal(1), z.literal(2)]),
  imagingWindowMinDays: z.number(),
  imagingWindowMaxDays: z.number(),
  drugOffWeeks: z.number(),
  childPughAlbuminMiddleLow: z.number(),
  recicl: z.enum(['6th', 'older']),
  pairingDays: z.number(),
});
export type EngineSettings = z.infer<typeof settingsSchema>;

/**
 * Whether the record says the patient has hepatocellular carcinoma: the criteria are defined for HCC treated with
 * TACE, so without the diagnosis on record they may not apply (the scores are still calculated and shown).
 * - `recorded`: at least one HCC Condition (ICD-10-CM C22.0, SNOMED CT 25370001, ICD-O-3 8170/3, or its words),
 *   not refuted or entered in error, dated on or before `asOf` (or undated);
 * - `not-found`: the conditions were read and none is HCC;
 * - `unknown`: the conditions could not be loaded, so the record cannot be said to lack the diagnosis.
 */
export const hccDiagnosisSchema = z.enum(['recorded', 'not-found', 'unknown']);
export type HccDiagnosis = z.infer<typeof hccDiagnosisSchema>;

export const applicabilitySchema = z.object({
  hccDiagnosis: hccDiagnosisSchema,
  /** The HCC Conditions the verdict rests on (empty unless `recorded`). */
  conditions: z.array(
    z.object({
      ref: z.string(),
      label: z.string(),
      /** YYYY-MM-DD: onset, else recorded date; null when the Condition gives neither. */
      date: z.string().nullable(),
      clinicalStatus: z.string().nullable(),
      verificationStatus: z.string().nullable(),
      /** Matched by its code (`icd10cm`, `snomed`, `icdo3`) or only by its words (`text`). */
      codedBy: z.string(),
    }),
  ),
  /** One sentence for the screen and the note, e.g. "No hepatocellular carcinoma diagnosis found in the record: …". */
  note: z.string(),
});
export type Applicability = z.infer<typeof applicabilitySchema>;

/**
 * The result with every part carrying its own copies of its evidence (the contract up to 0.5.0). The engine's rules
 * build this shape; `evaluate` publishes it slimmed (`assessmentResultSchema`), and consumers that read evidence
 * expand it back with `engine/result-view.ts` (`expandResult`). The part types above (CriterionResult, ScoreResult,
 * LiverSnapshot, …) are the parts of this expanded view.
 */
export const expandedResultSchema = z.object({
  engineVersion: z.string(),
  ruleSetId: z.string(),
  ruleSetVersion: z.string(),
  asOf: z.string(),
  settings: settingsSchema,
  patient: z.object({
    id: z.string().nullable(),
    birthDate: z.string().nullable(),
    sex: z.string().nullable(),
  }),
  /** Said first on the screen and in the note when the diagnosis is not on record. */
  applicability: applicabilitySchema,
  criteria: z.array(criterionResultSchema),
  scores: scoresSchema,
  liverTrajectory: z.array(liverTrajectoryEntrySchema),
  /** Liver-function warnings across the TACE sessions; empty when there is none (or it cannot be told). */
  liverWarnings: z.array(liverWarningSchema),
  priorTaceBurden: priorTaceBurdenSchema,
  taceSessions: z.array(taceSessionSchema),
  treatments: z.array(treatmentEntrySchema),
  /** Systemic therapy running at asOf, by start date; empty when none is on record. */
  currentTherapy: z.array(currentTherapyEntrySchema),
  /**
   * false when the medication search failed or is still loading (timeline.notLoaded): an empty `currentTherapy`
   * then means "not known", never "none", and every option says so.
   */
  currentTherapyKnown: z.boolean(),
  considerations: z.array(considerationSchema),
  dataIssues: z.array(dataIssueResultSchema),
  /**
   * Set by the loader's callers (the CLI writes it on every result line): per resource type, how many were read,
   * used, listed in `dataIssues`, or of a type not read at all. The engine itself never sets it.
   */
  accounting: z
    .record(
      z.string(),
      z.object({ read: z.number(), used: z.number(), listed: z.number(), notRead: z.number() }),
    )
    .optional(),
});
export type ExpandedResult = z.infer<typeof expandedResultSchema>;

/** A part's `evidence` replaced by `evidenceIds` (the fields below are the same as in the nested parts above). */
const byIds = { evidenceIds: evidenceIdsSchema };

export const subcriterionRecordSchema = subcriterionOutputSchema.omit({ evidence: true }).extend(byIds);
export type SubcriterionRecord = z.infer<typeof subcriterionRecordSchema>;
export const criterionRecordSchema = criterionResultSchema
  .omit({ evidence: true })
  .extend(byIds)
  .extend({
    subcriteria: z.array(subcriterionRecordSchema),
  });
export type CriterionRecord = z.infer<typeof criterionRecordSchema>;
export const scoreRecordSchema = scoreResultSchema.omit({ evidence: true }).extend(byIds);
export type ScoreRecord = z.infer<typeof scoreRecordSchema>;
export const albiRecordSchema = albiResultSchema.omit({ evidence: true }).extend(byIds);
export type AlbiRecord = z.infer<typeof albiRecordSchema>;
export const scoreRecordsSchema = z.object({
  albi: albiRecordSchema,
  childPugh: scoreRecordSchema,
  meldNa: scoreRecordSchema,
  upToSeven: scoreRecordSchema,
  upToEleven: scoreRecordSchema,
  art: scoreRecordSchema,
  abcr: scoreRecordSchema,
  hap: scoreRecordSchema,
});
export type ScoreRecords = z.infer<typeof scoreRecordsSchema>;
export const liverSnapshotRecordSchema = liverSnapshotSchema.omit({ evidence: true }).extend(byIds);
export type LiverSnapshotRecord = z.infer<typeof liverSnapshotRecordSchema>;
export const liverTrajectoryRecordSchema = liverTrajectoryEntrySchema.extend({
  before: liverSnapshotRecordSchema,
  after: liverSnapshotRecordSchema,
});
export type LiverTrajectoryRecord = z.infer<typeof liverTrajectoryRecordSchema>;
export const liverWarningRecordSchema = liverWarningSchema.omit({ evidence: true }).extend(byIds);
export type LiverWarningRecord = z.infer<typeof liverWarningRecordSchema>;
export const burdenFactorRecordSchema = burdenFactorSchema.omit({ evidence: true }).extend(byIds);
export const priorTaceBurdenRecordSchema = priorTaceBurdenSchema.extend({
  factors: z.array(burdenFactorRecordSchema),
});
export type PriorTaceBurdenRecord = z.infer<typeof priorTaceBurdenRecordSchema>;
export const sessionResponseRecordSchema = sessionResponseSchema.omit({ evidence: true }).extend(byIds);
export const taceSessionRecordSchema = taceSessionSchema.extend({ response: sessionResponseRecordSchema });
export type TaceSessionRecord = z.infer<typeof taceSessionRecordSchema>;

/**
 * The published result (0.6.0): each item of evidence once in `evidence`, each part citing it by id. Read it through
 * `engine/result-view.ts` (`expandResult`, `evidenceOf`) when you need a part's evidence items.
 */
export const assessmentResultSchema = expandedResultSchema.extend({
  /** Every item of evidence the result cites, once, by date then reference (ids "e1", "e2", … in that order). */
  evidence: z.array(evidenceEntrySchema),
  criteria: z.array(criterionRecordSchema),
  scores: scoreRecordsSchema,
  liverTrajectory: z.array(liverTrajectoryRecordSchema),
  liverWarnings: z.array(liverWarningRecordSchema),
  priorTaceBurden: priorTaceBurdenRecordSchema,
  taceSessions: z.array(taceSessionRecordSchema),
});
export type AssessmentResult = z.infer<typeof assessmentResultSchema>;

/** JSON Schema of the result (zod 4 `z.toJSONSchema`), for consumers outside TypeScript. */
export function resultJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(assessmentResultSchema) as Record<string, unknown>;
}
