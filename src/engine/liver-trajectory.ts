/**
 * Liver function across TACE sessions: ALBI and Child-Pugh before and after each session (Ogasawara 2020:
 * 20–25 % of patients are Child-Pugh B/C by the time they are judged refractory → check before each TACE).
 * Before = labs within 30 days before the session (session day included); after = the latest labs from the day
 * after to 60 days after, before the next treatment.
 */
import type { LiverSnapshot, LiverTrajectoryEntry, LiverWarning } from './result';
import type { EngineContext } from './criteria/types';
import { normalizeEvidence, uniqSorted } from './evidence';
import { albiFromPair, albiPair, childPughAt } from './scores/from-timeline';
import { dayString } from './sessions';

export const TRAJECTORY_BEFORE_DAYS = 30;
export const TRAJECTORY_AFTER_DAYS = 60;

function snapshot(ctx: EngineContext, from: number, to: number): LiverSnapshot {
  if (to < from) {
    return {
      albi: null,
      albiGrade: null,
      childPugh: null,
      childPughClass: null,
      evidence: [],
      missing: ['no time between sessions'],
    };
  }
  const albi = albiFromPair(
    albiPair(ctx.timeline, from, to, ctx.asOf, ctx.settings.pairingDays),
    ctx.settings.pairingDays,
  );
  const toDay = dayString(to);
  const cp = childPughAt(
    ctx.timeline,
    toDay <= ctx.asOf ? toDay : ctx.asOf,
    ctx.settings,
    undefined,
    undefined,
    from,
  );
  const anyLab = cp.result.evidence.length > 0;
  return {
    albi: albi.value,
    albiGrade: albi.mGrade,
    childPugh: anyLab ? cp.output.range : null,
    childPughClass: anyLab ? (cp.output.cls ?? `${cp.output.possibleClasses.join(' or ')}`) : null,
    evidence: normalizeEvidence([...albi.evidence, ...cp.result.evidence]),
    missing: uniqSorted([...albi.missing, ...(anyLab ? [] : ['bilirubin, albumin and INR'])]),
  };
}

const ORDER = ['1', '2a', '2b', '3'];

export function liverTrajectory(ctx: EngineContext): LiverTrajectoryEntry[] {
  return ctx.sessions.map((s) => {
    const before = snapshot(ctx, s.dayNum - TRAJECTORY_BEFORE_DAYS, s.dayNum);
    const afterEnd = Math.min(
      s.dayNum + TRAJECTORY_AFTER_DAYS,
      s.nextTreatmentDayNum === null ? Infinity : s.nextTreatmentDayNum - 1,
    );
    const after = snapshot(ctx, s.dayNum + 1, afterEnd);
    let deteriorated: boolean | null = null;
    if (before.albiGrade !== null && after.albiGrade !== null) {
      deteriorated = ORDER.indexOf(after.albiGrade) > ORDER.indexOf(before.albiGrade);
    }
    if (before.childPugh && after.childPugh && after.childPugh.min > before.childPugh.max)
      deteriorated = true;
    return { sessionDate: s.day, sessionRef: s.ref, before, after, deteriorated };
  });
}

/** Ogasawara 2020 (clinical-reference §1): check liver function before each TACE. */
export const LIVER_WARNING_CITATION = 'Ogasawara 2020 Clin Mol Hepatol 26:155–162 (clinical-reference §1)';
/** ALBI grade 3 (mALBI 3) before a TACE (ALBI grade cut-offs: scores/albi). */
export const POOR_ALBI_GRADE = 3;
/** Child-Pugh B starts at 7 points: a score range whose minimum is ≥ 7 is at least class B. */
export const CHILD_PUGH_B_MIN_POINTS = 7;

/** ALBI grade 1/2/3 from the mALBI grade (2a and 2b are ALBI grade 2). */
function albiGrade(mGrade: string | null): number | null {
  if (mGrade === '1') return 1;
  if (mGrade === '2a' || mGrade === '2b') return 2;
  if (mGrade === '3') return 3;
  return null;
}

function gradeWords(t: LiverTrajectoryEntry): string {
  const g = albiGrade(t.before.albiGrade);
  const m =
    t.before.albiGrade !== null && t.before.albiGrade !== String(g) ? ` (mALBI ${t.before.albiGrade})` : '';
  const v = t.before.albi !== null ? `ALBI ${t.before.albi}, ` : '';
  return `${v}grade ${g}${m} before the TACE of ${t.sessionDate}`;
}

/**
 * Warnings over the labs before each TACE: the ALBI grade worsened from one session to a later one, or a TACE was
 * done at ALBI grade 3 or Child-Pugh B or worse. Sessions whose labs before are missing are skipped (no warning
 * is made from them; nothing is said to be fine either).
 */
export function liverWarnings(trajectory: readonly LiverTrajectoryEntry[]): LiverWarning[] {
  const out: LiverWarning[] = [];
  const graded = trajectory.filter((t) => albiGrade(t.before.albiGrade) !== null);
  let best: LiverTrajectoryEntry | null = null;
  let worsened = false;
  for (const t of graded) {
    const g = albiGrade(t.before.albiGrade) as number;
    if (best !== null && g > (albiGrade(best.before.albiGrade) as number)) worsened = true;
    if (best === null || g < (albiGrade(best.before.albiGrade) as number)) best = t;
  }
  if (worsened) {
    // The first graded session and each one where the grade changed (a long history stays readable).
    const steps = graded.filter(
      (t, i) =>
        i === 0 || albiGrade(t.before.albiGrade) !== albiGrade(graded[i - 1]?.before.albiGrade ?? null),
    );
    out.push({
      id: 'albi-grade-worsened',
      text: `ALBI grade worsened across TACE sessions: ${steps.map(gradeWords).join('; ')}. Ogasawara 2020: check liver function before each TACE ("stop and think before each TACE").`,
      evidence: normalizeEvidence(steps.flatMap((t) => t.before.evidence)),
      sessionDates: steps.map((t) => t.sessionDate),
      citation: LIVER_WARNING_CITATION,
    });
  }
  const poor = trajectory.filter(
    (t) =>
      albiGrade(t.before.albiGrade) === POOR_ALBI_GRADE ||
      (t.before.childPugh !== null && t.before.childPugh.min >= CHILD_PUGH_B_MIN_POINTS),
  );
  if (poor.length > 0) {
    const words = poor.map((t) => {
      const parts: string[] = [];
      if (albiGrade(t.before.albiGrade) === POOR_ALBI_GRADE)
        parts.push(`ALBI grade 3${t.before.albi !== null ? ` (ALBI ${t.before.albi})` : ''}`);
      if (t.before.childPugh !== null && t.before.childPugh.min >= CHILD_PUGH_B_MIN_POINTS)
        parts.push(
          `Child-Pugh ${t.before.childPughClass ?? 'B or worse'} (${t.before.childPugh.min === t.before.childPugh.max ? t.before.childPugh.min : `${t.before.childPugh.min}–${t.before.childPugh.max}`} points)`,
        );
      return `${t.sessionDate} at ${parts.join(', ')}`;
    });
    out.push({
      id: 'tace-at-poor-liver-function',
      text: `TACE done at ALBI grade 3 or Child-Pugh B or worse: ${words.join('; ')}. Ogasawara 2020: 20–25 % of patients are Child-Pugh B/C by the time they are judged refractory; check liver function before each TACE ("stop and think before each TACE").`,
      evidence: normalizeEvidence(poor.flatMap((t) => t.before.evidence)),
      sessionDates: poor.map((t) => t.sessionDate),
      citation: LIVER_WARNING_CITATION,
    });
  }
  return out;
}
