/**
 * Issue 10 item 5 — values, units and codes in the lab mapper. Observations are written the way EHRs send them:
 * Oracle Health Millennium (a code-set-72 event code beside LOINC, `valueQuantity.unit` only, `issued`; shape of
 * R4_OBSERVATION_BUNDLE.json "L-206310347" and "VS-CV-55046871-SECT-8098" in shared/real-world-fhir), Synthea
 * (LOINC display as text, UCUM code and unit) and US Core observation-serum-creatinine.json. Local codes, values
 * and ids are made up; the shapes are not. Each test names what the former mapper did with the same resource.
 */
import { describe, expect, it } from 'vitest';
import { ANALYTE_IDS } from '../../src/domain/labs';
import type { AnalyteId } from '../../src/domain/labs';
import { CANONICAL_UNITS, toCanonical } from '../../src/domain/units';
import { evaluate } from '../../src/engine/index';
import {
  LAB_CODES,
  PROCEDURE_CODES,
  SYSTEMS,
  codingMatches,
  conceptMatches,
  normalizeSystem,
} from '../../src/fhir/codes';
import { modifierExtensionIssue } from '../../src/fhir/map/common';
import { mapObservations, readNumberText } from '../../src/fhir/map/labs';
import { mapProcedures } from '../../src/fhir/map/procedures';
import { timeline } from './engine-factories';

/** The Millennium sandbox tenant's code set 72 (event codes), as in the Oracle Health examples. */
const CS72 = 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/72';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

let n = 0;
/** An Oracle Health Millennium lab Observation: event code + LOINC, text = event display, unit only. */
function millennium(
  loinc: string | undefined,
  display: string,
  value: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  n += 1;
  return {
    resourceType: 'Observation',
    id: `L-2063103${String(n).padStart(2, '0')}`,
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'laboratory',
            display: 'Laboratory',
          },
        ],
        text: 'Laboratory',
      },
    ],
    code: {
      coding: [
        { system: CS72, code: String(2552299100 + n), display, userSelected: true },
        ...(loinc === undefined ? [] : [{ system: LOINC, code: loinc }]),
      ],
      text: display,
    },
    subject: { reference: 'Patient/12724066' },
    encounter: { reference: 'Encounter/97953477' },
    effectiveDateTime: '2026-03-02T07:45:00.000Z',
    issued: '2026-03-02T09:12:00.000Z',
    ...value,
    ...extra,
  };
}

const text = (s: string) => ({ valueString: s });
const qty = (value: number, unit: string, code?: string) => ({
  valueQuantity: { value, unit, ...(code === undefined ? {} : { system: UCUM, code }) },
});

function one(resource: Record<string, unknown>) {
  const { series, issues } = mapObservations([resource]);
  const all = Object.values(series).flat();
  return { m: all[0], all, issues, series };
}

