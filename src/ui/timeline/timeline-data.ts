import type { AnalyteId, Comparator, Measurement } from '../../domain/labs';
import type { Timeline } from '../../domain/timeline';
import type { AssessmentResult } from '../../engine/result';

/** The analytes the chart draws, each in its own canonical unit (PIVKA-II mAU/mL and ng/mL are separate series). */
export const CHART_ANALYTES = ['afp', 'pivka', 'pivka-ng', 'albumin', 'bilirubin'] as const;
export type ChartAnalyte = (typeof CHART_ANALYTES)[number];

export const ANALYTE_LABEL: Record<ChartAnalyte, string> = {
  afp: 'AFP',
  pivka: 'PIVKA-II',
  'pivka-ng': 'PIVKA-II',
  albumin: 'Albumin',
  bilirubin: 'Bilirubin',
};
export const UNIT_DISPLAY: Record<string, string> = { 'm[AU]/mL': 'mAU/mL' };
export function unitText(unit: string): string {
  return UNIT_DISPLAY[unit] ?? unit;
}

export interface LabPoint {
  kind: 'lab';
  analyte: ChartAnalyte;
  day: string;
  value: number;
  comparator: Comparator | undefined;
  unit: string;
  source: string;
  originalText: string | undefined;
}

export interface AlbiPoint {
  kind: 'albi';
  day: string;
  score: number;
  grade: string;
  when: 'before' | 'after';
  session: string;
  sources: string[];
}

export interface EventMarker {
  kind: 'tace' | 'treatment';
  day: string;
  label: string;
  source: string;
}

export interface ImagingPoint {
  day: string;
  label: string;
  source: string;
  clinician: boolean;
  session: string | undefined;
}

export interface TimelineData {
  labs: Record<ChartAnalyte, LabPoint[]>;
  albi: AlbiPoint[];
  events: EventMarker[];
  imaging: ImagingPoint[];
}

const COMPARATOR_WORDS: Record<Comparator, string> = {
  '<': 'less than',
  '<=': 'at most',
  '>': 'more than',
  '>=': 'at least',
};

export function comparatorWords(c: Comparator): string {
  return COMPARATOR_WORDS[c];
}

export function formatNumber(v: number): string {
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return String(Number(v.toFixed(digits)));
}

/** "<2.0" for the eye, "less than 2.0" for the ear (screen readers skip "<"). */
export function valueWords(p: { value: number; comparator: Comparator | undefined }) {
  const n = formatNumber(p.value);
  return {
    visual: `${p.comparator ?? ''}${n}`,
    spoken: p.comparator ? `${comparatorWords(p.comparator)} ${n}` : n,
  };
}

function labPoint(analyte: ChartAnalyte, m: Measurement): LabPoint {
  return {
    kind: 'lab',
    analyte,
    day: m.date.slice(0, 10),
    value: m.value,
    comparator: m.comparator,
    unit: m.unit,
    source: `${m.source.resourceType}/${m.source.id}`,
    originalText:
      m.originalValue !== undefined && m.originalUnit
        ? `${formatNumber(m.originalValue)} ${m.originalUnit}`
        : undefined,
  };
}

function latestDay(evidence: readonly { date: string }[]): string | undefined {
  return evidence.reduce<string | undefined>(
    (d, e) => (d === undefined || e.date > d ? e.date : d),
    undefined,
  );
}

/**
 * Everything the chart and its table show, from the timeline (labs in canonical units) and the engine result
 * (TACE sessions, other treatments, ALBI snapshots around each session, the response read for each session).
 */
export function buildTimelineData(timeline: Timeline, result: AssessmentResult | undefined): TimelineData {
  const labs = Object.fromEntries(
    CHART_ANALYTES.map((a) => [a, (timeline.labs[a as AnalyteId] ?? []).map((m) => labPoint(a, m))]),
  ) as Record<ChartAnalyte, LabPoint[]>;

  const albi: AlbiPoint[] = [];
  const seen = new Set<string>();
  for (const t of result?.liverTrajectory ?? []) {
    for (const when of ['before', 'after'] as const) {
      const snap = t[when];
      const day = latestDay(snap.evidence);
      if (snap.albi === null || !day) continue;
      const key = `${day}|${snap.albi}`;
      if (seen.has(key)) continue;
      seen.add(key);
      albi.push({
        kind: 'albi',
        day,
        score: snap.albi,
        grade: snap.albiGrade ?? '—',
        when,
        session: t.sessionDate,
        sources: snap.evidence.map((e) => e.ref),
      });
    }
  }
  albi.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  const events: EventMarker[] = [
    ...(result?.taceSessions ?? []).map((s, i) => ({
      kind: 'tace' as const,
      day: s.date,
      label: `TACE ${i + 1} (${s.kind.replace(/^tace-/, '')})`,
      source: s.ref,
    })),
    ...(result?.treatments ?? []).map((t) => ({
      kind: 'treatment' as const,
      day: t.date,
      label: t.kind,
      source: t.ref,
    })),
  ].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  const imaging: ImagingPoint[] = (result?.taceSessions ?? []).flatMap((s, i) => {
    const r = s.response;
    if (!r.assessmentDate || !r.assessmentId) return [];
    const words = [
      r.category ? `response ${r.category}` : null,
      r.viablePercent !== null ? `viable ${r.viablePercent} %` : null,
      r.newLesions === 'positive' ? 'new lesions' : null,
      `JSH reading: ${r.jshReading}`,
    ].filter((w): w is string => w !== null);
    const ref = r.evidence[0]?.ref ?? r.assessmentId;
    return [
      {
        day: r.assessmentDate,
        label: words.join(', '),
        source: ref,
        clinician: r.evidence.some((e) => e.origin === 'clinician'),
        session: `TACE ${i + 1}`,
      },
    ];
  });
  return { labs, albi, events, imaging };
}

export function hasLabs(d: TimelineData): boolean {
  return CHART_ANALYTES.some((a) => d.labs[a].length > 0);
}
