import type { Applicability } from '../../engine/result';
import { CONDITION_CODES, SYSTEMS } from '../../fhir/codes';

const SYSTEM_NAMES: Record<string, string> = {
  [SYSTEMS.icd10cm]: 'ICD-10-CM',
  [SYSTEMS.snomed]: 'SNOMED CT',
  [SYSTEMS.icdo3]: 'ICD-O-3',
};

/** "ICD-10-CM C22.0, SNOMED CT 25370001, ICD-O-3 8170/3": what the problem list was matched against. */
export function hccCodesSearched(): string {
  return CONDITION_CODES.hcc.codes.map((c) => `${SYSTEM_NAMES[c.system] ?? c.system} ${c.code}`).join(', ');
}

const HEADLINE: Record<Exclude<Applicability['hccDiagnosis'], 'recorded'>, string> = {
  'not-found': 'No hepatocellular carcinoma diagnosis found in the record: the criteria below may not apply',
  unknown:
    'The conditions could not be loaded: whether a hepatocellular carcinoma diagnosis is recorded is not known, so the criteria below may not apply',
};

/**
 * Said before the verdicts when the record holds no hepatocellular carcinoma diagnosis (or it could not be
 * checked): the definitions are for HCC treated with TACE. The verdicts and scores stay visible below it.
 */
export function ApplicabilityNotice({ applicability }: { applicability: Applicability }) {
  if (applicability.hccDiagnosis === 'recorded') return null;
  const words = CONDITION_CODES.hcc.textPatterns.map((p) => `“${p}”`).join(', ');
  return (
    <section
      className="applicability-notice"
      aria-labelledby="applicability-heading"
      data-testid="applicability-notice"
      data-hcc-diagnosis={applicability.hccDiagnosis}
    >
      <h2 id="applicability-heading">{HEADLINE[applicability.hccDiagnosis]}</h2>
      <p>
        {applicability.hccDiagnosis === 'not-found'
          ? `No condition on the problem list matched ${hccCodesSearched()} or the words ${words}. `
          : 'The problem list could not be read (see the data panel). '}
        The TACE-failure definitions are for adults with HCC treated with TACE; each one below says it may not
        apply. The liver scores are calculated as for any patient.
      </p>
    </section>
  );
}
