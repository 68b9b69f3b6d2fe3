import { describe, expect, it } from 'vitest';
import type { ImagingFinding } from '../../src/domain/imaging';
import { extractFindings, polarityOf } from '../../src/fhir/map/report-text';
import { htmlToText, splitSentences } from '../../src/fhir/map/text-normalize';

const ctx = { source: { resourceType: 'DiagnosticReport', id: 'r1' }, date: '2026-02-10' };
const find = (text: string): ImagingFinding[] => extractFindings(text, ctx);

describe('response categories', () => {
  it.each([
    ['Partial response by mRECIST.', 'mrecist', 'PR'],
    ['EASL: progressive disease.', 'easl', 'PD'],
    ['Stable disease.', 'mrecist', 'SD'],
    ['Complete response of the treated lesion (mRECIST).', 'mrecist', 'CR'],
    ['mRECIST: PR', 'mrecist', 'PR'],
    ['LR-TR Viable.', 'lirads-tr', 'viable'],
    ['LR-TR Nonviable', 'lirads-tr', 'nonviable'],
    ['LI-RADS TR Equivocal.', 'lirads-tr', 'equivocal'],
    ['LR-TR Non-evaluable', 'lirads-tr', 'nonevaluable'],
    ['RECICL TE4.', 'recicl', 'TE4'],
    ['Treatment effect TE1 (RECICL).', 'recicl', 'TE1'],
  ])('%s', (text, scale, category) => {
    const [f] = find(text);
    expect(f).toMatchObject({ type: 'response', scale, category, polarity: 'positive' });
    expect(f?.evidence.sentence).toBe(text);
    expect(f?.evidence.origin).toBe('text');
  });
  it('named scale → high confidence, unnamed → medium', () => {
    expect(find('Partial response by mRECIST.')[0]?.confidence).toBe('high');
    expect(find('Partial response.')[0]?.confidence).toBe('medium');
  });
  it('bare PD/PR without a scale are not read', () => {
    expect(find('PD catheter placed. PR interval normal.')).toEqual([]);
  });
  it('equivocal as an LI-RADS category is not a hedge', () => {
    expect(find('LR-TR Equivocal')[0]?.confidence).toBe('high');
  });
});

describe('percentages', () => {
  it.each([
    [
      'There is 60% residual arterial enhancement of the treated lesion.',
      { type: 'viable-percent', percent: 60, basis: 'stated' },
    ],
    [
      'Viable tumor approximately 70%.',
      { type: 'viable-percent', percent: 70, basis: 'stated', comparator: '~' },
    ],
    ['Necrosis of about 90%.', { type: 'viable-percent', percent: 10, basis: 'necrosis', comparator: '~' }],
    [
      'Tumor necrosis greater than 90%.',
      { type: 'viable-percent', percent: 10, basis: 'necrosis', comparator: '<' },
    ],
    [
      'Dense lipiodol deposition in >90% of the tumor.',
      { type: 'lipiodol-deposition', percent: 90, comparator: '>' },
    ],
    ['Poor lipiodol accumulation (<50%).', { type: 'lipiodol-deposition', percent: 50, comparator: '<' }],
    [
      'Residual viable tumor no more than 10%.',
      { type: 'viable-percent', percent: 10, comparator: '<=', polarity: 'positive' },
    ],
    ['No residual enhancement.', { type: 'viable-percent', percent: 0 }],
    ['Complete necrosis of the treated nodule.', { type: 'viable-percent', percent: 0, basis: 'necrosis' }],
  ])('%s', (text, expected) => {
    expect(find(text)[0]).toMatchObject(expected);
  });
  it('keeps the matched words', () => {
    expect(find('There is 60% residual arterial enhancement.')[0]?.evidence.matched).toBe(
      '60% residual arterial enhancement',
    );
  });
  it('a hedged percentage is uncertain', () => {
    expect(find('Possibly 60% residual enhancement.')[0]).toMatchObject({
      polarity: 'uncertain',
      confidence: 'low',
    });
  });
});

