/**
 * "Appearance of vascular invasion / extrahepatic spread" after TACE (JSH 2010, JSH-LCSGJ 2014, JSH 2021: once,
 * any time after TACE). Met on any unhedged positive finding after the first session that no different report of
 * the same response window or of the same day contradicts (a contradicted positive is indeterminate, never met).
 * Not-met needs every session's response window to read negative and the latest post-TACE reading to be
 * negative; hedged wording (and a bland thrombus) is never positive and blocks not-met.
 */
import type { ImagingAssessment } from '../../domain/imaging';
import type { EvidenceItem, Status } from '../result';
import { presenceReading } from '../findings';
import { dayNumber, isoDay } from '../dates';
import { refOf } from '../evidence';
import { readSession, recordConflict } from '../session-readings';
import type { SessionView } from '../sessions';
import type { EngineContext } from './types';
import { NO_SESSION_MISSING } from './types';
import { oncePerCall, ownArrays } from '../per-call';
import { flatOf } from '../arrays';

type AppearanceVerdict = { status: Status; evidence: EvidenceItem[]; missing: string[]; notes: string[] };

/**
 * JSH 2010 and JSH-LCSGJ 2014 ask for the same items: read once per evaluate call (per-call.ts), each caller with
 * its own arrays. The conflicts it records on the sessions are the same a second reading would record again.
 */
export function appearanceAfterTace(
  ctx: EngineContext,
  type: 'vascular-invasion' | 'extrahepatic-spread',
): AppearanceVerdict {
  return ownArrays(oncePerCall(ctx, `appearance\u0000${type}`, () => readAppearance(ctx, type)));
}

function readAppearance(
  ctx: EngineContext,
  type: 'vascular-invasion' | 'extrahepatic-spread',
): AppearanceVerdict {
  const word = type === 'vascular-invasion' ? 'vascular invasion' : 'extrahepatic spread';
  const first = ctx.sessions[0];
  if (!first) return { status: 'indeterminate', evidence: [], missing: [NO_SESSION_MISSING], notes: [] };
  const after = ctx.imaging.filter((a) => dayNumber(a.date) > first.dayNum);
  const before = ctx.imaging.filter((a) => dayNumber(a.date) <= first.dayNum);
  const read = (a: ImagingAssessment) => presenceReading(a, type);
  const what = `imaging statement on ${word}`;
  const keyWords = { positive: `${word} present`, negative: `no ${word}` };
  // Session windows first: they record any disagreement between reports of one window (session-readings.ts).
  const readings = ctx.sessions.map((s) => readSession(s, read, what, { keyWords }));
  const notes: string[] = [];
  const missing: string[] = [];
  const evidence: EvidenceItem[] = [];

  // A positive counts only when no different report of the same response window or of the same day says the
  // opposite: a disagreement is never settled by which report came later (then indeterminate, never met).
  const readAfter = after.map((a) => ({ a, r: read(a) }));
  const windowOf = (a: ImagingAssessment): SessionView | undefined => {
    const d = dayNumber(a.date);
    return ctx.sessions.find((s) => d >= s.windowStart && d <= s.windowEnd);
  };
  const sessionOf = (a: ImagingAssessment): SessionView => {
    const d = dayNumber(a.date);
    return windowOf(a) ?? [...ctx.sessions].reverse().find((s) => s.dayNum < d) ?? first;
  };
  const partners = (x: ImagingAssessment, y: ImagingAssessment): boolean => {
    if (x.id === y.id) return false;
    if (isoDay(x.date) === isoDay(y.date)) return true;
    const w = windowOf(x);
    return w !== undefined && w === windowOf(y);
  };
  const positives: typeof readAfter = [];
  for (const p of readAfter) {
    if (p.r.state !== 'positive') continue;
    const against = readAfter.filter((q) => q.r.state === 'negative' && partners(p.a, q.a));
    if (against.length === 0) {
      positives.push(p);
      continue;
    }
    evidence.push(...p.r.evidence, ...flatOf(against, (q) => q.r.evidence));
    // In a response window readSession has recorded the disagreement (and its missing item); outside any window
    // only same-day reports are partners, recorded here on the session they follow.
    if (windowOf(p.a) === undefined)
      missing.push(recordConflict(sessionOf(p.a), what, [p, ...against], (x) => x.r.state, keyWords));
  }
  if (positives.length > 0) {
    const preExisting = before.map(read).filter((r) => r.state === 'positive');
    if (preExisting.length > 0) {
      return {
        status: 'indeterminate',
        evidence: [...flatOf(positives, (p) => p.r.evidence), ...flatOf(preExisting, (r) => r.evidence)],
        missing: [`whether the ${word} is new: it was already reported before the first TACE`],
        notes: ['present before the first TACE: "appearance" cannot be judged'],
      };
    }
    return {
      status: 'met',
      evidence: flatOf(positives, (p) => p.r.evidence),
      missing: [],
      notes: flatOf(positives, (p) => p.r.notes),
    };
  }
  missing.push(
    ...flatOf(
      readings.filter((r) => r.state !== 'negative'),
      (r) => r.missing,
    ),
  );
  evidence.push(...flatOf(readings, (r) => r.evidence));
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
  const hedgedAnywhere = readAfter.some(({ r }) => r.state === 'unknown' && r.evidence.length > 0);
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
      notes: [...notes, ...flatOf(readings, (r) => r.notes)],
    };
  }
  return { status: 'indeterminate', evidence, missing, notes };
}
