/**
 * Liver function across TACE sessions: ALBI and Child-Pugh before and after each session (Ogasawara 2020:
 * 20–25 % of patients are Child-Pugh B/C by the time they are judged refractory → check before each TACE).
 * Before = labs within 30 days before the session (session day included); after = the latest labs from the day
 * after to 60 days after, before the next treatment.
 */
import type { LiverSnapshot, LiverTrajectoryEntry } from './result';
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
