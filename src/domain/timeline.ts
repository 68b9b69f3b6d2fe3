/**
 * The one plain model the engine and the UI read: everything the data layer could use, plus what it could not.
 */
import type { ImagingAssessment } from './imaging';
import type { LabSeries } from './labs';
import type { ConditionSummary, PatientSummary } from './patient';
import type { DataIssue } from './source';
import type { SystemicTherapy, TreatmentSession } from './treatments';

export interface Timeline {
  readonly patient: PatientSummary | undefined;
  readonly labs: LabSeries;
  /** Locoregional sessions sorted by date. */
  readonly treatments: readonly TreatmentSession[];
  /** Imaging assessments (reports and mCODE disease-status observations) sorted by date. */
  readonly imaging: readonly ImagingAssessment[];
  readonly therapies: readonly SystemicTherapy[];
  readonly conditions: readonly ConditionSummary[];
  /** Every resource that was excluded, malformed or unsupported, and every caveat. */
  readonly dataIssues: readonly DataIssue[];
  /**
   * Resource types whose search failed, was not run or is still loading (set by the data layer): an absence of
   * these in the timeline means "not known", never "none on record".
   */
  readonly notLoaded?: readonly string[];
}

/** ISO date-time strings compare lexically only at equal precision; compare on the date part (YYYY-MM-DD). */
export function dayOf(isoDate: string): string {
  return isoDate.slice(0, 10);
}

/** The order of ISO dates (full string): sortByDate's comparison, for a caller sorting an array of its own. */
export const compareByDate = (a: { readonly date: string }, b: { readonly date: string }): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : 0;

/** Sorts by ISO date (full string; ties keep input order) without mutating the input. */
export function sortByDate<T extends { readonly date: string }>(items: readonly T[]): T[] {
  return [...items].sort(compareByDate);
}
