import { useMemo, useState } from 'react';
import {
  ANALYTE_LABEL,
  CHART_ANALYTES,
  unitText,
  valueWords,
  type ChartAnalyte,
  type TimelineData,
} from './timeline-data';

/** Rows per page on screen; a table longer than this is paged on screen and summarized in print. */
export const TABLE_PAGE_SIZE = 100;

interface Row {
  day: string;
  item: string;
  visual: string;
  spoken: string;
  unit: string;
  source: string;
  origin: string;
}

function rows(data: TimelineData): Row[] {
  const out: Row[] = [];
  for (const a of CHART_ANALYTES) {
    for (const p of data.labs[a]) {
      const w = valueWords(p);
      out.push({
        day: p.day,
        item: ANALYTE_LABEL[a],
        visual: w.visual,
        spoken: w.spoken,
        unit: unitText(p.unit),
        source: p.source,
        origin: p.originalText ? `coded; reported as ${p.originalText}` : 'coded',
      });
    }
  }
  for (const p of data.albi) {
    const v = p.score.toFixed(2);
    out.push({
      day: p.day,
      item: `ALBI (${p.when} ${p.sessionLabel} of ${p.session})`,
      visual: `${v}, grade ${p.grade}${p.grade === p.mGrade ? '' : ` (mALBI ${p.mGrade})`}`,
      spoken: `${v}, grade ${p.grade}${p.grade === p.mGrade ? '' : ` (mALBI ${p.mGrade})`}`,
      unit: '',
      source: p.sources.join(', '),
      origin: 'derived by the engine',
    });
  }
  for (const e of data.events) {
    out.push({
      day: e.day,
      item: e.kind === 'tace' ? e.label : `Treatment: ${e.label}`,
      visual: e.detail,
      spoken: e.detail,
      unit: '',
      source: e.source,
      origin: 'coded',
    });
  }
  for (const i of data.imaging) {
    out.push({
      day: i.day,
      item: `${i.sourceText}${i.session ? `, after ${i.session}` : ''}`,
      visual: i.label,
      spoken: i.label,
      unit: '',
      source: i.source,
      origin: i.clinician ? 'entered by clinician' : 'read from report text',
    });
  }
  return out.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
}

export interface SummaryLine {
  item: string;
  day: string;
  visual: string;
  spoken: string;
  unit: string;
  /** How many earlier values of the same series the summary leaves out. */
  earlier: number;
}

/** The latest value of each series (each analyte in its unit, and ALBI), with its date and the count of the rest. */
export function printSummary(data: TimelineData): SummaryLine[] {
  const out: SummaryLine[] = [];
  for (const a of CHART_ANALYTES as readonly ChartAnalyte[]) {
    const points = data.labs[a];
    const latest = points.reduce<(typeof points)[number] | undefined>(
      (l, p) => (l === undefined || p.day >= l.day ? p : l),
      undefined,
    );
    if (!latest) continue;
    const w = valueWords(latest);
    out.push({
      item: ANALYTE_LABEL[a],
      day: latest.day,
      visual: w.visual,
      spoken: w.spoken,
      unit: unitText(latest.unit),
      earlier: points.length - 1,
    });
  }
  const albi = data.albi.reduce<(typeof data.albi)[number] | undefined>(
    (l, p) => (l === undefined || p.day >= l.day ? p : l),
    undefined,
  );
  if (albi) {
    const v = `${albi.score.toFixed(2)}, grade ${albi.grade}`;
    out.push({ item: 'ALBI', day: albi.day, visual: v, spoken: v, unit: '', earlier: data.albi.length - 1 });
  }
  return out;
}

const count = (n: number) => n.toLocaleString('en-US');

function Value({ visual, spoken }: { visual: string; spoken: string }) {
  return visual === spoken ? (
    <>{visual}</>
  ) : (
    <>
      <span aria-hidden="true">{visual}</span>
      <span className="visually-hidden">{spoken}</span>
    </>
  );
}

