import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/index';
import { resultJsonSchema, type AssessmentResult } from '../../src/engine/result';
import { addDays, allClear, f, imaging, lab, labs, tace, timeline } from './engine-factories';
import { expandResult } from '../../src/engine/result-view';

const D0 = '2024-01-10';
const subOf = (r: AssessmentResult, id: string, sid: string) =>
  expandResult(r)
    .criteria.find((c) => c.id === id)
    ?.subcriteria.find((s) => s.id === sid);

describe('JSH 2010 lipiodol deposition', () => {
  const s2 = addDays(D0, 100);
  const mk = (a: number, b: number) =>
    timeline({
      treatments: [tace('t1', D0), tace('t2', s2)],
      imaging: [
        imaging('ct1', addDays(D0, 30), [f.lipiodol(a)]),
        imaging('ct2', addDays(s2, 30), [f.lipiodol(b)]),
      ],
    });
  it('≤ 50 % twice → met; 51 % once → not-met', () => {
    expect(
      subOf(evaluate(mk(50, 40), { asOf: '2024-12-31' }), 'jsh-2010', 'insufficient-response')?.status,
    ).toBe('met');
    expect(
      subOf(evaluate(mk(51, 40), { asOf: '2024-12-31' }), 'jsh-2010', 'insufficient-response')?.status,
    ).toBe('not-met');
  });
});

describe('problem list keeps vascular invasion open', () => {
  it('an active portal vein thrombosis condition prevents not-met', () => {
    const s2 = addDays(D0, 100);
    const t = timeline({
      treatments: [tace('t1', D0), tace('t2', s2)],
      imaging: [imaging('ct1', addDays(D0, 40), allClear()), imaging('ct2', addDays(s2, 40), allClear())],
      conditions: [
        {
          id: 'c1',
          kind: 'portal-vein-thrombosis',
          label: 'Portal vein thrombosis',
          clinicalStatus: 'active',
          source: { resourceType: 'Condition', id: 'c1' },
          codedBy: 'icd10cm',
        },
      ],
    });
    const vi = subOf(evaluate(t, { asOf: '2024-12-31' }), 'jsh-lcsgj-2014', 'vascular-invasion');
    expect(vi?.status).toBe('indeterminate');
    expect(vi?.evidence.some((e) => e.ref === 'Condition/c1')).toBe(true);
  });
});

describe('liver trajectory, prior-TACE burden, ART/ABCR, unsuitability', () => {
  const sessions = [0, 60, 120, 180, 240].map((d) => addDays(D0, d));
  const t = timeline({
    treatments: sessions.map((d, i) => tace(`t${i}`, d)),
    imaging: [imaging('ct1', addDays(D0, 40), [f.response('mrecist', 'SD'), f.count(5), f.diameter(3)])],
    labs: labs(
      // before session 1: ALBI 0.66·log10(10) − 0.085·42 = −2.91 (grade 1)
      lab('bilirubin', 10, addDays(D0, -2)),
      lab('albumin', 42, addDays(D0, -2)),
      lab('inr', 1.0, addDays(D0, -2)),
      lab('ast', 40, addDays(D0, -2)),
      lab('afp', 250, addDays(D0, -2)),
      // after session 1 / before session 2: ALBI 0.66·log10(40) − 0.085·30 = 1.0573 − 2.55 = −1.4927 (grade 2, 2b)
      lab('bilirubin', 40, addDays(D0, 55)),
      lab('albumin', 30, addDays(D0, 55)),
      lab('inr', 1.0, addDays(D0, 55)),
      lab('ast', 60, addDays(D0, 55)),
      lab('crp', 5, addDays(D0, 55)),
    ),
  });
  const r = evaluate(t, {
    asOf: addDays(D0, 250),
    inputs: { ascites: 'none', encephalopathy: 'none', bclcStage: 'B' },
  });
  it('shows deterioration across the first session', () => {
    const first = r.liverTrajectory[0];
    expect(first?.before.albiGrade).toBe('1');
    expect(first?.after.albiGrade).toBe('2b');
    expect(first?.deteriorated).toBe(true);
    expect(r.liverTrajectory).toHaveLength(5);
  });
  it('flags > 4 prior sessions and the Hien 2024 factors', () => {
    expect(r.priorTaceBurden.count).toBe(5);
    expect(r.priorTaceBurden.overFourSessions).toBe(true);
    const st = Object.fromEntries(r.priorTaceBurden.factors.map((x) => [x.id, x.status]));
    expect(st).toEqual({
      'albumin-low': 'met',
      'ast-high': 'met',
      'crp-high': 'met',
      'tumor-number-high': 'met',
    });
  });
  it('ART and ABCR before the 2nd TACE', () => {
    // ART: AST 40 → 60 (+50 % > 25 %) 4; Child-Pugh 5 → 7 (bilirubin 40 µmol/L = 2.34 mg/dL → 2; albumin 3.0 → 2) rise 2 → 3;
    // SD → no response 1 ⇒ 8
    expect(r.scores.art.value).toBe(8);
    expect(r.scores.art.category).toContain('do not repeat');
    // ABCR: AFP 250 ≥ 200 → 1; BCLC B 3; CP rise ≥ 2 → 2; no objective response 0 ⇒ 6 → stop
    expect(r.scores.abcr.value).toBe(6);
    expect(r.scores.abcr.category).toBe('stop');
  });
  it('considerations name their triggers and never give orders', () => {
    const ids = r.considerations.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['liver-function-before-tace', 'systemic-for-unsuitable']));
    for (const c of r.considerations) {
      expect(c.text.startsWith('Options discussed in the literature include')).toBe(true);
      expect(c.triggers.length).toBeGreaterThan(0);
      expect(c.citation.length).toBeGreaterThan(0);
    }
  });
  it('mALBI 2b makes TACE unsuitability met', () => {
    expect(r.scores.albi.mGrade).toBe('2b');
    expect(subOf(r, 'tace-unsuitability', 'malbi-2b')?.status).toBe('met');
  });
});

describe('robustness', () => {
  it('never throws on malformed values and dates, and reports an invalid asOf', () => {
    const t = timeline({
      treatments: [tace('t1', 'not-a-date'), tace('t2', D0)],
      imaging: [
        imaging('ct1', 'garbage', [f.viable(Number.NaN)]),
        imaging('ct2', addDays(D0, 40), [f.viable(Number.NaN)]),
      ],
      labs: labs(
        lab('albumin', Number.NaN, D0),
        lab('bilirubin', -1, D0),
        lab('afp', 5, D0, { unit: 'weird' }),
      ),
    });
    expect(() => evaluate(t, { asOf: '2024-12-31' })).not.toThrow();
    const bad = evaluate(t, { asOf: 'yesterday' });
    expect(bad.dataIssues.some((d) => d.message.includes('asOf'))).toBe(true);
  });
  it('no considerations when nothing is met', () => {
    expect(evaluate(timeline(), { asOf: '2024-12-31' }).considerations).toEqual([]);
  });
  it('exports a JSON schema with the top-level fields', () => {
    const s = resultJsonSchema() as { properties?: Record<string, unknown> };
    expect(Object.keys(s.properties ?? {})).toEqual(
      expect.arrayContaining([
        'criteria',
        'scores',
        'liverTrajectory',
        'priorTaceBurden',
        'taceSessions',
        'considerations',
      ]),
    );
  });
  it('engine source never reads the clock', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(__dirname, '../../src/engine'));
    for (const p of files) {
      const src = readFileSync(p, 'utf8');
      expect(src, p).not.toMatch(/Date\.now\(|new Date\(\s*\)|Math\.random\(|performance\.now\(/);
    }
  });
});
