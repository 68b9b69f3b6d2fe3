import { beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios, SCENARIO_IDS } from '../../sandbox/scenarios/index';
import { assessScenarios } from './scenario-results';
import { groupByPatient, type PatientResources } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import { evaluate } from '../../src/engine/index';
import { confirmAllAsRead, type ClinicianInputs } from '../../src/engine/inputs';
import type { AssessmentResult } from '../../src/engine/result';
import {
  ASSESSMENT_HEADING,
  codesInWords,
  compactMissing,
  composeNote,
  DECISION_SUPPORT_STATEMENT,
  formatEvidence,
  NOTE_LINE_WIDTH,
  OPTIONS_PHRASE,
  unconfirmedRemark,
  wrapLine,
} from '../../src/note/compose-note';

/** The real pipeline on the sandbox scenarios: scenarios → groupByPatient → loadPatient → evaluate. */
const AS_OF = '2026-11-01';
const NOTE_DATE = '2026-11-02';
let patients: PatientResources[];

beforeAll(() => {
  const entries = buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource })));
  patients = groupByPatient(entries).patients;
});

function resultFor(id: string, inputs: ClinicianInputs = {}): AssessmentResult {
  const p = patients.find((x) => x.patientId === id);
  if (!p) throw new Error(`no scenario ${id}`);
  return evaluate(loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline, { asOf: AS_OF, inputs });
}

