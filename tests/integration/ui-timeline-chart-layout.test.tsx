import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/index';
import {
  ALBI_BANDS,
  ALBI_RANGE,
  ALBUMIN_RANGE,
  BILIRUBIN_RANGE,
  albiBandOf,
  clinicalRange,
  isoTick,
  overlaps,
  stackLabels,
} from '../../src/ui/timeline/chart-layout';
import { buildTimelineData } from '../../src/ui/timeline/timeline-data';
import {
  allClear,
  f,
  imaging,
  lab,
  labs,
  liverLabs,
  tace,
  therapy,
  timeline,
} from '../unit/engine-factories';

describe('axis ranges a clinician expects', () => {
  it('albumin stays about 2–5 g/dL and widens only when a value falls outside', () => {
    expect(clinicalRange([3.4, 3.6, 3.5], ALBUMIN_RANGE)).toEqual([2, 5]);
    const low = clinicalRange([1.6, 3.5], ALBUMIN_RANGE);
    expect(low[0]).toBeLessThan(1.6);
    expect(low[1]).toBe(5);
    const high = clinicalRange([5.4], ALBUMIN_RANGE);
    expect(high[0]).toBe(2);
    expect(high[1]).toBeGreaterThan(5.4);
  });

  it('bilirubin starts at 0: a flat 0.76–0.82 mg/dL series does not fill the height', () => {
    const [lo, hi] = clinicalRange([0.76, 0.82, 0.79], BILIRUBIN_RANGE, 0);
    expect(lo).toBe(0);
    expect(hi).toBe(3);
    // The data span is a small part of the axis (under 5 %).
    expect((0.82 - 0.76) / (hi - lo)).toBeLessThan(0.05);
    // A high value widens the top only; the floor stays 0.
    const [lo2, hi2] = clinicalRange([0.5, 6.2], BILIRUBIN_RANGE, 0);
    expect(lo2).toBe(0);
    expect(hi2).toBeGreaterThan(6.2);
  });

  it('the ALBI axis shows every grade band and widens to the data', () => {
    expect(clinicalRange([-2.9, -2.5], ALBI_RANGE)).toEqual([...ALBI_RANGE]);
    expect(ALBI_RANGE[0]).toBeLessThan(-2.6);
    expect(ALBI_RANGE[1]).toBeGreaterThan(-1.39);
    expect(clinicalRange([-0.4], ALBI_RANGE)[1]).toBeGreaterThan(-0.4);
  });
});

describe('ALBI grade bands (clinical-reference.md §3)', () => {
  it('grade 1 ≤ −2.60, 2a ≤ −2.27, 2b ≤ −1.39, grade 3 above, edges inclusive on the lower grade', () => {
    expect(albiBandOf(-2.6)).toBe('1');
    expect(albiBandOf(-2.59)).toBe('2a');
    expect(albiBandOf(-2.27)).toBe('2a');
    expect(albiBandOf(-2.26)).toBe('2b');
    expect(albiBandOf(-1.39)).toBe('2b');
    expect(albiBandOf(-1.38)).toBe('3');
    expect(ALBI_BANDS.map((b) => b.id)).toEqual(['1', '2a', '2b', '3']);
    // Contiguous: each band starts where the previous one ends.
    for (let i = 1; i < ALBI_BANDS.length; i++) expect(ALBI_BANDS[i]?.from).toBe(ALBI_BANDS[i - 1]?.to);
    expect(ALBI_BANDS.map((b) => b.label).join(' ')).toMatch(/−2\.60.*−2\.27.*−1\.39/);
  });
});

describe('ISO dates on the time axis', () => {
  const t = Date.UTC(2026, 4, 7) / 1000;
  it('YYYY-MM-DD for ticks under a month apart, YYYY-MM otherwise; never a month name or M/D', () => {
    expect(isoTick(t, 7 * 86_400)).toBe('2026-05-07');
    expect(isoTick(t, 86_400)).toBe('2026-05-07');
    expect(isoTick(t, 30 * 86_400)).toBe('2026-05');
    expect(isoTick(t, 365 * 86_400)).toBe('2026-05');
    for (const incr of [3600, 86_400, 30 * 86_400, 365 * 86_400])
      expect(isoTick(t, incr)).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
  });
});