describe('numbers written with separators are read or refused, never misread', () => {
  it.each([
    // [text, analyte, LOINC, value, what the former mapper did]
    ['1,234 ng/mL', 'afp', '1834-1', 1234, 'read 1.234 ng/mL'],
    ['1,234.5 ng/mL', 'afp', '1834-1', 1234.5, 'refused: unit ".5 ng/mL"'],
    ['12,345.6 ng/mL', 'afp', '1834-1', 12345.6, 'refused: unit ".6 ng/mL"'],
    ['1,234,567 ng/mL', 'afp', '1834-1', 1234567, 'read 1.234 ng/mL'],
    ['2,150 mAU/mL', 'pivka', '93768-0', 2150, 'read 2.15 mAU/mL'],
  ] as const)('"%s" → %s %s = %s (was: %s)', (s, analyte, loinc, value, _formerly) => {
    const { m, issues } = one(millennium(loinc, 'Lab', text(s)));
    expect(issues).toEqual([]);
    expect(m?.analyte).toBe(analyte);
    expect(m?.value).toBe(value);
    expect(m?.notes?.[0]).toContain('thousands separators removed');
  });

  it('censored ">2,000 ng/mL" keeps its comparator and reads 2000 (was > 2 ng/mL)', () => {
    const { m, issues } = one(millennium('1834-1', 'AFP Tumor Marker', text('>2,000 ng/mL')));
    expect(issues).toEqual([]);
    expect(m).toMatchObject({ comparator: '>', value: 2000, unit: 'ng/mL' });
  });

  it.each([
    ['>2000 ng/mL', '>', 2000],
    ['< 2.0 ng/mL', '<', 2],
    ['≤ 5', '<=', 5],
    ['>=1000', '>=', 1000],
  ] as const)('censored "%s" still reads %s %s', (s, comparator, value) => {
    const o = millennium('1834-1', 'AFP', text(s), {
      referenceRange: [{ high: { value: 10, unit: 'ng/mL' } }],
    });
    const { m, issues } = one(o);
    expect(issues).toEqual([]);
    expect(m).toMatchObject({ comparator, value });
  });

  it('albumin "3,4 g/dL" (European decimal comma) is 3.4 g/dL: 34 g/dL is impossible — and the note says why', () => {
    const { m, issues } = one(millennium('1751-7', 'Albumin Lvl', text('3,4 g/dL')));
    expect(issues).toEqual([]);
    expect(m?.value).toBe(3.4);
    // The former mapper read 3.4 too, but silently: any analyte, any range.
    expect(m?.notes?.join(' ')).toMatch(
      /"3,4 g\/dL" read as 3\.4 g\/dL: .*decimal comma.*34 g\/dL is impossible/,
    );
  });

  it.each([
    ['3,4 ng/mL', '1834-1', 'AFP: 3.4 and 34 ng/mL are both plausible (was 3.4)'],
    ['<0,5 mg/dL', '1975-2', 'bilirubin: 0.5 and 5 mg/dL both plausible (was < 0.5)'],
    ['1.250 ng/mL', '1834-1', 'AFP: 1.25 or a thousands point, 1250 (was 1.25)'],
    ['12,5 U/L', '1742-6', 'ALT: 12.5 or 125 U/L (was 12.5)'],
  ] as const)('"%s" (LOINC %s) is an "ambiguous number" data issue — %s', (s, loinc, _why) => {
    const { all, issues } = one(millennium(loinc, 'Lab', text(s)));
    expect(all).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.reason).toContain(`ambiguous number "${s}"`);
    expect(issues[0]?.reason).toContain('not used');
    expect(issues[0]?.kind).toBe('malformed');
  });

  it('creatinine "1.250 mg/dL" is 1.25: 1250 mg/dL is impossible', () => {
    const { m, issues } = one(millennium('2160-0', 'Creatinine', text('1.250 mg/dL')));
    expect(issues).toEqual([]);
    expect(m?.value).toBe(1.25);
  });

  it.each(['1.234,5 ng/mL', '1,23,456 ng/mL', '1,2345 ng/mL', '5. ng/mL'])(
    '"%s" is refused with the reason',
    (s) => {
      const { all, issues } = one(millennium('1834-1', 'AFP', text(s)));
      expect(all).toEqual([]);
      expect(issues[0]?.reason).toContain('cannot be read unambiguously');
    },
  );

  it('valueCodeableConcept and no value at all stay data issues', () => {
    const coded = millennium('1834-1', 'AFP', { valueCodeableConcept: { text: 'Positive' } });
    const none = millennium('1834-1', 'AFP', {});
    const { series, issues } = mapObservations([coded, none]);
    expect(series.afp).toBeUndefined();
    expect(issues.map((i) => i.id)).toEqual([coded.id, none.id]);
    expect(issues[0]?.reason).toContain('coded value "Positive" is not a number');
    expect(issues[1]?.reason).toContain('no value');
  });

  it.each([
    ['1234', { kind: 'number', value: 1234 }],
    ['12.5', { kind: 'number', value: 12.5 }],
    ['0.125', { kind: 'number', value: 0.125 }],
    ['1,234', { kind: 'number', value: 1234 }],
    ['3,4', { kind: 'ambiguous', value: 3.4, other: 34 }],
    ['3,45', { kind: 'ambiguous', value: 3.45, other: 345 }],
    ['1.250', { kind: 'ambiguous', value: 1.25, other: 1250 }],
    ['0,1234', { kind: 'refused' }],
    ['1.234.567', { kind: 'refused' }],
  ] as const)('readNumberText("%s")', (token, expected) => {
    expect(readNumberText(token)).toMatchObject(expected);
  });
});

