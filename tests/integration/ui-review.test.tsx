import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImagingAssessment } from '../../src/domain/imaging';
import type { Timeline } from '../../src/domain/timeline';
import { loadPatient } from '../../src/fhir/loader';
import { extractFindings } from '../../src/fhir/map/report-text';
import { highlightRange } from '../../src/ui/evidence/highlight-range';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { evaluate } from '../../src/engine/index';
import type { AssessmentResult } from '../../src/engine/result';
import { groupBySession } from '../../src/ui/evidence/session-groups';
import { CorrectionsPanel } from '../../src/ui/corrections/corrections-panel';
import { inputsStorageKey, parseInputs } from '../../src/ui/corrections/inputs-storage';
import { CriteriaDetail } from '../../src/ui/evidence/criteria-detail';
import { Highlight } from '../../src/ui/evidence/highlight';
import { openReportForm } from './open-report-form';
import { buildSourceIndex, SourceIndexContext } from '../../src/ui/evidence/source-index';
import { useAssessment } from '../../src/ui/hooks/use-assessment';
import { useClinicianInputs } from '../../src/ui/hooks/use-clinician-inputs';
import { buildTimelineData } from '../../src/ui/timeline/timeline-data';
import { TimelineTable } from '../../src/ui/timeline/timeline-table';
import { VerdictStrip } from '../../src/ui/verdicts/verdict-strip';
import { allClear, f, imaging, lab, labs, tace, timeline } from '../unit/engine-factories';

const AS_OF = '2026-11-01';

function refractory(): Timeline {
  const withMatched = (a: ReturnType<typeof imaging>) => ({
    ...a,
    findings: a.findings.map((x) =>
      x.type === 'viable-percent' ? { ...x, evidence: { ...x.evidence, matched: `${x.percent}%` } } : x,
    ),
  });
  return timeline({
    treatments: [tace('t1', '2026-02-01'), tace('t2', '2026-04-01')],
    imaging: [
      withMatched(imaging('r1', '2026-03-10', [f.viable(70), ...allClear()])),
      withMatched(imaging('r2', '2026-05-10', [f.viable(70), ...allClear()])),
    ],
    labs: labs(
      lab('afp', 40, '2026-01-20'),
      lab('afp', 2, '2026-03-01', { comparator: '<' }),
      lab('albumin', 3.9, '2026-01-28'),
      lab('bilirubin', 0.8, '2026-01-28'),
    ),
  });
}

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

function Screen({ tl }: { tl: Timeline }) {
  const api = useClinicianInputs('https://ehr.test/fhir', 'p1');
  const result = useAssessment(tl, AS_OF, api.inputs);
  if (!result) return null;
  return (
    <SourceIndexContext.Provider value={buildSourceIndex(tl)}>
      <VerdictStrip result={result} />
      <CriteriaDetail result={result} />
      <CorrectionsPanel timeline={tl} result={result} api={api} />
    </SourceIndexContext.Provider>
  );
}

