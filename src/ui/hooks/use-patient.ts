import { useQuery } from '@tanstack/react-query';
import type { FhirSession } from '../../fhir/client';
import { patientSummaryFrom } from '../../fhir/patient-query';
import { planQueryOptions, usePlan } from './use-patient-timeline';

/** The banner reads the plan's own Patient query (same cache entry): no extra request. */
export function usePatient(session: FhirSession) {
  const plan = usePlan(session);
  const spec = plan.find((s) => s.group === 'patient');
  if (!spec) throw new Error('request plan without a Patient read');
  return useQuery({ ...planQueryOptions(session, spec), select: patientSummaryFrom });
}
