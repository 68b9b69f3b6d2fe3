/**
 * Lab measurements, one canonical unit per analyte (see units.ts), so the engine compares like with like.
 */
import type { SourceRef } from './source';

/**
 * Analytes the engine uses. PIVKA-II/DCP is split by unit family: `pivka` (mAU/mL, most immunoassays) and
 * `pivka-ng` (ng/mL, µTASWako) — clinical-reference.md §4: "no valid conversion between the two unit families:
 * never mix them in one series".
 */
export type AnalyteId =
  | 'afp'
  | 'afpL3'
  | 'pivka'
  | 'pivka-ng'
  | 'albumin'
  | 'bilirubin'
  | 'inr'
  | 'ptSeconds'
  | 'platelets'
  | 'ast'
  | 'alt'
  | 'creatinine'
  | 'sodium'
  | 'crp';

export const ANALYTE_IDS: readonly AnalyteId[] = [
  'afp',
  'afpL3',
  'pivka',
  'pivka-ng',
  'albumin',
  'bilirubin',
  'inr',
  'ptSeconds',
  'platelets',
  'ast',
  'alt',
  'creatinine',
  'sodium',
  'crp',
];

/** UCUM-style comparators; a censored value ("<2.0") is kept with its comparator, never turned into a plain 2.0. */
export type Comparator = '<' | '<=' | '>' | '>=';

/** Observation statuses we keep. `preliminary` is kept but flagged (DataIssue warning) so the UI can show it. */
export type MeasurementStatus = 'final' | 'amended' | 'corrected' | 'preliminary';

export interface ReferenceRange {
  readonly low?: number;
  readonly high?: number;
  /** Canonical unit (converted like the value). */
  readonly unit: string;
}

export interface Measurement {
  readonly analyte: AnalyteId;
  /** Value in the canonical unit of the analyte. */
  readonly value: number;
  readonly comparator?: Comparator;
  /** Canonical UCUM unit (CANONICAL_UNITS in units.ts). */
  readonly unit: string;
  /** As reported, when a conversion was applied (transparency: show the original beside the converted value). */
  readonly originalValue?: number;
  readonly originalUnit?: string;
  /** Plain-language conversion, e.g. "IU/mL × 1.21 (WHO 72/225; verify)". */
  readonly conversion?: string;
  /** ISO date or date-time exactly as given by the source (effectiveDateTime / effectivePeriod.start / issued). */
  readonly date: string;
  readonly source: SourceRef;
  readonly status: MeasurementStatus;
  readonly referenceRange?: ReferenceRange;
  /** Merged duplicates and other caveats, shown beside the value. */
  readonly notes?: readonly string[];
}

/** Measurements per analyte, each array sorted by date ascending. Missing analyte = no usable value. */
export type LabSeries = Partial<Record<AnalyteId, readonly Measurement[]>>;
