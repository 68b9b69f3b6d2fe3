import { beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentResult } from '../../src/engine/result';
import {
  assessmentLines,
  headline,
  leadingReason,
  liverAndBurden,
  metSubcriteria,
} from '../../src/note/assessment-summary';
import { SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { assessScenarios } from './scenario-results';
import { expandResult } from '../../src/engine/result-view';

/**
 * Issue 12: the answer first. The headline and the strip's reasons are read from the engine result of every
 * scenario (through the CLI: same mappers and engine as the app), as a hepatologist would read them.
 */
const results = new Map<string, AssessmentResult>();

beforeAll(async () => {
  for (const [id, r] of await assessScenarios('2026-11-01')) results.set(id, r);
}, 60_000);

function get(id: string): AssessmentResult {
  const r = results.get(id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

function criterion(r: AssessmentResult, id: string) {
  const c = expandResult(r).criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id}`);
  return c;
}

const HEADLINES: Record<string, { tone: string; text: RegExp }> = {
  'refractory-insufficient-response': {
    tone: 'failure',
    text: /^Meets TACE failure\/refractoriness by JSH-LCSGJ 2014 and JSH 2010 — viable tumour ≥ 50 % after two consecutive TACE — report \d{4}-\d\d-\d\d: viable tumour ~60 %.*; report \d{4}-\d\d-\d\d: viable tumour ~70 %/,
  },
  'refractory-new-lesions': {
    tone: 'failure',
    text: /^Meets TACE failure\/refractoriness by JSH-LCSGJ 2014, JSH 2010 and European \(Raoul\) — more intrahepatic tumours after two consecutive TACE — .*7 intrahepatic tumour.*Also TACE-unsuitable: beyond up-to-seven\.$/,
  },
  'refractory-marker-rise': {
    tone: 'failure',
    text: /— tumour markers rising right after TACE \(engine policy\) — AFP \d+ → \d+ ng\/mL.*PIVKA-II \d+ → \d+ mAU\/mL/,
  },
  'vascular-invasion': {
    tone: 'failure',
    text: /— new vascular invasion — report \d{4}-\d\d-\d\d: vascular invasion Vp3 \(right portal vein\)/,
  },
  'extrahepatic-spread': { tone: 'failure', text: /— new extrahepatic spread — .*\(lung\)/ },
  responder: {
    tone: 'response',
    text: /^Clinical complete response \(Kudo 2025\) — .*complete response.*; no TACE-failure definition is met\.$/,
  },
  'insufficient-data': {
    tone: 'undecided',
    text: /^TACE failure cannot be decided yet: JSH-LCSGJ 2014, JSH 2010 and European \(Raoul\) are undecided/,
  },
  'liver-decline': {
    tone: 'unsuitable',
    text: /^TACE-unsuitable \(JSH 2021 \/ Kudo 2025\) — mALBI grade 2b or worse — ALBI −1\.091 → mALBI 3.*No TACE-failure definition is met so far: .* undecided\./,
  },
  'many-prior-tace': {
    tone: 'failure',
    text: /viable tumour ≥ 50 % after two consecutive TACE — .*~60 %.*~70 %/,
  },
  'beyond-up-to-seven': {
    tone: 'unsuitable',
    text: /^TACE-unsuitable .*— beyond up-to-seven — 5\.5 cm \+ 6 tumour/,
  },
  'long-history': {
    tone: 'failure',
    text: /^Meets TACE failure\/refractoriness by JSH-LCSGJ 2014, JSH 2010 and European \(Raoul\)/,
  },
};

describe('headline per scenario', () => {
  it('covers every scenario', () => {
    expect(Object.keys(HEADLINES).sort()).toEqual([...SCENARIO_IDS].sort());
  });
  for (const [id, expected] of Object.entries(HEADLINES)) {
    it(id, () => {
      const h = headline(get(id));
      expect(h.tone).toBe(expected.tone);
      expect(h.text).toMatch(expected.text);
    });
  }
  it('an undecided headline says what would decide it', () => {
    const h = headline(get('insufficient-data'));
    expect(h.toDecide.length).toBeGreaterThan(0);
    expect(h.toDecide.join(' ')).toMatch(/AFP or PIVKA-II before and after the TACE of \d{4}-\d\d-\d\d/);
    expect(new Set(h.toDecide).size).toBe(h.toDecide.length);
  });
  it('a source namer names the modality', () => {
    const h = headline(get('vascular-invasion'), {
      sourceName: (ref) => (ref.startsWith('DiagnosticReport/') ? 'CT report' : undefined),
    });
    expect(h.text).toMatch(/CT report \d{4}-\d\d-\d\d: vascular invasion Vp3/);
  });
});

describe('leading reason', () => {
  it('the most serious met sub-criterion first: vascular invasion before rising markers', () => {
    const r = get('vascular-invasion');
    const c = criterion(r, 'jsh-lcsgj-2014');
    expect(metSubcriteria(c).map((s) => s.id)).toEqual(['vascular-invasion', 'tumor-marker-elevation']);
    expect(leadingReason(c, r)).toMatch(/^New vascular invasion — .*Vp3.*Also: tumour markers rising/);
  });
  it('undecided: what would decide it, never "not met"', () => {
    const r = get('insufficient-data');
    expect(leadingReason(criterion(r, 'jsh-lcsgj-2014'), r)).toMatch(/^Undecided — needs AFP or PIVKA-II/);
  });
  it('not met: says what was seen', () => {
    const r = get('responder');
    expect(leadingReason(criterion(r, 'jsh-lcsgj-2014'), r)).toMatch(
      /^None of its findings is present \(response after the last TACE/,
    );
  });
  it('without the text marker, the strip leaves "(read from report text)" to its remark', () => {
    const r = get('vascular-invasion');
    const c = criterion(r, 'jsh-lcsgj-2014');
    expect(leadingReason(c, r)).toMatch(/\(read from report text\)/);
    expect(leadingReason(c, r, { markText: false })).not.toMatch(/read from report text/);
  });
  it('lab runs give first and last value with unit and dates, never a bare number', () => {
    const r = get('refractory-marker-rise');
    expect(leadingReason(criterion(r, 'jsh-lcsgj-2014'), r)).toMatch(
      /AFP \d+ → \d+ ng\/mL.*\(\d+ results, \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d\)/,
    );
  });
});

describe('liver and burden', () => {
  it('liver-decline: mALBI 1 → 2b → 3 before its three TACE, flagged', () => {
    const facts = new Map(liverAndBurden(get('liver-decline')).map((f) => [f.id, f]));
    expect(facts.get('albi-trend')?.text).toMatch(
      /^1 → 2b → 3 \(\d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d\)/,
    );
    expect(facts.get('albi-trend')?.flagged).toBe(true);
    expect(facts.get('albi')?.text).toMatch(/^−1\.09, grade 3 \(mALBI 3\), \d{4}-\d\d-\d\d$/);
    expect(facts.get('prior-tace')?.text).toBe('3 sessions');
  });
  it('long-history: more than 4 prior TACE flagged (Hien 2024)', () => {
    const prior = liverAndBurden(get('long-history')).find((f) => f.id === 'prior-tace');
    expect(prior?.flagged).toBe(true);
    expect(prior?.text).toMatch(/^22 sessions — more than 4 \(Hien 2024/);
  });
  it('up-to-seven with its figures and imaging date', () => {
    const u = liverAndBurden(get('vascular-invasion')).find((f) => f.id === 'up-to-seven');
    expect(u?.text).toMatch(
      /^beyond up-to-seven \(5\.1 cm \+ 2 tumour\(s\) vs 7\), imaging \d{4}-\d\d-\d\d$/,
    );
  });
});

describe('assessment lines (the note)', () => {
  for (const id of SCENARIO_IDS) {
    it(`${id}: 4–8 lines, headline first, no "+N more", no code tokens`, () => {
      const lines = assessmentLines(get(id));
      expect(lines.length).toBeGreaterThanOrEqual(4);
      expect(lines.length).toBeLessThanOrEqual(8);
      expect(lines[0]).toBe(headline(get(id)).text);
      const text = lines.join('\n');
      expect(text).not.toMatch(/\+\d+ more/);
      expect(text).not.toMatch(
        /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\bmrecist\b|\blirads-tr\b|\bmcode-status\b|\[IU\]|m\[AU\]/,
      );
    });
  }
});

describe('current systemic therapy', () => {
  it('responder: atezolizumab + bevacizumab since its start; insufficient-data: none on record', () => {
    const on = liverAndBurden(get('responder')).find((f) => f.id === 'current-therapy');
    expect(on?.text).toMatch(/^atezolizumab \+ bevacizumab since \d{4}-\d\d-\d\d$/);
    const none = liverAndBurden(get('insufficient-data')).find((f) => f.id === 'current-therapy');
    expect(none?.text).toBe('none on record');
  });
  it('extrahepatic-spread: lenvatinib since its start', () => {
    const on = liverAndBurden(get('extrahepatic-spread')).find((f) => f.id === 'current-therapy');
    expect(on?.text).toMatch(/^lenvatinib since \d{4}-\d\d-\d\d$/);
  });
});

describe('compact ALBI trail for the screen', () => {
  it('long-history: grade changes and the span, every session counted', () => {
    const trend = liverAndBurden(get('long-history'), { compact: true }).find((f) => f.id === 'albi-trend');
    expect(trend?.text).toMatch(/^1 → 2a → 2b .*\(22 sessions, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)/);
    const full = liverAndBurden(get('long-history')).find((f) => f.id === 'albi-trend');
    expect(full?.text).toMatch(/^1 \(\d+ sessions, /);
  });
  it('short histories read the same either way', () => {
    const a = liverAndBurden(get('liver-decline'), { compact: true }).find((f) => f.id === 'albi-trend');
    const b = liverAndBurden(get('liver-decline')).find((f) => f.id === 'albi-trend');
    expect(a?.text).toBe(b?.text);
  });
});
