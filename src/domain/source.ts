/**
 * Provenance types shared by every domain record. The app must let a clinician review the basis of every output
 * (shared/ehr-integration.md, "Transparency"), so each value keeps the resource it came from and, for text, the
 * sentence and the words that were matched.
 */

/** A pointer back to the FHIR resource a value was read from (never the resource itself). */
export interface SourceRef {
  readonly resourceType: string;
  readonly id: string;
  /** Human label for the evidence panel, e.g. the Observation's code text or the report title. */
  readonly display?: string;
}

/**
 * Where a value came from: `coded` = a structured, coded element; `text` = read from free text by the report-text
 * extractor (may be wrong; the UI says so); `clinician` = entered or corrected by the clinician in the app.
 */
export type EvidenceOrigin = 'coded' | 'text' | 'clinician';

export interface Evidence {
  readonly source: SourceRef;
  /** ISO date or date-time as given by the source. */
  readonly date?: string;
  readonly value?: string;
  readonly unit?: string;
  /** The exact sentence the finding was read from (text origin). */
  readonly sentence?: string;
  /** The exact words that triggered the finding, so the UI can highlight them. */
  readonly matched?: string;
  readonly origin: EvidenceOrigin;
}

/**
 * Something the data layer could not use or wants the clinician to know. "Parse, don't trust": a resource that
 * fails is listed here, never silently dropped and never a crash (ARCHITECTURE.md).
 * - `excluded`: valid but deliberately not used (entered-in-error, cancelled, refuted, not-done).
 * - `malformed`: failed its schema or carried an unusable value.
 * - `unsupported`: valid FHIR we do not interpret (unknown unit, coded-only value, unknown code).
 * - `warning`: used, but with a caveat (preliminary, merged duplicate, future date, unit conversion).
 * - `superseded`: an earlier version of a report (preliminary/partial, or final before an amendment/addendum)
 *   replaced by a later report of the same study; the reason names the report that replaces it.
 * - `conflict`: two different reports disagree on a finding (the engine makes that finding indeterminate); the
 *   reason names both reports and their dates.
 */
export type DataIssueKind = 'excluded' | 'malformed' | 'unsupported' | 'warning' | 'superseded' | 'conflict';

export interface DataIssue {
  readonly resourceType: string;
  readonly id?: string;
  readonly reason: string;
  readonly kind: DataIssueKind;
}

/** `Observation/123` form, for logs, keys and the note. */
export function refKey(ref: SourceRef): string {
  return `${ref.resourceType}/${ref.id}`;
}
