import { describe, expect, it } from 'vitest';
import { issuerSchema } from '../../src/config/issuers';
import { evaluate } from '../../src/engine/index';
import type { QueryResult } from '../../src/fhir/fetch-queries';
import { buildRequestPlan } from '../../src/fhir/queries';
import { createComputeHandler } from '../../src/ui/worker/compute';
import { labObs, patient } from '../fixtures/factories';
import type { AssembleRequest, AssembleResponse, WireOutcome } from '../../src/ui/worker/wire';

// Issue 13: each query's result is posted to the worker as it answers and the assemble request cites it by ref.
// The timeline must be the very same as when the results travel inside the request.
const base = 'https://ehr.example.org/fhir';
const issuer = issuerSchema.parse({
  id: 't',
  displayName: 'T',
  ehr: 'other',
  issMatch: { exact: base },
  clientId: 't',
});
const plan = buildRequestPlan(
  { serverUrl: base, patientId: 'p1', encounterId: undefined, fhirUser: undefined, needPatientBanner: true },
  issuer,
);
const results = new Map<string, QueryResult>(
  plan.map((spec) => [
    spec.key,
    {
      key: spec.key,
      resources:
        spec.key === 'patient'
          ? [patient()]
          : spec.key === 'labs:albumin'
            ? [labObs('1751-7', 3.9, 'g/dL', '2026-03-02'), labObs('1751-7', 3.4, 'g/dL', '2026-06-10')]
            : [],
      issues: [],
      pages: 1,
      total: undefined,
    },
  ]),
);

function request(outcome: (key: string, result: QueryResult) => WireOutcome): AssembleRequest {
  return {
    op: 'assemble',
    issuer,
    plan,
    outcomes: plan.map(
      (spec) => [spec.key, outcome(spec.key, results.get(spec.key) as QueryResult)] as const,
    ),
    asOf: '2026-11-01',
    keep: false,
  };
}

describe('compute worker: query results sent ahead and cited by ref', () => {
  it('assembles the same timeline from cited results as from results inside the request', () => {
    const inline = createComputeHandler()(
      request((_, result) => ({ status: 'ok', result })),
    ) as AssembleResponse;
    const refs = new Map(plan.map((spec, i) => [spec.key, i + 1]));
    const stored = new Map(plan.map((spec, i) => [i + 1, results.get(spec.key) as QueryResult]));
    const cited = createComputeHandler(stored)(
      request((key) => ({ status: 'stored', ref: refs.get(key) as number })),
    ) as AssembleResponse;
    expect(cited).toEqual(inline);
    expect(cited.timeline.labs.albumin?.map((l) => l.value)).toEqual([3.9, 3.4]);
  });

  it('a kept timeline comes with its verdicts as of the request date (no clinician inputs): no second trip', () => {
    const response = createComputeHandler()({
      ...request((_, result) => ({ status: 'ok', result })),
      keep: true,
    }) as AssembleResponse;
    expect(response.timelineId).toBeDefined();
    expect(response.result).toEqual(evaluate(response.timeline, { asOf: '2026-11-01', inputs: {} }));
    const preview = createComputeHandler()(
      request((_, result) => ({ status: 'ok', result })),
    ) as AssembleResponse;
    expect(preview.result).toBeUndefined();
  });

  it('refuses a ref it does not hold instead of assembling a record with a query missing', () => {
    const handle = createComputeHandler(new Map());
    expect(() => handle(request(() => ({ status: 'stored', ref: 99 })))).toThrow(/does not hold/);
  });
});
