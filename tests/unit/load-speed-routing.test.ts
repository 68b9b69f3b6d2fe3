import { describe, expect, it } from 'vitest';
import type { DataIssue } from '../../src/domain/source';
import { IMAGING, SYSTEMS } from '../../src/fhir/codes';
import { READ_TYPES, routeResources, tailKey } from '../../src/fhir/loader';
import { modifierExtensionIssue } from '../../src/fhir/map/common';
import type { FetchedBinary } from '../../src/fhir/map/imaging';
import { decodeBase64Utf8 } from '../../src/fhir/map/text-normalize';
import { fixturePatients } from './fixture-patients';
import { seededRandom } from './seeded-random';
import { type Json, obj, str, arr, codings, conceptText } from './json-readers';

/**
 * routeResources gathers the report result references in its routing pass and tells the Observations apart after
 * it. Compared here with a reference copy of the former two-pass code over every fixture patient and variations
 * (reversed, report results with text, modifier extensions, fullUrls).
 */
const keyOf = (r: Json): string | undefined => {
  const type = str(r.resourceType);
  const id = str(r.id);
  return type && id ? `${type}/${id}` : undefined;
};

function referenceRoute(
  patient: unknown,
  resources: readonly unknown[],
  fullUrls: ReadonlyMap<string, string>,
  modifiersAbsent: boolean,
) {
  const issues: DataIssue[] = [];
  const lists: Record<string, unknown[]> = {
    observations: [],
    diseaseStatus: [],
    reportResults: [],
    reports: [],
    imagingStudies: [],
    procedures: [],
    conditions: [],
    medicationRequests: [],
    documentReferences: [],
  };
  const binaries = new Map<string, FetchedBinary>();
  const resultRefs = new Set<string>();
  for (const raw of resources) {
    const r = obj(raw);
    if (r?.resourceType !== 'DiagnosticReport') continue;
    for (const ref of arr(r.result).flatMap((x) => str(obj(x)?.reference) ?? [])) {
      resultRefs.add(ref);
      const tail = tailKey(ref);
      if (tail) resultRefs.add(tail);
    }
  }
  const push = (k: string, raw: unknown): void => void lists[k]?.push(raw);
  for (const raw of resources) {
    const r = obj(raw);
    const type = str(r?.resourceType);
    if (!r || !type) continue;
    if (!modifiersAbsent && READ_TYPES.has(type)) {
      const modifier = modifierExtensionIssue(raw, type);
      if (modifier) {
        issues.push(modifier);
        continue;
      }
    }
    switch (type) {
      case 'Observation': {
        const key = resultRefs.size > 0 ? keyOf(r) : undefined;
        const full = key && fullUrls.size > 0 ? fullUrls.get(key) : undefined;
        const isResult = (key && resultRefs.has(key)) || (full && resultRefs.has(full));
        const status = arr(obj(r.code)?.coding).some(
          (x) => obj(x)?.system === SYSTEMS.loinc && obj(x)?.code === IMAGING.diseaseStatus.code.code,
        );
        if (status) push('diseaseStatus', raw);
        else if (isResult && typeof r.valueString === 'string') push('reportResults', raw);
        else push('observations', raw);
        break;
      }
      case 'DiagnosticReport':
        if (
          arr(r.category).some((cat) =>
            codings(cat).some((c) =>
              IMAGING.reportCategories.some((rc) => rc.system === c.system && rc.code === c.code),
            ),
          )
        )
          push('reports', raw);
        else
          issues.push({
            resourceType: type,
            ...(str(r.id) ? { id: str(r.id) as string } : {}),
            reason: `not relevant: ${conceptText(r.code)} is not an imaging report (category is not radiology)`,
            kind: 'excluded',
          });
        break;
      case 'ImagingStudy':
        push('imagingStudies', raw);
        break;
      case 'Procedure':
        push('procedures', raw);
        break;
      case 'Condition':
        push('conditions', raw);
        break;
      case 'MedicationRequest':
      case 'Medication':
        push('medicationRequests', raw);
        break;
      case 'DocumentReference':
        push('documentReferences', raw);
        break;
      case 'Binary': {
        const key = keyOf(r);
        const body = typeof r.data === 'string' ? decodeBase64Utf8(r.data) : undefined;
        if (!key || body === undefined) {
          issues.push({
            resourceType: 'Binary',
            ...(str(r.id) ? { id: str(r.id) as string } : {}),
            reason: 'Binary without readable base64 data: not read',
            kind: 'malformed',
          });
          break;
        }
        const fetched: FetchedBinary = {
          text: body,
          ...(str(r.contentType) ? { contentType: str(r.contentType) as string } : {}),
        };
        binaries.set(key, fetched);
        const full = fullUrls.get(key);
        if (full) binaries.set(full, fetched);
        break;
      }
      default:
        break;
    }
  }
  return { input: { patient, ...lists } as Record<string, unknown>, binaries, issues };
}

const lists = (routed: { input: Record<string, unknown> }): Record<string, unknown[] | undefined> =>
  routed.input as Record<string, unknown[] | undefined>;

describe('routeResources', () => {
  it('routes every fixture patient as the former two-pass code, also reversed and with report results', async () => {
    const rnd = seededRandom(9);
    let compared = 0;
    let results = 0;
    for await (const { file, patient: p } of fixturePatients()) {
      const observations = p.resources.filter((r) => obj(r)?.resourceType === 'Observation') as Json[];
      // A report that points at some Observations (by relative, absolute and fullUrl references), with text
      // given to some of them, and one carrying a modifier extension.
      const pointed = observations.filter(() => rnd() < 0.5);
      const withText = observations.map((o) => (rnd() < 0.5 ? { ...o, valueString: 'see report' } : o));
      const report = {
        resourceType: 'DiagnosticReport',
        id: 'r-x',
        result: [
          ...pointed.map((o, i) =>
            i % 3 === 0
              ? { reference: `https://ehr.example/fhir/Observation/${String(o.id)}/_history/2` }
              : i % 3 === 1
                ? { reference: `urn:uuid:${String(o.id)}` }
                : { reference: `Observation/${String(o.id)}` },
          ),
          {},
          5,
        ],
        modifierExtension: [{ url: 'http://example.org/m' }],
      };
      const fullUrls = new Map(p.fullUrls);
      for (const o of observations)
        if (rnd() < 0.3) fullUrls.set(`Observation/${String(o.id)}`, `urn:uuid:${String(o.id)}`);
      const others = p.resources.filter((r) => obj(r)?.resourceType !== 'Observation');
      const variants: [unknown[], ReadonlyMap<string, string>][] = [
        [[...p.resources], p.fullUrls],
        [[...p.resources].reverse(), p.fullUrls],
        [[...withText, report, ...others], fullUrls],
        [[report, ...others.reverse(), ...withText, null, { resourceType: '' }], fullUrls],
      ];
      for (const [list, urls] of variants)
        for (const absent of [false, true]) {
          const got = routeResources(p.patient, list, urls, absent);
          const want = referenceRoute(p.patient, list, urls, absent);
          expect(got.input, file).toEqual(want.input);
          expect(got.issues, file).toEqual(want.issues);
          expect([...got.binaries], file).toEqual([...want.binaries]);
          // The same objects, not copies.
          got.input.observations.forEach((o, i) => expect(o).toBe(lists(want).observations?.[i]));
          results += got.input.reportResults?.length ?? 0;
          compared += 1;
        }
    }
    expect(compared).toBeGreaterThan(100);
    expect(results).toBeGreaterThan(100);
  }, 120_000);
});
