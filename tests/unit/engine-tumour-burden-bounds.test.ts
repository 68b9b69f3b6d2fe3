import { describe, expect, it } from 'vitest';
import type { ImagingFinding, LargestDiameterFinding, TumorCountFinding } from '../../src/domain/imaging';
import { evaluate } from '../../src/engine/index';
import { f, imaging, timeline } from './engine-factories';

/**
 * Issue 9: a tumour count or a size the report gives only as a bound ("multiple" lesions; the size of one new
 * nodule among several) decides up-to-seven only when the bound already decides it — otherwise indeterminate with
 * the missing item named, never "within" (a false not-met of TACE unsuitability) and never an invented number.
 */
const AS_OF = '2026-11-01';
const many = (): ImagingFinding => ({ ...(f.count(2) as TumorCountFinding), atLeast: true });
const partial = (cm: number): ImagingFinding => ({
  ...(f.diameter(cm) as LargestDiameterFinding),
  lowerBound: true,
});

function upToSeven(findings: ImagingFinding[]) {
  const result = evaluate(timeline({ imaging: [imaging('ct1', '2026-10-01', findings)] }), { asOf: AS_OF });
  const unsuitability = result.criteria.find((c) => c.id === 'tace-unsuitability');
  const beyond = unsuitability?.subcriteria.find((s) => s.id === 'beyond-up-to-seven');
  return { score: result.scores.upToSeven, beyond };
}

describe('up-to-seven with bounds', () => {
  it('exact count and largest: decided (3.1 cm + 2 = 5.1, within)', () => {
    const { score, beyond } = upToSeven([f.count(2), f.diameter(3.1)]);
    expect(score).toMatchObject({ value: 5.1, category: 'within up-to-seven' });
    expect(beyond?.status).toBe('not-met');
  });
  it('"multiple" tumours with a small largest: indeterminate, exact number named as missing', () => {
    const { score, beyond } = upToSeven([many(), f.diameter(3)]);
    expect(score.category).toBeNull();
    expect(score.missing.join(' ')).toMatch(/exact number of tumours/);
    expect(beyond?.status).toBe('indeterminate');
  });
  it('"multiple" tumours with a 6 cm largest: beyond already (6 + at least 2 > 7)', () => {
    const { score, beyond } = upToSeven([many(), f.diameter(6)]);
    expect(score.category).toBe('beyond up-to-seven');
    expect(beyond?.status).toBe('met');
  });
  it('a size that is not the largest, small sum: indeterminate, largest diameter named as missing', () => {
    const { score, beyond } = upToSeven([f.count(4), partial(1.2)]);
    expect(score.category).toBeNull();
    expect(score.missing.join(' ')).toMatch(/largest tumour diameter/);
    expect(beyond?.status).toBe('indeterminate');
  });
  it('a size that is not the largest, sum already beyond: beyond (1.3 cm + 7 > 7)', () => {
    const { score, beyond } = upToSeven([f.count(7), partial(1.3)]);
    expect(score.category).toBe('beyond up-to-seven');
    expect(beyond?.status).toBe('met');
  });
  it('two exact counts that disagree in one report: no count, indeterminate', () => {
    const { score, beyond } = upToSeven([f.count(2), f.count(5), f.diameter(3.1)]);
    expect(score.category).toBeNull();
    expect(beyond?.status).toBe('indeterminate');
  });
  it('the largest of several stated sizes is used', () => {
    const { score } = upToSeven([f.count(3), f.diameter(2.4), f.diameter(4.3), f.diameter(1.6)]);
    expect(score.value).toBe(7.3);
  });
});
