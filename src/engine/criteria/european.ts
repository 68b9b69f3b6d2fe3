/**
 * TACE failure — European definition (Raoul JL et al., Cancer Treat Rev 2011; 2014), per Zhang 2022 Table 1 and
 * Ogasawara 2020 Table 2: progression after two cycles of TACE. With palliative intent stable disease counts as
 * effective; with curative intent stable disease counts as failure. Without the intent the verdict is
 * indeterminate whenever it depends on it.
 */
import { responseClass } from '../findings';
import { readSession } from '../session-readings';
import type { EvidenceItem, Status } from '../result';
import type { TreatmentIntent } from '../inputs';
import { anyOf, NO_SESSION_MISSING, sub, type CriterionDefinition, type EngineContext } from './types';
import { flatOf } from '../arrays';

/** Progression is judged from the second cycle on. */
export const EUROPEAN_MIN_CYCLES = 2;

export const EUROPEAN_CITATION =
  'Raoul JL et al. Cancer Treat Rev 2011;37:212–220 and 2014 update; Zhang 2022 Table 1; Ogasawara 2020 Table 2';

/**
 * The intent in force: the clinician's input wins; otherwise the intent coded on the most recent counted session
 * (mCODE procedure-intent extension), with that Procedure as evidence.
 */
function intentInForce(ctx: EngineContext): {
  intent: TreatmentIntent | undefined;
  evidence: EvidenceItem[];
  label: string;
} {
  if (ctx.inputs.intent)
    return { intent: ctx.inputs.intent, evidence: [], label: `${ctx.inputs.intent} (clinician)` };
  for (let i = ctx.sessions.length - 1; i >= 0; i -= 1) {
    const s = ctx.sessions[i];
    const coded = s?.session.intent;
    if (s && coded) {
      const item: EvidenceItem = {
        ref: s.ref,
        date: s.day,
        label: 'treatment intent coded on the procedure',
        value: coded,
        origin: 'structured',
      };
      return { intent: coded, evidence: [item], label: `${coded} (coded)` };
    }
  }
  return { intent: undefined, evidence: [], label: 'unknown' };
}

export function evaluateEuropean(ctx: EngineContext) {
  const inForce = intentInForce(ctx);
  const intent = inForce.intent;
  const thresholds = { EUROPEAN_MIN_CYCLES, intent: inForce.label };
  const title = 'Progression (or, with curative intent, stable disease) after ≥ 2 TACE cycles';
  if (ctx.sessions.length === 0) {
    return anyOf([
      sub(
        'progression-after-two',
        title,
        { status: 'indeterminate', evidence: [], missing: [NO_SESSION_MISSING] },
        thresholds,
      ),
    ]);
  }
  if (ctx.sessions.length < EUROPEAN_MIN_CYCLES) {
    return anyOf([
      sub(
        'progression-after-two',
        title,
        { status: 'not-met', evidence: [], missing: [], notes: ['fewer than two TACE cycles'] },
        thresholds,
      ),
    ]);
  }
  const later = ctx.sessions.slice(EUROPEAN_MIN_CYCLES - 1);
  const classes = later.map((s) =>
    readSession(
      s,
      (a) => {
        const r = responseClass(a);
        return {
          state: r.cls === 'unknown' ? 'unknown' : 'positive',
          evidence: r.evidence,
          notes: r.notes,
        };
      },
      'mRECIST/EASL response',
      {
        // PD, SD and OR are different answers here: reports that give different classes disagree.
        agreeKey: (a) => responseClass(a).cls,
        keyWords: { PD: 'progressive disease', SD: 'stable disease', OR: 'objective response (CR/PR)' },
      },
    ),
  );
  // The class the session's (agreeing) reports gave; unknown when none decides or when they disagree.
  const clsOf = (c: (typeof classes)[number]): string =>
    c.assessment ? responseClass(c.assessment).cls : 'unknown';
  const evidence: EvidenceItem[] = [];
  const missing: string[] = [];
  let status: Status = 'not-met';
  const notes: string[] = [];
  const pd = classes.filter((c) => clsOf(c) === 'PD');
  if (pd.length > 0) {
    return anyOf([
      sub(
        'progression-after-two',
        title,
        {
          status: 'met',
          evidence: flatOf(pd, (c) => c.evidence),
          missing: [],
          notes: ['progressive disease'],
        },
        thresholds,
      ),
    ]);
  }
  for (const c of classes) {
    const cls = clsOf(c);
    if (cls === 'SD') {
      if (intent === 'curative') {
        return anyOf([
          sub(
            'progression-after-two',
            title,
            {
              status: 'met',
              evidence: [...c.evidence, ...inForce.evidence],
              missing: [],
              notes: ['stable disease counts as failure with curative intent'],
            },
            thresholds,
          ),
        ]);
      }
      if (intent === undefined) {
        status = 'indeterminate';
        evidence.push(...c.evidence);
        missing.push(
          'treatment intent (curative or palliative): stable disease is failure only with curative intent',
        );
      } else {
        notes.push('stable disease counts as effective with palliative intent');
        evidence.push(...inForce.evidence);
      }
    } else if (cls === 'unknown') {
      status = 'indeterminate';
      evidence.push(...c.evidence);
      missing.push(...c.missing);
    }
  }
  if (status === 'not-met') evidence.push(...flatOf(classes, (c) => c.evidence));
  return anyOf([sub('progression-after-two', title, { status, evidence, missing, notes }, thresholds)]);
}

export const european: CriterionDefinition = {
  id: 'european',
  version: '2011/2014',
  title: 'TACE failure — European (Raoul)',
  citation: EUROPEAN_CITATION,
  thresholds: { EUROPEAN_MIN_CYCLES },
  evaluate: (ctx: EngineContext) => evaluateEuropean(ctx),
};
