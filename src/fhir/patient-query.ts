import type { PatientSummary } from '../domain/patient';
import type { FhirSession } from './client';
import { FhirError } from './errors';
import { mapPatient } from './map/patient';

/** Reads the launch patient and maps it to the banner's summary; a malformed Patient is an error, not a guess. */
export async function fetchPatientSummary(session: FhirSession, signal?: AbortSignal): Promise<PatientSummary> {
  const raw = await session.get(`Patient/${encodeURIComponent(session.context.patientId)}`, signal ? { signal } : {});
  const mapped = mapPatient(raw);
  if (!mapped.ok) {
    throw new FhirError('invalid-response', 'The EHR returned a Patient the app could not read.', {
      resourceType: 'Patient',
    });
  }
  return mapped.value;
}
