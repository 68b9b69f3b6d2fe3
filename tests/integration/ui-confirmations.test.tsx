import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Timeline } from '../../src/domain/timeline';
import { evaluate } from '../../src/engine/index';
import { composeNote } from '../../src/note/compose-note';
import { CorrectionsPanel } from '../../src/ui/corrections/corrections-panel';
import { inputsStorageKey, parseInputs } from '../../src/ui/corrections/inputs-storage';
import { CriteriaDetail } from '../../src/ui/evidence/criteria-detail';
import { buildSourceIndex, SourceIndexContext } from '../../src/ui/evidence/source-index';
import { useAssessment } from '../../src/ui/hooks/use-assessment';
import { useClinicianInputs } from '../../src/ui/hooks/use-clinician-inputs';
import { VerdictStrip } from '../../src/ui/verdicts/verdict-strip';
import { openReportForm } from './open-report-form';
import { allClear, f, imaging, lab, labs, tace, timeline } from '../unit/engine-factories';

const AS_OF = '2026-11-01';
const SERVER = 'https://ehr.test/fhir';
const REMARK_2 = 'Based on 2 readings from report text, not confirmed by a clinician';

/** Two TACE sessions, each followed by a report read from text: viable 70 % → JSH-LCSGJ insufficient response. */
function refractory(): Timeline {
  return timeline({
    treatments: [tace('t1', '2026-02-01'), tace('t2', '2026-04-01')],
    imaging: [
      imaging('r1', '2026-03-10', [f.viable(70), ...allClear()]),
      imaging('r2', '2026-05-10', [f.viable(70), ...allClear(), f.count(3), f.diameter(3)]),
    ],
    labs: labs(lab('albumin', 39, '2026-10-20'), lab('bilirubin', 12, '2026-10-20')),
  });
}

