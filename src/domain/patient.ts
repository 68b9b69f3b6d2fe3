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
}