/** A wrapped line joined back: continuation lines are indented under their bullet. */
function logicalLines(note: string): string[] {
  const out: string[] = [];
  for (const line of note.split('\n')) {
    const last = out.length - 1;
    if (
      last >= 0 &&
      /^\s+\S/.test(line) &&
      !/^\s*(- |\d+\. |Liver function:)/.test(line.trimStart() ? line.replace(/^\s+/, '') : line) &&
      out[last] !== ''
    )
      out[last] = `${out[last] as string} ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

/** The note's sections: blocks separated by an empty line, each a list of physical lines. */
function sections(note: string): string[][] {
  return note
    .trimEnd()
    .split('\n\n')
    .map((b) => b.split('\n'));
}

/** The assessment's items: "- " lines of the section headed "Assessment", continuation lines joined. */
function assessmentItems(note: string): string[] {
  const block = sections(note).find((s) => s[0] === ASSESSMENT_HEADING);
  if (!block) return [];
  const items: string[] = [];
  for (const line of block.slice(1)) {
    if (line.startsWith('- ')) items.push(line.slice(2));
    else items[items.length - 1] = `${items[items.length - 1] ?? ''} ${line.trim()}`;
  }
  return items;
}

const CORRECTED: ClinicianInputs = {
  intent: 'palliative',
  ascites: 'none',
  encephalopathy: 'none',
  corrections: { 'refractory-insufficient-response-dr-3': { viablePercent: 20, newLesions: 'present' } },
};

describe('composeNote over sandbox scenarios (snapshots)', () => {
  it.each([
    'refractory-insufficient-response',
    'responder',
    'insufficient-data',
    'liver-decline',
    'beyond-up-to-seven',
    'vascular-invasion',
    'long-history',
  ])('%s', (id) => {
    expect(composeNote(resultFor(id), { date: NOTE_DATE })).toMatchSnapshot();
  });

  it('refractory-insufficient-response with clinician corrections and grades', () => {
    const note = composeNote(resultFor('refractory-insufficient-response', CORRECTED), {
      date: NOTE_DATE,
      inputs: CORRECTED,
    });
    expect(note).toMatchSnapshot();
    const flat = note.replace(/\s+/g, ' ');
    expect(flat).toContain('- Treatment intent: palliative (entered by clinician)');
    expect(flat).toContain(
      '2026-06-14 viable tumour 20 % (entered by clinician; replaces the report reading)',
    );
    expect(flat).toContain('new lesions reported (entered by clinician)');
  });
});

describe('composeNote content rules', () => {
  it('assessment first, then definitions with dated evidence and units, sessions with liver function, scores, versions', () => {
    const result = resultFor('refractory-insufficient-response');
    const note = composeNote(result, { date: NOTE_DATE });
    const heads = sections(note).map((s) => s[0]);
    expect(heads.slice(0, 3)).toEqual([
      `TACE review — decision-support summary (${NOTE_DATE})`,
      ASSESSMENT_HEADING,
      'Definitions',
    ]);
    expect(note).toMatch(/JSH-LCSGJ 2014 [^\n]*:\s+criteria met/);
    expect(note.replace(/\s+/g, ' ')).toContain('2026-04-10 (from report text): viable tumour ~60 %');
    const lines = logicalLines(note);
    expect(lines).toContain(
      '1. 2026-02-24 conventional TACE (cTACE) — response imaging 2026-04-10: viable tumour 60 %, no new lesions; JSH reading: insufficient response',
    );
    // The liver function around each session is on the session's own lines.
    expect(note).toMatch(
      /2\. 2026-04-25 DEB-TACE — [^]*?Liver function: before ALBI −2\.53, grade 2a, Child-Pugh A or B \(2026-04-22\)/,
    );
    expect(lines.find((l) => l.startsWith('- ALBI: '))).toMatch(
      /^- ALBI: −2\.67, grade 1 \(mALBI 1\) — 2026-10-02: .*albumin 4\.1 g\/dL/i,
    );
    expect(lines.find((l) => l.startsWith('- Child-Pugh: '))).toMatch(
      /^- Child-Pugh: 5–9 points, .*INR 1\.08/,
    );
    expect(note).toContain('- Up-to-seven: within up-to-seven');
    expect(note).toContain(
      `Engine ${result.engineVersion}; rule set ${result.ruleSetId} ${result.ruleSetVersion}; evaluated ${AS_OF}.`,
    );
    expect(note.trimEnd().endsWith(DECISION_SUPPORT_STATEMENT)).toBe(true);
    expect(note.startsWith(`TACE review — decision-support summary (${NOTE_DATE})`)).toBe(true);
  });

  it('an undecided definition says what it needs, per finding, with every session named once', () => {
    const note = composeNote(resultFor('insufficient-data'), { date: NOTE_DATE });
    const lines = logicalLines(note);
    const vascular = lines.find((l) => l.startsWith('  - Appearance of vascular invasion: needs '));
    expect(vascular).toBe(
      '  - Appearance of vascular invasion: needs imaging statement on vascular invasion: response CT/MRI 2025-10-25 to 2025-12-31 after the session of 2025-09-27, 2026-05-13 to 2026-07-19 after the session of 2026-04-15',
    );
    // No "missing:" dump anywhere, and none of it in the assessment.
    expect(note).not.toContain('missing:');
    expect(assessmentItems(note).join(' ')).not.toContain('imaging statement on vascular invasion');
  });

  it('cites options in literature wording with their key figure, never as orders', () => {
    const result = resultFor('refractory-insufficient-response');
    const note = composeNote(result, { date: NOTE_DATE });
    expect(note).toContain(`${OPTIONS_PHRASE} (for discussion; not orders):`);
    // No sentence is an instruction: nothing opens with an imperative, no "must"/"should"/"recommend".
    expect(note).not.toMatch(/^[-\d. ]*(start|stop|give|administer|order|switch|begin|refer)\b/im);
    expect(note).not.toMatch(/\b(must|should|recommend(ed)?)\b/i);
    const block = sections(note).find((s) => s[0]?.startsWith(OPTIONS_PHRASE)) ?? [];
    const options = logicalLines(block.join('\n')).slice(1);
    expect(options).toHaveLength(result.considerations.length);
    for (const [i, line] of options.entries()) {
      const c = result.considerations[i]!;
      expect(line).toMatch(/^- .+ \[.+\]$/); // continues "Options … include", then [citation]
      expect(line.endsWith(`[${c.citation}]`)).toBe(true);
      if (c.keyFigure) expect(line.replace(/\s+/g, ' ')).toContain(c.keyFigure.replace(/\.$/, ''));
    }
  });

  it('names the source of a reading when the caller can (as the screen does), the date otherwise', () => {
    const result = resultFor('refractory-insufficient-response');
    const sourceName = (ref: string) => (ref.startsWith('DiagnosticReport/') ? 'CT report' : undefined);
    const flat = composeNote(result, { date: NOTE_DATE, sourceName }).replace(/\s+/g, ' ');
    expect(flat).toContain('CT report 2026-04-10 (from report text): viable tumour ~60 %');
    expect(flat).toContain('CT report 2026-04-10: viable tumour ~60 %'); // the assessment's headline
    const plain = composeNote(result, { date: NOTE_DATE }).replace(/\s+/g, ' ');
    expect(plain).not.toContain('CT report');
  });

  it('is pure: same input, same text; the date comes from the caller', () => {
    const result = resultFor('responder');
    expect(composeNote(result, { date: NOTE_DATE })).toBe(composeNote(result, { date: NOTE_DATE }));
    expect(composeNote(result, { date: '2027-01-01' })).toContain('(2027-01-01)');
  });

  it('says when no TACE session and no definition is met, without inventing values', () => {
    const base = resultFor('insufficient-data');
    const empty: AssessmentResult = { ...base, taceSessions: [], considerations: [], criteria: [] };
    const note = composeNote(empty, { date: NOTE_DATE });
    expect(note).toContain('- No TACE sessions found in the record.');
    expect(note).toContain('- No definition met.');
    expect(note).not.toContain(OPTIONS_PHRASE);
  });

  it('liver-decline: the grade trail and the warnings, no "trend not determinable"', () => {
    const note = composeNote(resultFor('liver-decline'), { date: NOTE_DATE });
    const liver = assessmentItems(note).find((l) => l.startsWith('Liver function:')) ?? '';
    expect(liver).toContain('1 → 2b → 3 (2025-12-06, 2026-04-05, 2026-08-03)');
    expect(liver).toContain('grade worsened across sessions');
    const section = sections(note).find((s) => s[0] === 'Liver function') ?? [];
    expect(section.filter((l) => l.startsWith('- Warning: '))).toHaveLength(2);
    expect(note).not.toContain('trend not determinable');
    // JSH 2010 needs what JSH-LCSGJ 2014 needs: said once, referred to.
    expect(note).toContain('  - Needs the same as JSH-LCSGJ 2014 above.');
  });

  it('formats units and origins for reading', () => {
    expect(
      formatEvidence({
        ref: 'Observation/1',
        date: '2026-01-01',
        label: 'Hepatitis B viral load',
        value: 92,
        unit: '[IU]/mL',
        origin: 'structured',
      }),
    ).toBe('2026-01-01 Hepatitis B viral load: 92 IU/mL');
    expect(
      formatEvidence({
        ref: 'x',
        date: '2026-01-01',
        label: 'new lesions',
        value: 'new-lesions: present',
        origin: 'clinician',
      }),
    ).toBe('2026-01-01 new lesions: present (entered by clinician)');
    expect(
      formatEvidence({
        ref: 'y',
        date: '2026-01-01',
        label: 'stable disease (mRECIST)',
        value: 'SD',
        origin: 'text',
      }),
    ).toBe('2026-01-01 stable disease (mRECIST) (from report text)');
    expect(codesInWords('2026-06-14 mrecist SD; lirads-tr viable')).toBe(
      '2026-06-14 stable disease (mRECIST); viable (LI-RADS TR)',
    );
  });
});

describe('layout helpers', () => {
  it('wraps at the width under the bullet, never inside a short bracketed group', () => {
    const line = `- ${'word '.repeat(20)}criteria met (based on 2 readings from report text, not confirmed by a clinician) end`;
    const wrapped = wrapLine(line, 60);
    expect(wrapped.length).toBeGreaterThan(1);
    for (const l of wrapped.slice(1)) expect(l.startsWith('  ')).toBe(true);
    expect(wrapped.join(' ').replace(/\s+/g, ' ')).toBe(line.replace(/\s+/g, ' '));
    expect(
      wrapped.some((l) =>
        l.includes('met (based on 2 readings from report text, not confirmed by a clinician)'),
      ),
    ).toBe(true);
    expect(wrapLine('short line', 60)).toEqual(['short line']);
  });

  it('says a need shared by several sessions once, every session kept', () => {
    expect(
      compactMissing([
        'imaging statement on vascular invasion: response CT/MRI 2025-10-25 to 2025-12-31 after the session of 2025-09-27',
        'imaging statement on vascular invasion: response CT/MRI 2026-05-13 to 2026-07-19 after the session of 2026-04-15',
        'gross type of the tumour (clinician input)',
      ]),
    ).toEqual([
      'imaging statement on vascular invasion: response CT/MRI 2025-10-25 to 2025-12-31 after the session of 2025-09-27, 2026-05-13 to 2026-07-19 after the session of 2026-04-15',
      'gross type of the tumour (clinician input)',
    ]);
  });
});

describe('composeNote: verdicts resting on unconfirmed text readings', () => {
  const timelineFor = (id: string) => {
    const p = patients.find((x) => x.patientId === id);
    if (!p) throw new Error(`no scenario ${id}`);
    return loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline;
  };
  const jshLine = (note: string) => logicalLines(note).find((l) => /JSH-LCSGJ 2014 .*: criteria met/.test(l));

  it('words the remark the way the screen does', () => {
    expect(unconfirmedRemark(0)).toBe('');
    expect(unconfirmedRemark(1)).toBe('based on 1 reading from report text, not confirmed by a clinician');
    expect(unconfirmedRemark(2)).toBe('based on 2 readings from report text, not confirmed by a clinician');
  });

  it('a met definition read from report text says so; confirming every reading removes the remark', () => {
    const tl = timelineFor('refractory-insufficient-response');
    const plain = evaluate(tl, { asOf: AS_OF });
    const n = plain.criteria.find((c) => c.id === 'jsh-lcsgj-2014')?.unconfirmedTextReadings ?? 0;
    expect(n).toBeGreaterThan(0);
    expect(jshLine(composeNote(plain, { date: NOTE_DATE }))).toContain(`(${unconfirmedRemark(n)})`);

    const inputs: ClinicianInputs = {
      confirmations: Object.fromEntries(tl.imaging.map((a) => [a.id, confirmAllAsRead(a)])),
    };
    const confirmed = composeNote(evaluate(tl, { asOf: AS_OF, inputs }), { date: NOTE_DATE, inputs });
    expect(jshLine(confirmed)).toBeDefined();
    expect(jshLine(confirmed)).not.toContain('not confirmed by a clinician');
    expect(confirmed).toContain('(from report text, confirmed by clinician)');
  });
});

/**
 * A number a clinician reads in the assessment carries its unit, or is a score, grade, count with its noun, date or
 * citation year. Returns the numbers that do not.
 */
export function numbersWithoutUnit(text: string): string[] {
  const UNIT =
    /^(?:\s?(?:→|–|-|and|to|or)\s?[<>~]?\d+(?:\.\d+)?)*\s?(?:(?:intrahepatic|extrahepatic|new|prior|consecutive)\s)*(?:%|cm|mm|mg\/dL|g\/dL|g\/L|ng\/mL|mAU\/mL|µmol\/L|IU\/mL|U\/L|×10|points?\b|sessions?\b|readings?\b|results?\b|tumou?rs?\b|tumour\(s\)|lesions?\b|lesion\(s\)|TACE\b|months?\b|weeks?\b|days?\b|years?\b)/;
  const SCORE_BEFORE =
    /(?:\b(?:grade|mALBI|ALBI|ALBI now:|class|Child-Pugh|vs|more than)\s?[−-]?|[<>≤≥]\s?)$/;
  // "Kudo 2025", "JSH-LCSGJ 2014", "JSH 2021": a year after a name.
  const CITATION_BEFORE = /\b[A-Z][A-Za-z-]*\s$/;
  const bad: string[] = [];
  const dated = text.replace(/\d{4}-\d{2}-\d{2}/g, 'DATE');
  for (const m of dated.matchAll(/(?<![\w.])[−-]?\d+(?:\.\d+)?(?:–\d+(?:\.\d+)?)?([ab])?(?![\w.])/g)) {
    const token = m[0];
    const at = m.index;
    const before = dated.slice(Math.max(0, at - 24), at);
    const after = dated.slice(at + token.length, at + token.length + 30);
    if (m[1]) continue; // an mALBI grade: 2a, 2b
    if (UNIT.test(after)) continue;
    if (SCORE_BEFORE.test(before)) continue;
    if (/^(19|20)\d\d$/.test(token) && CITATION_BEFORE.test(before)) continue;
    if (/→\s?$/.test(before) || /^\s?(?:\([^)]*\)\s?)?→/.test(after)) continue; // a grade trail "1 → 2b → 3"
    if (/before each TACE:\s?$/.test(before)) continue;
    bad.push(`${before}[${token}]${after}`);
  }
  return bad;
}

describe('every scenario, as the CLI reads it (the same mappers and engine as the app)', () => {
  const notes = new Map<string, string>();

  beforeAll(async () => {
    for (const [id, result] of await assessScenarios(AS_OF))
      notes.set(id, composeNote(result, { date: NOTE_DATE }));
  }, 60_000);

  it('covers every scenario', () => {
    expect([...notes.keys()].sort()).toEqual([...SCENARIO_IDS].sort());
  });

  it.each([...SCENARIO_IDS])('%s: the assessment comes first and has 4–8 lines', (id) => {
    const note = notes.get(id) as string;
    const heads = sections(note).map((s) => s[0] ?? '');
    const at = heads.indexOf(ASSESSMENT_HEADING);
    // Only the title (and, without an HCC diagnosis on record, the applicability line) come before it.
    expect(at).toBeGreaterThan(0);
    expect(heads.slice(1, at).every((h) => h.startsWith('Applicability:'))).toBe(true);
    const items = assessmentItems(note);
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(items.length).toBeLessThanOrEqual(8);
  });

  it.each([...SCENARIO_IDS])('%s: no "+N more" and no "missing:" dump anywhere', (id) => {
    const note = notes.get(id) as string;
    expect(note).not.toMatch(/\+\s?\d+ more/);
    expect(note).not.toMatch(/\bmissing:/);
  });

  it.each([...SCENARIO_IDS])('%s: every number in the assessment has a unit or is a score or grade', (id) => {
    expect(numbersWithoutUnit(assessmentItems(notes.get(id) as string).join('\n'))).toEqual([]);
  });

  it.each([...SCENARIO_IDS])('%s: no code or constant name reaches the note', (id) => {
    const note = notes.get(id) as string;
    expect(note.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)).toBeNull(); // VIABLE_BOUNDARY_PERCENT
    expect(note.match(/\b[a-z]+(?:[A-Z][a-z]+)+\b/g)).toBeNull(); // imagingWindowMinDays
    for (const token of [
      'mrecist',
      'lirads-tr',
      'mcode-status',
      '[IU]',
      'umol/L',
      '{',
      '}',
      'intentunknown',
      'SODIUM',
    ])
      expect(note, token).not.toContain(token);
    expect(note).not.toMatch(/\bresponse (OR|SD|PD|CR|PR)\b/);
    expect(note).not.toMatch(/\btace-(conventional|deb|unspecified)\b|\(deb\)/);
  });

  it.each([...SCENARIO_IDS])('%s: lines stay within about %s characters', (id) => {
    const long = (notes.get(id) as string)
      .split('\n')
      .filter((l) => l !== DECISION_SUPPORT_STATEMENT && l.length > NOTE_LINE_WIDTH + 5);
    expect(long).toEqual([]);
  });
});

describe('the unit check of the assessment can fail', () => {
  it('finds a bare number and accepts units, scores, grades, dates and citation years', () => {
    expect(numbersWithoutUnit('AFP 310 (2026-06-24)')).toHaveLength(1);
    expect(numbersWithoutUnit('rests on 2 not confirmed')).toHaveLength(1);
    expect(
      numbersWithoutUnit(
        'AFP 420 → 610 ng/mL (5 results, 2026-07-29 → 2026-09-22); ALBI now: −2.67, grade 1 (mALBI 1); mALBI before each TACE: 1 → 2b → 3; Child-Pugh: 5–9 points; Kudo 2025; 4.6 cm + 2 tumour(s) vs 7',
      ),
    ).toEqual([]);
  });
});
