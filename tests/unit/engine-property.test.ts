/**
 * Property tests over generated timelines (fast-check):
 *  1. removing any imaging assessment or marker result never turns a verdict into `not-met` when it was `met` or
 *     `indeterminate` — unless the removed item was itself cited as evidence for that verdict (removing the very
 *     finding that made a verdict positive or doubtful is the only way to lose it);
 *  2. results are identical across runs and independent of the input order.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ImagingFinding } from '../../src/domain/imaging';
import type { Measurement } from '../../src/domain/labs';
import type { Timeline } from '../../src/domain/timeline';
import { evaluate } from '../../src/engine/index';
import type { AssessmentResult, EvidenceItem, Status } from '../../src/engine/result';
import { addDays, f, imaging, lab, labs, tace, timeline } from './engine-factories';
import { expandResult } from '../../src/engine/result-view';

const START = '2023-01-01';
const presence = fc.constantFrom('present' as const, 'absent' as const, 'unknown' as const);
const finding: fc.Arbitrary<ImagingFinding> = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((p) => f.viable(p)),
  fc.integer({ min: 0, max: 100 }).map((p) => f.viable(p, 'uncertain')),
  fc.constantFrom('CR', 'PR', 'SD', 'PD').map((c) => f.response('mrecist', c as 'CR')),
  fc.constantFrom('viable', 'nonviable', 'equivocal').map((c) => f.response('lirads-tr', c as 'viable')),
  presence.map((p) => f.newLesions(p)),
  presence.map((p) => f.vi(p, 'Vp2')),
  presence.map((p) => f.ehs(p)),
  fc.integer({ min: 1, max: 8 }).map((n) => f.count(n)),
  fc.integer({ min: 1, max: 12 }).map((n) => f.diameter(n)),
);

const arbTimeline: fc.Arbitrary<Timeline> = fc
  .record({
    gaps: fc.array(fc.integer({ min: 30, max: 160 }), { minLength: 1, maxLength: 4 }),
    // Scans and markers are placed relative to a session (most land in its windows) or anywhere.
    scans: fc.array(
      fc.record({
        session: fc.nat(3),
        offset: fc.oneof(fc.integer({ min: 20, max: 100 }), fc.integer({ min: -20, max: 700 })),
        findings: fc.array(finding, { minLength: 0, maxLength: 4 }),
      }),
      { maxLength: 7 },
    ),
    markers: fc.array(
      fc.record({
        session: fc.nat(3),
        offset: fc.oneof(fc.integer({ min: -30, max: 60 }), fc.integer({ min: -30, max: 700 })),
        value: fc.integer({ min: 1, max: 2000 }),
        analyte: fc.constantFrom('afp' as const, 'pivka' as const, 'afpL3' as const),
      }),
      { maxLength: 10 },
    ),
  })
  .map(({ gaps, scans, markers }) => {
    let day = 0;
    const days: number[] = [];
    const treatments = gaps.map((g, i) => {
      days.push(day);
      const t = tace(`t${i}`, addDays(START, day));
      day += g;
      return t;
    });
    const at = (session: number, offset: number) =>
      addDays(START, (days[session % days.length] ?? 0) + offset);
    return timeline({
      treatments,
      imaging: scans.map((s, i) => imaging(`ct${i}`, at(s.session, s.offset), s.findings)),
      labs: labs(...markers.map((m, i) => lab(m.analyte, m.value, at(m.session, m.offset), { id: `m${i}` }))),
    });
  });

const ASOF = addDays(START, 720);

/** Every (criterion or sub-criterion) verdict, keyed by path. */
function verdicts(result: AssessmentResult): Map<string, { status: Status; evidence: EvidenceItem[] }> {
  const out = new Map<string, { status: Status; evidence: EvidenceItem[] }>();
  for (const c of expandResult(result).criteria) {
    out.set(c.id, {
      status: c.status,
      evidence: [...c.evidence, ...c.subcriteria.flatMap((s) => s.evidence)],
    });
    for (const s of c.subcriteria) out.set(`${c.id}/${s.id}`, { status: s.status, evidence: s.evidence });
  }
  return out;
}

function withoutImaging(t: Timeline, i: number): Timeline {
  return { ...t, imaging: t.imaging.filter((_, j) => j !== i) };
}

function withoutMeasurement(t: Timeline, m: Measurement): Timeline {
  const out: Record<string, Measurement[]> = {};
  for (const [k, v] of Object.entries(t.labs)) out[k] = (v ?? []).filter((x) => x !== m);
  return { ...t, labs: out };
}

function check(before: AssessmentResult, after: AssessmentResult, removedRef: string): string | null {
  const a = verdicts(before);
  const b = verdicts(after);
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || v.status === 'not-met' || w.status !== 'not-met') continue;
    if (v.evidence.some((e) => e.ref === removedRef)) continue;
    return `${k}: ${v.status} → not-met after removing ${removedRef}`;
  }
  return null;
}

describe('engine properties', () => {
  it('removing an imaging assessment or a marker result never yields a new not-met', () => {
    fc.assert(
      fc.property(arbTimeline, fc.constantFrom('>=50' as const, '>50' as const), (t, viableBoundary) => {
        const opts = { asOf: ASOF, settings: { viableBoundary } };
        const before = evaluate(t, opts);
        for (let i = 0; i < t.imaging.length; i++) {
          const img = t.imaging[i];
          if (!img) continue;
          const err = check(before, evaluate(withoutImaging(t, i), opts), `DiagnosticReport/${img.id}`);
          if (err) throw new Error(err);
        }
        for (const list of Object.values(t.labs)) {
          for (const m of list ?? []) {
            const err = check(before, evaluate(withoutMeasurement(t, m), opts), `Observation/${m.source.id}`);
            if (err) throw new Error(err);
          }
        }
      }),
      { numRuns: 300, seed: 20261123 },
    );
    // 300 runs each re-evaluating every removal take seconds on a loaded 2-core CI machine.
  }, 120_000);

  it('results are identical across runs and independent of input order', () => {
    fc.assert(
      fc.property(arbTimeline, (t) => {
        const a = JSON.stringify(evaluate(t, { asOf: ASOF }));
        const b = JSON.stringify(evaluate(t, { asOf: ASOF }));
        const reversed: Timeline = {
          ...t,
          imaging: [...t.imaging].reverse(),
          treatments: [...t.treatments].reverse(),
        };
        const c = JSON.stringify(evaluate(reversed, { asOf: ASOF }));
        expect(b).toBe(a);
        expect(c).toBe(a);
      }),
      { numRuns: 100, seed: 7 },
    );
  }, 60_000);
});
