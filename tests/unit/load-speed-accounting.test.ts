import { describe, expect, it } from 'vitest';
import type { DataIssue } from '../../src/domain/source';
import type { Timeline } from '../../src/domain/timeline';
import { READ_TYPES, ResourceKeys, account, loadPatient, sourceKeys, tailKey } from '../../src/fhir/loader';
import type { Accounting } from '../../src/fhir/loader';
import { fixturePatients } from './fixture-patients';
import { pick, seededRandom } from './seeded-random';
import { type Json, obj, str, arr, conceptText } from './json-readers';

/**
 * The accounting asks the used set once per resource found used in its first pass (the set only grows). Compared
 * here with a reference copy of the former code over every fixture patient and over shuffled, duplicated and
 * damaged resource lists.
 */

function reason(type: string, r: Json | undefined): string {
  const what = r ? conceptText(r.code ?? r.type ?? r.medicationCodeableConcept) : 'resource';
  switch (type) {
    case 'Observation':
      return `not relevant: ${what} is not a value the assessment reads`;
    case 'Binary':
      return 'not relevant: no imaging report or note refers to this Binary';
    case 'Medication':
      return 'not relevant: no systemic-therapy order refers to this Medication';
    case 'Patient':
      return 'not used: another Patient resource is the patient assessed';
    case 'ImagingStudy':
      return 'not used: no imaging report used here refers to this ImagingStudy (it only gives a modality)';
    case 'DocumentReference':
      return `not relevant: ${what} is not an imaging report`;
    default:
      return `read, not used: ${what} gave nothing the assessment needs`;
  }
}

function referenceAccount(
  resources: readonly unknown[],
  timeline: Timeline,
  extraIssues: readonly DataIssue[],
): { accounting: Accounting; issues: DataIssue[]; used: string[] } {
  const used = sourceKeys(timeline);
  const dep = (ref: unknown): void => {
    if (typeof ref !== 'string' || ref.length === 0) return;
    const tail = tailKey(ref);
    if (tail) used.addKey(tail);
  };
  const typeAndId = (raw: unknown): Json | undefined => {
    const r = obj(raw);
    return r && str(r.resourceType) && str(r.id) ? r : undefined;
  };
  for (const raw of resources) {
    const r = typeAndId(raw);
    if (!r || !used.has(r.resourceType as string, r.id as string)) continue;
    for (const x of arr(r.presentedForm)) dep(obj(x)?.url);
    for (const x of arr(r.content)) dep(obj(obj(x)?.attachment)?.url);
    for (const x of arr(r.result)) dep(obj(x)?.reference);
    dep(obj(r.medicationReference)?.reference);
    for (const x of arr(r.imagingStudy)) dep(obj(x)?.reference);
  }
  const listed = new ResourceKeys();
  for (const i of [...timeline.dataIssues, ...extraIssues]) if (i.id) listed.add(i.resourceType, i.id);
  const accounting: Accounting = {};
  const issues: DataIssue[] = [];
  for (const raw of resources) {
    const r = obj(raw);
    const type = str(r?.resourceType) ?? 'unknown';
    const c = (accounting[type] ??= { read: 0, used: 0, listed: 0, notRead: 0 });
    if (!READ_TYPES.has(type)) {
      c.notRead += 1;
      continue;
    }
    c.read += 1;
    const keyed = typeAndId(raw);
    if (keyed && used.has(type, keyed.id as string)) c.used += 1;
    else if (keyed && listed.has(type, keyed.id as string)) c.listed += 1;
    else {
      c.listed += 1;
      issues.push({
        resourceType: type,
        ...(r && str(r.id) ? { id: str(r.id) as string } : {}),
        reason: reason(type, r),
        kind: 'excluded',
      });
    }
  }
  return { accounting, issues, used: [...used.toSet()] };
}

describe('account', () => {
  it('counts, lists and marks used exactly as the former code, on every fixture patient and variations', async () => {
    const rnd = seededRandom(3);
    let compared = 0;
    let used = 0;
    for await (const { file, patient: p } of fixturePatients()) {
      const { timeline } = loadPatient(p.patient, p.resources, {
        asOf: '2026-11-01',
        fullUrls: p.fullUrls,
      });
      const base = [p.patient, ...p.resources];
      const variants: unknown[][] = [base, [...base].reverse()];
      // Duplicates, damaged entries and resources of other types mixed in.
      const extra = [null, 5, {}, { resourceType: 'Claim', id: 'c1' }, { resourceType: 'Observation' }];
      variants.push(base.flatMap((r) => (rnd() < 0.3 ? [r, r] : rnd() < 0.1 ? [r, pick(rnd, extra)] : [r])));
      for (const list of variants) {
        const got = account(list, timeline, []);
        const want = referenceAccount(list, timeline, []);
        expect(got.accounting, file).toEqual(want.accounting);
        expect(got.issues, file).toEqual(want.issues);
        expect([...got.used.toSet()], file).toEqual(want.used);
        compared += 1;
        used += Object.values(want.accounting).reduce((n, c) => n + c.used, 0);
      }
    }
    expect(compared).toBeGreaterThan(30);
    expect(used).toBeGreaterThan(300);
  }, 120_000);
});
