import { useEffect } from 'react';
import type { FhirSession } from '../fhir/client';
import { PatientBanner } from './banner/patient-banner';
import { ErrorView } from './common/error-view';
import { StatePanel } from './common/state-panel';
import { localToday } from './common/today';
import { ReviewScreen } from './review/review-screen';
import { queryBudgetMs } from '../config/issuers';
import { FhirError } from '../fhir/errors';
import { usePatient } from './hooks/use-patient';
import { useDeadline } from './hooks/use-patient-timeline';
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
          Decision support for adults with HCC treated with TACE; not a substitute for tumour-board review.
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
  // The review screen never waits for the Patient read: a hung or failed read is said in the banner's place
  // (issue 11: no part of the screen waits longer than the query budget).
  const late = useDeadline(queryBudgetMs(session.issuer), session);
  // A refused session stays a whole-page problem (the review screen says the same for its own queries).
  if (patient.isError && patient.error instanceof FhirError && patient.error.kind === 'session-expired') {
    return <ErrorView error={patient.error} onRetry={() => void patient.refetch()} />;
  }
  let banner;
  if (!session.context.needPatientBanner) {
    // The EHR shows its own banner: the name is kept for screen readers only.
    banner = patient.data ? (
      <p className="visually-hidden" data-testid="patient-name">
        {patient.data.name}
      </p>
    ) : null;
  } else if (patient.isPending) {
    banner = (
      <section
        className="patient-banner"
        aria-busy="true"
        aria-label="Patient"
        data-testid="patient-banner-loading"
      >
        <span className="name muted">
          {late ? 'Patient details are still loading from the EHR…' : 'Loading patient…'}
        </span>
      </section>
    );
  } else if (patient.isError) {
    banner = (
      <section
        className="patient-banner"
        role="alert"
        aria-label="Patient"
        data-testid="patient-banner-error"
      >
        <span className="name">The patient's details could not be loaded; check the patient in the EHR.</span>
        <button type="button" onClick={() => void patient.refetch()}>
          Try again
        </button>
      </section>
    );
  } else {
    banner = <PatientBanner patient={patient.data} />;
  }
  return (
    <>
      {banner}
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