/**
 * Unit spellings real exports use, each resolved to the app's UCUM unit. The factor expected is hand-checked from
 * UCUM's definitions (unitsofmeasure.org, "The Unified Code for Units of Measure", §4 prefixes: d = 10⁻¹,
 * m = 10⁻³, u = 10⁻⁶, n = 10⁻⁹; "10*3" = 10³; L = dm³, so 1 mm³ = 1 uL) and, for µmol ↔ mg, the molar mass:
 * bilirubin 584.66 g/mol, creatinine 113.12 g/mol (PubChem). The app's constants (17.1, 88.42) are the clinical
 * conventions; they agree with the molar-mass factor within 0.1 %, which is the tolerance checked here.
 */
describe('unit alias table against UCUM factors', () => {
  const MG_DL_PER_UMOL_L = (molarMass: number) => (molarMass * 1e-6 * 1e3) / 10; // µmol/L × g/mol → mg/dL
  const rows: [AnalyteId, string, string, number][] = [
    // [analyte, spelling as sent, UCUM unit it means, factor to the canonical unit by UCUM]
    ['albumin', 'gm/dL', 'g/dL', 1],
    ['albumin', 'g/dl', 'g/dL', 1],
    ['albumin', 'GM/DL', 'g/dL', 1],
    ['albumin', 'g/L', 'g/L', 0.1], // g/L → g/dL: d = 10⁻¹
    ['platelets', 'x10E3/uL', '10*3/uL', 1],
    ['platelets', 'x10^3/uL', '10*3/uL', 1],
    ['platelets', '10*3/uL', '10*3/uL', 1],
    ['platelets', 'Thousand/uL', '10*3/uL', 1],
    ['platelets', 'K/uL', '10*3/uL', 1],
    ['platelets', 'K/mm3', '10*3/mm3', 1], // mm³ = uL
    ['platelets', 'x10^3/mcL', '10*3/uL', 1],
    ['platelets', 'x10E9/L', '10*9/L', 1], // 10⁹/L = 10⁹/10⁶ uL = 10³/uL
    ['bilirubin', 'mg/dl', 'mg/dL', 1],
    ['bilirubin', 'umol/L', 'umol/L', MG_DL_PER_UMOL_L(584.66)],
    ['bilirubin', 'µmol/L', 'umol/L', MG_DL_PER_UMOL_L(584.66)],
    ['bilirubin', 'micromol/L', 'umol/L', MG_DL_PER_UMOL_L(584.66)],
    ['creatinine', 'mg/dl', 'mg/dL', 1],
    ['creatinine', 'umol/L', 'umol/L', MG_DL_PER_UMOL_L(113.12)],
    ['creatinine', 'µmol/L', 'umol/L', MG_DL_PER_UMOL_L(113.12)],
    ['creatinine', 'micromol/L', 'umol/L', MG_DL_PER_UMOL_L(113.12)],
    ['creatinine', 'mmol/L', 'mmol/L', 1000 * MG_DL_PER_UMOL_L(113.12)], // m = 10³ u
    ['ast', 'IU/L', 'U/L', 1], // enzyme IU = U (1 µmol/min)
    ['ast', 'U/L', 'U/L', 1],
    ['alt', 'IU/L', 'U/L', 1],
    ['alt', 'U/L', 'U/L', 1],
    ['afp', 'ng/ml', 'ng/mL', 1],
    ['afp', 'ug/L', 'ug/L', 1], // ug/L = 10⁻⁶ g / 10³ mL = 10⁻⁹ g/mL
    ['afp', 'IU/mL', '[IU]/mL', 1.21], // not a UCUM conversion: WHO 72/225 (clinical-reference.md §4)
    ['pivka', 'mAU/mL', 'm[AU]/mL', 1],
    ['afpL3', '%', '%', 1],
  ];
  it.each(rows)('%s "%s" (UCUM %s) → canonical × %s', (analyte, spelling, _ucum, factor) => {
    const c = toCanonical(analyte, 1, spelling);
    expect(c.ok, spelling).toBe(true);
    if (!c.ok) return;
    expect(c.unit).toBe(CANONICAL_UNITS[analyte]);
    expect(Math.abs(c.factor / factor - 1)).toBeLessThan(1e-3);
  });

  it('a spelling the table does not know is still refused (never guessed)', () => {
    expect(toCanonical('albumin', 3.4, 'gm%').ok).toBe(false);
    expect(toCanonical('platelets', 150, 'x10E6/uL').ok).toBe(false);
    expect(toCanonical('creatinine', 0.09, 'mol/L').ok).toBe(false);
    for (const a of ANALYTE_IDS) expect(toCanonical(a, 1, 'furlongs').ok).toBe(false);
  });

  it('creatinine "0.088 mmol/L" maps to 0.995 mg/dL (88.42 µmol/L per mg/dL) with the conversion shown', () => {
    const { m, issues } = one(millennium('2160-0', 'Creatinine', qty(0.088, 'mmol/L')));
    expect(issues).toEqual([]);
    expect(m?.value).toBeCloseTo((0.088 * 1000) / 88.42, 10);
    expect(m?.conversion).toContain('88.42');
  });

  it('mALBI 2b from a Millennium export with "gm/dL" and "micromol/L" (was indeterminate: both units refused)', () => {
    const alb = millennium('1751-7', 'Albumin Lvl', qty(3.2, 'gm/dL'));
    const bili = millennium('1975-2', 'Bili Total', qty(20, 'micromol/L'));
    const plt = millennium('777-3', 'Platelet', qty(142, 'x10E3/uL'));
    const { series, issues } = mapObservations([alb, bili, plt]);
    expect(issues).toEqual([]);
    expect(series.albumin?.[0]?.value).toBe(3.2);
    expect(series.platelets?.[0]?.value).toBe(142);
    const albi = evaluate(timeline({ labs: series }), { asOf: '2026-04-01' }).scores.albi;
    // ALBI = 0.66 × log10(20) − 0.085 × 32 = −1.861 (Johnson 2015): grade 2, mALBI 2b (> −2.270, Hiraoka 2017).
    expect(albi.value).toBeCloseTo(0.66 * Math.log10(20) - 0.085 * 32, 2);
    expect(albi.mGrade).toBe('2b');
  });
});

