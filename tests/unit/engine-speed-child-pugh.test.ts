/**
 * childPugh (child-pugh.ts) takes the least and greatest possible points of a band without listing them, and
 * childPughAt (from-timeline.ts) builds its score in one literal, reads each pick's day once and lists notes and
 * missing items in loops. Both must give exactly what the earlier code gave (kept below as the reference), key
 * order included: for every band edge and interval end, every ascites and encephalopathy input, both albumin
 * settings; and for the scenario timelines and generated ones (censored values, labs far apart, no labs), with
 * the clinical grades of the assessment day, of each session day, the clinician's, and none.
 */
import { describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import type { Measurement } from '../../src/domain/labs';
import type { Timeline } from '../../src/domain/timeline';
import type { EngineSettings, EvidenceItem, ScoreResult } from '../../src/engine/result';
import { isAbove, isBelow, toBounds, type Answer, type Bounds } from '../../src/engine/bounds';
import {
  CHILD_PUGH_CITATION,
  CHILD_PUGH_THRESHOLDS,
  CP_ALBUMIN_HIGH_G_DL,
  CP_ALBUMIN_MIDDLE_LOW_G_DL,
  CP_BILIRUBIN_HIGH_MG_DL,
  CP_BILIRUBIN_LOW_MG_DL,
  CP_INR_HIGH,
  CP_INR_LOW,
  ascitesPoints,
  childPugh,
  childPughClass,
  encephalopathyPoints,
  type ChildPughInput,
  type ChildPughOutput,
} from '../../src/engine/scores/child-pugh';
import { sumRange, undecidedIds, unknownIds, type PointComponent } from '../../src/engine/scores/range';
import { childPughAt, LABEL, pick } from '../../src/engine/scores/from-timeline';
import {
  liverClinicalAt,
  NO_LIVER_CLINICAL,
  type LiverClinical,
} from '../../src/engine/scores/condition-grades';
import { decidedNote, isCensored, undecidedMissing } from '../../src/engine/scores/censored';
import { measurementEvidence } from '../../src/engine/evidence';
import { dayNumber, isoOfDay } from '../../src/engine/dates';
import type { Picked } from '../../src/engine/labs';
import { resolveSettings } from '../../src/engine/settings';

// ---- the reference: childPugh and childPughAt as they were ----
const known = (n: number | Bounds | undefined): n is number | Bounds =>
  n !== undefined &&
  (typeof n === 'number' ? Number.isFinite(n) : !Number.isNaN(n.lo) && !Number.isNaN(n.hi));

function refBanded(
  id: string,
  low: Answer,
  high: Answer,
  points: readonly [number, number, number],
): PointComponent {
  const possible: number[] = [];
  if (low !== false) possible.push(points[0]);
  if (low !== true && high !== true) possible.push(points[1]);
  if (high !== false) possible.push(points[2]);
  const min = Math.min(...possible);
  const max = Math.max(...possible);
  return min === max ? { id, points: min, min, max } : { id, points: undefined, min, max, undecided: true };
}

function refLabComponent(
  id: string,
  v: number | Bounds | undefined,
  band: (b: Bounds) => PointComponent,
): PointComponent {
  return known(v) ? band(toBounds(v)) : { id, points: undefined, min: 1, max: 3 };
}

function refChildPugh(input: ChildPughInput): ChildPughOutput {
  const middleLow = input.albuminMiddleLow ?? CP_ALBUMIN_MIDDLE_LOW_G_DL;
  const components: PointComponent[] = [
    refLabComponent('bilirubin', input.bilirubinMgDl, (b) =>
      refBanded(
        'bilirubin',
        isBelow(b, CP_BILIRUBIN_LOW_MG_DL),
        isAbove(b, CP_BILIRUBIN_HIGH_MG_DL),
        [1, 2, 3],
      ),
    ),
    refLabComponent('albumin', input.albuminGDl, (b) =>
      refBanded('albumin', isBelow(b, middleLow), isAbove(b, CP_ALBUMIN_HIGH_G_DL), [3, 2, 1]),
    ),
    refLabComponent('inr', input.inr, (b) =>
      refBanded('inr', isBelow(b, CP_INR_LOW), isAbove(b, CP_INR_HIGH), [1, 2, 3]),
    ),
    {
      id: 'ascites',
      points: input.ascites && input.ascites !== 'present' ? ascitesPoints(input.ascites) : undefined,
      min: input.ascites === 'present' ? 2 : 1,
      max: 3,
    },
    {
      id: 'encephalopathy',
      points:
        input.encephalopathy && input.encephalopathy !== 'present'
          ? encephalopathyPoints(input.encephalopathy)
          : undefined,
      min: input.encephalopathy === 'present' ? 2 : 1,
      max: 3,
    },
  ];
  const range = sumRange(components);
  const lo = childPughClass(range.min);
  const hi = childPughClass(range.max);
  const all = ['A', 'B', 'C'] as const;
  const possibleClasses = all.slice(all.indexOf(lo), all.indexOf(hi) + 1);
  return {
    range,
    points: range.min === range.max ? range.min : null,
    cls: lo === hi ? lo : null,
    possibleClasses,
    unknown: unknownIds(components),
    undecided: undecidedIds(components),
  };
}

function score(partial: Partial<ScoreResult> & Pick<ScoreResult, 'citation'>): ScoreResult {
  return { value: null, range: null, category: null, evidence: [], missing: [], thresholds: {}, ...partial };
}

function refChildPughAt(
  timeline: Timeline,
  refDay: string,
  settings: EngineSettings,
  clinical: LiverClinical = NO_LIVER_CLINICAL,
  from = -Infinity,
): { result: ScoreResult; output: ChildPughOutput } {
  const { ascites, encephalopathy } = clinical;
  const bili = pick(timeline, 'bilirubin', 'mg/dL', refDay, Infinity, from);
  const alb = pick(timeline, 'albumin', 'g/dL', refDay, Infinity, from);
  const inr = pick(timeline, 'inr', '{INR}', refDay, Infinity, from);
  const anchor = Math.max(...[bili, alb, inr].map((p) => (p ? dayNumber(p.day) : -Infinity)));
  const near = (p: Picked | null): Picked | null =>
    p && anchor - dayNumber(p.day) <= settings.pairingDays ? p : null;
  const b = near(bili);
  const a = near(alb);
  const i = near(inr);
  const output = refChildPugh({
    bilirubinMgDl: b?.bounds,
    albuminGDl: a?.bounds,
    inr: i?.bounds,
    ascites,
    encephalopathy,
    albuminMiddleLow: settings.childPughAlbuminMiddleLow,
  });
  const evidence: EvidenceItem[] = [];
  if (b) evidence.push(measurementEvidence(b.m, 'Total bilirubin'));
  if (a) evidence.push(measurementEvidence(a.m, 'Albumin'));
  if (i) evidence.push(measurementEvidence(i.m, 'INR'));
  evidence.push(...clinical.evidence);
  const labPick: Record<string, Picked | null> = { bilirubin: b, albumin: a, inr: i };
  const missing = output.unknown.map((u) => {
    const p = labPick[u];
    if (output.undecided.includes(u) && p)
      return undecidedMissing(LABEL[u] ?? u, p, 'its Child-Pugh points are 1, 2 or 3', 'Child-Pugh');
    if (u === 'ascites' || u === 'encephalopathy') {
      const present = (u === 'ascites' ? ascites : encephalopathy) === 'present';
      return present
        ? `${u} grade (clinician input): the ${u} Condition on file states no grade (2–3 points)`
        : `${u} grade (clinician input)`;
    }
    return `${u} within ${settings.pairingDays} days of the other Child-Pugh labs`;
  });
  const censoredNotes = [b, a, i]
    .filter(isCensored)
    .filter((p) => !output.undecided.includes(p.m.analyte))
    .map((p) => decidedNote(LABEL[p.m.analyte] ?? p.m.analyte, p, 'its points are decided', 'Child-Pugh'));
  const cls = output.cls ?? 'indeterminate';
  const result = score({
    citation: CHILD_PUGH_CITATION,
    thresholds: { ...CHILD_PUGH_THRESHOLDS, CP_ALBUMIN_MIDDLE_LOW_G_DL: settings.childPughAlbuminMiddleLow },
    value: output.points,
    range: output.range,
    category: output.cls ? `Child-Pugh ${output.cls}` : `${cls} (${output.possibleClasses.join(' or ')})`,
    evidence,
    missing,
    ...(censoredNotes.length + clinical.notes.length > 0
      ? { notes: [...censoredNotes, ...clinical.notes] }
      : {}),
  });
  return { result, output };
}

// ---- the inputs ----
const POINTS = [0.1, 1, 1.7, 2, 2.3, 2.5, 2.8, 3, 3.2, 3.5, 4, 6];
const LAB_INPUTS: (number | Bounds | undefined)[] = [
  undefined,
  Number.NaN,
  Infinity,
  ...POINTS,
  ...POINTS.flatMap((p) => [
    { lo: 0, hi: p, loOpen: false, hiOpen: true },
    { lo: 0, hi: p, loOpen: false, hiOpen: false },
    { lo: p, hi: 100, loOpen: true, hiOpen: false },
    { lo: p, hi: 100, loOpen: false, hiOpen: false },
  ]),
  { lo: 1.8, hi: 3.6, loOpen: false, hiOpen: false },
  { lo: Number.NaN, hi: 2, loOpen: false, hiOpen: false },
];
const ASCITES = [undefined, 'none', 'mild', 'moderate-severe', 'present'] as const;
const HE = [undefined, 'none', 'grade-1-2', 'grade-3-4', 'present'] as const;

const same = (got: unknown, want: unknown): void => {
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  expect(got).toEqual(want);
};

describe('childPugh gives what the listed bands gave', () => {
  it('every lab input of each component, with the other components varied', () => {
    let n = 0;
    for (const v of LAB_INPUTS)
      for (const middle of [undefined, 2.8, 3])
        for (const [k, ascites] of ASCITES.entries()) {
          const encephalopathy = HE[(k + n) % HE.length];
          const other = LAB_INPUTS[(n * 7) % LAB_INPUTS.length];
          n += 1;
          for (const input of [
            {
              bilirubinMgDl: v,
              albuminGDl: other,
              inr: other,
              ascites,
              encephalopathy,
              albuminMiddleLow: middle,
            },
            {
              bilirubinMgDl: other,
              albuminGDl: v,
              inr: v,
              ascites,
              encephalopathy,
              albuminMiddleLow: middle,
            },
            { albuminGDl: v, ascites, encephalopathy },
          ])
            same(childPugh(input), refChildPugh(input));
        }
    expect(n).toBeGreaterThan(500);
  });
});

// ---- childPughAt ----
const AS_OF = '2026-11-01';
const scenarioTimelines: Timeline[] = buildScenarios().flatMap((s) => {
  const [group] = groupByPatient(s.resources.map((resource) => ({ resource }))).patients;
  if (!group) return [];
  return [loadPatient(group.patient, group.resources, { asOf: AS_OF }).timeline];
});

function lab(
  analyte: 'bilirubin' | 'albumin' | 'inr',
  value: number,
  unit: string,
  day: number,
  id: string,
  comparator?: string,
): Measurement {
  return {
    analyte,
    value,
    unit,
    ...(comparator ? { comparator } : {}),
    date: isoOfDay(day),
    source: { resourceType: 'Observation', id },
    status: 'final',
  } as Measurement;
}

/** Timelines of the first scenario with their labs replaced: censored values, labs days apart, missing labs. */
function generatedTimelines(): Timeline[] {
  const base = scenarioTimelines[0] as Timeline;
  const d0 = dayNumber('2026-06-01');
  const out: Timeline[] = [];
  const comps = [undefined, '<', '>', '<=', '>='];
  for (let k = 0; k < 40; k++) {
    const c = comps[k % comps.length];
    const gap = [0, 3, 14, 15, 40][k % 5] as number;
    const labs = {
      bilirubin:
        k % 7 === 6
          ? []
          : [
              lab(
                'bilirubin',
                [0.8, 2, 3, 4.1][k % 4] as number,
                'mg/dL',
                d0,
                `b${k}`,
                k % 3 === 0 ? c : undefined,
              ),
            ],
      albumin:
        k % 5 === 4
          ? []
          : [
              lab(
                'albumin',
                [3.6, 3.5, 2.8, 2.5][k % 4] as number,
                k % 2 ? 'g/dL' : 'g/L',
                d0 - gap,
                `a${k}`,
                k % 3 === 1 ? c : undefined,
              ),
            ],
      inr:
        k % 6 === 5
          ? []
          : [
              lab(
                'inr',
                [1.1, 1.7, 2.3, 2.6][k % 4] as number,
                '{INR}',
                d0 + (k % 2 ? gap : -gap),
                `i${k}`,
                k % 3 === 2 ? c : undefined,
              ),
            ],
    };
    out.push({ ...base, labs: { ...base.labs, ...labs } } as Timeline);
  }
  return out;
}

describe('childPughAt gives what the spread score gave', () => {
  it('scenario and generated timelines, several days, clinical grades and settings', () => {
    const settingsList = [
      resolveSettings(undefined),
      resolveSettings({ childPughAlbuminMiddleLow: 3, pairingDays: 3 } as Partial<EngineSettings>),
    ];
    const inputsList = [{}, { ascites: 'mild' as const, encephalopathy: 'none' as const }];
    let n = 0;
    for (const t of [...scenarioTimelines, ...generatedTimelines()])
      for (const settings of settingsList)
        for (const day of [AS_OF, '2026-06-01', '2026-06-20', '2025-01-01'])
          for (const inputs of inputsList)
            for (const clinical of [undefined, liverClinicalAt(t, day, day === AS_OF, inputs)])
              for (const from of [undefined, dayNumber(day) - 30]) {
                n += 1;
                same(
                  childPughAt(t, day, settings, clinical, from),
                  refChildPughAt(t, day, settings, clinical, from),
                );
              }
    expect(n).toBeGreaterThan(1000);
  });
});
