import type { CriterionResult } from '../../engine/result';

/** Short names for the verdict strip; the criteria detail shows the full title. */
const SHORT: Record<string, string> = {
  'jsh-lcsgj-2014': 'JSH-LCSGJ 2014/2021',
  'jsh-2010': 'JSH 2010',
  epoihcc: 'EPOIHCC',
  european: 'European (Raoul)',
  'tace-unsuitability': 'TACE unsuitability',
  'clinical-cr': 'Clinical CR',
  'drug-off': 'Drug-off',
};

export function shortName(c: Pick<CriterionResult, 'id' | 'title'>): string {
  return SHORT[c.id] ?? c.title;
}

/** One line saying why: the first met sub-criterion, else the first missing item, else what was seen. */
export function keyReason(c: CriterionResult): string {
  if (c.status === 'met') {
    const sub = c.subcriteria.find((s) => s.status === 'met');
    if (sub) return sub.title;
    const ev = c.evidence[0];
    return ev ? ev.label : 'criteria met';
  }
  if (c.status === 'indeterminate') {
    const missing =
      c.missing[0] ??
      c.subcriteria.find((s) => s.status === 'indeterminate' && s.missing.length > 0)?.missing[0];
    return missing ? `Missing: ${missing}` : 'Not enough data to decide';
  }
  const undecided = c.subcriteria.filter((s) => s.status === 'indeterminate').length;
  return undecided > 0
    ? `No sub-criterion met; ${undecided} undecided`
    : c.subcriteria.length > 0
      ? 'No sub-criterion met'
      : 'Not met';
}
