/**
 * Result contract 0.6.0: evidence listed once and cited by id. The published result, expanded back with the one
 * resolver (engine/result-view.ts), must be the nested result the rules build (the 0.5.0 shape) on every scenario —
 * same verdicts, scores, evidence and order — so the contract change cannot change a verdict.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { evaluate, evaluateExpanded } from '../../src/engine/index';
import { confirmAllAsRead, type ClinicianInputs } from '../../src/engine/inputs';
import { assessmentResultSchema, type EvidenceItem, type ExpandedResult } from '../../src/engine/result';
import { evidenceOf, expandResult, resultView, slimResult } from '../../src/engine/result-view';
import type { Timeline } from '../../src/domain/timeline';
import { loadPatient } from '../../src/fhir/loader';
import { groupByPatient } from '../../src/fhir/patient-resources';

const AS_OF = '2026-11-01';
const timelines = new Map<string, Timeline>();

beforeAll(() => {
  const entries = buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource })));
  for (const p of groupByPatient(entries).patients)
    timelines.set(p.patientId, loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline);
});

/** Every evidence list of a nested result, by where it sits. */
function evidenceLists(r: ExpandedResult): [string, EvidenceItem[]][] {
  const out: [string, EvidenceItem[]][] = [];
  for (const c of r.criteria) {
    out.push([`criteria/${c.id}`, c.evidence]);
    for (const s of c.subcriteria) out.push([`criteria/${c.id}/${s.id}`, s.evidence]);
  }
  for (const [name, s] of Object.entries(r.scores)) out.push([`scores/${name}`, s.evidence]);
  r.liverTrajectory.forEach((t, i) => {
    out.push([`liverTrajectory/${i}/before`, t.before.evidence]);
    out.push([`liverTrajectory/${i}/after`, t.after.evidence]);
  });
  r.liverWarnings.forEach((w, i) => out.push([`liverWarnings/${i}`, w.evidence]));
  for (const f of r.priorTaceBurden.factors) out.push([`priorTaceBurden/${f.id}`, f.evidence]);
  r.taceSessions.forEach((s, i) => out.push([`taceSessions/${i}`, s.response.evidence]));
  return out;
}

/** No inputs; every text reading confirmed as read; grades, intent and a correction of the last report. */
function inputsFor(timeline: Timeline): ClinicianInputs[] {
  const confirmations = Object.fromEntries(timeline.imaging.map((a) => [a.id, confirmAllAsRead(a)]));
  const last = timeline.imaging[timeline.imaging.length - 1];
  return [
    {},
    { confirmations },
    {
      intent: 'palliative',
      ascites: 'none',
      encephalopathy: 'none',
      ...(last ? { corrections: { [last.id]: { viablePercent: 20, newLesions: 'present' } } } : {}),
    },
  ];
}