describe('review screen parts', () => {
  it('verdict strip gives each criterion a status in words and a one-line reason', () => {
    const result = evaluate(refractory(), { asOf: AS_OF });
    render(<VerdictStrip result={result} />);
    const jsh = screen.getByTestId('verdict-jsh-lcsgj-2014');
    expect(jsh.getAttribute('data-status')).toBe('met');
    expect(within(jsh).getByText('Met')).toBeTruthy();
    expect(screen.getByTestId('verdict-reason-jsh-lcsgj-2014').textContent).toMatch(/Viable tumour/);
    expect(screen.getAllByRole('listitem')).toHaveLength(result.criteria.length);
  });

  it('highlights the matched words of the report sentence with <mark>', () => {
    const { container } = render(
      <Highlight sentence="Viable tumour about 70% of the lesion." matched="70%" />,
    );
    expect(container.querySelector('mark')?.textContent).toBe('70%');
    cleanup();
    const none = render(<Highlight sentence="No match here." matched="70%" />);
    expect(none.container.querySelector('mark')).toBeNull();
  });

  it('criteria detail shows the boundary in force and the marker policy wording', () => {
    const tl = refractory();
    render(
      <SourceIndexContext.Provider value={buildSourceIndex(tl)}>
        <CriteriaDetail result={evaluate(tl, { asOf: AS_OF })} />
      </SourceIndexContext.Provider>,
    );
    const sub = screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
    expect(within(sub).getByTestId('policy-boundary-insufficient-response').textContent).toMatch(/≥ 50 %/);
    expect(sub.querySelector('mark')?.textContent).toBe('70%');
    expect(screen.getAllByTestId('policy-markers')[0]?.textContent).toMatch(/JSH does not define/);
  });

  it('a correction re-runs the engine, is marked as entered by clinician, and is stored by server + patient', async () => {
    render(<Screen tl={refractory()} />);
    expect(screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response').getAttribute('data-status')).toBe(
      'met',
    );
    const form = await openReportForm('correction-r2');
    act(() => {
      fireEvent.change(within(form).getByLabelText('Viable tumour (%)'), { target: { value: '10' } });
    });
    const sub = screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
    expect(sub.getAttribute('data-status')).not.toBe('met');
    expect(within(sub).getAllByText('entered by clinician').length).toBeGreaterThan(0);
    const stored = sessionStorage.getItem(inputsStorageKey('https://ehr.test/fhir', 'p1'));
    expect(parseInputs(stored).corrections?.r2?.viablePercent).toBe(10);

    act(() => {
      fireEvent.click(screen.getByTestId('reset-corrections'));
    });
    expect(screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response').getAttribute('data-status')).toBe(
      'met',
    );
    expect(sessionStorage.getItem(inputsStorageKey('https://ehr.test/fhir', 'p1'))).toBeNull();
  });

  it('stored inputs are parsed defensively', () => {
    expect(parseInputs('not json')).toEqual({});
    expect(
      parseInputs(JSON.stringify({ intent: 'bogus', corrections: { a: { viablePercent: 900 } } })),
    ).toEqual({});
    expect(
      parseInputs(
        JSON.stringify({
          intent: 'curative',
          corrections: { a: { vascularInvasion: { presence: 'absent' } } },
        }),
      ),
    ).toEqual({ intent: 'curative', corrections: { a: { vascularInvasion: { presence: 'absent' } } } });
  });

  it('the timeline table speaks comparators in words and lists sessions', () => {
    const tl = refractory();
    const data = buildTimelineData(tl, evaluate(tl, { asOf: AS_OF }));
    expect(data.events.filter((e) => e.kind === 'tace')).toHaveLength(2);
    render(<TimelineTable data={data} />);
    expect(screen.getByText('less than 2')).toBeTruthy();
    expect(screen.getByText('TACE 1: cTACE')).toBeTruthy(); // the chart's wording since 0ae9177
  });
});

/**
 * Issue 12 item 2: highlights mark exactly the words the finding was read from, in the sentence as written; the
 * criteria detail reads in words (no constant names, no codes) and groups evidence per TACE session.
 */
function reportFrom(id: string, date: string, text: string, modality: 'CT' | 'MR' = 'CT'): ImagingAssessment {
  const source = { resourceType: 'DiagnosticReport', id };
  return {
    id,
    date,
    source,
    modality,
    title: `${modality === 'MR' ? 'MRI' : 'CT'} liver`,
    text,
    findings: extractFindings(text, { source, date }),
  };
}

function readReports(): Timeline {
  return timeline({
    treatments: [tace('t1', '2026-03-06', 'tace-conventional'), tace('t2', '2026-05-04', 'tace-deb')],
    imaging: [
      reportFrom(
        'ct-1',
        '2026-04-10',
        [
          'Treated lesion: LR-5 observation in segment VII measuring 3.2 cm, LI-RADS TR viable.',
          'Modified RECIST: SD.',
          'No new lesions. No extrahepatic disease.',
          'Portal vein: patent.',
        ].join('\n'),
      ),
      reportFrom(
        'mr-2',
        '2026-06-14',
        [
          'Non-target lesions: expansile enhancing tumor thrombus in the right portal vein (Vp3).',
          'Solitary LR-5 observation in segment VII measuring 3.4 cm, LI-RADS TR viable.',
          'No new lesions. No extrahepatic disease.',
        ].join('\n'),
        'MR',
      ),
    ],
    labs: labs(
      lab('afp', 40, '2026-02-20'),
      lab('afp', 45, '2026-04-01'),
      lab('albumin', 3.9, '2026-03-01'),
      lab('bilirubin', 0.8, '2026-03-01'),
    ),
  });
}

function readReportsSession(): AssessmentResult['taceSessions'][number]['response'] {
  return {
    assessmentId: null,
    assessmentDate: null,
    jshReading: 'unknown',
    category: null,
    viablePercent: null,
    newLesions: null,
    evidenceIds: [],
  };
}

function renderDetail(tl: Timeline) {
  const result = evaluate(tl, { asOf: AS_OF });
  render(
    <SourceIndexContext.Provider value={buildSourceIndex(tl)}>
      <CriteriaDetail result={result} />
    </SourceIndexContext.Provider>,
  );
  return result;
}

