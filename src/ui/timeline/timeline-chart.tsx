import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  ANALYTE_LABEL,
  unitText,
  valueWords,
  type ChartAnalyte,
  type EventMarker,
  type ImagingPoint,
  type TimelineData,
} from './timeline-data';

/** One drawn series: its points keyed by day, its own scale (never two units on one axis). */
interface SeriesSpec {
  id: string;
  label: string;
  unit: string;
  scale: string;
  log: boolean;
  stroke: string;
  dash?: number[];
  side: 'left' | 'right';
  points: Map<string, { text: string; spoken: string; source: string; numeric: number; note?: string }>;
}

const DAY_S = 86_400;
const toSec = (day: string) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 1000;

// Dark, distinguishable colours (≥ 3:1 on white) plus a dash pattern per series: colour is never the only cue.
const STYLE: Record<ChartAnalyte | 'albi', { stroke: string; dash?: number[] }> = {
  afp: { stroke: '#1f4e9c' },
  pivka: { stroke: '#8a3b00', dash: [6, 3] },
  'pivka-ng': { stroke: '#6a1b7a', dash: [2, 3] },
  albumin: { stroke: '#0d6e4f' },
  bilirubin: { stroke: '#8a1c1c', dash: [6, 3] },
  albi: { stroke: '#333333', dash: [2, 3] },
};

function labSeries(
  data: TimelineData,
  analyte: ChartAnalyte,
  side: 'left' | 'right',
  log: boolean,
): SeriesSpec | null {
  const pts = data.labs[analyte];
  if (pts.length === 0) return null;
  const unit = unitText(pts[0]?.unit ?? '');
  const points = new Map<
    string,
    { text: string; spoken: string; source: string; numeric: number; note?: string }
  >();
  for (const p of pts) {
    const w = valueWords(p);
    points.set(p.day, {
      text: `${w.visual} ${unit}`,
      spoken: `${w.spoken} ${unit}`,
      source: p.source,
      numeric: p.value,
      ...(p.originalText ? { note: `reported as ${p.originalText}` } : {}),
    });
  }
  return {
    id: analyte,
    label: `${ANALYTE_LABEL[analyte]} (${unit})`,
    unit,
    scale: analyte,
    log,
    side,
    points,
    ...STYLE[analyte],
  };
}

function albiSeries(data: TimelineData): SeriesSpec | null {
  if (data.albi.length === 0) return null;
  const points = new Map<string, { text: string; spoken: string; source: string; numeric: number }>();
  for (const p of data.albi) {
    const t = `${p.score.toFixed(2)} (grade ${p.grade}, ${p.when} TACE of ${p.session})`;
    points.set(p.day, {
      text: t,
      spoken: t,
      source: p.sources.join(', '),
      numeric: p.score,
    });
  }
  return {
    id: 'albi',
    label: 'ALBI score',
    unit: '',
    scale: 'albi',
    log: false,
    side: 'right',
    points,
    ...STYLE.albi,
  };
}