describe('collision-aware treatment labels', () => {
  it('labels far apart share one row', () => {
    const r = stackLabels(
      [
        { x: 0, width: 40 },
        { x: 100, width: 40 },
        { x: 200, width: 40 },
      ],
      1000,
    );
    expect(r.rows).toBe(1);
    expect(r.placed.map((p) => p.row)).toEqual([0, 0, 0]);
  });

  it('close labels stagger into rows, every label is placed and none overlaps another', () => {
    const items = Array.from({ length: 22 }, (_, i) => ({ x: i * 25, width: 48 }));
    const r = stackLabels(items, 600);
    expect(r.placed).toHaveLength(22);
    expect(r.rows).toBeGreaterThan(1);
    for (let i = 0; i < items.length; i++)
      for (let j = i + 1; j < items.length; j++) {
        const a = { ...(r.placed[i] as { left: number; row: number }), width: items[i]?.width ?? 0 };
        const b = { ...(r.placed[j] as { left: number; row: number }), width: items[j]?.width ?? 0 };
        expect(overlaps(a, b), `labels ${i} and ${j}`).toBe(false);
      }
  });

  it('keeps the input order in its answer and flips a label left of its line at the right edge', () => {
    const r = stackLabels(
      [
        { x: 500, width: 40 },
        { x: 10, width: 40 },
      ],
      520,
    );
    expect(r.placed[1]).toEqual({ left: 13, row: 0 });
    expect(r.placed[0]?.left).toBe(500 - 3 - 40);
  });

  it('the same day twice goes to two rows', () => {
    const r = stackLabels(
      [
        { x: 50, width: 40 },
        { x: 50, width: 90 },
      ],
      1000,
    );
    expect(r.placed.map((p) => p.row).sort()).toEqual([0, 1]);
  });
});

describe('timeline data: names, sources and every imaging response', () => {
  const tl = timeline({
    treatments: [
      tace('t1', '2026-01-10', 'tace-deb'),
      tace('t2', '2026-03-10'),
      { ...tace('rfa1', '2026-05-01'), kind: 'ablation' as const },
      { ...tace('tare1', '2026-06-01'), kind: 'tare' as const },
    ],
    therapies: [
      therapy('mr-a', 'atezolizumab', '2026-07-01'),
      therapy('mr-b', 'bevacizumab', '2026-07-01'),
      therapy('mr-l', 'lenvatinib', '2026-08-01'),
    ],
    imaging: [
      imaging('dr-1', '2026-02-20', [f.response('mrecist', 'SD'), f.viable(70), ...allClear()]),
      // Outside any session window: still plotted, with its words.
      imaging('dr-cr', '2026-09-30', [f.response('mrecist', 'CR'), ...allClear()], 'MR'),
    ],
    labs: labs(
      ...liverLabs('2026-01-05', 0.8, 3.5, 1.1),
      ...liverLabs('2026-03-05', 0.9, 3.3, 1.1),
      lab('afp', 12, '2026-01-05'),
    ),
  });
  const d = buildTimelineData(tl, evaluate(tl, { asOf: '2026-10-15' }));

  it('numbers TACE sessions and names other treatments and regimens (never "Tx")', () => {
    expect(d.events.map((e) => e.label)).toEqual([
      'TACE 1',
      'TACE 2',
      'RFA/MWA',
      'TARE',
      'atezolizumab + bevacizumab',
      'lenvatinib',
    ]);
    expect(d.events.map((e) => e.label).join(' ')).not.toMatch(/\bTx\b/);
    expect(d.events[0]?.detail).toBe('TACE 1: DEB-TACE');
  });

  it('plots every imaging assessment, a complete response in words', () => {
    expect(d.imaging.map((i) => i.day)).toEqual(['2026-02-20', '2026-09-30']);
    const cr = d.imaging[1];
    expect(cr?.short).toBe('complete response (mRECIST)');
    expect(cr?.label).not.toMatch(/response OR|\bOR\b/);
    expect(cr?.sourceText).toBe('MRI report 2026-09-30');
    expect(d.imaging[0]?.session).toBe('TACE 1');
    expect(d.imaging[0]?.label).toMatch(/stable disease \(mRECIST\), viable 70 %/);
  });

  it('names sources in words, not resource ids', () => {
    const texts = [
      ...d.events.map((e) => e.sourceText),
      ...d.imaging.map((i) => i.sourceText),
      ...d.labs.albumin.map((p) => p.sourceText),
      ...d.albi.map((p) => p.sourceText),
    ];
    for (const t of texts)
      expect(t).not.toMatch(/Procedure\/|Observation\/|DiagnosticReport\/|MedicationRequest\//);
    expect(d.labs.albumin[0]?.sourceText).toBe('Albumin 3.5 g/dL (2026-01-05)');
    expect(d.events[0]?.sourceText).toBe('procedure record 2026-01-10');
    expect(d.events.find((e) => e.label.startsWith('atezolizumab'))?.sourceText).toBe(
      '2 medication orders 2026-07-01',
    );
    const before1 = d.albi.find((p) => p.session === '2026-01-10' && p.when === 'before');
    expect(before1?.sessionLabel).toBe('TACE 1');
    expect(before1?.sourceText).toMatch(/2026-01-05/);
    expect(before1?.mGrade).toBe(albiBandOf(before1?.score ?? 0));
  });
});
