/**
 * Patient and problem-list summaries. Only what the banner and the engine need: no address, no contact data.
 */
import type { SourceRef } from './source';

export interface PatientSummary {
  readonly id: string;
  /** "Family, Given" from the official name (else usual, else first); "(no name)" when none is given. */
  readonly name: string;
  readonly birthDate?: string;
  readonly gender?: string;
  /** Identifier whose type is v2-0203 MR. */
  readonly mrn?: string;
}

export type ConditionKind = 'hcc' | 'portal-vein-thrombosis' | 'ascites' | 'encephalopathy' | 'metastasis';

export interface ConditionSummary {
  readonly id: string;
  readonly kind: ConditionKind;
  readonly label: string;
  /** active / recurrence / relapse / inactive / remission / resolved; undefined when not given. */
  readonly clinicalStatus?: string;
  /** confirmed / provisional / differential / unconfirmed; refuted and entered-in-error are excluded. */
  readonly verificationStatus?: string;
  readonly onset?: string;
  readonly recorded?: string;
  readonly source: SourceRef;
  readonly codedBy: 'icd10cm' | 'snomed' | 'icdo3' | 'text';
  /**
   * Condition.severity as given: the first coding with a code (SNOMED 255604002 mild, 6736007 moderate, 24484000
   * severe, …) and the concept's text; undefined when the Condition gives none.
   */
  readonly severity?: ConditionSeverity;
  /** The Condition's words as given: code.text and each coding.display (a grade may be stated only there). */
  readonly words?: readonly string[];
  /** The codings of Condition.code, system and code (a code may carry the grade). */
  readonly codings?: readonly ConditionCoding[];
  /** Condition.category codes as given, e.g. problem-list-item, encounter-diagnosis. */
  readonly categories?: readonly string[];
}

export interface ConditionSeverity {
  readonly system?: string;
  readonly code?: string;
  /** severity.text, else the coding's display. */
  readonly text?: string;
}

export interface ConditionCoding {
  readonly system?: string;
  readonly code?: string;
}