describe('code systems sent as OIDs', () => {
  it.each([
    ['urn:oid:2.16.840.1.113883.6.1', SYSTEMS.loinc],
    ['urn:oid:2.16.840.1.113883.6.96', SYSTEMS.snomed],
    ['urn:oid:2.16.840.1.113883.6.12', SYSTEMS.cpt],
    [' urn:oid:2.16.840.1.113883.6.1 ', SYSTEMS.loinc],
    ['http://loinc.org', SYSTEMS.loinc],
    ['urn:oid:2.16.840.1.113883.6.238', 'urn:oid:2.16.840.1.113883.6.238'], // CDC race: not ours, unchanged
  ])('normalizeSystem(%j) = %s', (given, expected) => {
    expect(normalizeSystem(given)).toBe(expected);
  });

  it('LOINC as urn:oid matches on code (was "code not in the lab value sets")', () => {
    const o = {
      ...millennium(undefined, 'x', qty(1.1, 'mg/dL', 'mg/dL')),
      code: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '1975-2' }] },
    };
    const { m, issues } = one(o);
    expect(issues).toEqual([]);
    expect(m?.analyte).toBe('bilirubin');
    expect(m?.notes).toBeUndefined(); // matched by code, not by name
  });

  it('the OID of another system never matches a LOINC code', () => {
    expect(codingMatches(LAB_CODES.afp, { system: 'urn:oid:2.16.840.1.113883.6.96', code: '1834-1' })).toBe(
      false,
    );
  });

  it('CPT as urn:oid:2.16.840.1.113883.6.12 matches the TACE value set and is read by the procedure mapper', () => {
    const coding = { system: 'urn:oid:2.16.840.1.113883.6.12', code: '37243' };
    expect(codingMatches(PROCEDURE_CODES.tace, coding)).toBe(true);
    const { sessions } = mapProcedures([
      {
        resourceType: 'Procedure',
        id: 'proc-oid',
        status: 'completed',
        code: { coding: [coding], text: 'Chemoembolization of hepatic tumor' },
        subject: { reference: 'Patient/p1' },
        performedDateTime: '2026-02-02',
      },
    ]);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.kind).toMatch(/tace/);
  });
});