describe('tumour count and diameter', () => {
  it.each([
    ['Three arterially enhancing lesions.', 3, undefined],
    ['Now five lesions, previously three.', 5, 3],
    ['Increased from three to five lesions.', 5, 3],
    ['4 nodules in the right lobe.', 4, undefined],
    ['Solitary lesion in segment 8.', 1, undefined],
  ])('%s', (text, count, previous) => {
    const f = find(text).find((x) => x.type === 'tumor-count');
    expect(f).toMatchObject({ count });
    expect(f && 'previous' in f ? f.previous : undefined).toBe(previous);
  });
  it('does not count sizes, segments or new lesions', () => {
    expect(find('A 2 cm lesion in segment 2 lesion.').filter((f) => f.type === 'tumor-count')).toEqual([]);
    expect(find('Two new lesions.').filter((f) => f.type === 'tumor-count')).toEqual([]);
  });
  it.each([
    ['The largest 4.2 cm in segment 8.', 4.2],
    ['Lesion in segment 6 measuring 55 mm.', 5.5],
    ['The largest lesion measures 3.1 x 4.5 cm.', 4.5],
  ])('%s', (text, cm) => {
    expect(find(text).find((f) => f.type === 'largest-diameter')).toMatchObject({ cm });
  });
  it('ignores prior sizes and bare numbers', () => {
    expect(find('Previously 3.1 cm.').filter((f) => f.type === 'largest-diameter')).toEqual([]);
  });
});

describe('new lesions, vascular invasion, extrahepatic spread', () => {
  it.each([
    ['No new hepatic lesions.', { type: 'new-lesions', presence: 'absent', polarity: 'negative' }],
    [
      'Two new lesions in segment 7.',
      { type: 'new-lesions', presence: 'present', count: 2, location: 'intrahepatic' },
    ],
    ['New arterially enhancing nodule in segment 6.', { type: 'new-lesions', presence: 'present' }],
    [
      'Possible new lesion in segment 2.',
      { type: 'new-lesions', presence: 'unknown', polarity: 'uncertain' },
    ],
    [
      'Tumor thrombus in the right portal vein (Vp3).',
      { type: 'vascular-invasion', presence: 'present', vp: 'Vp3', vessel: 'right portal vein' },
    ],
    ['No portal vein thrombus.', { type: 'vascular-invasion', presence: 'absent', polarity: 'negative' }],
    [
      'No evidence of vascular invasion.',
      { type: 'vascular-invasion', presence: 'absent', polarity: 'negative' },
    ],
    [
      'Non-enhancing bland thrombus in the left portal vein.',
      { type: 'vascular-invasion', presence: 'unknown', polarity: 'uncertain', bland: true },
    ],
    ['Portal vein thrombosis.', { type: 'vascular-invasion', presence: 'unknown', polarity: 'uncertain' }],
    ['Cannot exclude portal vein tumor thrombus.', { type: 'vascular-invasion', polarity: 'uncertain' }],
    ['The portal veins are patent.', { type: 'vascular-invasion', presence: 'absent' }],
    [
      'Pulmonary nodules consistent with metastases.',
      { type: 'extrahepatic-spread', presence: 'present', site: 'lung' },
    ],
    ['No extrahepatic disease.', { type: 'extrahepatic-spread', presence: 'absent', polarity: 'negative' }],
    ['Pulmonary nodules, possibly metastases.', { type: 'extrahepatic-spread', polarity: 'uncertain' }],
    [
      'Lytic bone lesion suspicious for metastasis.',
      { type: 'extrahepatic-spread', polarity: 'uncertain', site: 'bone' },
    ],
  ])('%s', (text, expected) => {
    expect(find(text)).toContainEqual(expect.objectContaining(expected));
  });
  it('intrahepatic metastasis is not extrahepatic spread', () => {
    expect(
      find('Intrahepatic metastasis in segment 3.').filter((f) => f.type === 'extrahepatic-spread'),
    ).toEqual([]);
  });
  it('hedged findings are never positive', () => {
    for (const text of [
      'Possible tumor thrombus in the portal vein.',
      'Tumor thrombus cannot be excluded.',
      'Indeterminate pulmonary metastasis.',
      'Questionable new lesion.',
      'Findings suspicious for progressive disease.',
      'Likely new nodule in segment 4.',
      'Equivocal extrahepatic disease.',
    ]) {
      const fs = find(text);
      expect(fs.length, text).toBeGreaterThan(0);
      for (const f of fs) expect('polarity' in f ? f.polarity : 'x', text).toBe('uncertain');
    }
  });
});

