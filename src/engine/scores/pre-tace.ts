/**
 * ART (Sieghart 2013) and ABCR (Adhoute 2016), assessed before the 2nd TACE against before the 1st.
 * "Before" = labs within 30 days before the session (session day included).
 */
import type { EvidenceItem, ScoreResult } from '../result';
import { dayNumber } from '../dates';
import { measurementEvidence, normalizeEvidence } from '../evidence';
import { responseClass } from '../findings';
import { readSession } from '../session-readings';
import type { EngineContext } from '../criteria/types';
import {
  ART_AST_RISE_FRACTION,
  ART_CITATION,
  ART_FAVOURABLE_MAX,
  ART_UNFAVOURABLE_MIN,
  art,
  astRose,
} from './art';
import { ABCR_AFP_NG_ML, ABCR_CITATION, ABCR_CONTINUE_MAX, ABCR_STOP_MIN, abcr } from './abcr';
import { isAbove } from '../bounds';
import { childPughAt, pick } from './from-timeline';
import { liverClinicalAt } from './condition-grades';
import { decidedNote, isCensored, undecidedMissing } from './censored';
import { oncePerCall } from '../per-call';

/** Labs count as "before" a session when drawn within this many days before it. */
export const PRE_SESSION_LAB_DAYS = 30;

const CP_NOTE = [
  'Child-Pugh before the 1st and 2nd TACE uses the clinician-entered ascites and encephalopathy grades for both time points; without them, the ascites and encephalopathy Conditions active on each session day (else they stay unknown)',
];

function empty(citation: string, thresholds: Record<string, number>, missing: string[]): ScoreResult {
  return { value: null, range: null, category: null, evidence: [], missing, thresholds, citation };
}

/** ART and ABCR both start from it: read once per evaluate call (per-call.ts); both only read what it gives. */
function firstTwo(ctx: EngineContext) {
  return oncePerCall(ctx, 'firstTwo', () => readFirstTwo(ctx));
}

function readFirstTwo(ctx: EngineContext) {
  const [s1, s2] = ctx.sessions;
  if (!s1 || !s2) return null;
  // Ascites and encephalopathy are rarely coded historically: the clinician's current grades are applied to both
  // time points (stated in the score's notes); without them, the ascites / encephalopathy Conditions active on each
  // session day (onset on or before it; undated ones are not used for a past session: condition-grades.ts); else
  // the rise stays unknown and the score a range.
  const cp = (day: string) =>
    childPughAt(
      ctx.timeline,
      day,
      ctx.settings,
      liverClinicalAt(ctx.timeline, day, false, ctx.inputs),
      dayNumber(day) - PRE_SESSION_LAB_DAYS,
    );
  const cp1 = cp(s1.day);
  const cp2 = cp(s2.day);
  // A rise is known when both Child-Pugh totals are known; otherwise it stays unknown (range in the score).
  const cpRise =
    cp1.output.points !== null && cp2.output.points !== null
      ? cp2.output.points - cp1.output.points
      : undefined;
  const resp = readSession(
    s1,
    (a) => {
      const r = responseClass(a);
      return {
        state: r.cls === 'unknown' ? 'unknown' : r.cls === 'OR' ? 'positive' : 'negative',
        evidence: r.evidence,
        notes: r.notes,
      };
    },
    'mRECIST/EASL response after the 1st TACE',
  );
  const response = resp.state === 'unknown' ? undefined : resp.state === 'positive';
  // What the Conditions gave at each session (none when the clinician's grades or no Condition applied).
  const conditionNotes = [
    ...(cp1.result.notes ?? []).filter(isConditionNote).map((n) => `Before the 1st TACE (${s1.day}): ${n}`),
    ...(cp2.result.notes ?? []).filter(isConditionNote).map((n) => `Before the 2nd TACE (${s2.day}): ${n}`),
  ];
  return { s1, s2, cp1, cp2, cpRise, resp, response, conditionNotes };
}

/** Child-Pugh notes about ascites / encephalopathy Conditions (not the censored-lab notes). */
function isConditionNote(n: string): boolean {
  return /^(Ascites|Hepatic encephalopathy)\b|Condition "/.test(n);
}

