/**
 * Cited options after TACE failure, each tied to the finding of this patient that triggered it
 * (clinical-reference.md §6; Zhang 2022, Kudo 2025, Hien 2024, Fu 2024, Ogasawara 2020).
 * Wording is "options discussed in the literature include …": considerations, never orders.
 */
import type { Consideration, CriterionResult, LiverTrajectoryEntry, PriorTaceBurden, Scores } from './result';

export const REFRACTORY_CRITERIA = ['jsh-lcsgj-2014', 'jsh-2010', 'epoihcc', 'european'] as const;
/** Ablation/brachytherapy considered for residual nodules ≤ 5 cm (Chen 2020 MWA, via Zhang 2022). */
export const SMALL_RESIDUAL_MAX_CM = 5;

export function considerations(
  criteria: readonly CriterionResult[],
  scores: Scores,
  burden: PriorTaceBurden,
  largestCm: number | null,
  trajectory: readonly LiverTrajectoryEntry[] = [],
): Consideration[] {
  const out: Consideration[] = [];
  const unsuitable = criteria.find((c) => c.id === 'tace-unsuitability' && c.status === 'met');
  if (unsuitable) {
    out.push({
      id: 'systemic-for-unsuitable',
      title: 'Systemic therapy, alone or combined with TACE, when TACE-unsuitable',
      text: 'Options discussed in the literature include starting systemic therapy (or combining it with locoregional therapy) for intermediate-stage HCC judged unsuitable for TACE (beyond up-to-seven, mALBI 2b or TACE-resistant gross types).',
      triggers: unsuitable.subcriteria
        .filter((s) => s.status === 'met')
        .map((s) => `tace-unsuitability/${s.id}`)
        .sort(),
      citation: 'Kudo 2025 Interv Radiol 10:e2023-0035; JSH 2021 Table 10; Fu 2024 Hepatoma Res 10:42',
    });
  }
  const declined = trajectory.filter((t) => t.deteriorated === true);
  if (declined.length > 0) {
    out.push({
      id: 'liver-function-before-tace',
      title: 'Liver function before each TACE',
      text: 'Options discussed in the literature include checking liver function before each TACE ("stop and think before each TACE"): 20–25 % of patients are Child-Pugh B/C by the time they are judged refractory, and objective response falls with each repeated TACE.',
      triggers: declined.map((t) => `liver function declined after the session of ${t.sessionDate}`).sort(),
      citation: 'Ogasawara 2020 Clin Mol Hepatol 26:155–162',
    });
  }
  const met = criteria.filter(
    (c) => (REFRACTORY_CRITERIA as readonly string[]).includes(c.id) && c.status === 'met',
  );
  const triggers = met
    .flatMap((c) => [c.id, ...c.subcriteria.filter((s) => s.status === 'met').map((s) => `${c.id}/${s.id}`)])
    .sort();
  const subMet = (id: string) =>
    met.some((c) => c.subcriteria.some((s) => s.id === id && s.status === 'met'));
  if (met.length > 0) {
    out.push({
      id: 'switch-to-systemic',
      title: 'Switch to systemic therapy',
      text: 'Options discussed in the literature include switching to a molecular targeted agent or atezolizumab + bevacizumab when TACE-refractory (two Japanese studies: OS 25.4 vs 11.5 and 24.7 vs 13.6 months versus continued TACE), and lenvatinib for heavy tumour burden (Shimose 2020).',
      triggers,
      citation:
        'Zhang 2022 J Clin Transl Hepatol 10:740–747 (Table 2); Ogasawara 2020 Clin Mol Hepatol 26:155–162; Kudo 2025',
    });
    out.push({
      id: 'tace-plus-systemic',
      title: 'TACE combined with systemic therapy',
      text: 'Options discussed in the literature include TACE combined with systemic therapy (e.g. LAUNCH lenvatinib + TACE OS 17.8 vs 11.5 months; EMERALD-1 PFS 15 vs 8.2 months).',
      triggers,
      citation: 'Fu 2024 Hepatoma Res 10:42 (Table 1); Kudo 2025',
    });
    out.push({
      id: 'tare',
      title: 'Transarterial radioembolization (TARE)',
      text: 'Options discussed in the literature include radioembolization (TARE/Y-90) as a subsequent locoregional treatment after TACE failure.',
      triggers,
      citation: 'Zhang 2022 J Clin Transl Hepatol 10:740–747 (subsequent treatment after TACE failure)',
    });
    const preserved = scores.childPugh.category === 'Child-Pugh A' || scores.albi.grade === 1;
    if (subMet('vascular-invasion') || (preserved && !burden.overFourSessions)) {
      const t = [...triggers];
      if (preserved)
        t.push(`liver function preserved (${scores.albi.category ?? scores.childPugh.category ?? ''})`);
      if (!burden.overFourSessions) t.push(`${burden.count} prior TACE session(s) (≤ 4)`);
      out.push({
        id: 'haic',
        title: 'Hepatic arterial infusion chemotherapy (HAIC)',
        text: 'Options discussed in the literature include HAIC, especially with preserved liver function and ≤ 4 prior TACE sessions (Hien 2024), and with macrovascular invasion, where it matched sorafenib (Kodama 2018).',
        triggers: t.sort(),
        citation: 'Hien 2024 J Gastrointest Oncol 15:721–729; Zhang 2022 (Kodama 2018)',
      });
    }
    if (
      (subMet('insufficient-response') || subMet('no-response')) &&
      largestCm !== null &&
      largestCm <= SMALL_RESIDUAL_MAX_CM
    ) {
      out.push({
        id: 'ablation',
        title: 'Ablation or brachytherapy for small residual nodules',
        text: `Options discussed in the literature include ablation (e.g. microwave ablation, Chen 2020) or brachytherapy for residual nodules ≤ ${SMALL_RESIDUAL_MAX_CM} cm.`,
        triggers: [...triggers, `largest tumour ${largestCm} cm`].sort(),
        citation: 'Zhang 2022 J Clin Transl Hepatol 10:740–747 (Chen 2020)',
      });
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
