import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/index';
import type { AssessmentResult } from '../../src/engine/result';
import { addDays, f, imaging, lab, labs, tace, timeline } from './engine-factories';

/**
 * Kudo 2025 (Interv Radiol 10:e2023-0035, Table 1) worked example — the "ABC conversion" course the review
 * describes: an intermediate-stage patient on atezolizumab + bevacizumab whose residual nodule is treated with
 * superselective TACE, reaching CR by mRECIST; AFP, AFP-L3 and PIVKA-II then stay normal. Clinical CR needs
 * > 6 weeks of normal markers; drug-off needs > 12 weeks (setting; 12–24) and no intranodular arterial flow on
 * contrast ultrasound (a clinician input).
 */
const TACE_DAY = '2025-03-03';
const CT_DAY = addDays(TACE_DAY, 42); // response CT/MRI in the 1–3-month window
const normalMarkers = (fromDay: number, toDay: number, step = 14) => {
  const out = [];
  for (let d = fromDay; d <= toDay; d += step) {
    out.push(
      lab('afp', 3.1, addDays(TACE_DAY, d)),
      lab('afpL3', 4, addDays(TACE_DAY, d)),
      lab('pivka', 19, addDays(TACE_DAY, d)),
    );
  }
  return out;
};
const patient = (markerEnd: number) =>
  timeline({
    treatments: [tace('superselective-tace', TACE_DAY)],
    imaging: [
      imaging('mri-baseline', addDays(TACE_DAY, -20), [f.count(1), f.diameter(2.4)], 'MR'),
      imaging(
        'mri-response',
        CT_DAY,
        [f.response('mrecist', 'CR'), f.newLesions('absent'), f.vi('absent')],
        'MR',
      ),
    ],
    labs: labs(
      lab('afp', 240, addDays(TACE_DAY, -10)),
      lab('afpL3', 22, addDays(TACE_DAY, -10)),
      lab('pivka', 310, addDays(TACE_DAY, -10)),
      ...normalMarkers(14, markerEnd),
    ),
  });

const status = (r: AssessmentResult, id: string) => r.criteria.find((c) => c.id === id)?.status;

describe('Kudo 2025 worked example: clinical CR, then drug-off', () => {
  it('six weeks in: CR on MRI but markers normal for only 4 weeks → clinical CR not yet decided', () => {
    const r = evaluate(patient(42), { asOf: addDays(TACE_DAY, 45) });
    expect(status(r, 'clinical-cr')).not.toBe('met');
  });

  it('ten weeks in: markers normal > 6 weeks → clinical CR met; drug-off not yet (needs > 12 weeks)', () => {
    const r = evaluate(patient(70), { asOf: addDays(TACE_DAY, 72) });
    expect(status(r, 'clinical-cr')).toBe('met');
    expect(status(r, 'drug-off')).not.toBe('met');
  });

  it('sixteen weeks in with no arterial flow on CEUS → drug-off met; without the CEUS result → indeterminate', () => {
    const t = patient(126);
    const asOf = addDays(TACE_DAY, 130);
    expect(status(evaluate(t, { asOf, inputs: { noIntranodularFlowOnCeus: true } }), 'drug-off')).toBe('met');
    const unknown = evaluate(t, { asOf });
    expect(status(unknown, 'drug-off')).toBe('indeterminate');
    const ceus = unknown.criteria
      .find((c) => c.id === 'drug-off')
      ?.subcriteria.find((s) => s.id === 'no-arterial-flow-ceus');
    expect(ceus?.missing.join(' ')).toMatch(/contrast ultrasound/);
  });

  it('a new arterially enhancing nodule on the next MRI ends the clinical CR', () => {
    const t = patient(126);
    const relapse = {
      ...t,
      imaging: [
        ...t.imaging,
        imaging(
          'mri-relapse',
          addDays(TACE_DAY, 120),
          [f.response('mrecist', 'PD'), f.newLesions('present')],
          'MR',
        ),
      ],
    };
    expect(status(evaluate(relapse, { asOf: addDays(TACE_DAY, 130) }), 'clinical-cr')).toBe('not-met');
  });
});
