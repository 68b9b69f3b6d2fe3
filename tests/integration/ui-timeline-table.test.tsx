import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Measurement } from '../../src/domain/labs';
import { evaluate } from '../../src/engine/index';
import { buildTimelineData } from '../../src/ui/timeline/timeline-data';
import { printSummary, TABLE_PAGE_SIZE, TimelineTable } from '../../src/ui/timeline/timeline-table';
import { addDays, lab, labs, tace, timeline } from '../unit/engine-factories';

afterEach(cleanup);

const AS_OF = '2026-11-01';

/** A long record: 240 AFP, 60 albumin, 12 bilirubin values (one with a comparator) and two TACE sessions. */
function longRecord() {
  const ms: Measurement[] = [];
  for (let i = 0; i < 240; i++) ms.push(lab('afp', 10 + i, addDays('2020-01-01', i * 7)));
  for (let i = 0; i < 60; i++) ms.push(lab('albumin', 30 + (i % 10), addDays('2020-01-03', i * 28)));
  for (let i = 0; i < 11; i++) ms.push(lab('bilirubin', 12 + i, addDays('2021-01-05', i * 30)));
  ms.push(lab('bilirubin', 2, '2026-09-30', { comparator: '<' }));
  const tl = timeline({
    treatments: [tace('t1', '2024-02-01'), tace('t2', '2024-05-01')],
    labs: labs(...ms),
  });
  return buildTimelineData(tl, evaluate(tl, { asOf: AS_OF }));
}

const bodyRows = () =>
  within(screen.getByTestId('timeline-table'))
    .getAllByRole('row')
    .filter((r) => r.closest('tbody'));

describe('the timeline table on a long record', () => {
  it('renders at most one page of rows, in date order, and pages through all of them', async () => {
    const data = longRecord();
    render(<TimelineTable data={data} />);
    // Closed, a long table holds no rows (it is built when opened).
    expect(screen.queryByTestId('timeline-table-range')).toBeNull();
    fireEvent.click(screen.getByText(/^Show as table/));
    await screen.findByTestId('timeline-table-range');
    const summaryText = screen.getByText(/^Show as table/).textContent ?? '';
    const total = Number(/\(([\d,]+) rows\)/.exec(summaryText)?.[1]?.replace(/,/g, ''));
    expect(total).toBeGreaterThan(300);
    const pages = Math.ceil(total / TABLE_PAGE_SIZE);

    const range = screen.getByTestId('timeline-table-range');
    const prev = screen.getByTestId('timeline-table-prev');
    const next = screen.getByTestId('timeline-table-next');
    expect(range.textContent).toBe(`Rows 1–${TABLE_PAGE_SIZE} of ${total}`);
    expect(prev.getAttribute('aria-disabled')).toBe('true');

    const seen: string[] = [];
    for (let p = 0; p < pages; p++) {
      const rows = bodyRows();
      expect(rows.length).toBeLessThanOrEqual(TABLE_PAGE_SIZE);
      expect(rows.length).toBe(p < pages - 1 ? TABLE_PAGE_SIZE : total - TABLE_PAGE_SIZE * (pages - 1));
      const first = p * TABLE_PAGE_SIZE + 1;
      expect(range.textContent).toBe(`Rows ${first}–${first + rows.length - 1} of ${total}`);
      for (const r of rows) {
        const cells = r.querySelectorAll('td, th');
        seen.push(`${cells[0]?.textContent}|${cells[1]?.textContent}|${cells[5]?.textContent}`);
      }
      fireEvent.click(next);
    }
    // Past the last page, Next does nothing (aria-disabled, still focusable).
    expect(next.getAttribute('aria-disabled')).toBe('true');
    expect(bodyRows().length).toBe(total - TABLE_PAGE_SIZE * (pages - 1));

    // Every row exactly once, oldest first (the order of the short table).
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const days = seen.map((s) => s.split('|')[0] ?? '');
    expect(days).toEqual([...days].sort());
    expect(seen.some((s) => s.includes('TACE 1'))).toBe(true);

    // And back.
    fireEvent.click(prev);
    expect(range.textContent).toBe(
      `Rows ${(pages - 2) * TABLE_PAGE_SIZE + 1}–${(pages - 1) * TABLE_PAGE_SIZE} of ${total}`,
    );
    // Paging through every page in jsdom takes seconds on a loaded 2-core machine: not a time assertion.
  }, 30_000);

  it('prints a summary: the latest value of each analyte with its date and unit, and the count of the rest', () => {
    const data = longRecord();
    render(<TimelineTable data={data} />);
    const summary = screen.getByTestId('timeline-print-summary');
    const lines = within(summary)
      .getAllByTestId('print-summary-line')
      .map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent));
    const afpLast = data.labs.afp[data.labs.afp.length - 1];
    expect(lines).toContainEqual(['AFP', String(afpLast?.value), 'ng/mL', afpLast?.day, '239']);
    expect(lines).toContainEqual(['Albumin', '3.9', 'g/dL', addDays('2020-01-03', 59 * 28), '59']);
    // The comparator is spoken in words, shown as a sign.
    expect(lines).toContainEqual(['Bilirubin', '<0.12less than 0.12', 'mg/dL', '2026-09-30', '11']);
    expect(lines.map((l) => l[0])).toEqual(printSummary(data).map((l) => l.item));
    const total = 240 + 60 + 12 + data.albi.length + data.events.length + data.imaging.length;
    expect(screen.getByTestId('print-summary-rest').textContent).toContain(
      `${total - lines.length} further rows`,
    );
  });

  it('a short table is neither paged nor summarized: every row, as before', () => {
    const tl = timeline({
      treatments: [tace('t1', '2026-02-01')],
      labs: labs(lab('afp', 12, '2026-01-20'), lab('afp', 8, '2026-03-20')),
    });
    render(<TimelineTable data={buildTimelineData(tl, evaluate(tl, { asOf: AS_OF }))} />);
    expect(bodyRows().length).toBe(3);
    expect(screen.queryByTestId('timeline-table-pager')).toBeNull();
    expect(screen.queryByTestId('timeline-print-summary')).toBeNull();
  });
});