describe('published result (evidence once, by id) against the nested result', () => {
  it('covers every scenario', () => {
    expect(timelines.size).toBeGreaterThanOrEqual(10);
    expect([...timelines.keys()]).toContain('long-history');
  });

  it('expandResult(evaluate(…)) is exactly the nested result, on every scenario and with clinician inputs', () => {
    for (const [id, timeline] of timelines) {
      for (const inputs of inputsFor(timeline)) {
        const published = evaluate(timeline, { asOf: AS_OF, inputs });
        const nested = evaluateExpanded(timeline, { asOf: AS_OF, inputs });
        expect(expandResult(published), id).toEqual(nested);
        // Field by field, for a readable failure: every verdict and score, and each part's evidence in order.
        const view = expandResult(published);
        expect(view.criteria.map((c) => [c.id, c.status, c.subcriteria.map((s) => s.status)])).toEqual(
          nested.criteria.map((c) => [c.id, c.status, c.subcriteria.map((s) => s.status)]),
        );
        for (const [name, s] of Object.entries(nested.scores)) {
          const got = view.scores[name as keyof typeof view.scores];
          expect([got.value, got.range, got.category], `${id} ${name}`).toEqual([
            s.value,
            s.range,
            s.category,
          ]);
        }
        const want = evidenceLists(nested);
        const got = evidenceLists(view);
        expect(got.map(([where]) => where)).toEqual(want.map(([where]) => where));
        got.forEach(([where, items], i) => expect(items, `${id} ${where}`).toEqual(want[i]?.[1]));
      }
    }
  });

  it('lists each item once with a unique id, every id cited resolves, and the result parses by its schema', () => {
    for (const [id, timeline] of timelines) {
      const published = evaluate(timeline, { asOf: AS_OF });
      expect(() => assessmentResultSchema.parse(published), id).not.toThrow();
      const ids = published.evidence.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const contents = published.evidence.map(({ id: _id, ...item }) =>
        JSON.stringify(item, Object.keys(item).sort()),
      );
      expect(new Set(contents).size, `${id}: an item listed twice`).toBe(contents.length);
      const cited = new Set<string>();
      const cite = (list: readonly string[]) => list.forEach((x) => cited.add(x));
      for (const c of published.criteria) {
        cite(c.evidenceIds);
        for (const s of c.subcriteria) cite(s.evidenceIds);
      }
      for (const s of Object.values(published.scores)) cite(s.evidenceIds);
      for (const t of published.liverTrajectory) cite([...t.before.evidenceIds, ...t.after.evidenceIds]);
      for (const w of published.liverWarnings) cite(w.evidenceIds);
      for (const f of published.priorTaceBurden.factors) cite(f.evidenceIds);
      for (const s of published.taceSessions) cite(s.response.evidenceIds);
      // Every listed item is cited somewhere, and every cited id is listed.
      expect([...cited].sort()).toEqual([...ids].sort());
      expect(() => evidenceOf(published, [...cited])).not.toThrow();
    }
  });

  it('is deterministic and a round trip: slimResult(expandResult(r)) gives r back', () => {
    for (const [id, timeline] of timelines) {
      const published = evaluate(timeline, { asOf: AS_OF });
      expect(JSON.stringify(evaluate(timeline, { asOf: AS_OF })), id).toBe(JSON.stringify(published));
      expect(slimResult(expandResult(published)), id).toEqual(published);
    }
  });

  it('the view is cached per result, resultView passes a view through, an unknown id throws', () => {
    const timeline = timelines.get('refractory-insufficient-response') as Timeline;
    const published = evaluate(timeline, { asOf: AS_OF });
    const view = expandResult(published);
    expect(expandResult(published)).toBe(view);
    expect(resultView(published)).toBe(view);
    expect(resultView(view)).toBe(view);
    expect(() => evidenceOf(published, ['e0'])).toThrow(/does not list/);
  });

  it('items that differ only in a flag keep their own ids', () => {
    const base = evaluateExpanded(timelines.get('refractory-insufficient-response') as Timeline, {
      asOf: AS_OF,
    });
    const item: EvidenceItem = {
      ref: 'DiagnosticReport/x',
      date: '2026-01-01',
      label: 'viable',
      origin: 'text',
    };
    const [first, ...rest] = base.criteria;
    if (!first) throw new Error('no criteria');
    const nested: ExpandedResult = {
      ...base,
      criteria: [
        {
          ...first,
          evidence: [item, { ...item, confirmed: true }, { ...item, value: 1 }, { ...item, value: '1' }],
        },
        ...rest,
      ],
    };
    const published = slimResult(nested);
    expect(new Set(published.criteria[0]?.evidenceIds).size).toBe(4);
    expect(expandResult(published)).toEqual(nested);
  });

  it('the published result is smaller than the nested one on every scenario', () => {
    let nestedBytes = 0;
    let publishedBytes = 0;
    for (const [id, timeline] of timelines) {
      const n = JSON.stringify(evaluateExpanded(timeline, { asOf: AS_OF })).length;
      const p = JSON.stringify(evaluate(timeline, { asOf: AS_OF })).length;
      expect(p, id).toBeLessThan(n);
      nestedBytes += n;
      publishedBytes += p;
    }
    console.log(
      `result size over ${timelines.size} scenarios: nested ${(nestedBytes / 1e3 / timelines.size).toFixed(1)} kB, ` +
        `published ${(publishedBytes / 1e3 / timelines.size).toFixed(1)} kB per patient`,
    );
  });
});