/** Printed instead of a long table: one line per series instead of thousands of rows. */
function PrintSummary({ data, total }: { data: TimelineData; total: number }) {
  const lines = printSummary(data);
  const rest = total - lines.length;
  return (
    <div className="timeline-print-summary" data-testid="timeline-print-summary">
      <p>
        Timeline values: {count(total)} rows, summarized for print — the latest value of each series; the full
        table is in the app under “Show as table”.
      </p>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Latest value</th>
            <th scope="col">Unit</th>
            <th scope="col">Date</th>
            <th scope="col">Earlier values</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={`${l.item}-${l.unit}`} data-testid="print-summary-line">
              <th scope="row">{l.item}</th>
              <td>
                <Value visual={l.visual} spoken={l.spoken} />
              </td>
              <td>{l.unit}</td>
              <td>{l.day}</td>
              <td>{count(l.earlier)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="print-summary-rest">
        {count(rest)} further rows (earlier values, treatments, imaging) not printed.
      </p>
    </div>
  );
}

/**
 * The chart's data as a table: the accessible (and printable) form of the same values. Long tables (long records)
 * show one page of {@link TABLE_PAGE_SIZE} rows at a time, in the same order, and print as a summary instead.
 */
export function TimelineTable({ data }: { data: TimelineData }) {
  const all = useMemo(() => rows(data), [data]);
  const pages = Math.max(1, Math.ceil(all.length / TABLE_PAGE_SIZE));
  const [wanted, setPage] = useState(0);
  const page = Math.min(wanted, pages - 1);
  const paged = all.length > TABLE_PAGE_SIZE;
  const first = page * TABLE_PAGE_SIZE;
  const shown = paged ? all.slice(first, first + TABLE_PAGE_SIZE) : all;
  const range = `Rows ${count(first + 1)}–${count(first + shown.length)} of ${count(all.length)}`;
  // A long table is built when it is opened (it prints as the summary below, never as rows): a 10-year record's
  // closed table was some 800 DOM nodes of the review screen. A short one stays in the page, for print.
  const [opened, setOpened] = useState(false);

  return (
    <>
      <details
        className={paged ? 'timeline-table timeline-table-paged' : 'timeline-table'}
        data-testid="timeline-table"
        onToggle={(event) => setOpened(event.currentTarget.open)}
      >
        <summary>Show as table ({count(all.length)} rows)</summary>
        {paged && !opened ? null : (
          <>
            <table className="compact">
              <caption className="visually-hidden">
                Tumour markers, liver function, treatments and imaging over time
                {paged ? `: ${range}` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Item</th>
                  <th scope="col">Value</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Origin</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r, i) => (
                  <tr key={`${r.day}-${r.item}-${first + i}`}>
                    <td>{r.day}</td>
                    <th scope="row">{r.item}</th>
                    <td>
                      <Value visual={r.visual} spoken={r.spoken} />
                    </td>
                    <td>{r.unit}</td>
                    <td>{r.origin}</td>
                    <td>
                      <code>{r.source}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {paged && (
              <nav className="table-pager" aria-label="Table pages" data-testid="timeline-table-pager">
                <button
                  type="button"
                  aria-disabled={page === 0}
                  onClick={() => page > 0 && setPage(page - 1)}
                  data-testid="timeline-table-prev"
                >
                  Previous {TABLE_PAGE_SIZE} rows
                </button>
                <span role="status" data-testid="timeline-table-range">
                  {range}
                </span>
                <button
                  type="button"
                  aria-disabled={page === pages - 1}
                  onClick={() => page < pages - 1 && setPage(page + 1)}
                  data-testid="timeline-table-next"
                >
                  Next {TABLE_PAGE_SIZE} rows
                </button>
              </nav>
            )}
          </>
        )}
      </details>
      {paged && <PrintSummary data={data} total={all.length} />}
    </>
  );
}
