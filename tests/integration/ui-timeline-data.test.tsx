import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/index';
import { initialScripts } from '../../scripts/check-bundle-size';
import { buildTimelineData, valueWords } from '../../src/ui/timeline/timeline-data';
import { lab, labs, tace, timeline } from '../unit/engine-factories';

describe('timeline data for the chart and its table', () => {
  it('keeps PIVKA-II mAU/mL and ng/mL as separate series, each in its canonical unit', () => {
    const tl = timeline({
      treatments: [tace('t1', '2026-02-01')],
      labs: labs(
        lab('pivka', 120, '2026-01-20'),
        lab('pivka-ng', 40, '2026-01-21'),
        lab('afp', 10, '2026-01-20', { unit: '[IU]/mL' }),
      ),
    });
    const d = buildTimelineData(tl, evaluate(tl, { asOf: '2026-06-01' }));
    expect(d.labs.pivka.map((p) => p.unit)).toEqual(['m[AU]/mL']);
    expect(d.labs['pivka-ng'].map((p) => p.unit)).toEqual(['ng/mL']);
    // AFP reported in IU/mL is charted in ng/mL, with the original kept for the table.
    expect(d.labs.afp[0]?.unit).toBe('ng/mL');
    expect(d.labs.afp[0]?.originalText).toMatch(/IU/);
    expect(d.events).toEqual([
      expect.objectContaining({ kind: 'tace', day: '2026-02-01', source: 'Procedure/t1' }),
    ]);
  });

  it('says comparators in words', () => {
    expect(valueWords({ value: 2, comparator: '<' })).toEqual({ visual: '<2', spoken: 'less than 2' });
    expect(valueWords({ value: 1000, comparator: '>=' }).spoken).toBe('at least 1000');
  });
});

describe('bundle-size check', () => {
  it('counts the entry module and its modulepreloads, not lazy chunks or remote scripts', () => {
    const html = `<script type="module" crossorigin src="./assets/app-1.js"></script>
      <link rel="modulepreload" crossorigin href="./assets/issuers-2.js">
      <link rel="stylesheet" href="./assets/app.css">
      <script type="module" src="https://cdn.example/x.js"></script>`;
    expect(initialScripts(html)).toEqual(['./assets/app-1.js', './assets/issuers-2.js']);
  });
});
