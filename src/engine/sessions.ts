/**
 * Per-TACE windows: which embolization sessions the criteria count, and which imaging belongs to which session.
 * Imaging counts for a session only when dated 28–95 days after it (settings) and before the next treatment
 * (clinical-reference.md §2; JSH-LCSGJ 2014 "CT/MRI 1–3 months after TACE").
 */
import type { ImagingAssessment } from '../domain/imaging';
import type { Timeline } from '../domain/timeline';
import type { TreatmentKind, TreatmentSession } from '../domain/treatments';
import type { EngineSettings } from './result';
import { dayNumber, isoDay, isoOfDay } from './dates';
import { refOf } from './evidence';

/**
 * Kinds the criteria count as an embolization session: conventional TACE, DEB-TACE, TACE of unknown technique and
 * TAE (brief for the engine; note that domain/treatments.ts TACE_KINDS leaves TAE out).
 */
export const EMBOLIZATION_KINDS: readonly TreatmentKind[] = [
  'tace-conventional',
  'tace-deb',
  'tace-unspecified',
  'tae',
];

export interface SessionView {
  index: number;
  session: TreatmentSession;
  ref: string;
  day: string;
  dayNum: number;
  /** Day number of the next treatment of any kind (locoregional or systemic start), if any. */
  nextTreatmentDayNum: number | null;
  /** Inclusive day-number bounds of the response-imaging window (already clipped to before the next treatment). */
  windowStart: number;
  windowEnd: number;
  /** Whether the window has closed by asOf. */
  windowClosed: boolean;
  /** Imaging in the window, sorted by date. */
  windowImaging: ImagingAssessment[];
  /** Latest imaging before the session (for the "count before the previous TACE"). */
  preImaging: ImagingAssessment[];
  /**
   * Disagreements between different reports found while the criteria read this session (session-readings.ts
   * records them; the engine lists them in result.dataIssues). Keyed by the reports involved.
   */
  conflicts: Map<string, SessionConflict>;
}

/** Two or more different reports that disagree on one or more findings for one session. */
export interface SessionConflict {
  /** The reports involved, ordered by date then id: `DiagnosticReport/x (CT abdomen, 2026-03-01)`. */
  reports: string[];
  /** Finding (as the criteria name it) → what each report says. */
  findings: Map<string, string>;
}

const byDateThenId = <T extends { date: string; id: string }>(a: T, b: T): number =>
  dayNumber(a.date) - dayNumber(b.date) ||
  (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function isCountedSession(t: TreatmentSession, asOfNum: number): boolean {
  const d = dayNumber(t.date);
  return (
    EMBOLIZATION_KINDS.includes(t.kind) && t.status === 'completed' && Number.isFinite(d) && d <= asOfNum
  );
}

export function sortedImaging(imaging: readonly ImagingAssessment[], asOf: string): ImagingAssessment[] {
  const lim = dayNumber(asOf);
  return imaging
    .filter((a) => Number.isFinite(dayNumber(a.date)) && dayNumber(a.date) <= lim)
    .slice()
    .sort(byDateThenId);
}

export function buildSessions(
  timeline: Timeline,
  imaging: readonly ImagingAssessment[],
  asOf: string,
  settings: EngineSettings,
): SessionView[] {
  const asOfNum = dayNumber(asOf);
  const counted = timeline.treatments
    .filter((t) => isCountedSession(t, asOfNum))
    .slice()
    .sort(byDateThenId);
  // Boundaries: every completed treatment of any kind, and every systemic-therapy start.
  const boundaries: number[] = [];
  for (const t of timeline.treatments) {
    const d = dayNumber(t.date);
    if (t.status === 'completed' && Number.isFinite(d)) boundaries.push(d);
  }
  for (const s of timeline.therapies) {
    if (s.start && Number.isFinite(dayNumber(s.start))) boundaries.push(dayNumber(s.start));
  }
  boundaries.sort((a, b) => a - b);
  return counted.map((session, index) => {
    const d = dayNumber(session.date);
    const next = boundaries.find((b) => b > d) ?? null;
    const windowStart = d + settings.imagingWindowMinDays;
    const windowEnd = Math.min(d + settings.imagingWindowMaxDays, next === null ? Infinity : next - 1);
    const windowImaging = imaging.filter((a) => {
      const ad = dayNumber(a.date);
      return ad >= windowStart && ad <= windowEnd;
    });
    const preImaging = imaging.filter((a) => dayNumber(a.date) <= d);
    return {
      index,
      session,
      ref: refOf(session.source),
      day: isoDay(session.date),
      dayNum: d,
      nextTreatmentDayNum: next,
      windowStart,
      windowEnd,
      windowClosed: windowEnd <= asOfNum || windowEnd < windowStart,
      windowImaging,
      preImaging,
      conflicts: new Map<string, SessionConflict>(),
    };
  });
}

export function dayString(dayNum: number): string {
  if (!Number.isFinite(dayNum)) return 'open';
  return isoOfDay(dayNum); // new Date(dayNum × 86 400 000).toISOString().slice(0, 10), without the Date
}

export function windowText(s: SessionView): string {
  if (s.windowEnd < s.windowStart)
    return `no response window after ${s.day} (next treatment within ${s.windowStart - s.dayNum} days)`;
  return `response CT/MRI ${dayString(s.windowStart)} to ${dayString(s.windowEnd)} after the session of ${s.day}`;
}
