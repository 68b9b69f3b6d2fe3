import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Timeline } from '../../src/domain/timeline';
import { evaluate } from '../../src/engine/index';
import { CorrectionsPanel } from '../../src/ui/corrections/corrections-panel';
import { inputsStorageKey, parseInputs } from '../../src/ui/corrections/inputs-storage';
import { CriteriaDetail } from '../../src/ui/evidence/criteria-detail';
import { Highlight } from '../../src/ui/evidence/highlight';
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

  it('a correction re-runs the engine, is marked as entered by clinician, and is stored by server + patient', () => {
    render(<Screen tl={refractory()} />);
    expect(screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response').getAttribute('data-status')).toBe(
      'met',
    );
    const form = screen.getByTestId('correction-r2');
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
    expect(screen.getByText('TACE 1 (conventional)')).toBeTruthy();
  });
});