describe('names as a fallback when no code matches', () => {
  it.each([
    ['AFP', 'afp', qty(12, 'ng/mL')],
    ['Alpha-1-Fetoprotein', 'afp', qty(12, 'ng/mL')],
    ['AFP SerPl-mCnc', 'afp', qty(12, 'ng/mL')],
    ['ALB', 'albumin', qty(3.5, 'g/dL')],
    ['Albumin SerPl-mCnc', 'albumin', qty(3.5, 'g/dL')],
    ['Bilirubin, Total', 'bilirubin', qty(1.2, 'mg/dL')],
    ['TBIL', 'bilirubin', qty(1.2, 'mg/dL')],
    ['Total Bili', 'bilirubin', qty(1.2, 'mg/dL')],
    ['Bilirub SerPl-mCnc', 'bilirubin', qty(1.2, 'mg/dL')],
    ['PT-INR', 'inr', qty(1.3, '')],
    ['DCP', 'pivka', qty(40, 'mAU/mL')],
    ['PIVKA-II', 'pivka', qty(40, 'mAU/mL')],
    ['Creat SerPl-mCnc', 'creatinine', qty(0.9, 'mg/dL')],
  ] as const)(
    'Millennium local code "%s" → %s, the evidence says "matched by name"',
    (name, analyte, value) => {
      const { m, issues } = one(millennium(undefined, name, value));
      expect(issues).toEqual([]);
      expect(m?.analyte).toBe(analyte);
      expect(m?.notes?.join(' ')).toContain(`analyte matched by name: the text "${name}"`);
    },
  );

  it('a LOINC code outside the value sets is named in the by-name note', () => {
    // 2862-1: albumin by electrophoresis, not in codes.ts.
    const { m } = one(millennium('2862-1', 'Albumin', qty(3.5, 'g/dL')));
    expect(m?.notes?.join(' ')).toContain('its code LOINC 2862-1 is not in the app');
  });

  it.each([
    ['Albumin, urine', qty(3, 'g/dL')],
    ['Albumin Ur-mCnc', qty(3, 'g/dL')],
    ['Albumin, Body Fluid', qty(1.1, 'g/dL')],
    ['Albumin Prt fld-mCnc', qty(1.1, 'g/dL')],
    ['Prealbumin', qty(2, 'g/L')],
    ['Albumin/Globulin Ratio', qty(1.2, 'g/dL')],
    ['Bilirubin, Direct', qty(0.3, 'mg/dL')],
    ['Bilirub Direct SerPl-mCnc', qty(0.3, 'mg/dL')],
    ['Direct Bili', qty(0.3, 'mg/dL')],
    ['Delta Bili', qty(0.3, 'mg/dL')],
    ['Prothrombin Time Ratio', qty(1.1, 's')],
    ['AFP MoM', qty(1.1, 'ng/mL')],
    ['AFP, Amniotic Fluid', qty(12, 'ng/mL')],
    ['Creatinine, urine', qty(80, 'mg/dL')],
    ['Mean Platelet Volume', qty(10, 'K/uL')],
  ] as const)('"%s" is not the serum analyte: listed, not used (was read by name)', (name, value) => {
    const { all, issues } = one(millennium(undefined, name, value));
    expect(all).toEqual([]);
    expect(issues[0]?.reason).toContain('code not in the lab value sets');
  });

  it('the name is not consulted when a code matched', () => {
    expect(
      conceptMatches(LAB_CODES.albumin, { coding: [{ system: LOINC, code: '1751-7' }], text: 'ALB' }),
    ).toBe('code');
  });
});

