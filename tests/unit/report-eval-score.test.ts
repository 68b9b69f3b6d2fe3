/**
 * The corpus scorer itself (scripts/report-eval/score.ts), on hand-made finding lists: it must count hits and
 * misses the way the label language says, so a reader cannot pass by saying nothing or by saying everything.
 */
import { describe, expect, it } from 'vitest';
import type { ImagingFinding } from '../../src/domain/imaging';
import {
  compareFindings,
  decodeText,
  hasDistractorNumbers,
  parseCorpusFile,
  parseLabels,
  scoreCorpus,
  type CorpusCase,
} from '../../scripts/report-eval/score';

const evidence = { source: { resourceType: 'DiagnosticReport', id: 'x' }, origin: 'text' } as const;
/** A finding without evidence; confidence defaults to high. Loosely typed so fields being added can be tested. */
const f = (x: { type: ImagingFinding['type']; [k: string]: unknown }): ImagingFinding =>
  ({ confidence: 'high', ...x, evidence }) as unknown as ImagingFinding;

const vi = (
  presence: 'present' | 'absent' | 'unknown',
  polarity: 'positive' | 'negative' | 'uncertain' = 'positive',
) => f({ type: 'vascular-invasion', presence, polarity });
const count = (n: number, polarity: 'positive' | 'uncertain' = 'positive') =>
  f({ type: 'tumor-count', count: n, polarity });
const viable = (percent: number, comparator?: '<' | '<=' | '>' | '>=' | '~') =>
  f({ type: 'viable-percent', percent, comparator, basis: 'stated', polarity: 'positive' });

function line(labels: string, text = 'x'): CorpusCase {
  const parsed = parseLabels(labels);
  if ('error' in parsed) throw new Error(parsed.error);
  return {
    file: 't.tsv',
    line: 1,
    family: 'vascular',
    raw: text,
    text,
    labels: parsed.items,
    hasDistractor: false,
  };
}
const compare = (labels: string, findings: ImagingFinding[]) => {
  const r = compareFindings(line(labels), findings);
  return { tp: r.tp.length, fp: r.fp.length, fn: r.fn.length, critical: r.critical.length };
};

describe('corpus parsing', () => {
  it('reads family, text and labels; skips comments; turns \\n and \\r\\n escapes into line breaks', () => {
    const { cases, errors } = parseCorpusFile(
      'a.tsv',
      '# comment\nlayout\tNo new\\nlesions.\\r\\nDone\tnew=absent\n\nvascular\tVp3.\tvi=present;count=2\n',
    );
    expect(errors).toEqual([]);
    expect(cases.map((c) => [c.line, c.family, c.text])).toEqual([
      [2, 'layout', 'No new\nlesions.\r\nDone'],
      [4, 'vascular', 'Vp3.'],
    ]);
    expect(cases[1]?.labels).toEqual([
      { kind: 'vi', value: 'present' },
      { kind: 'count', value: 2 },
    ]);
    expect(decodeText('a\\r\\nb\\nc')).toBe('a\r\nb\nc');
  });

  it('reports bad lines with file:line instead of dropping them', () => {
    const { cases, errors } = parseCorpusFile(
      'b.tsv',
      'nonsense\tx\t-\nvascular\tx\tvi=maybe\nvascular\tonly two fields\nvascular\tx\tresp=recicl:PR\n',
    );
    expect(cases).toEqual([]);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/^b\.tsv:1: unknown family/);
    expect(errors[1]).toMatch(/^b\.tsv:2: cannot parse/);
    expect(errors[3]).toMatch(/^b\.tsv:4: .*recicl/);
  });

  it('parses comparators for viable and lipiodol', () => {
    expect(parseLabels('viable<=10;lipiodol>90;largest=3.2;count=many;resp=mrecist:NR')).toEqual({
      items: [
        { kind: 'viable', comparator: '<=', percent: 10 },
        { kind: 'lipiodol', comparator: '>', percent: 90 },
        { kind: 'largest', cm: 3.2 },
        { kind: 'count', value: 'many' },
        { kind: 'resp', scale: 'mrecist', category: 'NR' },
      ],
    });
  });

  it('spots distractor numbers and leaves plain sentences alone', () => {
    for (const t of [
      'LR-5 in segment 8.',
      'seg. VI lesion',
      'S8 nodule',
      'Vp3 thrombus',
      'TE4.',
      'BCLC stage B.',
      'Comparison: 2025-10-02.',
      'series 5 image 42',
      'decreased by 45 %',
      'sum (−45 %)',
      'previously 3.4 cm',
    ]) {
      expect(hasDistractorNumbers(t), t).toBe(true);
    }
    for (const t of ['Three lesions, the largest 3.1 cm.', 'Necrosis 70 %.', 'No new lesions.']) {
      expect(hasDistractorNumbers(t), t).toBe(false);
    }
  });
});

