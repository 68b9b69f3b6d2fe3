import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FhirSession } from '../../fhir/client';
import { fetchPatientSummary } from '../../fhir/patient-query';

export function patientQueryOptions(session: FhirSession) {
  const { serverUrl, patientId } = session.context;
  return queryOptions({
    // Keys start with the server and the patient so one launch never sees another's cache.
    queryKey: ['fhir', serverUrl, patientId, 'Patient'],
    queryFn: ({ signal }) => fetchPatientSummary(session, signal),
  });
}

export function usePatient(session: FhirSession) {
  return useQuery(patientQueryOptions(session));
}
