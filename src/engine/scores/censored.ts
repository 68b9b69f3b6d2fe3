/**
 * Words for censored lab results in scores (bounds.ts): a score either uses the reported bound — and says so in
 * its notes — or names, in `missing`, the exact value it needs and why the bound does not decide.
 */
import { reportedAs, type Picked } from '../labs';

/** True when the picked result is censored (">2000", "<0.2"). */
export function isCensored(p: Picked | null | undefined): p is Picked {
  return p !== null && p !== undefined && p.value === null;
}

/**
 * Note for a censored input that decided its cut-off, e.g. "AFP reported as >2000 ng/mL: AFP > 400 ng/mL whatever
 * its exact value (HAP)".
 */
export function decidedNote(label: string, p: Picked, cutoff: string, score: string): string {
  return `${label} reported as ${reportedAs(p.m)}: ${cutoff} whatever its exact value (${score})`;
}

/**
 * `missing` entry for a censored input that cannot decide its cut-off, e.g. "an exact AFP: reported as <500 ng/mL,
 * which cannot tell whether AFP > 400 ng/mL (HAP)".
 */
export function undecidedMissing(label: string, p: Picked, cutoff: string, score: string): string {
  return `an exact ${label} value: reported as ${reportedAs(p.m)}, which cannot tell whether ${cutoff} (${score})`;
}