function Screen({ tl }: { tl: Timeline }) {
  const api = useClinicianInputs(SERVER, 'p1');
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

const stored = () => parseInputs(sessionStorage.getItem(inputsStorageKey(SERVER, 'p1')));
const noteFromStored = (tl: Timeline) => {
  const inputs = stored();
  return composeNote(evaluate(tl, { asOf: AS_OF, inputs }), { date: AS_OF, inputs });
};

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

describe('clinician confirmation, no dead ends', () => {
  it('the panel has inputs for count, largest diameter, gross type, CEUS, ascites, encephalopathy, BCLC, intent', async () => {
    render(<Screen tl={refractory()} />);
    const panel = screen.getByTestId('corrections');
    for (const label of [
      'Treatment intent',
      'Ascites',
      'Encephalopathy',
      'BCLC stage',
      'Gross type of the tumour',
      'Contrast ultrasound (CEUS)',
    ])
      expect(within(panel).getByLabelText(label)).toBeTruthy();
    expect(within(screen.getByTestId('correction-r2')).queryByLabelText('Number of tumours')).toBeNull();
    const form = await openReportForm('correction-r2');
    for (const label of ['Number of tumours', 'Largest diameter (cm)', 'Lipiodol deposition (%)'])
      expect(within(form).getByLabelText(label)).toBeTruthy();
    expect(within(form).getByText(/As read: 3$/)).toBeTruthy();
  });

  it('every missing item a clinician can supply links to an input that exists on the screen', () => {
    render(<Screen tl={refractory()} />);
    const detail = screen.getByTestId('criteria-detail');
    const items = [...detail.querySelectorAll('.missing li')];
    const clinicianItems = items.filter((li) =>
      /clinician input|treatment intent|BCLC/i.test(li.textContent ?? ''),
    );
    // Gross type, CEUS (drug-off), … are missing here: each must lead somewhere.
    expect(clinicianItems.some((li) => /gross type/.test(li.textContent ?? ''))).toBe(true);
    expect(clinicianItems.some((li) => /contrast ultrasound/.test(li.textContent ?? ''))).toBe(true);
    for (const li of clinicianItems) {
      const a = li.querySelector('a');
      expect(a, li.textContent ?? '').not.toBeNull();
      const target = document.getElementById((a?.getAttribute('href') ?? '#').slice(1));
      expect(target, a?.getAttribute('href') ?? '').not.toBeNull();
      expect(screen.getByTestId('corrections').contains(target)).toBe(true);
    }
  });

  it('the remark appears next to the verdict, disappears when the report readings are confirmed, and the note follows', async () => {
    const tl = refractory();
    render(<Screen tl={tl} />);
    await openReportForm('correction-r1');
    await openReportForm('correction-r2');
    const strip = screen.getByTestId('verdict-unconfirmed-jsh-lcsgj-2014');
    expect(strip.textContent).toContain(REMARK_2); // in full for screen readers and on hover
    expect(strip.getAttribute('title')).toBe(REMARK_2);
    expect(within(strip).getByText('2 unconfirmed readings')).toBeTruthy(); // short form beside the badge
    expect(screen.getByTestId('sub-unconfirmed-jsh-lcsgj-2014-insufficient-response').textContent).toBe(
      REMARK_2,
    );
    expect(noteFromStored(tl)).toContain(
      'criteria met (based on 2 readings from report text, not confirmed by a clinician)',
    );

    act(() => {
      fireEvent.click(screen.getByTestId('confirm-all-r1'));
    });
    expect(screen.getByTestId('verdict-unconfirmed-jsh-lcsgj-2014').textContent).toContain(
      'Based on 1 reading from report text, not confirmed by a clinician',
    );
    act(() => {
      fireEvent.click(screen.getByTestId('confirm-all-r2'));
    });
    expect(screen.queryByTestId('verdict-unconfirmed-jsh-lcsgj-2014')).toBeNull();
    expect(screen.queryByTestId('sub-unconfirmed-jsh-lcsgj-2014-insufficient-response')).toBeNull();
    // Still met, still read from text — now confirmed.
    const sub = screen.getByTestId('sub-jsh-lcsgj-2014-insufficient-response');
    expect(sub.getAttribute('data-status')).toBe('met');
    expect(within(sub).getAllByText('confirmed by clinician').length).toBeGreaterThan(0);
    expect(Object.keys(stored().confirmations ?? {}).sort()).toEqual(['r1', 'r2']);
    const note = noteFromStored(tl);
    expect(note).not.toContain('not confirmed by a clinician');
    expect(note).toContain('(from report text, confirmed by clinician)');
  });

  it('one finding can be confirmed on its own, and the confirmation withdrawn', async () => {
    render(<Screen tl={refractory()} />);
    const form = await openReportForm('correction-r2');
    const box = within(form).getByLabelText('Confirm as read: viable tumour');
    act(() => {
      fireEvent.click(box);
    });
    expect(screen.getByTestId('verdict-unconfirmed-jsh-lcsgj-2014').textContent).toContain(
      'Based on 1 reading from report text',
    );
    act(() => {
      fireEvent.click(
        within(screen.getByTestId('correction-r2')).getByLabelText('Confirm as read: viable tumour'),
      );
    });
    expect(screen.getByTestId('verdict-unconfirmed-jsh-lcsgj-2014').textContent).toContain(REMARK_2);
  });

  it('correcting a reading replaces it (the remark counts only what is left), count and diameter are stored', async () => {
    render(<Screen tl={refractory()} />);
    const form = await openReportForm('correction-r2');
    act(() => {
      fireEvent.change(within(form).getByLabelText('Viable tumour (%)'), { target: { value: '80' } });
    });
    expect(screen.getByTestId('verdict-unconfirmed-jsh-lcsgj-2014').textContent).toContain(
      'Based on 1 reading from report text',
    );
    act(() => {
      fireEvent.change(within(form).getByLabelText('Number of tumours'), { target: { value: '6' } });
      fireEvent.change(within(form).getByLabelText('Largest diameter (cm)'), { target: { value: '4.5' } });
    });
    expect(stored().corrections?.r2).toEqual({ viablePercent: 80, tumorCount: 6, largestDiameterCm: 4.5 });
    const beyond = screen.getByTestId('sub-tace-unsuitability-beyond-up-to-seven');
    expect(beyond.getAttribute('data-status')).toBe('met');
    expect(screen.queryByTestId('sub-unconfirmed-tace-unsuitability-beyond-up-to-seven')).toBeNull();
  });

  it('gross type and CEUS entries decide their sub-criteria and are stored', () => {
    render(<Screen tl={refractory()} />);
    const panel = screen.getByTestId('corrections');
    expect(
      screen.getByTestId('sub-tace-unsuitability-resistant-gross-type').getAttribute('data-status'),
    ).toBe('indeterminate');
    act(() => {
      fireEvent.change(within(panel).getByLabelText('Gross type of the tumour'), {
        target: { value: 'infiltrative' },
      });
      fireEvent.change(within(panel).getByLabelText('Contrast ultrasound (CEUS)'), {
        target: { value: 'no' },
      });
      fireEvent.change(within(panel).getByLabelText('BCLC stage'), { target: { value: 'B' } });
    });
    expect(
      screen.getByTestId('sub-tace-unsuitability-resistant-gross-type').getAttribute('data-status'),
    ).toBe('met');
    expect(screen.getByTestId('sub-drug-off-no-arterial-flow-ceus').getAttribute('data-status')).toBe(
      'not-met',
    );
    expect(stored()).toMatchObject({
      grossType: 'infiltrative',
      noIntranodularFlowOnCeus: false,
      bclcStage: 'B',
    });
  });

  it('stored confirmations and the new entries are parsed defensively', () => {
    expect(
      parseInputs(
        JSON.stringify({
          grossType: 'bogus',
          noIntranodularFlowOnCeus: 'yes',
          bclcStage: 'D',
          confirmations: { r1: { 'viable-percent': 'not-a-hash', bogus: '0123abcd' } },
          corrections: { r1: { tumorCount: 2.5, largestDiameterCm: -1, lipiodolPercent: 300 } },
        }),
      ),
    ).toEqual({});
    expect(
      parseInputs(
        JSON.stringify({
          grossType: 'massive',
          noIntranodularFlowOnCeus: true,
          confirmations: { r1: { 'viable-percent': '0123abcd' } },
          corrections: { r1: { tumorCount: 4, largestDiameterCm: 3.2, lipiodolPercent: 40 } },
        }),
      ),
    ).toEqual({
      grossType: 'massive',
      noIntranodularFlowOnCeus: true,
      confirmations: { r1: { 'viable-percent': '0123abcd' } },
      corrections: { r1: { tumorCount: 4, largestDiameterCm: 3.2, lipiodolPercent: 40 } },
    });
  });
});
