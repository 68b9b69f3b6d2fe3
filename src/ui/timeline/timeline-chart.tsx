import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  ALBI_BANDS,
  ALBI_RANGE,
  ALBUMIN_RANGE,
  BILIRUBIN_RANGE,
  clinicalRange,
  isoTick,
  stackLabels,
  type PlacedLabel,
} from './chart-layout';
import {
  ANALYTE_LABEL,
  unitText,
  valueWords,
  type ChartAnalyte,
  type EventMarker,
  type ImagingPoint,
  type TimelineData,
} from './timeline-data';

interface PointSpec {
  text: string;
  spoken: string;
  /** The source in words ("Albumin 3.5 g/dL (2026-10-12)"), never a resource id. */
  source: string;
  numeric: number;
  note?: string;
}

/** One drawn series: its points keyed by day, its own scale (never two units on one axis). */
interface SeriesSpec {
  id: string;
  label: string;
  unit: string;
  scale: string;
  log: boolean;
  /** A fixed clinical range (widened to the data), or undefined for uPlot's auto range (log markers). */
  range?: [number, number];
  stroke: string;
  dash?: number[];
  side: 'left' | 'right';
  points: Map<string, PointSpec>;
}

const DAY_S = 86_400;
const toSec = (day: string) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 1000;
/** Height of one row of treatment labels above the plotting area (CSS px; matches .chart-label in timeline.css). */
const ROW_H = 15;

// Dark, distinguishable colours (≥ 3:1 on white) plus a dash pattern per series: colour is never the only cue.
const STYLE: Record<ChartAnalyte | 'albi', { stroke: string; dash?: number[] }> = {
  afp: { stroke: '#1f4e9c' },
  pivka: { stroke: '#8a3b00', dash: [6, 3] },
  'pivka-ng': { stroke: '#6a1b7a', dash: [2, 3] },
  albumin: { stroke: '#0d6e4f' },
  bilirubin: { stroke: '#8a1c1c', dash: [6, 3] },
  albi: { stroke: '#1a1a1a' },
};

const CLINICAL_RANGE: Partial<Record<ChartAnalyte, { base: readonly [number, number]; floor?: number }>> = {
  albumin: { base: ALBUMIN_RANGE },
  bilirubin: { base: BILIRUBIN_RANGE, floor: 0 },
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
  const points = new Map<string, PointSpec>();
  for (const p of pts) {
    const w = valueWords(p);
    points.set(p.day, {
      text: `${w.visual} ${unit}`,
      spoken: `${w.spoken} ${unit}`,
      source: p.sourceText,
      numeric: p.value,
      ...(p.originalText ? { note: `reported as ${p.originalText}` } : {}),
    });
  }
  const clinical = CLINICAL_RANGE[analyte];
  return {
    id: analyte,
    label: `${ANALYTE_LABEL[analyte]} (${unit})`,
    unit,
    scale: analyte,
    log,
    side,
    points,
    ...(clinical
      ? {
          range: clinicalRange(
            pts.map((p) => p.value),
            clinical.base,
            clinical.floor,
          ),
        }
      : {}),
    ...STYLE[analyte],
  };
}

function albiSeries(data: TimelineData): SeriesSpec {
  const points = new Map<string, PointSpec>();
  for (const p of data.albi) {
    const grade = p.grade === p.mGrade ? `grade ${p.grade}` : `grade ${p.grade}, mALBI ${p.mGrade}`;
    const t = `${p.score.toFixed(2)} (${grade}, ${p.when} ${p.sessionLabel} of ${p.session})`;
    points.set(p.day, {
      text: t,
      spoken: t.replace(/^-/, 'minus '),
      source: `from ${p.sourceText}`,
      numeric: p.score,
    });
  }
  return {
    id: 'albi',
    label: 'ALBI score',
    unit: '',
    scale: 'albi',
    log: false,
    side: 'left',
    range: clinicalRange(
      data.albi.map((p) => p.score),
      ALBI_RANGE,
    ),
    points,
    ...STYLE.albi,
  };
}

