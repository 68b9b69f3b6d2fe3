import type { PatientSummary } from '../../domain/patient';

export function PatientBanner({ patient }: { patient: PatientSummary }) {
  return (
    <section className="patient-banner" aria-label="Patient" data-testid="patient-banner">
      <span className="name" data-testid="patient-name">
        {patient.name}
      </span>
      <dl>
        {patient.birthDate ? (
          <div>
            <dt>Born</dt>
            <dd>{patient.birthDate}</dd>
          </div>
        ) : null}
        {patient.gender ? (
          <div>
            <dt>Sex</dt>
            <dd>{patient.gender}</dd>
          </div>
        ) : null}
        {patient.mrn ? (
          <div>
            <dt>MRN</dt>
            <dd>{patient.mrn}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
