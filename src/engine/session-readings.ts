/**
 * Per-session readings. Every determinate reading among the imaging in the session's window counts: readings that
 * agree all stand as evidence; two different reports that disagree make the finding unknown for that session — a
 * disagreement is never settled by which report came later (in the window or in the day) — and are recorded on the
 * session so the engine lists them as a data issue naming both reports. Versions of one report (preliminary →
 * final → amended) were resolved by the mapper (fhir/map/imaging.ts): every assessment here is a different report.
 * Unknown when no report decides (with the hedged evidence and the window that would decide it).
 */
import type { ImagingAssessment } from '../domain/imaging';
import type { DataIssue } from '../domain/source';
import type { EvidenceItem, Status } from './result';
import type { Reading, Tri } from './findings';
import { isResponseCode, modalityLabel, unitLabel } from '../domain/display-labels';
import { isoDay } from './dates';
import { refOf } from './evidence';
import { windowText, type SessionConflict, type SessionView } from './sessions';
import { appendAll, flatOf } from './arrays';

export interface SessionReading {
  session: SessionView;
  state: Tri;
  /** The latest report of the agreeing ones; null when none decides or when reports disagree. */
  assessment: ImagingAssessment | null;
  /** Every report whose (agreeing) reading decided the state, by date. */
  assessments: ImagingAssessment[];
  evidence: EvidenceItem[];
  notes: string[];
  missing: string[];
}

export interface ReadSessionOptions {
  /**
   * Readings with the same key agree. Default: the reading's state. A criterion that needs more than the state
   * (e.g. the European definition tells PD from SD) passes its own key.
   */
  agreeKey?: (a: ImagingAssessment, r: Reading) => string;
  /** Words for each key in the conflict text (default: only the evidence each report gave). */
  keyWords?: Readonly<Record<string, string>>;
}

interface Party {
  a: ImagingAssessment;
  r: Reading;
}

/** "the CT abdomen report of 2026-04-10 (DiagnosticReport/ct-1)": its title or modality, date, then the reference. */
export function reportLabel(a: ImagingAssessment): string {
  const what = a.title ?? (a.modality ? modalityLabel(a.modality) : undefined) ?? a.source.display;
  return `the ${what ? `${what} ` : ''}report of ${isoDay(a.date)} (${refOf(a.source)})`;
}