describe('component-coded panels', () => {
  /** A hepatic function panel (LOINC 24325-3) sent as one Observation, Millennium style, results in component[]. */
  const panel = (components: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    millennium('24325-3', 'Hepatic Function Panel', {}, { component: components, ...extra });
  const comp = (
    local: string,
    display: string,
    loinc: string | undefined,
    value: Record<string, unknown>,
  ) => ({
    code: {
      coding: [
        { system: CS72, code: local, display, userSelected: true },
        ...(loinc === undefined ? [] : [{ system: LOINC, code: loinc }]),
      ],
      text: display,
    },
    ...value,
  });

  it('reads albumin and bilirubin components; total protein listed (the whole panel was dropped)', () => {
    const o = panel([
      comp('703001', 'Albumin Lvl', '1751-7', qty(3.1, 'g/dL', 'g/dL')),
      comp('703002', 'Bili Total', '1975-2', qty(2.4, 'mg/dL', 'mg/dL')),
      comp('703003', 'Protein Total', '2885-2', qty(6.8, 'g/dL', 'g/dL')),
    ]);
    const { series, issues } = mapObservations([o]);
    expect(series.albumin?.[0]).toMatchObject({ value: 3.1, date: '2026-03-02T07:45:00.000Z' });
    expect(series.bilirubin?.[0]?.value).toBe(2.4);
    expect(series.albumin?.[0]?.source).toEqual({
      resourceType: 'Observation',
      id: o.id,
      display: 'Hepatic Function Panel › Albumin Lvl',
    });
    expect(issues).toEqual([
      {
        resourceType: 'Observation',
        id: o.id,
        reason: 'Hepatic Function Panel › Protein Total: code not in the lab value sets (not used)',
        kind: 'unsupported',
      },
    ]);
  });

  it('each component is checked like an Observation: its own unit, value and plausibility', () => {
    const o = panel([
      comp('703001', 'Albumin Lvl', '1751-7', qty(38, 'g/dL')), // meant g/L
      comp('703002', 'Bili Total', '1975-2', text('3,4 mg/dL')), // 3.4 and 34 mg/dL both possible
      comp('703004', 'ALT', '1742-6', qty(41, 'IU/L')),
      { code: { text: '' }, valueQuantity: { value: 1 } },
    ]);
    const { series, issues } = mapObservations([o]);
    expect(series.alt?.[0]?.value).toBe(41);
    expect(series.albumin).toBeUndefined();
    expect(series.bilirubin).toBeUndefined();
    expect(issues.map((i) => i.reason)).toEqual([
      expect.stringContaining('Albumin Lvl: albumin 380 g/L is outside the plausible range'),
      expect.stringContaining('Bili Total: ambiguous number "3,4 mg/dL"'),
      expect.stringContaining('code not in the lab value sets'),
    ]);
  });

  it('a panel of nothing we read is listed once per component; a cancelled panel once', () => {
    const vitals = millennium('2708-6', 'SpO2', qty(95, '%', '%'), {
      component: [
        comp('703569', 'Oxygen Flow Rate', '3151-8', qty(7, 'L/min', 'L/min')),
        comp('2700657', 'FIO2', '3150-0', qty(21, '%', '%')),
      ],
    });
    const cancelled = panel([comp('703001', 'Albumin Lvl', '1751-7', qty(3.1, 'g/dL'))], {
      status: 'cancelled',
    });
    const { series, issues } = mapObservations([vitals, cancelled]);
    expect(Object.keys(series)).toEqual([]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [vitals.id, 'unsupported'],
      [vitals.id, 'unsupported'],
      [cancelled.id, 'excluded'],
    ]);
  });
});

describe('effectiveInstant', () => {
  it('is the date when effectiveDateTime is absent (was "no effective date")', () => {
    const o = millennium('1751-7', 'Albumin Lvl', qty(3.6, 'g/dL'), {
      effectiveDateTime: undefined,
      issued: undefined,
      effectiveInstant: '2026-03-02T07:45:12.345Z',
    });
    const { m, issues } = one(o);
    expect(issues).toEqual([]);
    expect(m?.date).toBe('2026-03-02T07:45:12.345Z');
  });

  it('is checked like any date', () => {
    const o = millennium('1751-7', 'Albumin Lvl', qty(3.6, 'g/dL'), {
      effectiveDateTime: undefined,
      issued: undefined,
      effectiveInstant: '2026-02-30T07:45:12Z',
    });
    expect(one(o).issues[0]?.reason).toContain('not a real calendar date');
  });
});