describe('comparing one line', () => {
  it('presence must match exactly; a false present is critical, a false absent is an error', () => {
    expect(compare('vi=absent', [vi('absent', 'negative')])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('vi=absent', [vi('present')])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 1 });
    expect(compare('vi=uncertain', [vi('present')])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 1 });
    expect(compare('-', [vi('present')])).toEqual({ tp: 0, fp: 1, fn: 0, critical: 1 });
    expect(compare('vi=present', [vi('absent')])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 0 });
    expect(compare('-', [vi('absent', 'negative')])).toEqual({ tp: 0, fp: 1, fn: 0, critical: 0 });
  });

  it('a hedged or low-confidence presence reading counts as uncertain', () => {
    expect(compare('vi=uncertain', [vi('present', 'uncertain')])).toEqual({
      tp: 1,
      fp: 0,
      fn: 0,
      critical: 0,
    });
    expect(compare('vi=uncertain', [vi('unknown')])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    const low = f({
      type: 'extrahepatic-spread',
      presence: 'present',
      polarity: 'positive',
      confidence: 'low',
    });
    expect(compare('ehs=uncertain', [low])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('ehs=present', [low])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 0 });
  });

  it('saying nothing misses every label', () => {
    expect(compare('vi=present;count=3;largest=2.1;resp=mrecist:PR;viable<50', [])).toEqual({
      tp: 0,
      fp: 0,
      fn: 5,
      critical: 0,
    });
  });

  it('counts must equal; a second, different count is a critical false positive; hedged counts are ignored', () => {
    expect(compare('count=3', [count(3)])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('count=3', [count(3), count(2)])).toEqual({ tp: 1, fp: 1, fn: 0, critical: 1 });
    expect(compare('-', [count(1)])).toEqual({ tp: 0, fp: 1, fn: 0, critical: 1 });
    expect(compare('-', [count(3, 'uncertain')])).toEqual({ tp: 0, fp: 0, fn: 0, critical: 0 });
    expect(compare('count=3', [count(3, 'uncertain')])).toEqual({ tp: 0, fp: 0, fn: 1, critical: 0 });
  });

  it('a count flagged atLeast reads as many (structural, before the field exists in the type)', () => {
    const atLeast = { ...count(2), atLeast: true } as ImagingFinding;
    expect(compare('count=many', [atLeast])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('count=many', [count(2)])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 1 });
  });

  it('largest matches within 0.05 cm only', () => {
    const cm = (x: number) => f({ type: 'largest-diameter', cm: x, polarity: 'positive' });
    expect(compare('largest=3.2', [cm(3.24)])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('largest=3.2', [cm(3.3)])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 0 });
    expect(compare('largest=3.2', [cm(3.2), cm(1.4)])).toEqual({ tp: 1, fp: 1, fn: 0, critical: 0 });
  });

  it('responses compare scale and category', () => {
    const resp = (scale: string, category: string, polarity: 'positive' | 'uncertain' = 'positive') =>
      ({ type: 'response', scale, category, polarity, confidence: 'high', evidence }) as ImagingFinding;
    expect(compare('resp=mrecist:PR', [resp('mrecist', 'PR')])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('resp=recist:SD', [resp('mrecist', 'SD')])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 0 });
    expect(compare('-', [resp('mrecist', 'PR', 'uncertain')])).toEqual({ tp: 0, fp: 0, fn: 0, critical: 0 });
    expect(compare('resp=mrecist:NR', [resp('mrecist', 'NR')])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
  });

  it('viable compares value and comparator (~ is exact); wholly ≥ 50 % where the label is not is critical', () => {
    expect(compare('viable=30', [viable(30, '~')])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('viable<10', [viable(10, '<')])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('viable<10', [viable(10, '<=')])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 0 });
    expect(compare('viable<50', [viable(60)])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 1 });
    expect(compare('-', [viable(50, '>=')])).toEqual({ tp: 0, fp: 1, fn: 0, critical: 1 });
    expect(compare('-', [viable(50, '<')])).toEqual({ tp: 0, fp: 1, fn: 0, critical: 0 });
    expect(compare('viable=60', [viable(70)])).toEqual({ tp: 0, fp: 1, fn: 1, critical: 0 });
    const lip = f({ type: 'lipiodol-deposition', percent: 90, comparator: '>', polarity: 'positive' });
    expect(compare('lipiodol>90', [lip])).toEqual({ tp: 1, fp: 0, fn: 0, critical: 0 });
    expect(compare('-', [lip])).toEqual({ tp: 0, fp: 1, fn: 0, critical: 0 });
  });
});

describe('scoring a corpus', () => {
  const file = {
    name: 'c.tsv',
    content: [
      'vascular\tTumour thrombus in segment 8 (Vp3).\tvi=present',
      'vascular\tNo portal vein tumour thrombus.\tvi=absent',
      'count-size\tThree lesions.\tcount=3',
    ].join('\n'),
  };

  it('a reader that says "present" everywhere is caught', () => {
    const s = scoreCorpus([file], () => [vi('present'), count(1)]);
    expect(s.perType.vi).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    expect(s.perType.count).toMatchObject({ tp: 0, fp: 3, fn: 1 });
    expect(s.criticalFalsePositives.map((c) => `${c.where} ${c.item}`)).toEqual([
      'c.tsv:1 count=1',
      'c.tsv:2 vi=present',
      'c.tsv:2 count=1',
      'c.tsv:3 vi=present',
      'c.tsv:3 count=1',
    ]);
  });

  it('a reader that says nothing has zero recall; a perfect reader has full recall', () => {
    const none = scoreCorpus([file], () => []);
    expect(none.perFamily.vascular.recall).toBe(0);
    expect(none.perType.vi.precision).toBeNull();
    const perfect = scoreCorpus([file], (t) =>
      t.startsWith('Tumour') ? [vi('present')] : t.startsWith('No') ? [vi('absent', 'negative')] : [count(3)],
    );
    expect(perfect.perFamily.vascular.recall).toBe(1);
    expect(perfect.perFamily['count-size'].recall).toBe(1);
    expect(perfect.falsePositives).toEqual([]);
    expect(perfect.distractorLines).toBe(1);
    expect(perfect.lines).toBe(3);
  });

  it('a reader that throws is recorded, not fatal', () => {
    const s = scoreCorpus([file], () => {
      throw new Error('boom');
    });
    expect(s.errors).toHaveLength(3);
    expect(s.errors[0]).toBe('c.tsv:1: reader threw: boom');
  });
});