/** An evidence item in words: its label, and its value when the label does not already say it. */
function evidenceWords(r: Reading): string {
  const words = r.evidence.map((e) => {
    if (e.value === undefined || isResponseCode(e.value)) return e.label;
    const v = String(e.value);
    if (v === '' || e.label.includes(v) || /^Patient's condition /.test(v)) return e.label;
    const unit = unitLabel(e.unit);
    return `${e.label}: ${v}${unit ? ` ${unit}` : ''}`;
  });
  return [...new Set(words)].join('; ');
}

/**
 * Records that `parties` (different reports, each with a determinate reading) disagree on `what` for session `s`,
 * and returns the sentence for the criterion's `missing`.
 */
export function recordConflict(
  s: SessionView,
  what: string,
  parties: readonly Party[],
  keyOf: (p: Party) => string,
  keyWords: Readonly<Record<string, string>> = {},
): string {
  const sorted = [...parties].sort(
    (x, y) =>
      (x.a.date < y.a.date ? -1 : x.a.date > y.a.date ? 1 : 0) ||
      (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : 0),
  );
  const says = sorted
    .map((p) => {
      const words = keyWords[keyOf(p)];
      const ev = evidenceWords(p.r);
      if (words === undefined) return `${reportLabel(p.a)} reads ${ev || 'a different result'}`;
      return `${reportLabel(p.a)} says ${words}${ev ? ` (${ev})` : ''}`;
    })
    .join(' whereas ');
  const key = sorted.map((p) => refOf(p.a.source)).join('\u0000');
  const entry: SessionConflict = s.conflicts.get(key) ?? {
    reports: sorted.map((p) => reportLabel(p.a)),
    findings: new Map<string, string>(),
  };
  entry.findings.set(what, says);
  s.conflicts.set(key, entry);
  return `${what}: different reports disagree (${says}) — not settled by which came later; a radiologist's reconciliation would decide it`;
}

/**
 * Whether every party has the same key: `new Set(parties.map(keyOf)).size === 1` for a non-empty list, without
 * the Set. keyOf is called once per party, in order, as the map did (an agreeKey is a pure reading of its party).
 */
function allAgree(parties: readonly Party[], keyOf: (p: Party) => string): boolean {
  const first = keyOf(parties[0] as Party);
  let same = true;
  for (let i = 1; i < parties.length; i++) if (keyOf(parties[i] as Party) !== first) same = false;
  return same;
}

/** The default agreement key: the reading's state. */
const stateKey = (p: Party): string => p.r.state;

export function readSession(
  s: SessionView,
  read: (a: ImagingAssessment) => Reading,
  what: string,
  options: ReadSessionOptions = {},
): SessionReading {
  // Every report is read once, in window order, as before; the hedged evidence and notes are gathered only when
  // no report decides (when one does, they are not part of the reading).
  const parties: Party[] = [];
  let decidedCount = 0;
  for (const a of s.windowImaging) {
    const r = read(a);
    parties.push({ a, r });
    if (r.state !== 'unknown') decidedCount += 1;
  }
  if (decidedCount === 0) {
    const hedgedEvidence: EvidenceItem[] = [];
    const hedgedNotes: string[] = [];
    for (const p of parties) {
      appendAll(hedgedEvidence, p.r.evidence);
      appendAll(hedgedNotes, p.r.notes);
    }
    const missing =
      s.windowImaging.length === 0
        ? [`${what}: ${windowText(s)}${s.windowClosed ? '' : ' (window still open)'}`]
        : [`${what}: an unambiguous statement on ${windowText(s)}`];
    return {
      session: s,
      state: 'unknown',
      assessment: null,
      assessments: [],
      evidence: hedgedEvidence,
      notes: hedgedNotes,
      missing,
    };
  }
  const decided = decidedCount === parties.length ? parties : parties.filter((p) => p.r.state !== 'unknown');
  const agreeKey = options.agreeKey;
  const keyOf = agreeKey ? (p: Party): string => agreeKey(p.a, p.r) : stateKey;
  const evidence: EvidenceItem[] = [];
  const notes: string[] = [];
  for (const p of decided) {
    appendAll(evidence, p.r.evidence);
    appendAll(notes, p.r.notes);
  }
  if (allAgree(decided, keyOf)) {
    const latest = decided[decided.length - 1] as Party;
    const assessments: ImagingAssessment[] = [];
    for (const p of decided) assessments.push(p.a);
    return {
      session: s,
      state: latest.r.state,
      assessment: latest.a,
      assessments,
      evidence,
      notes,
      missing: [],
    };
  }
  const missing = recordConflict(s, what, decided, keyOf, options.keyWords);
  return {
    session: s,
    state: 'unknown',
    assessment: null,
    assessments: [],
    evidence,
    notes: [...notes, `reports in the response window disagree on ${what}: indeterminate for this session`],
    missing: [missing],
  };
}

/** The disagreements recorded while the criteria read the sessions, as data issues (sorted by the engine). */
export function sessionConflictIssues(sessions: readonly SessionView[]): DataIssue[] {
  const out: DataIssue[] = [];
  for (const s of sessions) {
    for (const c of s.conflicts.values()) {
      const findings = [...c.findings.entries()]
        .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
        .map(([what, says]) => `${what}: ${says}`)
        .join('. ');
      out.push({
        resourceType: 'DiagnosticReport',
        kind: 'conflict',
        reason: `Different reports disagree after the TACE of ${s.day} (${s.ref}): ${c.reports.join(' and ')}. ${findings}. Each such finding is indeterminate for this session: a disagreement is not settled by which report came later.`,
      });
    }
  }
  return out;
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
  const notes = [...new Set(flatOf(readings, (r) => r.notes))];
  if (readings.length < 2) {
    return {
      status: 'not-met',
      evidence: flatOf(readings, (r) => r.evidence),
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
      appendAll(missing, r.missing);
      appendAll(evidence, r.evidence);
    }
  }
  if (!open) return { status: 'not-met', evidence: flatOf(readings, (r) => r.evidence), missing: [], notes };
  return { status: 'indeterminate', evidence, missing, notes };
}