/** uPlot plugin: a vertical line per TACE (solid) and other treatment (dashed), imaging responses as ◆ with a label. */
function eventsPlugin(
  events: readonly EventMarker[],
  imaging: readonly ImagingPoint[],
  labelImaging: boolean,
): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          const { top, height, left, width } = u.bbox;
          ctx.save();
          ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
          ctx.textBaseline = 'top';
          let nextLabelX = -Infinity;
          for (const e of events) {
            const x = Math.round(u.valToPos(toSec(e.day), 'x', true));
            if (x < left || x > left + width) continue;
            ctx.strokeStyle = e.kind === 'tace' ? '#1a1a1a' : '#555555';
            ctx.lineWidth = (e.kind === 'tace' ? 2 : 1.5) * devicePixelRatio;
            ctx.setLineDash(e.kind === 'tace' ? [] : [4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            // Labels only where they fit: with many sessions the lines speak for themselves (the table lists them).
            const text = e.kind === 'tace' ? (e.label.split(' (')[0] ?? e.label) : 'Tx';
            const tw = ctx.measureText(text).width;
            if (x + 3 * devicePixelRatio >= nextLabelX) {
              ctx.fillStyle = '#1a1a1a';
              ctx.fillText(text, x + 3 * devicePixelRatio, top + 2);
              nextLabelX = x + tw + 8 * devicePixelRatio;
            }
          }
          let nextImagingLabelX = -Infinity;
          ctx.setLineDash([]);
          for (const im of imaging) {
            const x = Math.round(u.valToPos(toSec(im.day), 'x', true));
            if (x < left || x > left + width) continue;
            const y = top + height - 8 * devicePixelRatio;
            const r = 5 * devicePixelRatio;
            ctx.fillStyle = im.clinician ? '#ffffff' : '#1a1a1a';
            ctx.strokeStyle = '#1a1a1a';
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, y - r);
            ctx.lineTo(x + r, y);
            ctx.lineTo(x, y + r);
            ctx.lineTo(x - r, y);
            ctx.closePath();
            ctx.fill();
            ctx.stroke();
            const text = `${im.label.split(',')[0] ?? ''}${im.clinician ? ' (clinician)' : ''}`;
            const tw = ctx.measureText(text).width;
            if (labelImaging && x - r >= nextImagingLabelX) {
              nextImagingLabelX = x + r + tw + 10 * devicePixelRatio;
              const th = 13 * devicePixelRatio;
              ctx.fillStyle = 'rgba(255,255,255,0.9)';
              ctx.fillRect(x + r + 1, y - th / 2 - 1, tw + 4, th + 2);
              ctx.fillStyle = '#1a1a1a';
              ctx.textBaseline = 'middle';
              ctx.fillText(text, x + r + 3, y);
              ctx.textBaseline = 'top';
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}

interface PlotProps {
  title: string;
  description: string;
  series: SeriesSpec[];
  data: TimelineData;
  labelImaging: boolean;
  testId: string;
  range: readonly [string, string];
}

function Plot({ title, description, series, data, labelImaging, testId, range }: PlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const xsRef = useRef<number[]>([]);
  const [idx, setIdx] = useState<number | null>(null);

  // Every day that carries something: values, sessions, treatments and imaging (so the keyboard visits them all).
  const days = [
    ...new Set([
      ...series.flatMap((s) => [...s.points.keys()]),
      ...data.events.map((e) => e.day),
      ...data.imaging.map((i) => i.day),
    ]),
  ].sort();

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const xs = days.map(toSec);
    xsRef.current = xs;
    const aligned: uPlot.AlignedData = [
      xs,
      ...series.map((s) =>
        days.map((d) => {
          const p = s.points.get(d);
          if (!p) return null;
          return s.log && p.numeric <= 0 ? null : p.numeric;
        }),
      ),
    ];
    // Both plots share one time range so a session lines up across them.
    const min = toSec(range[0]) - 10 * DAY_S;
    const max = toSec(range[1]) + 10 * DAY_S;
    const scales: uPlot.Scales = { x: { time: true, range: () => [min, max] } };
    for (const s of series) scales[s.scale] = s.log ? { distr: 3, log: 10 } : { auto: true };
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 190,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      scales,
      series: [
        { label: 'Date' },
        ...series.map((s) => ({
          label: s.label,
          scale: s.scale,
          stroke: s.stroke,
          width: 2,
          ...(s.dash ? { dash: s.dash } : {}),
          spanGaps: true,
          points: { size: 6, fill: '#ffffff' },
        })),
      ],
      axes: [
        { stroke: '#1a1a1a', grid: { stroke: '#e6e6e6' } },
        ...series.map((s, i) => ({
          scale: s.scale,
          side: s.side === 'left' ? 3 : 1,
          label: s.label,
          labelSize: 18,
          size: 48,
          stroke: '#1a1a1a',
          grid: { show: i === 0, stroke: '#eeeeee' },
        })),
      ],
      plugins: [eventsPlugin(data.events, data.imaging, labelImaging)],
      hooks: { setCursor: [(u) => setIdx(u.cursor.idx ?? null)] },
    };
    const u = new uPlot(opts, aligned, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height: 190 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // `days` derives from series/data: rebuilding on them is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series, data, labelImaging, range]);

  function move(to: number) {
    const u = plot.current;
    const xs = xsRef.current;
    if (!u || xs.length === 0) return;
    const i = Math.max(0, Math.min(xs.length - 1, to));
    u.setCursor({ left: u.valToPos(xs[i] ?? 0, 'x'), top: u.bbox.height / devicePixelRatio / 2 });
    setIdx(i);
  }

  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    const cur = idx ?? -1;
    if (e.key === 'ArrowRight') move(cur + 1);
    else if (e.key === 'ArrowLeft') move(cur < 0 ? 0 : cur - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(days.length - 1);
    else return;
    e.preventDefault();
  }

  const day = idx !== null ? days[idx] : undefined;
  const readout = day ? describeDay(day, series, data) : null;
  return (
    <figure className="plot" data-testid={testId}>
      <figcaption>
        <strong>{title}</strong> <span className="hint">{description}</span>
      </figcaption>
      <ul className="legend" aria-label={`${title}: legend`}>
        {series.map((s) => (
          <li key={s.id}>
            <svg width="24" height="8" aria-hidden="true">
              <line
                x1="0"
                y1="4"
                x2="24"
                y2="4"
                stroke={s.stroke}
                strokeWidth="2"
                strokeDasharray={s.dash?.join(' ')}
              />
            </svg>
            {s.label}
            {s.log ? ', log scale' : ''}
          </li>
        ))}
      </ul>
      <div
        className="plot-canvas"
        ref={host}
        tabIndex={0}
        role="group"
        aria-label={`${title}. Use the left and right arrow keys to step through the dates.`}
        aria-describedby={`${testId}-readout`}
        onKeyDown={onKey}
        onFocus={() => {
          if (idx === null) move(days.length - 1);
        }}
      />
      <p id={`${testId}-readout`} className="readout" aria-live="polite" data-testid={`${testId}-readout`}>
        {readout ?? 'Hover or focus the chart to read the values of a date.'}
      </p>
    </figure>
  );
}

function describeDay(day: string, series: SeriesSpec[], data: TimelineData): string {
  const parts: string[] = [];
  for (const s of series) {
    const p = s.points.get(day);
    if (p) parts.push(`${s.label.split(' (')[0]} ${p.spoken}${p.note ? ` (${p.note})` : ''} — ${p.source}`);
  }
  for (const e of data.events) if (e.day === day) parts.push(`${e.label} — ${e.source}`);
  for (const i of data.imaging)
    if (i.day === day)
      parts.push(
        `Imaging after ${i.session ?? 'TACE'}: ${i.label}${i.clinician ? ' (entered by clinician)' : ''} — ${i.source}`,
      );
  return `${day}: ${parts.length > 0 ? parts.join('; ') : 'nothing recorded'}`;
}

/** The lazily loaded chart: tumour markers (log) and liver function, with treatment and imaging markers. */
export default function TimelineChart({ data }: { data: TimelineData }) {
  const markers = useMemo(
    () =>
      [
        labSeries(data, 'afp', 'left', true),
        labSeries(data, 'pivka', 'right', true),
        labSeries(data, 'pivka-ng', 'right', true),
      ].filter((s): s is SeriesSpec => s !== null),
    [data],
  );
  const liver = useMemo(
    () =>
      [
        labSeries(data, 'albumin', 'left', false),
        labSeries(data, 'bilirubin', 'right', false),
        albiSeries(data),
      ].filter((s): s is SeriesSpec => s !== null),
    [data],
  );
  const range = useMemo((): readonly [string, string] => {
    const days = [
      ...Object.values(data.labs).flatMap((pts) => pts.map((p) => p.day)),
      ...data.albi.map((p) => p.day),
      ...data.events.map((e) => e.day),
      ...data.imaging.map((i) => i.day),
    ].sort();
    return [days[0] ?? '1970-01-01', days[days.length - 1] ?? '1970-01-01'];
  }, [data]);
  return (
    <div className="plots">
      <Plot
        title="Tumour markers"
        description="Vertical lines: TACE (solid) and other treatments (dashed); ◆ imaging response."
        series={markers}
        data={data}
        labelImaging
        testId="chart-markers"
        range={range}
      />
      <Plot
        title="Liver function"
        description="ALBI from the engine, before and after each TACE."
        series={liver}
        data={data}
        labelImaging={false}
        testId="chart-liver"
        range={range}
      />
    </div>
  );
}
