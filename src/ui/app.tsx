import { useEffect } from 'react';
import type { FhirSession } from '../fhir/client';
import { PatientBanner } from './banner/patient-banner';
import { ErrorView } from './common/error-view';
import { StatePanel } from './common/state-panel';
import { localToday } from './common/today';
import { ReviewScreen } from './review/review-screen';
import { usePatient } from './hooks/use-patient';
import { useSession } from './hooks/use-session';

export function App({ connect }: { connect: () => Promise<FhirSession> }) {
  const session = useSession(connect);
  useExpandDetailsForPrint();
  return (
    <div className="app-shell">
      <a className="skip-link" href="#criteria-heading">
        Skip to the criteria
      </a>
      <header className="app-header">
        <h1>TACE Navigator</h1>
        <p className="intended-use">
          Decision support for adults with HCC treated with TACE. Not for initial staging or emergencies; not
          a substitute for tumour-board review.
        </p>
      </header>
      <main>
        {session.isPending ? (
          <StatePanel title="Connecting to the EHR…" testId="state-connecting" />
        ) : session.isError ? (
          <ErrorView error={session.error} />
        ) : (
          <PatientView session={session.data} />
        )}
      </main>
    </div>
  );
}

function PatientView({ session }: { session: FhirSession }) {
  const patient = usePatient(session);
  if (patient.isPending) {
    return <div className="skeleton" aria-busy="true" aria-label="Loading patient" />;
  }
  if (patient.isError) {
    return <ErrorView error={patient.error} onRetry={() => void patient.refetch()} />;
  }
  return (
    <>
      {session.context.needPatientBanner ? (
        <PatientBanner patient={patient.data} />
      ) : (
        <p className="visually-hidden" data-testid="patient-name">
          {patient.data.name}
        </p>
      )}
      <ReviewScreen
        key={`${session.context.serverUrl}|${session.context.patientId}`}
        session={session}
        asOf={localToday()}
      />
    </>
  );
}

/** Printing shows everything: collapsed <details> open for the print and close again afterwards. */
function useExpandDetailsForPrint() {
  useEffect(() => {
    let opened: HTMLDetailsElement[] = [];
    const before = () => {
      opened = [...document.querySelectorAll('details')].filter((d) => !d.open);
      for (const d of opened) d.open = true;
    };
    const after = () => {
      for (const d of opened) d.open = false;
      opened = [];
    };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
}