export function artAt(ctx: EngineContext): ScoreResult {
  const thresholds = { ART_FAVOURABLE_MAX, ART_UNFAVOURABLE_MIN };
  const t = firstTwo(ctx);
  if (!t)
    return empty(ART_CITATION, thresholds, ['a second TACE session (ART is assessed before the 2nd TACE)']);
  const ast1 = pick(ctx.timeline, 'ast', 'U/L', t.s1.day, PRE_SESSION_LAB_DAYS);
  const ast2 = pick(ctx.timeline, 'ast', 'U/L', t.s2.day, PRE_SESSION_LAB_DAYS);
  const r = art({
    astBefore1st: ast1?.bounds,
    astBefore2nd: ast2?.bounds,
    childPughRise: t.cpRise,
    response: t.response,
  });
  const evidence: EvidenceItem[] = [...t.cp1.result.evidence, ...t.cp2.result.evidence, ...t.resp.evidence];
  if (ast1) evidence.push(measurementEvidence(ast1.m, 'AST before the 1st TACE'));
  if (ast2) evidence.push(measurementEvidence(ast2.m, 'AST before the 2nd TACE'));
  const astCut = `AST rose by more than ${ART_AST_RISE_FRACTION * 100} % before the 2nd TACE`;
  const censoredAst = [ast1, ast2].filter(isCensored);
  const astAnswer = ast1 && ast2 ? astRose(ast1.bounds, ast2.bounds) : undefined;
  const missing = r.unknown.map((u) =>
    u === 'ast'
      ? r.undecided.includes('ast')
        ? censoredAst.map((p) => undecidedMissing('AST', p, astCut, 'ART')).join('; ')
        : `AST within ${PRE_SESSION_LAB_DAYS} days before the 1st and the 2nd TACE`
      : u === 'child-pugh-rise'
        ? 'Child-Pugh points before the 1st and the 2nd TACE (labs, ascites, encephalopathy)'
        : 'mRECIST/EASL response after the 1st TACE',
  );
  return {
    value: r.value,
    range: r.range,
    category:
      r.group === 'unfavourable'
        ? 'ART ≥ 2.5: do not repeat TACE'
        : r.group === 'favourable'
          ? 'ART 0–1.5'
          : null,
    evidence: normalizeEvidence(evidence),
    missing,
    thresholds,
    citation: ART_CITATION,
    notes: [
      ...CP_NOTE,
      ...t.conditionNotes,
      ...(astAnswer === undefined
        ? []
        : censoredAst.map((p) =>
            decidedNote(
              'AST',
              p,
              astAnswer ? astCut : `AST did not rise by more than ${ART_AST_RISE_FRACTION * 100} %`,
              'ART',
            ),
          )),
    ],
  };
}

export function abcrAt(ctx: EngineContext): ScoreResult {
  const thresholds = { ABCR_CONTINUE_MAX, ABCR_STOP_MIN };
  const t = firstTwo(ctx);
  if (!t)
    return empty(ABCR_CITATION, thresholds, ['a second TACE session (ABCR is assessed before the 2nd TACE)']);
  const afp = pick(ctx.timeline, 'afp', 'ng/mL', t.s1.day, PRE_SESSION_LAB_DAYS);
  const r = abcr({
    afpNgMl: afp?.bounds,
    bclc: ctx.inputs.bclcStage,
    childPughRise: t.cpRise,
    objectiveResponse: t.response,
  });
  const evidence: EvidenceItem[] = [...t.cp1.result.evidence, ...t.cp2.result.evidence, ...t.resp.evidence];
  if (afp) evidence.push(measurementEvidence(afp.m, 'AFP before the 1st TACE'));
  const afpCut = `AFP ≥ ${ABCR_AFP_NG_ML} ng/mL`;
  const missing = r.unknown.map((u) =>
    u === 'afp'
      ? r.undecided.includes('afp') && afp
        ? undecidedMissing('AFP', afp, afpCut, 'ABCR')
        : `AFP within ${PRE_SESSION_LAB_DAYS} days before the 1st TACE`
      : u === 'bclc'
        ? 'BCLC stage (clinician input)'
        : u === 'child-pugh-rise'
          ? 'Child-Pugh points before the 1st and the 2nd TACE'
          : 'mRECIST response after the 1st TACE',
  );
  return {
    value: r.value,
    range: r.range,
    category: r.group,
    evidence: normalizeEvidence(evidence),
    missing,
    thresholds,
    citation: ABCR_CITATION,
    notes: [
      ...CP_NOTE,
      ...t.conditionNotes,
      ...(isCensored(afp) && !r.unknown.includes('afp')
        ? [
            decidedNote(
              'AFP',
              afp,
              isAbove(afp.bounds, ABCR_AFP_NG_ML, true) ? afpCut : `AFP < ${ABCR_AFP_NG_ML} ng/mL`,
              'ABCR',
            ),
          ]
        : []),
    ],
  };
}
