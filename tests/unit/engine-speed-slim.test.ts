/**
 * slimResult numbers the representatives bucket by bucket and copies the parts of the engine's shapes by literal
 * (result-view.ts): it must give exactly what the earlier slimResult gives (kept below as the reference), for the
 * scenario results and for the same results with generated evidence lists (shared objects, equal copies, items
 * that differ in one field, undefined versus '' units) and parts of other shapes (keys reordered, extra keys).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { evaluateExpanded } from '../../src/engine/index';
import { slimResult } from '../../src/engine/result-view';
import type { AssessmentResult, EvidenceItem, ExpandedResult } from '../../src/engine/result';

// ---- the reference: slimResult as it was before the bucket-by-bucket order and the literal copies ----
function sameItem(a: EvidenceItem, b: EvidenceItem): boolean {
  return (
    a.ref === b.ref &&
    a.date === b.date &&
    a.label === b.label &&
    (a.value === b.value ||
      (typeof a.value === 'number' &&
        typeof b.value === 'number' &&
        Number.isNaN(a.value) &&
        Number.isNaN(b.value))) &&
    a.unit === b.unit &&
    a.sentence === b.sentence &&
    a.origin === b.origin &&
    (a.confirmed === true) === (b.confirmed === true) &&
    (a.preliminary === true) === (b.preliminary === true)
  );
}

const valueWords = (e: EvidenceItem): string =>
  e.value === undefined ? '' : `${typeof e.value}:${String(e.value)}`;
const flagWords = (e: EvidenceItem): string =>
  `${e.confirmed === true ? 'c' : ''}${e.preliminary === true ? 'p' : ''}`;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order of the result's evidence list: date, reference, label, value, unit, sentence, origin, flags. */
function compareItems(a: EvidenceItem, b: EvidenceItem): number {
  return (
    compareText(a.date, b.date) ||
    compareText(a.ref, b.ref) ||
    compareText(a.label, b.label) ||
    compareText(valueWords(a), valueWords(b)) ||
    compareText(a.unit ?? '', b.unit ?? '') ||
    compareText(a.sentence ?? '', b.sentence ?? '') ||
    compareText(a.origin, b.origin) ||
    compareText(flagWords(a), flagWords(b))
  );
}

type WithEvidence = { evidence: EvidenceItem[] };

function referenceSlimResult(full: ExpandedResult): AssessmentResult {
  // One representative object per distinct item: found by object identity first (rules share items), else among
  // the items of the same date and reference, compared field by field (no key strings built).
  const repOfObject = new Map<EvidenceItem, EvidenceItem>();
  // Buckets by date, then reference (two lookups on the item's own strings, no key string built); sameItem still
  // compares every field, so the bucket only narrows the search.
  const byDateRef = new Map<string, Map<string, EvidenceItem[]>>();
  const reps: EvidenceItem[] = [];
  const repOf = (e: EvidenceItem): EvidenceItem => {
    const known = repOfObject.get(e);
    if (known) return known;
    let byRef = byDateRef.get(e.date);
    if (!byRef) {
      byRef = new Map();
      byDateRef.set(e.date, byRef);
    }
    let bucket = byRef.get(e.ref);
    if (!bucket) {
      bucket = [];
      byRef.set(e.ref, bucket);
    }
    let rep = bucket.find((r) => sameItem(r, e));
    if (!rep) {
      rep = e;
      bucket.push(e);
      reps.push(e);
    }
    repOfObject.set(e, rep);
    return rep;
  };
  const repsOfList = new Map<readonly EvidenceItem[], EvidenceItem[]>();
  const visit = (list: readonly EvidenceItem[]): void => {
    if (!repsOfList.has(list)) repsOfList.set(list, list.map(repOf));
  };
  for (const c of full.criteria) {
    visit(c.evidence);
    for (const s of c.subcriteria) visit(s.evidence);
  }
  for (const s of Object.values(full.scores)) visit(s.evidence);
  for (const t of full.liverTrajectory) {
    visit(t.before.evidence);
    visit(t.after.evidence);
  }
  for (const w of full.liverWarnings) visit(w.evidence);
  for (const f of full.priorTaceBurden.factors) visit(f.evidence);
  for (const s of full.taceSessions) visit(s.response.evidence);

  reps.sort(compareItems);
  const idOfRep = new Map<EvidenceItem, string>();
  const evidence = reps.map((e, i) => {
    const id = `e${i + 1}`;
    idOfRep.set(e, id);
    return { id, ...e };
  });
  const ids = (list: readonly EvidenceItem[]): string[] => {
    const listed = repsOfList.get(list);
    if (!listed) throw new Error('slimResult: an evidence list was not collected'); // never drop evidence silently
    return listed.map((r) => idOfRep.get(r) as string);
  };
  // The part's own fields but `evidence`, in their order, then `evidenceIds`: the same object as rest-and-spread
  // would give, in one copy (object rest is a slow generic copy, and this runs for every part of every result).
  const slim = (part: WithEvidence): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const k in part) if (k !== 'evidence') out[k] = (part as unknown as Record<string, unknown>)[k];
    out.evidenceIds = ids(part.evidence);
    return out;
  };

  // As `{ ...slim(c), subcriteria: c.subcriteria.map(slim) }` (the same keys in the same order), in one copy.
  const slimCriterion = (c: ExpandedResult['criteria'][number]) => {
    const out: Record<string, unknown> = {};
    for (const k in c) {
      if (k === 'subcriteria') out[k] = c.subcriteria.map(slim);
      else if (k !== 'evidence') out[k] = c[k as keyof typeof c];
    }
    out.evidenceIds = ids(c.evidence);
    return out;
  };

  const scores = {} as Record<string, unknown>;
  for (const [name, s] of Object.entries(full.scores)) scores[name] = slim(s);
  return {
    ...full,
    criteria: full.criteria.map(slimCriterion),
    scores: scores,
    liverTrajectory: full.liverTrajectory.map((t) => ({
      ...t,
      before: slim(t.before),
      after: slim(t.after),
    })),
    liverWarnings: full.liverWarnings.map(slim),
    priorTaceBurden: { ...full.priorTaceBurden, factors: full.priorTaceBurden.factors.map(slim) },
    taceSessions: full.taceSessions.map((s) => ({ ...s, response: slim(s.response) })),
    evidence,
  } as unknown as AssessmentResult;
}

