/**
 * Tumour-burden rules (clinical-reference.md §3): up-to-seven (Mazzaferro, Lancet Oncol 2009) — confirmed;
 * up-to-11 (Kim et al.) and six-and-twelve (Wang et al.) — secondary; tumour burden score √(d² + n²) (Sasaki).
 */
import { SCORE_EPSILON } from './albi';

export const UP_TO_SEVEN_CITATION = 'Mazzaferro V et al. Lancet Oncol 2009;10:35–43 (up-to-seven); Kudo 2025';
export const UP_TO_ELEVEN_CITATION = 'Up-to-11 criterion (sum ≤ 11), clinical-reference §3 — secondary';

/** Largest diameter (cm) + number of tumours ≤ 7 = within up-to-seven. */
export const UP_TO_SEVEN_MAX = 7;
/** Same sum ≤ 11 = within up-to-11. */
export const UP_TO_ELEVEN_MAX = 11;
export const SIX_AND_TWELVE_LOW = 6;
export const SIX_AND_TWELVE_HIGH = 12;

export interface TumorBurdenInput {
  largestDiameterCm: number;
  tumorCount: number;
}

export function burdenSum(input: TumorBurdenInput): number {
  return Math.round((input.largestDiameterCm + input.tumorCount) * 1e6) / 1e6;
}

export function withinUpToSeven(input: TumorBurdenInput): boolean {
  return burdenSum(input) <= UP_TO_SEVEN_MAX + SCORE_EPSILON;
}

export function withinUpToEleven(input: TumorBurdenInput): boolean {
  return burdenSum(input) <= UP_TO_ELEVEN_MAX + SCORE_EPSILON;
}

export function sixAndTwelveGroup(input: TumorBurdenInput): 'low' | 'intermediate' | 'high' {
  const s = burdenSum(input);
  if (s <= SIX_AND_TWELVE_LOW + SCORE_EPSILON) return 'low';
  if (s <= SIX_AND_TWELVE_HIGH + SCORE_EPSILON) return 'intermediate';
  return 'high';
}

export function tumorBurdenScore(input: TumorBurdenInput): number {
  return Math.sqrt(input.largestDiameterCm ** 2 + input.tumorCount ** 2);
}
