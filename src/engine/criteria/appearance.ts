/**
 * "Appearance of vascular invasion / extrahepatic spread" after TACE (JSH 2010, JSH-LCSGJ 2014, JSH 2021: once,
 * any time after TACE). Met on any unhedged positive finding after the first session. Not-met needs every
 * session's response window to read negative and the latest post-TACE reading to be negative; hedged wording
 * (and a bland thrombus) is never positive and blocks not-met.
 */
import type { ImagingAssessment } from '../../domain/imaging';
import type { EvidenceItem, Status } from '../result';
import { presenceReading } from '../findings';
import { dayNumber, isoDay } from '../dates';
import { refOf } from '../evidence';
import { readSession } from '../session-readings';
import type { EngineContext } from './types';
import { NO_SESSION_MISSING } from './types';

export function appearanceAfterTace(
  ctx: EngineContext,
  type: 'vascular-invasion' | 'extrahepatic-spread',
): { status: Status; evidence: EvidenceItem[]; missing: string[]; notes: string[] } {
  const word = type === 'vascular-invasion' ? 'vascular invasion' : 'extrahepatic spread';
  const first = ctx.sessions[0];
  if (!first) return { status: 'indeterminate', evidence: [], missing: [NO_SESSION_MISSING], notes: [] };
  const after = ctx.imaging.filter((a) => dayNumber(a.date) > first.dayNum);
  const before = ctx.imaging.filter((a) => dayNumber(a.date) <= first.dayNum);
  const read = (a: ImagingAssessment) => presenceReading(a, type);
  const positives = after.map(read).filter((r) => r.state === 'positive');
  const notes: string[] = [];
  if (positives.length > 0) {
    const preExisting = before.map(read).filter((r) => r.state === 'positive');
    if (preExisting.length > 0) {
      return {
        status: 'indeterminate',
        evidence: [...positives.flatMap((r) => r.evidence), ...preExisting.flatMap((r) => r.evidence)],
        missing: [`whether the ${word} is new: it was already reported before the first TACE`],
        notes: ['present before the first TACE: "appearance" cannot be judged'],
      };
    }
    return {
      status: 'met',
      evidence: positives.flatMap((r) => r.evidence),
      missing: [],
      notes: positives.flatMap((r) => r.notes),
    };
  }
  const readings = ctx.sessions.map((s) => readSession(s, read, `imaging statement on ${word}`));
  const missing = readings.filter((r) => r.state !== 'negative').flatMap((r) => r.missing);
  const evidence = readings.flatMap((r) => r.evidence);
  // The latest post-TACE imaging that says anything about it must be negative (not hedged).
  let latestState: string | null = null;
  for (let i = after.length - 1; i >= 0; i--) {
    const r = read(after[i] as ImagingAssessment);
    if (r.evidence.length > 0 || r.state !== 'unknown') {
      latestState = r.state;
      evidence.push(...r.evidence);
      break;
    }
  }
  if (latestState === 'unknown') missing.push(`a later report clarifying hedged wording on ${word}`);
  const hedgedAnywhere = after.map(read).some((r) => r.state === 'unknown' && r.evidence.length > 0);
  if (hedgedAnywhere) notes.push('hedged wording is never positive');
  // An active problem-list entry (portal vein thrombosis / metastasis) keeps the item open: never not-met.
  const kind = type === 'vascular-invasion' ? 'portal-vein-thrombosis' : 'metastasis';
  const conditions = ctx.timeline.conditions.filter(
    (c) =>
      c.kind === kind &&
      c.clinicalStatus !== 'resolved' &&
      c.clinicalStatus !== 'inactive' &&
      c.clinicalStatus !== 'remission',
  );
  if (conditions.length > 0) {
    evidence.push(
      ...conditions.map((c) => ({
        ref: refOf(c.source),
        date: isoDay(c.onset ?? c.recorded ?? ctx.asOf),
        label: `problem list: ${c.label}`,
        origin: (c.codedBy === 'text' ? 'text' : 'structured') as 'text' | 'structured',
      })),
    );
    missing.push(`imaging statement on ${word} (the problem list records ${kind.replace(/-/g, ' ')})`);
  }
  if (missing.length === 0 && latestState === 'negative') {
    return {
      status: 'not-met',
      evidence,
      missing: [],
      notes: [...notes, ...readings.flatMap((r) => r.notes)],
    };
  }
  return { status: 'indeterminate', evidence, missing, notes };
}
