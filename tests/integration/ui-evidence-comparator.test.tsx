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