/** uPlot plugin: ALBI grade bands shaded under the series (ALBI_BANDS, clinical-reference.md §3). */
function bandsPlugin(): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (u) => {
          const ctx = u.ctx;
          const { top, height, left, width } = u.bbox;
          ctx.save();
          for (const b of ALBI_BANDS) {
            const yTop = Number.isFinite(b.to) ? u.valToPos(b.to, 'albi', true) : top;
            const yBottom = Number.isFinite(b.from) ? u.valToPos(b.from, 'albi', true) : top + height;
            const y0 = Math.max(top, Math.min(top + height, yTop));
            const y1 = Math.max(top, Math.min(top + height, yBottom));
            if (y1 <= y0) continue;
            ctx.fillStyle = b.fill;
            ctx.fillRect(left, y0, width, y1 - y0);
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** uPlot plugin: a vertical line per TACE (solid) and other treatment (dashed), imaging responses as ◆. */
function eventsPlugin(events: readonly EventMarker[], imaging: readonly ImagingPoint[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          const { top, height, left, width } = u.bbox;
          ctx.save();
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
          }
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
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** Where the plotting area is inside the canvas host (CSS px), and where each marker's day falls. */
interface Geometry {
  left: number;
  top: number;
  width: number;
  height: number;
  eventX: number[];
  imagingX: number[];
  /** ALBI band label positions (vertical middle of the visible part of each band), when the plot has bands. */
  bandY: (number | null)[];
}

interface Overlay {
  kind: 'event' | 'imaging' | 'band';
  key: string;
  text: string;
  left: number;
  top: number;
  /** The marker's day and the label's offset from its line (CSS px), to re-place it on the canvas as drawn now. */
  day: string;
  dx: number;
  /** For imaging labels: the offset from the bottom of the plotting area. */
  fromBottom?: number;
}

interface PlotProps {
  title: string;
  description: string;
  series: SeriesSpec[];
  data: TimelineData;
  showImaging: boolean;
  bands?: boolean;
  testId: string;
  range: readonly [string, string];
  height: number;
  className?: string;
}

function Plot({
  title,
  description,
  series,
  data,
  showImaging,
  bands = false,
  testId,
  range,
  height,
  className,
}: PlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const xsRef = useRef<number[]>([]);
  const [idx, setIdx] = useState<number | null>(null);
  const [geometry, setGeometry] = useState<Geometry | null>(null);
  const [labelRows, setLabelRows] = useState(1);
  const [placed, setPlaced] = useState<{ events: PlacedLabel[]; imaging: (PlacedLabel | null)[] } | null>(
    null,
  );
  const eventRefs = useRef<(HTMLSpanElement | null)[]>([]);
  const imagingRefs = useRef<(HTMLSpanElement | null)[]>([]);
  const overlayRef = useRef<Overlay[]>([]);
  /** Called once a plot has been built (a task after its commit): the print image is made then if printing. */
  const onBuilt = useRef<(() => void) | null>(null);
  const imaging = useMemo(() => (showImaging ? data.imaging : []), [showImaging, data]);

  // Every day that carries something: values, sessions, treatments and imaging (so the keyboard visits them all).
  const days = [
    ...new Set([
      ...series.flatMap((s) => [...s.points.keys()]),
      ...data.events.map((e) => e.day),
      ...imaging.map((i) => i.day),
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
    for (const s of series) {
      const r = s.range;
      scales[s.scale] = s.log ? { distr: 3, log: 10 } : r ? { auto: false, range: () => r } : { auto: true };
    }
    if (bands && !scales.albi) scales.albi = { auto: false, range: () => [ALBI_RANGE[0], ALBI_RANGE[1]] };
    const measure = (u: uPlot) => {
      const dpr = devicePixelRatio;
      const { left, top, width, height: h } = u.bbox;
      const inPlot = (day: string) => u.valToPos(toSec(day), 'x');
      setGeometry({
        left: left / dpr,
        top: top / dpr,
        width: width / dpr,
        height: h / dpr,
        eventX: data.events.map((e) => inPlot(e.day)),
        imagingX: imaging.map((i) => inPlot(i.day)),
        bandY: bands ? bandLabelCentres(u, h / dpr) : [],
      });
    };
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      // Room above the plotting area for the stacked treatment labels.
      padding: [labelRows * ROW_H + 4, 8, 0, 0],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 8 } },
      // Ticks on UTC days, written as ISO dates (never month names or M/D).
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
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
        {
          stroke: '#1a1a1a',
          grid: { stroke: '#e6e6e6' },
          space: 78,
          values: (_u: uPlot, splits: number[], _ax: number, _space: number, incr: number) => {
            const ticks = splits.map((s) => isoTick(s, incr));
            // The drawn tick labels, readable outside the canvas (tests check their format).
            el.dataset.xTicks = ticks.join(' | ');
            return ticks;
          },
        },
        ...series.map((s, i) => ({
          scale: s.scale,
          side: s.side === 'left' ? 3 : 1,
          label: s.label,
          labelSize: 18,
          size: 48,
          stroke: '#1a1a1a',
          grid: { show: i === 0, stroke: '#eeeeee' },
        })),
        ...(bands && series.length === 0
          ? [{ scale: 'albi', side: 3, label: 'ALBI score', labelSize: 18, size: 48, stroke: '#1a1a1a' }]
          : []),
        // The same plotting width in every plot (one time axis down the page): a side without a series gets the
        // ALBI scale mirrored (ALBI plot) or an empty axis of the same size.
        ...(['left', 'right'] as const)
          .filter(
            (side) =>
              (bands || series.length > 0) &&
              !series.some((s) => s.side === side) &&
              !(bands && side === 'left' && series.length === 0),
          )
          .map((side) => ({
            scale: bands ? 'albi' : (series[0]?.scale ?? 'x'),
            side: side === 'left' ? 3 : 1,
            label: bands ? 'ALBI score' : '',
            labelSize: 18,
            size: 48,
            stroke: '#1a1a1a',
            grid: { show: false },
            ...(bands
              ? {}
              : { ticks: { show: false }, values: (_u: uPlot, splits: number[]) => splits.map(() => '') }),
          })),
      ],
      plugins: [...(bands ? [bandsPlugin()] : []), eventsPlugin(data.events, imaging)],
      hooks: { setCursor: [(u) => setIdx(u.cursor.idx ?? null)], draw: [measure] },
    };
    // Each plot is built in a task of its own, not all in the commit that mounts them: two uPlots with a
    // 10-year record built together were one 60–100 ms task (issue 13: no long task on long-history).
    let u: uPlot | undefined;
    let ro: ResizeObserver | undefined;
    const build = setTimeout(() => {
      const built = new uPlot(opts, aligned, el);
      u = built;
      plot.current = built;
      ro = new ResizeObserver(() => built.setSize({ width: Math.max(280, el.clientWidth), height }));
      ro.observe(el);
      onBuilt.current?.();
    }, 0);
    return () => {
      clearTimeout(build);
      ro?.disconnect();
      u?.destroy();
      plot.current = null;
    };
    // `days` derives from series/data: rebuilding on them is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series, data, imaging, bands, range, height, labelRows]);

  // Collision-aware labels: measure each rendered label, then stack them in rows (every label placed).
  useLayoutEffect(() => {
    if (!geometry) return;
    const widthOf = (el: HTMLSpanElement | null | undefined) => el?.getBoundingClientRect().width ?? 0;
    // Labels not laid out (an ancestor hidden): keep the last placement rather than stacking zero-width labels.
    if (data.events.length > 0 && data.events.every((_, i) => widthOf(eventRefs.current[i]) === 0)) return;
    const ev = stackLabels(
      data.events.map((_, i) => ({ x: geometry.eventX[i] ?? 0, width: widthOf(eventRefs.current[i]) })),
      geometry.width,
    );
    // Imaging labels sit in one row at the bottom of the plot: one that would touch its neighbour is left to the
    // readout and the table (the ◆ is always drawn).
    let nextFree = -Infinity;
    const im = imaging.map((point, i) => {
      if (!point.short) return null;
      const x = (geometry.imagingX[i] ?? 0) + 8;
      const w = widthOf(imagingRefs.current[i]);
      if (x < nextFree || x + w > geometry.width) return null;
      nextFree = x + w + 6;
      return { left: x, row: 0 };
    });
    setPlaced({ events: ev.placed, imaging: im });
    if (ev.rows !== labelRows && data.events.length > 0) setLabelRows(Math.max(1, ev.rows));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [geometry]);

  // Print: the canvas (with its labels drawn in) as an <img>, removed after printing (print.css shows it).
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const toImage = () => {
      const canvas = el.querySelector('canvas');
      if (!canvas || el.querySelector('img.plot-print-image')) return;
      const img = document.createElement('img');
      img.className = 'plot-print-image';
      img.alt = `${title} chart`;
      img.src = withLabels(canvas, overlayRef.current, plot.current);
      el.appendChild(img);
    };
    const removeImage = () => el.querySelectorAll('img.plot-print-image').forEach((n) => n.remove());
    const mql = window.matchMedia('print');
    const onChange = (e: MediaQueryListEvent) => (e.matches ? toImage() : removeImage());
    window.addEventListener('beforeprint', toImage);
    window.addEventListener('afterprint', removeImage);
    mql.addEventListener('change', onChange);
    if (mql.matches) toImage();
    onBuilt.current = () => {
      if (mql.matches) toImage();
    };
    return () => {
      onBuilt.current = null;
      window.removeEventListener('beforeprint', toImage);
      window.removeEventListener('afterprint', removeImage);
      mql.removeEventListener('change', onChange);
      removeImage();
    };
  }, [title]);

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
  const readout = day ? describeDay(day, series, data, imaging) : null;

  // Overlay positions, relative to the canvas host.
  const overlays: Overlay[] = [];
  if (geometry && placed) {
    data.events.forEach((e, i) => {
      const p = placed.events[i];
      if (p)
        overlays.push({
          kind: 'event',
          key: `e${i}`,
          text: e.label,
          left: geometry.left + p.left,
          top: 2 + p.row * ROW_H,
          day: e.day,
          dx: p.left - (geometry.eventX[i] ?? 0),
        });
    });
    imaging.forEach((im, i) => {
      const p = placed.imaging[i];
      if (p)
        overlays.push({
          kind: 'imaging',
          key: `i${i}`,
          text: imagingText(im),
          left: geometry.left + p.left,
          top: geometry.top + geometry.height - 8 - ROW_H / 2,
          day: im.day,
          dx: p.left - (geometry.imagingX[i] ?? 0),
          fromBottom: 8 + ROW_H / 2,
        });
    });
  }
  useEffect(() => {
    overlayRef.current = overlays;
  });
  const hidden = !geometry || !placed;
  return (
    <figure className={`plot${className ? ` ${className}` : ''}`} data-testid={testId}>
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
        {bands && series.length === 0 ? (
          <li>No ALBI score: no albumin and bilirubin paired within 7 days.</li>
        ) : null}
      </ul>
      <div className="plot-stage" style={{ height }}>
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
        <div className="plot-overlay" aria-hidden="true">
          {data.events.map((e, i) => {
            const p = placed?.events[i];
            return (
              <span
                key={`e${i}`}
                ref={(n) => {
                  eventRefs.current[i] = n;
                }}
                className={`chart-label chart-label-${e.kind}`}
                data-testid={`${testId}-event-label`}
                data-day={e.day}
                data-row={p?.row ?? 0}
                style={{
                  left: geometry && p ? geometry.left + p.left : 0,
                  top: 2 + (p?.row ?? 0) * ROW_H,
                  visibility: hidden ? 'hidden' : 'visible',
                }}
              >
                {e.label}
              </span>
            );
          })}
          {imaging.map((im, i) => {
            const p = placed?.imaging[i];
            if (!im.short) return null;
            return (
              <span
                key={`i${i}`}
                ref={(n) => {
                  imagingRefs.current[i] = n;
                }}
                className="chart-label chart-label-imaging"
                data-testid={`${testId}-imaging-label`}
                data-day={im.day}
                style={{
                  left: geometry && p ? geometry.left + p.left : 0,
                  top: geometry ? geometry.top + geometry.height - 8 - ROW_H / 2 : 0,
                  visibility: hidden || !p ? 'hidden' : 'visible',
                }}
              >
                {imagingText(im)}
              </span>
            );
          })}
          {bands && geometry
            ? ALBI_BANDS.map((b, i) => {
                const y = geometry.bandY[i];
                if (y === null || y === undefined) return null;
                return (
                  <span
                    key={b.id}
                    className="chart-label chart-label-band"
                    data-testid="albi-band-label"
                    data-band={b.id}
                    style={{
                      left: geometry.left + geometry.width - 4,
                      top: geometry.top + y - ROW_H / 2,
                      transform: 'translateX(-100%)',
                    }}
                  >
                    ALBI {b.label}
                  </span>
                );
              })
            : null}
        </div>
      </div>
      <p id={`${testId}-readout`} className="readout" aria-live="polite" data-testid={`${testId}-readout`}>
        {readout ?? 'Hover or focus the chart to read the values of a date.'}
      </p>
    </figure>
  );
}

/**
 * Vertical centres (CSS px in the plotting area) of the ALBI band labels, one per band in ALBI_BANDS order; null for
 * a band scrolled out of the axis. Labels closer than one line are pushed apart (upwards from the bottom band).
 */
function bandLabelCentres(u: uPlot, plotHeight: number): (number | null)[] {
  const LINE = 14;
  const centres = ALBI_BANDS.map((b) => {
    const yTop = Number.isFinite(b.to) ? u.valToPos(b.to, 'albi') : 0;
    const yBottom = Number.isFinite(b.from) ? u.valToPos(b.from, 'albi') : plotHeight;
    const y0 = Math.max(0, yTop);
    const y1 = Math.min(plotHeight, yBottom);
    return y1 - y0 >= 6 ? (y0 + y1) / 2 : null;
  });
  // Bands run bottom (grade 1) to top (grade 3) on screen: each label at least one line above the one below it.
  let below = Infinity;
  for (let i = 0; i < centres.length; i++) {
    const c = centres[i];
    if (c === null || c === undefined) continue;
    const y = Math.min(c, below - LINE);
    centres[i] = y < LINE / 2 ? null : y;
    if (centres[i] !== null) below = y;
  }
  return centres;
}

function imagingText(im: ImagingPoint): string {
  return `${im.short}${im.clinician ? ' (clinician)' : ''}`;
}

/** The canvas with the overlay labels drawn in, as a PNG data URL (for print). */
function withLabels(canvas: HTMLCanvasElement, overlays: readonly Overlay[], u: uPlot | null): string {
  try {
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext('2d');
    if (!ctx) return canvas.toDataURL('image/png');
    const dpr = devicePixelRatio || 1;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    ctx.font = `${Math.round(12 * dpr)}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    for (const o of overlays) {
      // Where the canvas has the marker now (the print layout may have resized the plot since the labels were
      // placed), at the label's offset from its line.
      const left = u ? u.bbox.left / dpr + u.valToPos(toSec(o.day), 'x') + o.dx : o.left;
      const top = u && o.fromBottom !== undefined ? (u.bbox.top + u.bbox.height) / dpr - o.fromBottom : o.top;
      const w = ctx.measureText(o.text).width;
      ctx.fillStyle = 'rgba(255,255,255,0.9)';
      ctx.fillRect(left * dpr, top * dpr, w + 4 * dpr, ROW_H * dpr);
      ctx.fillStyle = '#1a1a1a';
      ctx.fillText(o.text, (left + 2) * dpr, (top + 1) * dpr);
    }
    if (u && u.scales.albi) {
      const { left, width } = u.bbox;
      for (const b of ALBI_BANDS) {
        const lo = Number.isFinite(b.from) ? b.from : (u.scales.albi.min ?? b.to);
        const hi = Number.isFinite(b.to) ? b.to : (u.scales.albi.max ?? b.from);
        const y = u.valToPos((lo + hi) / 2, 'albi', true);
        if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
        const text = `ALBI ${b.label}`;
        const w = ctx.measureText(text).width;
        ctx.fillStyle = 'rgba(255,255,255,0.9)';
        ctx.fillRect(left + width - w - 12 * dpr, y - 7 * dpr, w + 4 * dpr, 14 * dpr);
        ctx.fillStyle = '#1a1a1a';
        ctx.fillText(text, left + width - w - 10 * dpr, y - 6 * dpr);
      }
    }
    return out.toDataURL('image/png');
  } catch {
    return canvas.toDataURL('image/png');
  }
}

function describeDay(
  day: string,
  series: SeriesSpec[],
  data: TimelineData,
  imaging: readonly ImagingPoint[],
): string {
  const parts: string[] = [];
  for (const s of series) {
    const p = s.points.get(day);
    if (!p) continue;
    if (s.id === 'albi') parts.push(`ALBI ${p.spoken}, ${p.source}`);
    else parts.push(`${p.source}${p.note ? `, ${p.note}` : ''}`);
  }
  for (const e of data.events) if (e.day === day) parts.push(`${e.detail} (${e.sourceText})`);
  for (const i of imaging)
    if (i.day === day)
      parts.push(
        `${i.sourceText}${i.session ? ` after ${i.session}` : ''}: ${i.label}${i.clinician ? ' (entered by clinician)' : ''}`,
      );
  return `${day}: ${parts.length > 0 ? parts.join('; ') : 'nothing recorded'}`;
}

/**
 * The lazily loaded chart: tumour markers (log), liver function (albumin about 2–5 g/dL, bilirubin from 0) and the
 * ALBI score on its own axis with its grade bands, with treatment and imaging markers.
 */
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
      [labSeries(data, 'albumin', 'left', false), labSeries(data, 'bilirubin', 'right', false)].filter(
        (s): s is SeriesSpec => s !== null,
      ),
    [data],
  );
  const albi = useMemo(() => (data.albi.length > 0 ? [albiSeries(data)] : []), [data]);
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
        showImaging
        testId="chart-markers"
        range={range}
        height={200}
      />
      <Plot
        title="Liver function"
        description="Albumin about 2–5 g/dL, bilirubin from 0 (widened only if a value falls outside)."
        series={liver}
        data={data}
        showImaging={false}
        testId="chart-liver"
        range={range}
        height={180}
      />
      <Plot
        title="ALBI score and grade"
        description="From the engine, before and after each TACE; shaded: ALBI grade 1, mALBI 2a, 2b, grade 3."
        series={albi}
        data={data}
        showImaging={false}
        bands
        testId="chart-albi"
        range={range}
        height={220}
      />
    </div>
  );
}
