/**
 * ALBI score (Johnson et al., J Clin Oncol 2015;33:550–558) and modified ALBI grade
 * (Hiraoka et al., Liver Cancer 2017;6:325–336). clinical-reference.md §3.
 */

import type { Bounds } from '../bounds';

export const ALBI_CITATION =
  'Johnson PJ et al. J Clin Oncol 2015;33:550–558 (ALBI); Hiraoka A et al. Liver Cancer 2017;6:325–336 (mALBI)';

/** Coefficient of log10(bilirubin µmol/L). Johnson 2015 — confirmed. */
export const ALBI_BILIRUBIN_COEFFICIENT = 0.66;
/** Coefficient of albumin g/L. Johnson 2015 — confirmed. */
export const ALBI_ALBUMIN_COEFFICIENT = -0.085;
/** Grade 1 when ALBI ≤ −2.60. Johnson 2015 — confirmed. */
export const ALBI_GRADE1_MAX = -2.6;
/** Grade 2 when −2.60 < ALBI ≤ −1.39; grade 3 above. Johnson 2015 — confirmed. */
export const ALBI_GRADE2_MAX = -1.39;
/** mALBI 2a when ALBI ≤ −2.270, 2b above (within grade 2). Hiraoka 2017 — verify. */
export const MALBI_2A_MAX = -2.27;
/** Paired bilirubin and albumin must be drawn within this many days of each other (clinical-reference §3). */
export const ALBI_PAIRING_DAYS = 7;

/** Tolerance for comparing a computed score with a published cut-off (floating-point noise only). */
export const SCORE_EPSILON = 1e-9;

export type AlbiGrade = 1 | 2 | 3;
export type MAlbiGrade = '1' | '2a' | '2b' | '3';

/** ALBI from bilirubin (µmol/L) and albumin (g/L); null when an input is not a positive finite number. */
export function albiValue(bilirubinUmolL: number, albuminGL: number): number | null {
  if (
    !Number.isFinite(bilirubinUmolL) ||
    !Number.isFinite(albuminGL) ||
    bilirubinUmolL <= 0 ||
    albuminGL <= 0
  ) {
    return null;
  }
  return ALBI_BILIRUBIN_COEFFICIENT * Math.log10(bilirubinUmolL) + ALBI_ALBUMIN_COEFFICIENT * albuminGL;
}

/**
 * ALBI over intervals of bilirubin (µmol/L) and albumin (g/L), for censored results (bounds.ts): ALBI rises with
 * bilirubin and falls with albumin, so the lowest value pairs the lowest bilirubin with the highest albumin and the
 * highest the reverse. Null when an end is not a positive finite number. Open ends only narrow the set, so a grade
 * taken from both ends (albiGrade(min) === albiGrade(max)) holds for every value in between.
 */
export function albiRange(
  bilirubinUmolL: Bounds,
  albuminGL: Bounds,
): { readonly min: number; readonly max: number } | null {
  const min = albiValue(bilirubinUmolL.lo, albuminGL.hi);
  const max = albiValue(bilirubinUmolL.hi, albuminGL.lo);
  return min === null || max === null ? null : { min, max };
}

export function albiGrade(value: number): AlbiGrade {
  if (value <= ALBI_GRADE1_MAX + SCORE_EPSILON) return 1;
  if (value <= ALBI_GRADE2_MAX + SCORE_EPSILON) return 2;
  return 3;
}

export function mAlbiGrade(value: number): MAlbiGrade {
  const grade = albiGrade(value);
  if (grade === 1) return '1';
  if (grade === 3) return '3';
  return value <= MALBI_2A_MAX + SCORE_EPSILON ? '2a' : '2b';
}

export const ALBI_THRESHOLDS = {
  ALBI_BILIRUBIN_COEFFICIENT,
  ALBI_ALBUMIN_COEFFICIENT,
  ALBI_GRADE1_MAX,
  ALBI_GRADE2_MAX,
  MALBI_2A_MAX,
  ALBI_PAIRING_DAYS,
} as const;
