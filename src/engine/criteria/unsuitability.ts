/**
 * TACE unsuitability (JSH 2021 Table 10; Kudo 2025 Interv Radiol 10:e2023-0035; Asia-Pacific Primary Liver Cancer
 * Expert meeting) — clinical-reference.md §1. Any condition qualifies: beyond up-to-seven; mALBI grade 2b;
 * a TACE-resistant gross type (confluent multinodular, massive, infiltrative, simple nodular with extranodular
 * growth, poorly differentiated, multiple disseminated nodules, sarcomatous change) when reported.
 */
import type { GrossType } from '../inputs';
import { MALBI_2A_MAX } from '../scores/albi';
import { UP_TO_SEVEN_MAX } from '../scores/tumor-burden';
import { upToScore } from '../scores/from-timeline';
import { derivedEvidence } from '../evidence';
import { anyOf, sub, type CriterionDefinition, type EngineContext } from './types';

export const UNSUITABILITY_CITATION =
  'JSH 2021 consensus Table 10 (Kudo M et al. Liver Cancer 2021;10:181–223); Kudo 2025 Interv Radiol 10:e2023-0035';

export const TACE_RESISTANT_GROSS_TYPES: readonly GrossType[] = [
  'confluent-multinodular',
  'massive',
  'infiltrative',
  'simple-nodular-extranodular-growth',
  'poorly-differentiated',
  'multiple-disseminated',
  'sarcomatous-change',
];

export function evaluateUnsuitability(ctx: EngineContext) {
  const u7 = upToScore(ctx.imaging, 7);
  const beyond = sub(
    'beyond-up-to-seven',
    'Beyond up-to-seven (likely to become refractory / to deteriorate to Child-Pugh B)',
    u7.category === null
      ? { status: 'indeterminate', evidence: u7.evidence, missing: u7.missing }
      : {
          status: u7.category?.startsWith('beyond') ? 'met' : 'not-met',
          evidence: u7.evidence,
          missing: [],
          notes: u7.notes ?? [],
        },
    { UP_TO_SEVEN_MAX },
  );
  const albi = ctx.albi;
  const malbi = sub(
    'malbi-2b',
    'mALBI grade 2b (likely to deteriorate to Child-Pugh B after TACE)',
    albi.mGrade === null
      ? { status: 'indeterminate', evidence: albi.evidence, missing: albi.missing }
      : {
          status: albi.mGrade === '2b' || albi.mGrade === '3' ? 'met' : 'not-met',
          evidence: albi.evidence,
          missing: [],
          notes: [
            `ALBI ${albi.value ?? `${albi.range?.min} to ${albi.range?.max} (censored input)`} → mALBI ${albi.mGrade}${albi.mGrade === '3' ? ' (grade 3 is beyond 2b)' : ''}`,
          ],
        },
    { MALBI_2A_MAX },
  );
  const gt = ctx.inputs.grossType;
  const gross = sub(
    'resistant-gross-type',
    'TACE-resistant gross type (unlikely to respond)',
    gt === undefined
      ? { status: 'indeterminate', evidence: [], missing: ['gross type of the tumour (clinician input)'] }
      : {
          status: TACE_RESISTANT_GROSS_TYPES.includes(gt) ? 'met' : 'not-met',
          evidence: [
            derivedEvidence('clinician-input/gross-type', ctx.asOf, 'gross type (clinician)', gt),
          ].map((e) => ({ ...e, origin: 'clinician' as const })),
          missing: [],
        },
  );
  return anyOf([beyond, malbi, gross]);
}

export const taceUnsuitability: CriterionDefinition = {
  id: 'tace-unsuitability',
  version: '2021',
  title: 'TACE unsuitability (JSH 2021 / Kudo 2025)',
  citation: UNSUITABILITY_CITATION,
  thresholds: { UP_TO_SEVEN_MAX, MALBI_2A_MAX },
  evaluate: (ctx: EngineContext) => evaluateUnsuitability(ctx),
};
