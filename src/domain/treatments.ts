/**
 * Locoregional treatments (sessions) and systemic therapy, as the engine needs them: what, when, and where from.
 */
import type { SourceRef } from './source';

/**
 * `tace-unspecified`: TACE coded only with a code shared by cTACE, DEB-TACE and TAE (CPT 37243) with no text to
 * tell them apart — the engine treats it as TACE but the UI says the technique is unknown.
 */
export type TreatmentKind =
  | 'tace-conventional'
  | 'tace-deb'
  | 'tace-unspecified'
  | 'tae'
  | 'tare'
  | 'haic'
  | 'ablation'
  | 'resection'
  | 'transplant'
  | 'other';

/** Kinds counted as a "TACE session" by the JSH / EPOIHCC / European definitions (TAE is a separate procedure). */
export const TACE_KINDS: readonly TreatmentKind[] = ['tace-conventional', 'tace-deb', 'tace-unspecified'];

export function isTace(kind: TreatmentKind): boolean {
  return TACE_KINDS.includes(kind);
}

/** FHIR Procedure statuses we keep (not-done / entered-in-error are excluded by the mapper). */
export type TreatmentStatus = 'completed' | 'in-progress' | 'preparation' | 'on-hold' | 'stopped' | 'unknown';

export interface TreatmentSession {
  readonly id: string;
  readonly kind: TreatmentKind;
  /** ISO date or date-time as given (performedDateTime or performedPeriod.start). */
  readonly date: string;
  readonly endDate?: string;
  readonly status: TreatmentStatus;
  readonly source: SourceRef;
  /** Other resources merged into this session (same kind, same day). */
  readonly mergedSources?: readonly SourceRef[];
  /** Which coding decided the kind; `text` means only words matched (less certain; shown in the UI). */
  readonly codedBy: 'snomed' | 'cpt' | 'hcpcs' | 'icd10pcs' | 'text';
  /** What the source called it (code text or display). */
  readonly label: string;
  readonly notes?: readonly string[];
  /** Treatment intent when the EHR coded it (mCODE procedure-intent extension); clinicians can override it. */
  readonly intent?: 'curative' | 'palliative';
}

export type SystemicAgent =
  | 'sorafenib'
  | 'lenvatinib'
  | 'regorafenib'
  | 'cabozantinib'
  | 'atezolizumab'
  | 'bevacizumab'
  | 'nivolumab'
  | 'pembrolizumab'
  | 'ramucirumab'
  | 'durvalumab'
  | 'tremelimumab';

/** MedicationRequest statuses we keep (entered-in-error / cancelled are excluded). */
export type TherapyStatus = 'active' | 'on-hold' | 'completed' | 'stopped' | 'draft' | 'unknown';

export interface SystemicTherapy {
  readonly id: string;
  readonly agent: SystemicAgent;
  readonly rxnorm?: string;
  readonly status: TherapyStatus;
  /** authoredOn or dispenseRequest.validityPeriod.start. */
  readonly start?: string;
  readonly end?: string;
  readonly source: SourceRef;
  readonly codedBy: 'rxnorm' | 'text';
  readonly label: string;
}