describe('negation scope (NegEx)', () => {
  it('negation stops at "but"', () => {
    const fs = find('No new lesions, but tumor thrombus in the main portal vein (Vp4).');
    expect(fs).toContainEqual(expect.objectContaining({ type: 'new-lesions', presence: 'absent' }));
    expect(fs).toContainEqual(
      expect.objectContaining({ type: 'vascular-invasion', presence: 'present', vp: 'Vp4' }),
    );
  });
  it.each([
    ['Free of extrahepatic disease.', 'negative'],
    ['Negative for vascular invasion.', 'negative'],
    ['Portal vein tumor thrombus has resolved.', 'negative'],
    ['Extrahepatic spread is absent.', 'negative'],
    ['Without new lesions.', 'negative'],
  ])('%s → %s', (text, polarity) => {
    expect(find(text)[0]?.polarity).toBe(polarity);
  });
  it('polarityOf: hedges beat negation', () => {
    const s = 'cannot exclude tumor thrombus';
    expect(polarityOf(s, s.indexOf('tumor'), s.length)).toBe('uncertain');
  });
});

describe('text normalisation', () => {
  it('strips tags safely, drops scripts and decodes entities', () => {
    const t = htmlToText(
      '<html><head><title>x</title></head><body><p>Impression:</p><script>alert(1)</script><ul><li>LR-TR&nbsp;Viable</li><li>size &lt; 2&#160;cm &amp; stable</li></ul><img src=x onerror=alert(1)></body>',
    );
    expect(t).not.toContain('alert');
    expect(t).not.toMatch(/<\/?[a-z]/i);
    expect(t).toContain('LR-TR Viable');
    expect(t.split('\n')).toContain('size < 2 cm & stable');
  });
  it('splits sentences without breaking decimals or list numbers', () => {
    expect(splitSentences('The largest 4.2 cm. No new lesions.\n1. Partial response.')).toEqual([
      'The largest 4.2 cm.',
      'No new lesions.',
      '1. Partial response.',
    ]);
  });
  it('de-duplicates the same finding repeated in one text', () => {
    expect(find('No new lesions. No new lesions.')).toHaveLength(1);
  });
});

/**
 * Issue 9, item 1: the misreadings found on the demo data and in an independent set of real phrasings. Each case
 * failed on the reader before this change (noted per case).
 */
