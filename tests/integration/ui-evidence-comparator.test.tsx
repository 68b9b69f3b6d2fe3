import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EvidenceList } from '../../src/ui/evidence/evidence-list';

afterEach(cleanup);

describe('evidence values with comparators', () => {
  it('show the sign and say it in words for screen readers', () => {
    const { container } = render(
      <EvidenceList
        items={[
          {
            ref: 'Observation/afp-1',
            date: '2026-10-12',
            label: 'AFP normal',
            value: '<2',
            unit: 'ng/mL',
            origin: 'structured',
          },
          {
            ref: 'Observation/alb-1',
            date: '2026-10-12',
            label: 'Albumin',
            value: 3.9,
            unit: 'g/dL',
            origin: 'structured',
          },
        ]}
      />,
    );
    const [first, second] = Array.from(container.querySelectorAll('li'));
    expect(first?.querySelector('[aria-hidden="true"]')?.textContent).toBe('<2 ng/mL');
    expect(first?.querySelector('.visually-hidden')?.textContent).toBe('less than 2 ng/mL');
    expect(second?.textContent).toContain('3.9 g/dL');
    expect(second?.querySelector('.visually-hidden')).toBeNull();
  });
});

describe('evidence in words (issue 12 item 2)', () => {
  const base = { date: '2026-04-10', origin: 'structured' as const };
  it('units read as words, never UCUM: IU/mL, µmol/L, ×10⁹/L', () => {
    const { container } = render(
      <EvidenceList
        items={[
          { ...base, ref: 'Observation/a', label: 'AFP baseline', value: 12, unit: '[IU]/mL' },
          { ...base, ref: 'Observation/b', label: 'Total bilirubin', value: 14, unit: 'umol/L' },
          { ...base, ref: 'Observation/c', label: 'Platelets', value: 120, unit: '10*9/L' },
          { ...base, ref: 'Observation/d', label: 'INR', value: 1.1, unit: '{INR}' },
        ]}
      />,
    );
    const text = container.textContent ?? '';
    expect(text).toContain('12 IU/mL');
    expect(text).toContain('14 µmol/L');
    expect(text).toContain('120 ×10⁹/L');
    expect(text).toContain('INR 1.1');
    expect(text).not.toMatch(/\[IU\]|umol|10\*9|\{INR\}/);
  });

  it('a category code or a repeated number after the words is not shown; a presence is said once', () => {
    const text = { ...base, origin: 'text' as const };
    const { container } = render(
      <EvidenceList
        items={[
          { ...text, ref: 'DiagnosticReport/r1', label: 'stable disease (mRECIST)', value: 'SD' },
          { ...text, ref: 'DiagnosticReport/r1', label: 'viable (LI-RADS TR)', value: 'viable' },
          { ...text, ref: 'DiagnosticReport/r1', label: 'viable tumour ~70 %', value: '70', unit: '%' },
          {
            ...text,
            ref: 'DiagnosticReport/r1',
            label: 'vascular invasion Vp3 (right portal vein)',
            value: 'present Vp3',
          },
          {
            ...base,
            ref: 'Observation/s',
            label: 'worsened (mCODE disease status)',
            value: "Patient's condition worsened",
          },
          { ...text, ref: 'DiagnosticReport/r1', label: 'extrahepatic spread', value: 'absent' },
        ]}
      />,
    );
    const items = Array.from(container.querySelectorAll('li')).map((li) => li.textContent ?? '');
    expect(items[0]).toMatch(/stable disease \(mRECIST\) coded data|stable disease \(mRECIST\) read from/);
    expect(items[0]).not.toMatch(/\bSD\b/);
    expect(items[1]).not.toMatch(/\)\s*viable/);
    expect(items[2]).not.toMatch(/70 %.*70 %/);
    expect(items[3]).toContain('vascular invasion Vp3 (right portal vein) present');
    expect(items[3]).not.toMatch(/present Vp3/);
    expect(items[4]).not.toContain("Patient's condition");
    expect(items[5]).toContain('extrahepatic spread absent');
  });
});
