/**
 * Liver function across TACE sessions: ALBI and Child-Pugh before and after each session (Ogasawara 2020:
 * 20–25 % of patients are Child-Pugh B/C by the time they are judged refractory → check before each TACE).
 * Before = labs within 30 days before the session (session day included); after = the latest labs from the day
 * after to 60 days after, before the next treatment. When there are none, after = the labs the next decision was
 * made on: within 30 days before the next treatment (the day before it at the latest), or, after the last
 * session, within 30 days before the assessment date (the snapshot's notes say so).
 */
import type { LiverSnapshot, LiverTrajectoryEntry, LiverWarning, TrendBasis } from './result';
import type { EngineContext } from './criteria/types';
import { normalizeEvidence, uniqSorted } from './evidence';
import { albiFromPair, albiPair, childPughAt } from './scores/from-timeline';
import { liverClinicalAt } from './scores/condition-grades';
import { dayString } from './sessions';
import { dayNumber } from './dates';
import { flatOf } from './arrays';

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
  const refDay = toDay <= ctx.asOf ? toDay : ctx.asOf;
  // Ascites / encephalopathy Conditions active on the window's last day (onset on or before it); undated ones and
  // the clinician's current grades are for the assessment date only, never a past session (condition-grades.ts).
  const cp = childPughAt(
    ctx.timeline,
    refDay,
    ctx.settings,
    liverClinicalAt(ctx.timeline, refDay, false),
    from,
  );
  // Child-Pugh is given only from labs: a Condition alone (its evidence is cited too) is not a liver snapshot.
  const anyLab = cp.result.evidence.some((e) => !e.ref.startsWith('Condition/'));
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

/** Labs drawn in the after window (ALBI or any Child-Pugh lab). */
function hasLabs(x: LiverSnapshot): boolean {
  return x.albiGrade !== null || x.albi !== null || x.childPugh !== null;
}

/**
 * After a session: the latest labs within TRAJECTORY_AFTER_DAYS (before the next treatment); when none were drawn
 * then, the labs the next decision rests on — within TRAJECTORY_BEFORE_DAYS before the next treatment (up to the
 * day before it) or, after the last session, before the assessment date — so a decline measured at the next TACE
 * is not lost. Never earlier than the day after the session.
 */
function afterSnapshot(
  ctx: EngineContext,
  day: number,
  afterEnd: number,
  nextTreatment: number | null,
): LiverSnapshot {
  const first = snapshot(ctx, day + 1, afterEnd);
  if (hasLabs(first)) return first;
  const asOfNum = dayNumber(ctx.asOf);
  const end = nextTreatment === null ? asOfNum : nextTreatment - 1;
  const start = Math.max(day + TRAJECTORY_AFTER_DAYS + 1, end - TRAJECTORY_BEFORE_DAYS);
  if (end < start) return first;
  const later = snapshot(ctx, start, end);
  if (!hasLabs(later)) return first;
  const what =
    nextTreatment === null
      ? `the labs within ${TRAJECTORY_BEFORE_DAYS} days before the assessment date (${ctx.asOf})`
      : `the labs within ${TRAJECTORY_BEFORE_DAYS} days before the next treatment (${dayString(nextTreatment)})`;
  return {
    ...later,
    notes: [`No labs within ${TRAJECTORY_AFTER_DAYS} days after this session: ${what} are used`],
  };
}

/** Child-Pugh points when the range is one number (all five components known), else null. */
function exactPoints(r: LiverSnapshot['childPugh']): number | null {
  return r !== null && r.min === r.max ? r.min : null;
}

/**
 * Liver function across one session, before → after:
 * - worsened (`true`) when the (m)ALBI grade rose (1 → 2a → 2b → 3) or the Child-Pugh points certainly rose (the
 *   lowest possible after is above the highest possible before; with exact totals, any rise);
 * - not worsened (`false`) only when both ALBI grades are known and did not rise, and Child-Pugh does not show a
 *   rise. A Child-Pugh range (ascites or encephalopathy unknown) does not block "no worsening by ALBI": `basis` then
 *   says 'albi'; with both Child-Pugh totals exact and not risen it says 'albi+child-pugh'. Never `false` without
 *   both ALBI grades (missing or censored labs that span grades): "no worsening" is never claimed on missing labs;
 * - `null` when neither tells (no worsening seen, and ALBI not known on both sides).
 * `basis` names what the answer rests on ('child-pugh' only for a rise seen in Child-Pugh alone).
 */
export function liverTrend(
  before: LiverSnapshot,
  after: LiverSnapshot,
): { deteriorated: boolean | null; basis: TrendBasis | null } {
  const albiKnown = before.albiGrade !== null && after.albiGrade !== null;
  const albiWorse =
    albiKnown && ORDER.indexOf(after.albiGrade as string) > ORDER.indexOf(before.albiGrade as string);
  const cpWorse =
    before.childPugh !== null && after.childPugh !== null && after.childPugh.min > before.childPugh.max;
  const p0 = exactPoints(before.childPugh);
  const p1 = exactPoints(after.childPugh);
  const cpNotWorse = p0 !== null && p1 !== null && p1 <= p0;
  if (albiWorse || cpWorse)
    return {
      deteriorated: true,
      basis: albiWorse && cpWorse ? 'albi+child-pugh' : albiWorse ? 'albi' : 'child-pugh',
    };
  if (albiKnown) return { deteriorated: false, basis: cpNotWorse ? 'albi+child-pugh' : 'albi' };
  return { deteriorated: null, basis: null };
}

export function liverTrajectory(ctx: EngineContext): LiverTrajectoryEntry[] {
  return ctx.sessions.map((s) => {
    const before = snapshot(ctx, s.dayNum - TRAJECTORY_BEFORE_DAYS, s.dayNum);
    const afterEnd = Math.min(
      s.dayNum + TRAJECTORY_AFTER_DAYS,
      s.nextTreatmentDayNum === null ? Infinity : s.nextTreatmentDayNum - 1,
    );
    const after = afterSnapshot(ctx, s.dayNum, afterEnd, s.nextTreatmentDayNum);
    const { deteriorated, basis } = liverTrend(before, after);
    return { sessionDate: s.day, sessionRef: s.ref, before, after, deteriorated, basis };
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
      evidence: normalizeEvidence(flatOf(steps, (t) => t.before.evidence)),
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
      evidence: normalizeEvidence(flatOf(poor, (t) => t.before.evidence)),
      sessionDates: poor.map((t) => t.sessionDate),
      citation: LIVER_WARNING_CITATION,
    });
  }
  return out;
}