describe('radiology phrasing families (issue 9)', () => {
  const of = <T extends ImagingFinding['type']>(text: string, type: T) =>
    find(text).filter((f): f is Extract<ImagingFinding, { type: T }> => f.type === type);
  const asserted = (f: ImagingFinding) => f.polarity === 'positive' && f.confidence !== 'low';

  it('a LI-RADS category is not a tumour count ("Two LR-5 lesions" was read as five)', () => {
    const text = 'Two LR-5 lesions, the largest 3.1 cm in segment VI.';
    expect(of(text, 'tumor-count').map((f) => f.count)).toEqual([2]);
    expect(of(text, 'largest-diameter').map((f) => f.cm)).toEqual([3.1]);
  });
  it.each([
    ['Segment 8 lesion (S8), series 5 image 42, unchanged since 2026-03-14.'],
    ['LR-4 observation in seg. VI; Vp2; TE3; BCLC B.'],
    ['Per RECIST 1.1 the target lesion in segments 5/6 is stable.'],
  ])('distractor numbers are never counts or sizes: %s', (text) => {
    expect(of(text, 'tumor-count')).toEqual([]);
    expect(of(text, 'largest-diameter')).toEqual([]);
  });
  it.each([
    ['Solitary 6.0 cm arterially enhancing mass in segment 7.', 1, 6.0],
    ['Three observations measuring 4.3, 2.4 and 1.6 cm.', 3, 4.3],
    ['Two lesions measuring 3.1 and 1.2 cm.', 2, 3.1],
    ['Four HCC nodules, largest 27 mm.', 4, 2.7],
  ])('count and size: %s (was not read)', (text, count, cm) => {
    expect(of(text, 'tumor-count').map((f) => f.count)).toEqual([count]);
    expect(of(text, 'largest-diameter')[0]).toMatchObject({ cm });
    expect(of(text, 'largest-diameter')[0]?.lowerBound).toBeUndefined();
  });
  it('"multiple" / "innumerable" is a lower bound, never an exact count', () => {
    for (const text of [
      'Multiple arterially enhancing lesions in both lobes.',
      'Innumerable nodules throughout the liver.',
    ]) {
      expect(of(text, 'tumor-count')).toEqual([expect.objectContaining({ count: 2, atLeast: true })]);
    }
  });
  it('a size of one lesion among several is only a lower bound of the largest', () => {
    expect(
      of(
        'Two new nodules: segment II 1.3 cm and segment III 0.9 cm, now seven lesions.',
        'largest-diameter',
      )[0],
    ).toMatchObject({ cm: 1.3, lowerBound: true });
  });
  it.each([
    ['Modified RECIST: SD.', 'mrecist', 'SD'],
    ['Response category (mRECIST): stable', 'mrecist', 'SD'],
    ['No objective response (SD).', 'mrecist', 'SD'],
    ['No objective response after two sessions.', 'mrecist', 'NR'],
    ['RECIST 1.1: partial response.', 'recist', 'PR'],
    ['PD per mRECIST (new lung metastases).', 'mrecist', 'PD'],
  ])('response category wherever it sits: %s (was unread or hedged)', (text, scale, category) => {
    expect(of(text, 'response').filter(asserted)).toEqual([expect.objectContaining({ scale, category })]);
  });
  it.each([
    'Sum of viable diameters decreased from 5.1 to 2.8 cm (−45 %).',
    'Enhancing tumour decreased by 45 % compared with the prior study.',
    'Viable tumour: 30 % reduction since 2026-02-01.',
  ])('a change percentage is not a viable fraction: %s (was read as viable 45 %%)', (text) => {
    expect(of(text, 'viable-percent').filter((f) => f.percent >= 45)).toEqual([]);
  });
  it.each([
    ['Portal vein invasion: absent', 'vascular-invasion'],
    ['Extrahepatic disease: none', 'extrahepatic-spread'],
    ['New lesions: not seen', 'new-lesions'],
    ['Tumor thrombus: none identified.', 'vascular-invasion'],
  ] as const)(
    'a template field with a negative value is negative: %s (was read as present)',
    (text, type) => {
      const fs = of(text, type);
      expect(fs.length).toBeGreaterThan(0);
      for (const f of fs) expect(f.polarity).toBe('negative');
    },
  );
  it.each([
    ['No evidence of portal\nvein tumor thrombus.', 'vascular-invasion'],
    ['No evidence of portal\r\nvein tumor thrombus.', 'vascular-invasion'],
    ['Negative for extra-\nhepatic metastasis in the lungs.', 'extrahepatic-spread'],
    ['There is no\nnew arterially enhancing lesion.', 'new-lesions'],
  ] as const)('a hard-wrapped negation keeps its scope: %j (was read as present)', (text, type) => {
    const fs = of(text, type);
    expect(fs.length).toBeGreaterThan(0);
    for (const f of fs) expect(f.polarity).toBe('negative');
  });
  it('a number and its unit split across lines still belong together', () => {
    expect(of('Dominant lesion measuring 4.2\ncm in segment 8.', 'largest-diameter')[0]).toMatchObject({
      cm: 4.2,
    });
  });
  it.each([
    'Portal vein tumour thrombus cannot be excluded.',
    'Findings may represent tumour in vein.',
    'Lung nodule suspicious for metastasis.',
    'Possible new lesion in S3.',
    'No definite vascular invasion.',
  ])('hedges are never positive: %s', (text) => {
    for (const f of find(text)) expect(asserted(f), JSON.stringify(f)).toBe(false);
  });
  it('an addendum revises the finding it speaks to', () => {
    const text =
      'IMPRESSION: New 1.2 cm lesion in segment 4.\n\nADDENDUM: On re-review this is a perfusion anomaly; there is no new lesion.';
    expect(of(text, 'new-lesions').map((f) => f.polarity)).toEqual(['negative']);
  });
  it('an earlier exam’s values are history ("previously", "prior exam")', () => {
    expect(of('Viable tumour 35 % (previously 60 %).', 'viable-percent').map((f) => f.percent)).toEqual([35]);
    expect(of('On the prior exam the viable fraction was 60 %.', 'viable-percent')).toEqual([]);
    expect(of('LR-TR Viable (previously LR-TR Nonviable).', 'response').map((f) => f.category)).toEqual([
      'viable',
    ]);
  });
});
