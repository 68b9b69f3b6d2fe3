/**
 * What one evaluate call shares (per-call.ts: the markers item, the "appearance" items; evidence.ts: one object per
 * evidence item) must be exactly what computing it afresh gives, and each caller must get its own arrays.
 */
import { describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import type { Timeline } from '../../src/domain/timeline';
import { evaluate } from '../../src/engine/index';
import { resolveSettings } from '../../src/engine/settings';
import { buildSessions, sortedImaging } from '../../src/engine/sessions';
import { albiAt } from '../../src/engine/scores/from-timeline';
import { markerItem } from '../../src/engine/markers';
import { appearanceAfterTace } from '../../src/engine/criteria/appearance';
import { findingEvidence, measurementEvidence, withEvidenceItems } from '../../src/engine/evidence';
import type { EngineContext } from '../../src/engine/criteria/types';
import { oncePerCall, withCallMemo } from '../../src/engine/per-call';
import { picked } from '../../src/engine/labs';
import {
  largestDiameterOf,
  tumorCountBoundOf,
  insufficientReading,
  intrahepaticIncreaseReading,
  withAssessmentReadings,
} from '../../src/engine/findings';

const AS_OF = '2026-11-01';
const timelines: [string, Timeline][] = buildScenarios().map((s) => {
  const [group] = groupByPatient(s.resources.map((resource) => ({ resource }))).patients;
  if (!group) throw new Error(`no patient in ${s.id}`);
  return [s.id, loadPatient(group.patient, group.resources, { asOf: AS_OF }).timeline];
});

function context(timeline: Timeline): EngineContext {
  const settings = resolveSettings(undefined);
  const imaging = sortedImaging(timeline.imaging, AS_OF);
  const sessions = buildSessions(timeline, imaging, AS_OF, settings);
  return {
    timeline,
    asOf: AS_OF,
    settings,
    inputs: {},
    imaging,
    sessions,
    albi: albiAt(timeline, AS_OF, settings),
  };
}

describe('per-call sharing gives what a fresh computation gives', () => {
  it.each(timelines)(
    '%s: markers and appearance items, asked twice, equal a fresh context',
    (_id, timeline) => {
      const ctx = context(timeline);
      const [m1, m2] = withCallMemo(() => [
        markerItem(timeline, ctx.sessions, AS_OF, ctx.settings),
        markerItem(timeline, ctx.sessions, AS_OF, ctx.settings),
      ]);
      const fresh = context(timeline);
      expect(m2).toEqual(markerItem(timeline, fresh.sessions, AS_OF, fresh.settings));
      expect(m1).toEqual(m2);
      expect(m1.evidence).not.toBe(m2.evidence);
      for (const type of ['vascular-invasion', 'extrahepatic-spread'] as const) {
        const [a1, a2] = withCallMemo(() => [appearanceAfterTace(ctx, type), appearanceAfterTace(ctx, type)]);
        expect(a2).toEqual(appearanceAfterTace(fresh, type));
        expect(a1).toEqual(a2);
        expect(a1.missing).not.toBe(a2.missing);
        expect(a1.notes).not.toBe(a2.notes);
      }
      // The conflicts recorded on the sessions are the same as one reading of each records.
      const once = context(timeline);
      appearanceAfterTace(once, 'vascular-invasion');
      appearanceAfterTace(once, 'extrahepatic-spread');
      expect(ctx.sessions.map((s) => [...s.conflicts.entries()])).toEqual(
        once.sessions.map((s) => [...s.conflicts.entries()]),
      );
    },
  );

  it.each(timelines)('%s: shared evidence items equal freshly built ones', (_id, timeline) => {
    for (const list of Object.values(timeline.labs)) {
      for (const m of list ?? []) {
        const shared = withEvidenceItems(() => [measurementEvidence(m, 'x'), measurementEvidence(m, 'x')]);
        expect(shared[0]).toBe(shared[1]);
        expect(shared[0]).toEqual(measurementEvidence(m, 'x'));
        expect(JSON.stringify(shared[0])).toBe(JSON.stringify(measurementEvidence(m, 'x')));
      }
    }
    for (const a of timeline.imaging) {
      for (const f of a.findings) {
        const [x, y] = withEvidenceItems(() => [findingEvidence(a, f, 'l'), findingEvidence(a, f, 'l')]);
        expect(x).toBe(y);
        expect(JSON.stringify(x)).toBe(JSON.stringify(findingEvidence(a, f, 'l')));
      }
    }
  });

  it.each(timelines)(
    '%s: several labels and units per item: one item per label, one Picked per unit',
    (_id, t) => {
      const labels = ['x', 'y', 'x — hedged wording, not counted as positive', 'x', 'y'];
      for (const list of Object.values(t.labs)) {
        for (const m of list ?? []) {
          const items = withEvidenceItems(() => labels.map((l) => measurementEvidence(m, l)));
          labels.forEach((l, i) => {
            expect(items[i]?.label).toBe(l);
            expect(JSON.stringify(items[i])).toBe(JSON.stringify(measurementEvidence(m, l)));
            expect(items[i]).toBe(items[labels.indexOf(l)]); // the first item of that label, shared
          });
          const units = ['g/dL', 'g/L', 'furlong', 'g/dL', 'furlong'];
          const got = withCallMemo(() => units.map((u) => picked(m, u)));
          units.forEach((u, i) => {
            expect(got[i]).toEqual(picked(m, u));
            expect(got[i]).toBe(got[units.indexOf(u)]);
          });
        }
      }
      for (const a of t.imaging) {
        for (const f of a.findings) {
          const items = withEvidenceItems(() => labels.map((l) => findingEvidence(a, f, l)));
          labels.forEach((l, i) => {
            expect(JSON.stringify(items[i])).toBe(JSON.stringify(findingEvidence(a, f, l)));
            expect(items[i]).toBe(items[labels.indexOf(l)]);
          });
          // 'x' and its hedged spelling are different labels, even where the built item's label says the same.
          expect(items[0]).not.toBe(items[2]);
        }
      }
    },
  );

  it.each(timelines)('%s: evaluating twice gives the same JSON', (_id, timeline) => {
    expect(JSON.stringify(evaluate(timeline, { asOf: AS_OF }))).toBe(
      JSON.stringify(evaluate(timeline, { asOf: AS_OF })),
    );
  });
  it.each(timelines)(
    '%s: readings read once per call equal fresh ones, per boundary and count',
    (_id, timeline) => {
      for (const a of timeline.imaging) {
        for (const viableBoundary of ['>50', '>=50'] as const) {
          const settings = resolveSettings({ viableBoundary });
          const fresh = insufficientReading(a, settings);
          const [x, y] = withAssessmentReadings(() => [
            insufficientReading(
              a,
              resolveSettings({ viableBoundary: viableBoundary === '>50' ? '>=50' : '>50' }),
            ),
            insufficientReading(a, settings),
            insufficientReading(a, settings),
          ]).slice(1);
          expect(x).toEqual(fresh);
          expect(y).toEqual(fresh);
          expect(x?.evidence).not.toBe(y?.evidence);
        }
        for (const count of [null, 0, 1, 3]) {
          const fresh = intrahepaticIncreaseReading(a, count);
          const got = withAssessmentReadings(() => [
            intrahepaticIncreaseReading(a, count === null ? 2 : null),
            intrahepaticIncreaseReading(a, count),
          ])[1];
          expect(got).toEqual(fresh);
        }
      }
    },
  );
  it.each(timelines)('%s: count and diameter readings once per call equal fresh ones', (_id, timeline) => {
    for (const a of timeline.imaging) {
      const [c1, c2, d1, d2] = withCallMemo(() => [
        tumorCountBoundOf(a),
        tumorCountBoundOf(a),
        largestDiameterOf(a),
        largestDiameterOf(a),
      ]);
      expect(c1).toBe(c2);
      expect(d1).toBe(d2);
      expect(c1).toEqual(tumorCountBoundOf(a));
      expect(d1).toEqual(largestDiameterOf(a));
    }
  });
});

describe('oncePerCall computes each (owner, key) once per call, whatever the value', () => {
  it('undefined, null, 0, false, "" and objects are each computed once and given back as they are', () => {
    const values: unknown[] = [undefined, null, 0, false, '', Number.NaN, { a: 1 }, [1]];
    withCallMemo(() => {
      for (const [i, v] of values.entries()) {
        const owner = { i };
        let calls = 0;
        const compute = (): unknown => {
          calls += 1;
          return v;
        };
        const first = oncePerCall(owner, 'k', compute);
        const second = oncePerCall(owner, 'k', compute);
        expect(calls).toBe(1);
        expect(Object.is(first, v)).toBe(true);
        expect(Object.is(second, v)).toBe(true);
        // Another key of the same owner, and the same key of another owner, are computed on their own.
        oncePerCall(owner, 'other', compute);
        oncePerCall({ i }, 'k', compute);
        expect(calls).toBe(3);
      }
    });
  });
  it('outside a call every request is computed afresh', () => {
    let calls = 0;
    const owner = {};
    oncePerCall(owner, 'k', () => (calls += 1));
    oncePerCall(owner, 'k', () => (calls += 1));
    expect(calls).toBe(2);
  });
});
