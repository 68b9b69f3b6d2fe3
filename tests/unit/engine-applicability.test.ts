import { describe, expect, it } from 'vitest';
import type { ConditionSummary } from '../../src/domain/patient';
import {
  CRITERION_MAY_NOT_APPLY,
  CRITERION_MAY_NOT_APPLY_UNKNOWN,
  evaluate,
  NO_HCC_NOTE,
} from '../../src/engine/index';
import { assessmentResultSchema } from '../../src/engine/result';
import { createSession } from '../../src/fhir/client';
import { FhirError } from '../../src/fhir/errors';
import type { QueryOutcome } from '../../src/fhir/fetch-queries';
import { assembleTimeline } from '../../src/fhir/load-timeline';
import { buildRequestPlan } from '../../src/fhir/queries';
import { issuerSchema } from '../../src/config/issuers';
import { lab, labs, tace, timeline } from './engine-factories';

const AS_OF = '2026-11-01';

function hcc(extra: Partial<ConditionSummary> = {}): ConditionSummary {
  return {
    id: 'c1',
    kind: 'hcc',
    label: 'Liver cell carcinoma',
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    onset: '2025-11-02',
    source: { resourceType: 'Condition', id: 'c1' },
    codedBy: 'icd10cm',
    ...extra,
  };
}

/** A Synthea-like record: liver labs, no HCC on the problem list. */
const liverLabs = () =>
  labs(
    lab('albumin', 3.5, '2026-10-28', { unit: 'g/dL' }),
    lab('bilirubin', 1.0, '2026-10-28', { unit: 'mg/dL' }),
    lab('afp', 8, '2026-10-28'),
  );

describe('applicability: is a hepatocellular carcinoma diagnosis on record?', () => {
  it('no HCC Condition: not-found, said in the note, on every criterion, and the scores still computed', () => {
    const result = evaluate(timeline({ labs: liverLabs(), treatments: [tace('t1', '2026-05-01')] }), {
      asOf: AS_OF,
    });
    expect(assessmentResultSchema.parse(result).applicability).toEqual({
      hccDiagnosis: 'not-found',
      conditions: [],
      note: NO_HCC_NOTE,
    });
    expect(result.applicability.note).toMatch(
      /^No hepatocellular carcinoma diagnosis found in the record: the criteria below may not apply/,
    );
    for (const c of result.criteria) expect(c.notes).toContain(CRITERION_MAY_NOT_APPLY);
    expect(result.scores.albi.grade).not.toBeNull();
  });

  it('an HCC Condition: recorded, named with its status and date; criteria carry no such note', () => {
    const result = evaluate(timeline({ labs: liverLabs(), conditions: [hcc()] }), { asOf: AS_OF });
    expect(result.applicability.hccDiagnosis).toBe('recorded');
    expect(result.applicability.conditions).toEqual([
      {
        ref: 'Condition/c1',
        label: 'Liver cell carcinoma',
        date: '2025-11-02',
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
        codedBy: 'icd10cm',
      },
    ]);
    expect(result.applicability.note).toBe(
      'Hepatocellular carcinoma diagnosis recorded: Liver cell carcinoma (active, confirmed, since 2025-11-02).',
    );
    for (const c of result.criteria) expect(c.notes ?? []).not.toContain(CRITERION_MAY_NOT_APPLY);
  });

  it('other conditions only, or an HCC recorded after the assessment date: not-found', () => {
    const pvt = hcc({ id: 'c2', kind: 'portal-vein-thrombosis', label: 'Portal vein thrombosis' });
    expect(evaluate(timeline({ conditions: [pvt] }), { asOf: AS_OF }).applicability.hccDiagnosis).toBe(
      'not-found',
    );
    const later = hcc({ onset: '2026-12-01' });
    expect(evaluate(timeline({ conditions: [later] }), { asOf: AS_OF }).applicability.hccDiagnosis).toBe(
      'not-found',
    );
    const undated = hcc({ onset: undefined, codedBy: 'text' });
    const r = evaluate(timeline({ conditions: [undated] }), { asOf: AS_OF }).applicability;
    expect(r.hccDiagnosis).toBe('recorded');
    expect(r.note).toContain('recognised by its words only');
  });

  it('the Condition search failed: unknown, never "not found"', () => {
    const base = 'https://ehr.test/fhir';
    const issuer = issuerSchema.parse({
      id: 't',
      displayName: 'T',
      ehr: 'other',
      issMatch: { exact: base },
      clientId: 't',
    });
    const context = {
      serverUrl: base,
      patientId: 'p1',
      encounterId: undefined,
      fhirUser: undefined,
      needPatientBanner: true,
    };
    const session = createSession({ context, issuer });
    const plan = buildRequestPlan(context, issuer);
    const outcomes = new Map<string, QueryOutcome>(
      plan.map((spec) => [
        spec.key,
        spec.key === 'conditions'
          ? { status: 'error', error: new FhirError('forbidden', 'no', { status: 403 }) }
          : spec.key === 'patient'
            ? {
                status: 'ok',
                result: {
                  key: spec.key,
                  resources: [{ resourceType: 'Patient', id: 'p1' }],
                  issues: [],
                  pages: 1,
                  total: 1,
                },
              }
            : { status: 'ok', result: { key: spec.key, resources: [], issues: [], pages: 1, total: 0 } },
      ]),
    );
    const { timeline: tl } = assembleTimeline(session, plan, outcomes, { asOf: AS_OF });
    const result = evaluate(tl, { asOf: AS_OF });
    expect(result.applicability.hccDiagnosis).toBe('unknown');
    expect(result.applicability.note).toMatch(/conditions could not be loaded/);
    for (const c of result.criteria) expect(c.notes).toContain(CRITERION_MAY_NOT_APPLY_UNKNOWN);
  });
});