describe('modifier extensions', () => {
  const MOD = {
    url: 'http://example.org/fhir/StructureDefinition/result-not-validated',
    valueBoolean: true,
  };

  it('an Observation with one is listed and not used (was used as if the extension were absent)', () => {
    const o = millennium('1751-7', 'Albumin Lvl', qty(3.6, 'g/dL'), { modifierExtension: [MOD] });
    const { all, issues } = one(o);
    expect(all).toEqual([]);
    expect(issues).toEqual([
      {
        resourceType: 'Observation',
        id: o.id,
        reason: `Albumin Lvl: has a modifier extension the app does not understand: not used (${MOD.url})`,
        kind: 'unsupported',
      },
    ]);
  });

  it('inside a component or a valueQuantity it counts too', () => {
    const inComponent = millennium(
      '24325-3',
      'Hepatic Function Panel',
      {},
      {
        component: [
          {
            code: { coding: [{ system: LOINC, code: '1751-7' }] },
            valueQuantity: { value: 3.1, unit: 'g/dL' },
            modifierExtension: [MOD],
          },
        ],
      },
    );
    expect(one(inComponent).all).toEqual([]);
    expect(one(inComponent).issues[0]?.reason).toContain('modifier extension');
  });

  it('the shared helper: plain extensions are fine; contained resources are left to whoever resolves them', () => {
    expect(
      modifierExtensionIssue({ resourceType: 'Procedure', id: 'p', extension: [MOD] }, 'Procedure'),
    ).toBe(undefined);
    expect(
      modifierExtensionIssue(
        {
          resourceType: 'Procedure',
          id: 'p',
          contained: [{ resourceType: 'Medication', modifierExtension: [MOD] }],
        },
        'Procedure',
      ),
    ).toBe(undefined);
    expect(
      modifierExtensionIssue({ resourceType: 'Procedure', id: 'p', modifierExtension: [MOD] }, 'Procedure'),
    ).toMatchObject({ id: 'p', kind: 'unsupported' });
    expect(
      modifierExtensionIssue(
        { resourceType: 'Procedure', id: 'p', modifierExtension: [MOD] },
        'Procedure',
        new Set([MOD.url]),
      ),
    ).toBe(undefined);
  });
});

describe('US Core and Synthea shapes still read as before', () => {
  it('US Core observation-serum-creatinine.json', () => {
    const usCore = {
      resourceType: 'Observation',
      id: 'serum-creatinine',
      status: 'final',
      code: {
        coding: [{ system: LOINC, code: '2160-0', display: 'Creat SerPl-mCnc' }],
        text: 'Creatinine, Blood',
      },
      subject: { reference: 'Patient/example' },
      effectiveDateTime: '2005-07-05',
      valueQuantity: { value: 1, unit: 'mg/dL', system: UCUM, code: 'mg/dL' },
      referenceRange: [
        {
          low: { value: 0.2, unit: 'mg/dL', system: UCUM, code: 'mg/dL' },
          high: { value: 0.6, unit: 'mg/dL', system: UCUM, code: 'mg/dL' },
        },
      ],
    };
    const { m, issues } = one(usCore);
    expect(issues).toEqual([]);
    expect(m).toMatchObject({ analyte: 'creatinine', value: 1, referenceRange: { low: 0.2, high: 0.6 } });
  });

  it('Synthea albumin (display with a zero-width space) by code', () => {
    const { m, issues } = one({
      resourceType: 'Observation',
      id: '03857339-7821-46c2-90d2-a58da6b97eb2',
      status: 'final',
      code: {
        coding: [
          { system: LOINC, code: '1751-7', display: 'Albumin [Mass/\u200bvolume] in Serum or Plasma' },
        ],
        text: 'Albumin [Mass/\u200bvolume] in Serum or Plasma',
      },
      subject: { reference: 'urn:uuid:cccb981f-2a12-44d0-b1dd-5404ece3f535' },
      effectiveDateTime: '2008-05-19T07:44:08+00:00',
      issued: '2008-05-19T07:44:08.416+00:00',
      valueQuantity: { value: 4.23552312663609, unit: 'g/dL', system: UCUM, code: 'g/dL' },
    });
    expect(issues).toEqual([]);
    expect(m?.value).toBe(4.23552312663609);
  });
});
