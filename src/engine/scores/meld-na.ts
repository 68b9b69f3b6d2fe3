/**
 * MELD-Na as implemented by OPTN in January 2016 (OPTN/UNOS policy 9; Kim WR et al., N Engl J Med 2008).
 * clinical-reference.md §3 — confirmed:
 *   MELD(i) = 0.957·ln(Cr) + 0.378·ln(bili) + 1.120·ln(INR) + 0.643; values < 1 set to 1; Cr capped at 4
 *   (dialysis → 4); round to the tenth and × 10. If MELD(i) > 11:
 *   MELD = MELD(i) + 1.32·(137 − Na) − 0.033·MELD(i)·(137 − Na), Na clamped to 125–137.
 */

import type { Bounds } from '../bounds';

export const MELD_NA_CITATION =
  'OPTN policy (MELD-Na, January 2016); Kim WR et al. N Engl J Med 2008;359:1018–1026';

export const MELD_CR_COEFFICIENT = 0.957;
export const MELD_BILI_COEFFICIENT = 0.378;
export const MELD_INR_COEFFICIENT = 1.12;
export const MELD_CONSTANT = 0.643;
/** Laboratory values below 1.0 are set to 1.0. */
export const MELD_LAB_FLOOR = 1;
/** Creatinine capped at 4.0 mg/dL; dialysis (≥ 2 times in the prior week) → 4.0. */
export const MELD_CREATININE_CAP_MG_DL = 4;
/** The sodium term applies only when MELD(i) > 11. */
export const MELD_NA_APPLIES_ABOVE = 11;
export const MELD_NA_MIN = 125;
export const MELD_NA_MAX = 137;
export const MELD_NA_COEFFICIENT = 1.32;
export const MELD_NA_INTERACTION = 0.033;
/** OPTN caps the allocation score at 40 (policy 9.1; not in clinical-reference — verify). */
export const MELD_MAX_SCORE = 40;

export interface MeldNaInput {
  creatinineMgDl: number;
  bilirubinMgDl: number;
  inr: number;
  sodiumMmolL: number;
  dialysis?: boolean | undefined;
}

export interface MeldNaOutput {
  meldI: number;
  meldNa: number;
}

export function meldNa(input: MeldNaInput): MeldNaOutput | null {
  const { creatinineMgDl, bilirubinMgDl, inr, sodiumMmolL } = input;
  if (![creatinineMgDl, bilirubinMgDl, inr, sodiumMmolL].every((v) => Number.isFinite(v) && v > 0))
    return null;
  const cr = input.dialysis
    ? MELD_CREATININE_CAP_MG_DL
    : Math.min(Math.max(creatinineMgDl, MELD_LAB_FLOOR), MELD_CREATININE_CAP_MG_DL);
  const bili = Math.max(bilirubinMgDl, MELD_LAB_FLOOR);
  const i = Math.max(inr, MELD_LAB_FLOOR);
  const raw =
    MELD_CR_COEFFICIENT * Math.log(cr) +
    MELD_BILI_COEFFICIENT * Math.log(bili) +
    MELD_INR_COEFFICIENT * Math.log(i) +
    MELD_CONSTANT;
  // "round to the tenth decimal place and multiply by 10"
  const meldI = Math.round(raw * 10);
  if (meldI <= MELD_NA_APPLIES_ABOVE) return { meldI, meldNa: Math.min(meldI, MELD_MAX_SCORE) };
  const na = Math.min(Math.max(sodiumMmolL, MELD_NA_MIN), MELD_NA_MAX);
  const d = MELD_NA_MAX - na;
  const score = meldI + MELD_NA_COEFFICIENT * d - MELD_NA_INTERACTION * meldI * d;
  return { meldI, meldNa: Math.min(Math.round(score), MELD_MAX_SCORE) };
}

export interface MeldNaBoundsInput {
  creatinineMgDl: Bounds;
  bilirubinMgDl: Bounds;
  inr: Bounds;
  sodiumMmolL: Bounds;
  dialysis?: boolean | undefined;
}

/**
 * MELD-Na over intervals of inputs (censored results, bounds.ts): the lowest and highest score the intervals
 * allow. MELD-Na is monotone in each input separately (non-decreasing in creatinine, bilirubin and INR through
 * MELD(i); non-increasing in sodium while MELD(i) < 40, and capped at 40 above), so the extremes lie at the corners
 * of the box: all 16 are computed. Null when any corner has no score (an input not positive and finite).
 */
export function meldNaRange(input: MeldNaBoundsInput): { min: MeldNaOutput; max: MeldNaOutput } | null {
  const ends = (b: Bounds): number[] => (b.lo === b.hi ? [b.lo] : [b.lo, b.hi]);
  let min: MeldNaOutput | null = null;
  let max: MeldNaOutput | null = null;
  for (const cr of ends(input.creatinineMgDl))
    for (const bili of ends(input.bilirubinMgDl))
      for (const inr of ends(input.inr))
        for (const na of ends(input.sodiumMmolL)) {
          const r = meldNa({
            creatinineMgDl: cr,
            bilirubinMgDl: bili,
            inr,
            sodiumMmolL: na,
            dialysis: input.dialysis,
          });
          if (!r) return null;
          if (!min || r.meldNa < min.meldNa) min = r;
          if (!max || r.meldNa > max.meldNa) max = r;
        }
  return min && max ? { min, max } : null;
}

export const MELD_NA_THRESHOLDS = {
  MELD_LAB_FLOOR,
  MELD_CREATININE_CAP_MG_DL,
  MELD_NA_APPLIES_ABOVE,
  MELD_NA_MIN,
  MELD_NA_MAX,
  MELD_MAX_SCORE,
} as const;