/** The <mark>ed words of every evidence sentence in a container, with the sentence they belong to. */
function marks(container: HTMLElement): { sentence: string; marked: string[] }[] {
  return Array.from(container.querySelectorAll('[data-testid="evidence-sentence"]')).map((q) => ({
    sentence: q.textContent ?? '',
    marked: Array.from(q.querySelectorAll('mark')).map((m) => m.textContent ?? ''),
  }));
}

describe('highlights mark the words the finding came from', () => {
  it('a template line read as other words ("Modified RECIST: SD" read as stable disease) marks "SD"', () => {
    const { container } = render(<Highlight sentence="Modified RECIST: SD." matched="stable disease" />);
    expect(Array.from(container.querySelectorAll('mark')).map((m) => m.textContent)).toEqual(['SD']);
  });

  it('a category is never marked inside another word ("PR" of "PRIOR")', () => {
    const { container } = render(
      <Highlight sentence="Compared with PRIOR exam, mRECIST: PR." matched="PR" />,
    );
    const mark = container.querySelector('mark');
    expect(mark?.textContent).toBe('PR');
    // The mark is the last "PR", after "mRECIST: ", not the start of "PRIOR".
    expect(mark?.previousSibling?.textContent).toBe('Compared with PRIOR exam, mRECIST: ');
  });

  it('a number is never marked in a grade or a segment ("LR-5", "segment 5")', () => {
    const { container } = render(
      <Highlight sentence="LR-5 observation in segment 5, now 5 cm." matched="5 cm" />,
    );
    expect(container.querySelector('mark')?.textContent).toBe('5 cm');
    expect(container.querySelector('mark')?.previousSibling?.textContent).toBe(
      'LR-5 observation in segment 5, now ',
    );
  });

  it('words the sentence does not contain mark nothing (never a look-alike)', () => {
    const { container } = render(<Highlight sentence="Tumour count: 3 (LR-5)." matched="5 lesions" />);
    expect(container.querySelector('mark')).toBeNull();
  });

  it('in the criteria detail, each evidence item marks its own finding, not another read from the sentence', () => {
    renderDetail(readReports());
    const vi = screen.getByTestId('sub-jsh-lcsgj-2014-vascular-invasion');
    expect(vi.getAttribute('data-status')).toBe('met');
    const thrombus = marks(vi).find((m) => m.sentence.includes('tumor thrombus'));
    expect(thrombus?.marked).toEqual(['tumor thrombus']);

    const insufficient = screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
    const lr5 = marks(insufficient).filter((m) => m.sentence.includes('LR-5 observation'));
    expect(lr5.length).toBeGreaterThan(0);
    // The category evidence marks "LI-RADS TR viable" — not the size "3.2 cm", nor "LR-5" or "segment VII".
    for (const m of lr5) expect(m.marked).toEqual(['LI-RADS TR viable']);
    const sd = marks(insufficient).find((m) => m.sentence === 'Modified RECIST: SD.');
    expect(sd?.marked).toEqual(['SD']);

    // One sentence gives three findings (count, size, category): up-to-seven marks the count's words and the
    // size, each on its own evidence item — never the category, which comes first in the sentence's findings.
    const burden = screen.getByTestId('sub-tace-unsuitability-beyond-up-to-seven');
    const solitary = marks(burden).filter((m) => m.sentence.includes('measuring 3.4 cm'));
    expect(solitary.map((m) => m.marked)).toEqual([['Solitary LR-5 observation'], ['3.4 cm']]);
  });
});

