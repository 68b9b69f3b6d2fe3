import { queryOptions, useQuery } from '@tanstack/react-query';
import type { FhirSession } from '../../fhir/client';

export function sessionQueryOptions(connect: () => Promise<FhirSession>) {
  return queryOptions({
    queryKey: ['smart-session'],
    queryFn: connect,
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function useSession(connect: () => Promise<FhirSession>) {
  return useQuery(sessionQueryOptions(connect));
}
