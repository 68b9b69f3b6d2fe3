/**
 * All resources of one patient → the domain Timeline. Each mapper validates its own resources, so a resource that
 * fails its schema becomes one DataIssue and the rest still loads. Never throws.
 */
import type { LabSeries } from '../../domain/labs';
import type { PatientSummary } from '../../domain/patient';
import type { DataIssue } from '../../domain/source';
import type { Timeline } from '../../domain/timeline';
import { LAB_CODES } from '../codes';
import { mapConditions } from './conditions';
import type { FetchedBinary } from './imaging';
import { mapImaging } from './imaging';
import type { LabCodes } from './labs';
import { mapObservations } from './labs';
import { mapMedicationRequests } from './meds';
import { mapPatient } from './patient';
import { mapProcedures } from './procedures';

export interface TimelineInput {
  readonly patient: unknown;
  readonly observations: readonly unknown[];
  readonly reports: readonly unknown[];
  readonly imagingStudies: readonly unknown[];
  readonly procedures: readonly unknown[];
  readonly conditions: readonly unknown[];
  readonly medicationRequests: readonly unknown[];
  readonly diseaseStatus: readonly unknown[];
  /** DocumentReferences (imaging notes are read as reports; others are listed as not relevant). */
  readonly documentReferences?: readonly unknown[];
  /** Observations a DiagnosticReport points at in `result` that are not lab analytes (impression, findings). */
  readonly reportResults?: readonly unknown[];
}

export interface BuildTimelineOptions {
  /** Evaluation date (ISO); records dated on a later day are excluded. The mappers never read a clock. */
  readonly asOf?: string;
  /** Per-issuer lab value sets (local codes added); defaults to LAB_CODES. */
  readonly labCodes?: LabCodes;
  readonly binaries?: ReadonlyMap<string, FetchedBinary>;
  /**
   * Every resource of the input has already passed the modifier-extension check (the loader's routing does it for
   * every resource it routes and routes none that fails it), so the lab mapper need not scan them again.
   */
  readonly modifiersChecked?: boolean;
}

/** A non-array where an array was expected is itself a data issue, not a crash. */
function list(value: unknown, resourceType: string, issues: DataIssue[]): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  issues.push({ resourceType, reason: `expected a list of ${resourceType} resources`, kind: 'malformed' });
  return [];
}

export function buildTimeline(input: TimelineInput, options: BuildTimelineOptions = {}): Timeline {
  const issues: DataIssue[] = [];
  const asOf = options.asOf === undefined ? {} : { asOf: options.asOf };

  let patient: PatientSummary | undefined;
  if (input.patient !== undefined && input.patient !== null) {
    const p = mapPatient(input.patient);
    if (p.ok) patient = p.value;
    else issues.push(p.issue);
  } else {
    issues.push({ resourceType: 'Patient', reason: 'no Patient resource', kind: 'malformed' });
  }

  const labs = mapObservations(
    list(input.observations, 'Observation', issues),
    options.labCodes ?? LAB_CODES,
    options.modifiersChecked ? { ...asOf, modifiersChecked: true } : asOf,
  );
  const procedures = mapProcedures(list(input.procedures, 'Procedure', issues), asOf);
  const imaging = mapImaging(
    {
      reports: list(input.reports, 'DiagnosticReport', issues),
      imagingStudies: list(input.imagingStudies, 'ImagingStudy', issues),
      diseaseStatus: list(input.diseaseStatus, 'Observation', issues),
      documentReferences: list(input.documentReferences, 'DocumentReference', issues),
      reportResults: list(input.reportResults, 'Observation', issues),
    },
    { ...asOf, ...(options.binaries ? { binaries: options.binaries } : {}) },
  );
  const conditions = mapConditions(list(input.conditions, 'Condition', issues));
  const meds = mapMedicationRequests(list(input.medicationRequests, 'MedicationRequest', issues));

  const series: LabSeries = labs.series;
  return {
    patient,
    labs: series,
    treatments: procedures.sessions,
    imaging: imaging.imaging,
    therapies: meds.therapies,
    conditions: conditions.conditions,
    dataIssues: [
      ...issues,
      ...labs.issues,
      ...procedures.issues,
      ...imaging.issues,
      ...conditions.issues,
      ...meds.issues,
    ],
  };
}