// ---- the comparison ----
const AS_OF = '2026-11-01';
const expanded: ExpandedResult[] = buildScenarios().map((s) => {
  const [group] = groupByPatient(s.resources.map((resource) => ({ resource }))).patients;
  if (!group) throw new Error(`no patient in ${s.id}`);
  return evaluateExpanded(loadPatient(group.patient, group.resources, { asOf: AS_OF }).timeline, {
    asOf: AS_OF,
  });
});

const same = (full: ExpandedResult): void => {
  const want = referenceSlimResult(full);
  const got = slimResult(full);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  expect(got).toEqual(want);
};

/** Every evidence list of a result, in slimResult's order of collecting them. */
function lists(full: ExpandedResult): EvidenceItem[][] {
  const out: EvidenceItem[][] = [];
  for (const c of full.criteria) {
    out.push(c.evidence);
    for (const s of c.subcriteria) out.push(s.evidence);
  }
  for (const s of Object.values(full.scores)) out.push(s.evidence);
  for (const t of full.liverTrajectory) out.push(t.before.evidence, t.after.evidence);
  for (const w of full.liverWarnings) out.push(w.evidence);
  for (const f of full.priorTaceBurden.factors) out.push(f.evidence);
  for (const s of full.taceSessions) out.push(s.response.evidence);
  return out;
}

const text = fc.constantFrom(
  '',
  'a',
  'b',
  'Observation/1',
  'Observation/10',
  '2026-01-02',
  '2026-01-10',
  'a\u0000',
);
const item: fc.Arbitrary<EvidenceItem> = fc.record(
  {
    ref: text,
    date: text,
    label: text,
    value: fc.oneof(text, fc.constantFrom(0, -0, 1, Number.NaN), fc.boolean()),
    unit: fc.constantFrom('', 'g/dL', undefined),
    sentence: fc.constantFrom('', 'x', undefined),
    origin: fc.constantFrom('structured' as const, 'text' as const, 'derived' as const),
    confirmed: fc.constant(true as const),
    preliminary: fc.constant(true as const),
  },
  { requiredKeys: ['ref', 'date', 'label', 'origin'] },
);

describe('slimResult', () => {
  it('gives what the reference gives on every scenario', () => {
    for (const full of expanded) same(full);
  });

  it('gives what the reference gives with generated evidence lists and parts of other shapes', () => {
    fc.assert(
      fc.property(
        fc.nat(expanded.length - 1),
        fc.array(item, { minLength: 1, maxLength: 10 }),
        fc.array(fc.array(fc.nat(40), { maxLength: 6 }), { maxLength: 80 }),
        fc.array(fc.nat(200), { maxLength: 6 }),
        (which, pool, picks, reshaped) => {
          const full = structuredClone(expanded[which] as ExpandedResult);
          // Copies of pool items (equal in every field, other objects) next to the items themselves.
          const all = [...pool, ...pool.map((e) => ({ ...e }))];
          lists(full).forEach((list, i) => {
            const p = picks[i];
            if (p === undefined) return;
            list.length = 0;
            for (const n of p) list.push(all[n % all.length] as EvidenceItem);
          });
          // Some parts in other shapes: keys reordered (evidence first) or an extra key.
          const parts: Record<string, unknown>[] = [
            ...full.criteria,
            ...full.criteria.flatMap((c) => c.subcriteria),
            ...Object.values(full.scores),
            ...full.priorTaceBurden.factors,
          ] as unknown as Record<string, unknown>[];
          for (const n of reshaped) {
            const part = parts[n % parts.length] as Record<string, unknown>;
            if (n % 2 === 0) {
              const copy = { ...part };
              for (const k of Object.keys(part)) delete part[k];
              Object.assign(part, { evidence: copy.evidence }, copy);
            } else part.extra = n;
          }
          same(full);
        },
      ),
      { numRuns: 300 },
    );
  });
});
