import { ANALYTE_LABEL, CHART_ANALYTES, unitText, valueWords, type TimelineData } from './timeline-data';

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
      item: `ALBI (${p.when} TACE of ${p.session})`,
      visual: `${v}, grade ${p.grade}`,
      spoken: `${v}, grade ${p.grade}`,
      unit: '',
      source: p.sources.join(', '),
      origin: 'derived by the engine',
    });
  }
  for (const e of data.events) {
    out.push({
      day: e.day,
      item: e.kind === 'tace' ? e.label : `Treatment: ${e.label}`,
      visual: '—',
      spoken: 'none',
      unit: '',
      source: e.source,
      origin: 'coded',
    });
  }
  for (const i of data.imaging) {
    out.push({
      day: i.day,
      item: `Imaging after ${i.session ?? 'TACE'}`,
      visual: i.label,
      spoken: i.label,
      unit: '',
      source: i.source,
      origin: i.clinician ? 'entered by clinician' : 'read from report text',
    });
  }
  return out.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
}

/** The chart's data as a table: the accessible (and printable) form of the same values. */
export function TimelineTable({ data }: { data: TimelineData }) {
  const all = rows(data);
  return (
    <details className="timeline-table" data-testid="timeline-table">
      <summary>Show as table ({all.length} rows)</summary>
      <table className="compact">
        <caption className="visually-hidden">
          Tumour markers, liver function, treatments and imaging over time
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
          {all.map((r, i) => (
            <tr key={`${r.day}-${r.item}-${i}`}>
              <td>{r.day}</td>
              <th scope="row">{r.item}</th>
              <td>
                {r.visual === r.spoken ? (
                  r.visual
                ) : (
                  <>
                    <span aria-hidden="true">{r.visual}</span>
                    <span className="visually-hidden">{r.spoken}</span>
                  </>
                )}
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
    </details>
  );
}
