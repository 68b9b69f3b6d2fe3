/**
 * The imaging-note search in the request plan (issue 10, item 3): per EHR, with its `category` / `type`, and routed
 * into TimelineInput.documentReferences by assembleTimeline.
 */
import { describe, expect, it } from 'vitest';
import { issuerSchema, type IssuerConfig } from '../../src/config/issuers';
import type { FhirSession } from '../../src/fhir/client';
import type { QueryOutcome } from '../../src/fhir/fetch-queries';
import { assembleTimeline } from '../../src/fhir/load-timeline';
import { buildRequestPlan } from '../../src/fhir/queries';

const context = {
  serverUrl: 'https://ehr.example/fhir',
  patientId: 'p1',
  encounterId: undefined,
  fhirUser: undefined,
  needPatientBanner: true,
};

function issuer(ehr: IssuerConfig['ehr'], options: Record<string, unknown> = {}): IssuerConfig {
  return issuerSchema.parse({
    id: `t-${ehr}`,
    displayName: ehr,
    ehr,
    issMatch: { exact: context.serverUrl },
    clientId: 'c',
    options,
  });
}

const docSpec = (iss: IssuerConfig) => {
  const spec = buildRequestPlan(context, iss).find((s) => s.key === 'document-references');
  return spec && { ...spec, url: decodeURIComponent(spec.url) };
};

describe('DocumentReference search in the request plan', () => {
  it('US Core servers: patient + the imaging note types (18748-4 first), no category', () => {
    const spec = docSpec(issuer('other'));
    expect(spec).toMatchObject({ group: 'documentReferences', resourceType: 'DocumentReference' });
    expect(spec?.url).toMatch(/^DocumentReference\?patient=p1&type=http:\/\/loinc\.org\|18748-4,/);
    expect(spec?.url).toContain('http://loinc.org|24627-2');
    expect(spec?.url).not.toContain('category=');
    expect(spec?.url).toContain('_count=100');
  });
  it('Epic: a category is always sent', () => {
    expect(docSpec(issuer('epic', { observationCategoryRequired: true }))?.url).toContain(
      'category=http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category|clinical-note',
    );
  });
  it('Oracle Health: the radiology category, no LOINC type (its document types are code set 72)', () => {
    const url = docSpec(issuer('oracle'))?.url ?? '';
    expect(url).toContain('category=http://loinc.org|LP29684-5');
    expect(url).not.toContain('type=');
  });
  it('per-issuer overrides, and off', () => {
    const url = docSpec(
      issuer('epic', { documentReferenceCategory: 'imaging-result', documentReferenceTypeSearch: false }),
    )?.url;
    expect(url).toBe('DocumentReference?patient=p1&category=imaging-result&_count=100');
    expect(docSpec(issuer('other', { documentReferenceSearch: false }))).toBeUndefined();
  });
  it('assembleTimeline routes the results into documentReferences (a discharge summary is listed as not relevant)', () => {
    const iss = issuer('other');
    const plan = buildRequestPlan(context, iss).filter((s) => s.key === 'document-references');
    const doc = {
      resourceType: 'DocumentReference',
      id: 'ds1',
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '18842-5', display: 'Discharge Summary' }] },
      content: [{ attachment: { contentType: 'text/plain', data: 'eA==' } }],
    };
    const session = { context, issuer: iss } as unknown as FhirSession;
    const outcomes = new Map<string, QueryOutcome>([
      [
        'document-references',
        {
          status: 'ok',
          result: { key: 'document-references', resources: [doc], issues: [], pages: 1, total: 1 },
        },
      ],
    ]);
    const { timeline } = assembleTimeline(session, plan, outcomes);
    expect(timeline.dataIssues).toContainEqual({
      resourceType: 'DocumentReference',
      id: 'ds1',
      reason: 'not relevant: Discharge Summary (type and category are not diagnostic imaging)',
      kind: 'excluded',
    });
  });
});
