/**
 * Issue 12 item 1 (engine): `result.currentTherapy` — the systemic therapy running at asOf (engine/considerations.ts
 * currentSystemicTherapy), in words, with its start; and the options never offer an agent already running.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios, SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { groupByPatient, type PatientResources } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { evaluate } from '../../src/engine/index';
import { ENGINE_VERSION, assessmentResultSchema, type AssessmentResult } from '../../src/engine/result';
import type { SystemicTherapy } from '../../src/domain/treatments';
import { therapy, timeline } from './engine-factories';

const AS_OF = '2026-11-01';
const results = new Map<string, AssessmentResult>();

beforeAll(() => {
  const entries = buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource })));
  for (const p of groupByPatient(entries).patients as PatientResources[])
    results.set(
      p.patientId,
      evaluate(loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline, { asOf: AS_OF }),
    );
});

describe('result.currentTherapy on the sandbox scenarios', () => {
  it('engine 0.6.0, and the field is in the published schema', () => {
    expect(ENGINE_VERSION).toBe('0.6.0');
    for (const r of results.values()) expect(() => assessmentResultSchema.parse(r)).not.toThrow();
  });
  it('responder: atezolizumab + bevacizumab since 2025-12-26, each agent with its order', () => {
    const r = results.get('responder') as AssessmentResult;
    expect(r.currentTherapy).toEqual([
      {
        agent: 'atezolizumab',
        label: 'atezolizumab',
        regimen: 'atezolizumab + bevacizumab',
        since: '2025-12-26',
        ref: 'MedicationRequest/responder-med-1',
        status: 'active',
      },
      {
        agent: 'bevacizumab',
        label: 'bevacizumab',
        regimen: 'atezolizumab + bevacizumab',
        since: '2025-12-26',
        ref: 'MedicationRequest/responder-med-2',
        status: 'active',
      },
    ]);
  });
  it('extrahepatic-spread: lenvatinib since 2026-06-24', () => {
    const r = results.get('extrahepatic-spread') as AssessmentResult;
    expect(r.currentTherapy).toEqual([
      {
        agent: 'lenvatinib',
        label: 'lenvatinib',
        regimen: 'lenvatinib',
        since: '2026-06-24',
        ref: 'MedicationRequest/extrahepatic-spread-med-1',
        status: 'active',
      },
    ]);
  });
  it('every scenario: no option offers to start or switch to an agent already running', () => {
    expect(results.size).toBe(SCENARIO_IDS.length);
    for (const [id, r] of results) {
      const running = r.currentTherapy.map((c) => c.agent);
      if (running.length === 0) continue;
      for (const c of r.considerations) {
        expect(c.id, id).not.toBe('switch-to-systemic');
        // Offered = after "options … include"; "switching to systemic therapy is not listed" is not an offer.
        expect(c.text, `${id}/${c.id}`).not.toMatch(/includes? (?:starting|switching to)/);
        // The options after progression never name a running agent.
        const offered = c.text.split(/ include /)[1] ?? '';
        for (const a of running) expect(offered, `${id}/${c.id}`).not.toContain(`${a} (`);
      }
    }
  });
});

describe('result.currentTherapy on built timelines', () => {
  const run = (therapies: SystemicTherapy[]) =>
    evaluate(timeline({ therapies }), { asOf: AS_OF }).currentTherapy;
  it('lists what is running at asOf, in start order; not what ended, is drafted or starts later', () => {
    const got = run([
      therapy('m3', 'lenvatinib', '2026-09-01'),
      therapy('m1', 'sorafenib', '2025-01-01', { status: 'stopped', end: '2025-12-31' }),
      therapy('m2', 'regorafenib', '2026-02-01', { status: 'on-hold' }),
      therapy('m4', 'cabozantinib', '2026-10-01', { status: 'draft' }),
      therapy('m5', 'nivolumab', '2026-11-02'),
      therapy('m6', 'durvalumab', '2026-06-01', { status: 'completed', end: '2026-11-01' }),
    ]);
    expect(got.map((c) => [c.agent, c.since, c.status])).toEqual([
      ['regorafenib', '2026-02-01', 'on-hold'],
      ['durvalumab', '2026-06-01', 'completed'],
      ['lenvatinib', '2026-09-01', 'active'],
    ]);
    // Durvalumab without tremelimumab running: its regimen is itself.
    expect(got.find((c) => c.agent === 'durvalumab')?.regimen).toBe('durvalumab');
  });
  it('empty when nothing is on record', () => {
    expect(run([])).toEqual([]);
  });
  it('the same order and dates as the considerations use (no second copy of the rule)', () => {
    const r = evaluate(timeline({ therapies: [therapy('m1', 'lenvatinib', '2026-06-24')] }), { asOf: AS_OF });
    expect(r.currentTherapy.map((c) => `${c.agent} since ${c.since}`)).toEqual([
      'lenvatinib since 2026-06-24',
    ]);
  });
});

describe('medications not loaded', () => {
  it('an empty currentTherapy is "not known", and every option says the therapy could not be checked', () => {
    const r = results.get('vascular-invasion') as AssessmentResult;
    expect(r.currentTherapyKnown).toBe(true);
    const entries = buildScenarios()
      .filter((s) => s.id === 'vascular-invasion')
      .flatMap((s) => s.resources.map((resource) => ({ resource })));
    const [p] = groupByPatient(entries).patients as PatientResources[];
    if (!p) throw new Error('no patient');
    const loaded = loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline;
    const withoutMeds = evaluate(
      { ...loaded, therapies: [], notLoaded: ['MedicationRequest'] },
      { asOf: AS_OF },
    );
    expect(withoutMeds.currentTherapyKnown).toBe(false);
    expect(withoutMeds.currentTherapy).toEqual([]);
    expect(withoutMeds.considerations.length).toBeGreaterThan(0);
    for (const c of withoutMeds.considerations)
      expect(c.text).toMatch(/Current systemic therapy not known: the medication search did not load/);
  });
});
