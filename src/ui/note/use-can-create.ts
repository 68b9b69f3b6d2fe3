import { useEffect, useState } from 'react';
import { supportsCreate } from '../../fhir/capabilities';
import type { FhirSession } from '../../fhir/client';

/** The CapabilityStatement's word on DocumentReference create: true, false, or undefined (unknown / not asked). */
export function useCanCreateNote(session: FhirSession, ask: boolean): boolean | undefined {
  const [canCreate, setCanCreate] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    if (!ask) return;
    const controller = new AbortController();
    void supportsCreate(session, 'DocumentReference', controller.signal).then((answer) => {
      if (!controller.signal.aborted) setCanCreate(answer);
    });
    return () => controller.abort();
  }, [session, ask]);
  return canCreate;
}
