import type { DataIssue } from '../domain/source';
import { IMAGING, SYSTEMS } from './codes';
import type { TimelineInput } from './map/timeline';

/**
 * Sorts a flat list of exported resources (a Bundle's entries or Bulk Data NDJSON lines, one or many patients)
 * into one TimelineInput per patient, so the CLI runs exactly the mappers the app runs. Only the patient
 * reference and the resource type are read here; validation stays with the mappers.
 */
export interface PatientResources {
  readonly patientId: string;
  readonly input: TimelineInput;
}

type MutableInput = {
  -readonly [K in keyof TimelineInput]-?: NonNullable<TimelineInput[K]> extends readonly unknown[]
    ? unknown[]
    : unknown;
};

function emptyInput(): MutableInput {
  return {
    patient: undefined,
    observations: [],
    reports: [],
    imagingStudies: [],
    procedures: [],
    conditions: [],
    medicationRequests: [],
    diseaseStatus: [],
    documentReferences: [],
    reportResults: [],
  };
}

export interface FlatEntry {
  readonly resource: unknown;
  /** Bundle.entry.fullUrl, used to resolve `urn:uuid:` references inside transaction bundles. */
  readonly fullUrl?: string;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function referenceOf(resource: Record<string, unknown>): string | undefined {
  return str(obj(resource.subject)?.reference) ?? str(obj(resource.patient)?.reference);
}

const DISEASE_STATUS = IMAGING.diseaseStatus.code.code;

function isDiseaseStatus(resource: Record<string, unknown>): boolean {
  const codings = obj(resource.code)?.coding;
  return (
    Array.isArray(codings) &&
    codings.some((c) => obj(c)?.system === SYSTEMS.loinc && obj(c)?.code === DISEASE_STATUS)
  );
}

export function groupByPatient(entries: readonly FlatEntry[]): {
  patients: PatientResources[];
  issues: DataIssue[];
} {
  const issues: DataIssue[] = [];
  const byPatient = new Map<string, MutableInput>();
  const aliases = new Map<string, string>(); // fullUrl or absolute URL → patient id

  for (const { resource, fullUrl } of entries) {
    const r = obj(resource);
    if (r?.resourceType !== 'Patient') continue;
    const id = str(r.id);
    if (!id) {
      issues.push({ resourceType: 'Patient', reason: 'Patient without an id', kind: 'malformed' });
      continue;
    }
    if (byPatient.has(id)) {
      issues.push({
        resourceType: 'Patient',
        id,
        reason: 'duplicate Patient id: the first one is used',
        kind: 'warning',
      });
      continue;
    }
    const input = emptyInput();
    input.patient = resource;
    byPatient.set(id, input);
    if (fullUrl) aliases.set(fullUrl, id);
  }

  const patientIdFor = (reference: string): string | undefined => {
    const alias = aliases.get(reference);
    if (alias) return alias;
    const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
    return match?.[1];
  };

  for (const { resource } of entries) {
    const r = obj(resource);
    const type = str(r?.resourceType);
    if (!r || !type) {
      issues.push({
        resourceType: 'unknown',
        reason: 'an entry without a resourceType was skipped',
        kind: 'malformed',
      });
      continue;
    }
    if (type === 'Patient') continue;
    const bucket = bucketFor(type, r);
    if (!bucket) continue; // resource types the assessment does not read (Practitioner, Encounter, …)
    const reference = referenceOf(r);
    const patientId = reference ? patientIdFor(reference) : undefined;
    const input = patientId ? byPatient.get(patientId) : undefined;
    if (!input) {
      const id = str(r.id);
      issues.push({
        resourceType: type,
        ...(id ? { id } : {}),
        reason: reference ? 'refers to a patient that is not in the input' : 'has no patient reference',
        kind: 'excluded',
      });
      continue;
    }
    (input[bucket] as unknown[]).push(resource);
  }

  return {
    patients: [...byPatient.entries()].map(([patientId, input]) => ({ patientId, input })),
    issues,
  };
}

type ListField = Exclude<keyof TimelineInput, 'patient'>;

function bucketFor(type: string, resource: Record<string, unknown>): ListField | undefined {
  switch (type) {
    case 'Observation':
      return isDiseaseStatus(resource) ? 'diseaseStatus' : 'observations';
    case 'DiagnosticReport':
      return 'reports';
    case 'ImagingStudy':
      return 'imagingStudies';
    case 'Procedure':
      return 'procedures';
    case 'Condition':
      return 'conditions';
    case 'MedicationRequest':
      return 'medicationRequests';
    default:
      return undefined;
  }
}
