import { describe, expect, it } from 'vitest';
import { evaluate, NO_HCC_NOTE } from '../../src/engine/index';
import type { AssessmentResult } from '../../src/engine/result';
import { composeNote } from '../../src/note/compose-note';
import { lab, labs, tace, timeline } from './engine-factories';

const AS_OF = '2026-11-01';
const DATE = '2026-11-02';

function synthea(): AssessmentResult {
  // A Synthea-like record: liver labs and an embolization, no hepatocellular carcinoma on the problem list.
  return evaluate(
    timeline({
      treatments: [tace('t1', '2026-05-01')],
      labs: labs(
        lab('albumin', 3.5, '2026-10-28', { unit: 'g/dL' }),
        lab('bilirubin', 1.0, '2026-10-28', { unit: 'mg/dL' }),
      ),
    }),
    { asOf: AS_OF },
  );
}

describe('the note says first when no HCC diagnosis is on record', () => {
  it('not found: an Applicability line right after the title; the definitions say they may not apply', () => {
    const note = composeNote(synthea(), { date: DATE });
    const lines = note.split('\n');
    expect(lines[0]).toBe(`TACE review — decision-support summary (${DATE})`);
    // The second block, its wrapped lines joined: the applicability sentence, before the assessment.
    const applicability = (note.split('\n\n')[1] ?? '').replace(/\n\s*/g, ' ');
    expect(applicability).toBe(`Applicability: ${NO_HCC_NOTE}`);
    expect(note.split('\n\n')[2]?.startsWith('Assessment\n')).toBe(true);
    expect(applicability).toContain(
      'No hepatocellular carcinoma diagnosis found in the record: the criteria below may not apply',
    );
    expect(lines).toContain(
      'Definitions (may not apply: no hepatocellular carcinoma diagnosis found in the record)',
    );
    // The scores are still given.
    expect(lines.find((l) => l.startsWith('- ALBI: '))).toMatch(/^- ALBI: −\d+(\.\d+)?, grade [123]/);
  });

  it('unknown (conditions not loaded): said first as unknown, never as "not found"', () => {
    const base = synthea();
    const unknown: AssessmentResult = {
      ...base,
      applicability: { hccDiagnosis: 'unknown', conditions: [], note: 'Conditions could not be loaded.' },
    };
    const note = composeNote(unknown, { date: DATE });
    expect(note.split('\n')[2]).toBe('Applicability: Conditions could not be loaded.');
    expect(note).toContain('Definitions (may not apply: whether an HCC diagnosis is on record is not known)');
    expect(note).not.toContain('No hepatocellular carcinoma diagnosis found');
  });

  it('recorded: no applicability line, the definitions heading unchanged', () => {
    const base = synthea();
    const recorded: AssessmentResult = {
      ...base,
      applicability: { hccDiagnosis: 'recorded', conditions: [], note: 'recorded' },
    };
    const note = composeNote(recorded, { date: DATE });
    expect(note).not.toContain('Applicability');
    expect(note.split('\n')).toContain('Definitions');
  });
});