describe('criteria detail in words', () => {
  it('thresholds by name with value and unit, their source still shown; no constant names', () => {
    renderDetail(readReports());
    const detail = screen.getByTestId('criteria-detail');
    const text = detail.textContent ?? '';
    expect(text).toContain('viable-tumour boundary: 50 %');
    expect(text).toContain('imaging window after TACE, from: 28 days');
    expect(text).toContain('treatment intent: not recorded');
    expect(text).not.toMatch(/\b[A-Z]+_[A-Z_]+\b/); // VIABLE_BOUNDARY_PERCENT, JSH_CONSECUTIVE_SESSIONS
    expect(text).not.toMatch(/\b(?:imagingWindow\w*|viableBoundary|markerSessions|drugOffWeeks)\b/);
    expect(text).not.toMatch(/intentunknown|\bmrecist\b|lirads-tr|mcode-status/);
    const thresholds = within(screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response')).getByText(
      /^Thresholds used/,
    );
    expect(thresholds.textContent).toMatch(/source: .*JSH|Kudo|Liver Cancer Study Group/i);
    // The boundary policy in words, with the setting named rather than its key.
    const policy = screen.getByTestId('policy-boundary-insufficient-response').textContent ?? '';
    expect(policy).toMatch(/≥ 50 %/);
    expect(policy).not.toContain('viableBoundary');
  });

  it('evidence values never repeat a code after the words ("stable disease (mRECIST)", not "… SD")', () => {
    renderDetail(readReports());
    const sub = screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
    const items = Array.from(sub.querySelectorAll('ul.evidence > li')).map((li) => li.textContent ?? '');
    const sd = items.find((t) => t.includes('stable disease (mRECIST)'));
    expect(sd).toBeDefined();
    expect(sd).not.toMatch(/\bSD\b(?!\.)/); // the sentence "Modified RECIST: SD." is quoted; no value "SD"
    expect(items.some((t) => t.includes('viable (LI-RADS TR)'))).toBe(true);
  });

  it('sub-criterion evidence is grouped under each TACE session by date, with the technique in words', () => {
    const result = renderDetail(readReports());
    expect(result.taceSessions.map((s) => s.date)).toEqual(['2026-03-06', '2026-05-04']);
    const sub = screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
    const headings = Array.from(sub.querySelectorAll('h5')).map((h) => h.textContent);
    expect(headings).toEqual(['TACE 1 — 2026-03-06 (conventional TACE)', 'TACE 2 — 2026-05-04 (DEB-TACE)']);
    const [first, second] = Array.from(sub.querySelectorAll('.evidence-session'));
    // The CT of 2026-04-10 follows TACE 1; the MRI of 2026-06-14 follows TACE 2.
    expect(first?.textContent).toContain('2026-04-10');
    expect(first?.textContent).not.toContain('2026-06-14');
    expect(second?.textContent).toContain('2026-06-14');
    expect(second?.textContent).not.toContain('2026-04-10');
  });

  it('evidence before the first TACE and undated evidence have their own groups; no session, no grouping', () => {
    const item = (date: string, label: string) => ({
      ref: `Observation/${label}`,
      date,
      label,
      origin: 'structured' as const,
    });
    const sessions = [
      { date: '2026-03-06', ref: 'Procedure/t1', kind: 'tace-conventional', response: readReportsSession() },
      { date: '2026-05-04', ref: 'Procedure/t2', kind: 'tace-unspecified', response: readReportsSession() },
    ];
    const groups = groupBySession(
      [
        item('2026-02-20', 'albumin before'),
        item('2026-02-27', 'AFP baseline'),
        item('2026-03-06', 'albumin'),
        item('2026-04-30', 'AFP baseline 2'),
        item('2026-05-03', 'AFP after TACE'),
        item('2026-05-04', 'albumin 2'),
        item('', 'undated'),
      ],
      sessions,
    );
    expect(groups.map((g) => [g.heading, g.items.map((i) => i.label)])).toEqual([
      ['Before the first TACE', ['albumin before']],
      // A baseline goes with the session it is the baseline of (the next one on or after its date).
      ['TACE 1 — 2026-03-06 (conventional TACE)', ['AFP baseline', 'albumin', 'AFP after TACE']],
      ['TACE 2 — 2026-05-04 (technique not recorded)', ['AFP baseline 2', 'albumin 2']],
      ['Other', ['undated']],
    ]);
    expect(groupBySession([item('2026-02-20', 'AFP')], []).map((g) => g.key)).toEqual(['all']);
  });
});

describe('highlights over the sandbox reports', () => {
  it('every finding read from a scenario report has its words found in the sentence as written', () => {
    let checked = 0;
    const lost: string[] = [];
    for (const scenario of buildScenarios()) {
      const patient = scenario.resources.find((r) => r.resourceType === 'Patient');
      const { timeline: tl } = loadPatient(patient, scenario.resources, { asOf: AS_OF });
      for (const a of tl.imaging) {
        for (const x of a.findings) {
          const { sentence, matched } = x.evidence;
          if (!sentence || !matched || x.evidence.origin !== 'text') continue;
          checked += 1;
          const r = highlightRange(sentence, matched);
          if (!r) lost.push(`${scenario.id} ${x.type}: "${matched}" in "${sentence}"`);
          // A mark never starts inside a word or a number.
          else if (
            r[0] > 0 &&
            /[A-Za-z0-9]/.test(sentence[r[0] - 1] ?? '') &&
            /[A-Za-z0-9]/.test(sentence[r[0]] ?? '')
          )
            lost.push(`${scenario.id} ${x.type}: mark inside a word at ${r[0]} of "${sentence}"`);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(lost).toEqual([]);
  }, 60_000);
});
