/**
 * Per-session readings: the latest determinate reading among the imaging in the session's window; unknown when
 * there is none (with the hedged evidence and the window that would decide it).
 */
import type { ImagingAssessment } from '../domain/imaging';
import type { EvidenceItem, Status } from './result';
import type { Reading, Tri } from './findings';
import { windowText, type SessionView } from './sessions';

export interface SessionReading {
  session: SessionView;
  state: Tri;
  assessment: ImagingAssessment | null;
  evidence: EvidenceItem[];
  notes: string[];
  missing: string[];
}

export function readSession(
  s: SessionView,
  read: (a: ImagingAssessment) => Reading,
  what: string,
): SessionReading {
  const hedgedEvidence: EvidenceItem[] = [];
  const notes: string[] = [];
  for (let i = s.windowImaging.length - 1; i >= 0; i--) {
    const a = s.windowImaging[i] as ImagingAssessment;
    const r = read(a);
    if (r.state !== 'unknown') {
      return { session: s, state: r.state, assessment: a, evidence: r.evidence, notes: r.notes, missing: [] };
    }
    hedgedEvidence.push(...r.evidence);
    notes.push(...r.notes);
  }
  const missing =
    s.windowImaging.length === 0
      ? [`${what}: ${windowText(s)}${s.windowClosed ? '' : ' (window still open)'}`]
      : [`${what}: an unambiguous statement on ${windowText(s)}`];
  return { session: s, state: 'unknown', assessment: null, evidence: hedgedEvidence, notes, missing };
}

/**
 * "Two or more consecutive" sessions (JSH 2010 / JSH-LCSGJ 2014): met when two consecutive sessions are positive;
 * not-met when every consecutive pair has a negative session; indeterminate otherwise.
 * Fewer than two sessions: the definition cannot hold → not-met, stated in the notes.
 */
export function consecutive(readings: SessionReading[]): {
  status: Status;
  evidence: EvidenceItem[];
  missing: string[];
  notes: string[];
} {
  const notes = [...new Set(readings.flatMap((r) => r.notes))];
  if (readings.length < 2) {
    return {
      status: 'not-met',
      evidence: readings.flatMap((r) => r.evidence),
      missing: [],
      notes: [
        ...notes,
        'fewer than two TACE sessions: the definition needs two or more consecutive sessions',
      ],
    };
  }
  for (let i = 0; i + 1 < readings.length; i++) {
    const a = readings[i] as SessionReading;
    const b = readings[i + 1] as SessionReading;
    if (a.state === 'positive' && b.state === 'positive') {
      return { status: 'met', evidence: [...a.evidence, ...b.evidence], missing: [], notes };
    }
  }
  const missing: string[] = [];
  const evidence: EvidenceItem[] = [];
  let open = false;
  for (let i = 0; i + 1 < readings.length; i++) {
    const a = readings[i] as SessionReading;
    const b = readings[i + 1] as SessionReading;
    if (a.state === 'negative' || b.state === 'negative') continue;
    open = true;
    for (const r of [a, b]) {
      missing.push(...r.missing);
      evidence.push(...r.evidence);
    }
  }
  if (!open) return { status: 'not-met', evidence: readings.flatMap((r) => r.evidence), missing: [], notes };
  return { status: 'indeterminate', evidence, missing, notes };
}
