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
