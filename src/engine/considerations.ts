/**
 * Cited options after TACE failure, each tied to the finding of this patient that triggered it
 * (clinical-reference.md §6; Zhang 2022, Kudo 2025, Hien 2024, Fu 2024, Ogasawara 2020).
 * Wording is "options discussed in the literature include …": considerations, never orders.
 */
import type { Timeline } from '../domain/timeline';
import type { SystemicAgent } from '../domain/treatments';
import type {
  Consideration,
  CurrentTherapyEntry,
  CriterionResult,
  LiverTrajectoryEntry,
  LiverWarning,
  PriorTaceBurden,
  Scores,
} from './result';
import { dayNumber, isoDay, isValidDay } from './dates';
import { refOf } from './evidence';
import { regimenLabel, systemicAgentLabel } from '../domain/display-labels';
import { flatOf } from './arrays';

/** A systemic agent the patient is on at the assessment date. */
export interface CurrentTherapy {
  agent: SystemicAgent;
  /** YYYY-MM-DD */
  start: string;
  ref: string;
  status: string;
}

/**
 * Systemic therapy running at `asOf`: started on or before it and not ended before it. Active, on-hold and unknown
 * statuses count (an agent that may be running is never offered as a start); draft orders do not; completed or
 * stopped orders count only while their end date is on or after `asOf`.
 */
export function currentSystemicTherapy(timeline: Timeline, asOf: string): CurrentTherapy[] {
  const asOfNum = dayNumber(asOf);
  return timeline.therapies
    .filter((t) => {
      if (t.start === undefined || !isValidDay(t.start) || dayNumber(t.start) > asOfNum) return false;
      const ended = t.end !== undefined && isValidDay(t.end) ? dayNumber(t.end) : null;
      if (ended !== null && ended < asOfNum) return false;
      if (t.status === 'active' || t.status === 'on-hold' || t.status === 'unknown') return true;
      return (t.status === 'completed' || t.status === 'stopped') && ended !== null;
    })
    .map((t) => ({
      agent: t.agent,
      start: isoDay(t.start as string),
      ref: refOf(t.source),
      status: t.status,
    }))
    .sort((a, b) => (a.start + a.ref < b.start + b.ref ? -1 : a.start + a.ref > b.start + b.ref ? 1 : 0));
}

/** Agents given as one regimen, named together ("atezolizumab + bevacizumab"). */
const REGIMENS: readonly (readonly SystemicAgent[])[] = [
  ['atezolizumab', 'bevacizumab'],
  ['durvalumab', 'tremelimumab'],
];
/** Molecular targeted agents (tyrosine-kinase inhibitors). */
export const MOLECULAR_TARGETED: readonly SystemicAgent[] = [
  'sorafenib',
  'lenvatinib',
  'regorafenib',
  'cabozantinib',
];
/** First-line agents/regimens (clinical-reference §6 names lenvatinib and atezolizumab + bevacizumab). */
/** Immune checkpoint inhibitors and the antibodies given with them. */
const IMMUNE: readonly SystemicAgent[] = [
  'atezolizumab',
  'bevacizumab',
  'durvalumab',
  'tremelimumab',
  'nivolumab',
  'pembrolizumab',
];
const FIRST_LINE: readonly SystemicAgent[] = [
  'sorafenib',
  'lenvatinib',
  'atezolizumab',
  'bevacizumab',
  'durvalumab',
  'tremelimumab',
];

/**
 * The result's `currentTherapy`: each running agent in words, with the regimen it is given in (both agents of a
 * known regimen running → "atezolizumab + bevacizumab"), in start order.
 */
export function currentTherapyEntries(current: readonly CurrentTherapy[]): CurrentTherapyEntry[] {
  const agents = new Set(current.map((c) => c.agent));
  return current.map((c) => {
    const r = REGIMENS.find((x) => x.includes(c.agent) && x.every((a) => agents.has(a)));
    return {
      agent: c.agent,
      label: systemicAgentLabel(c.agent),
      regimen: regimenLabel(r ?? [c.agent]),
      since: c.start,
      ref: c.ref,
      status: c.status,
    };
  });
}

/** "lenvatinib since 2026-06-24", "atezolizumab + bevacizumab since 2025-12-26 (on hold)". */
export function regimenWords(current: readonly CurrentTherapy[]): string {
  const agents = new Set(current.map((c) => c.agent));
  const used = new Set<SystemicAgent>();
  const parts: string[] = [];
  for (const r of REGIMENS) {
    if (r.every((a) => agents.has(a))) {
      const starts = current
        .filter((c) => r.includes(c.agent))
        .map((c) => c.start)
        .sort();
      parts.push(`${r.join(' + ')} since ${starts[0]}`);
      r.forEach((a) => used.add(a));
    }
  }
  for (const c of current) {
    if (used.has(c.agent)) continue;
    used.add(c.agent);
    parts.push(`${c.agent} since ${c.start}${c.status === 'active' ? '' : ` (${c.status})`}`);
  }
  return parts.join(', ');
}

function regimenName(current: readonly CurrentTherapy[]): string {
  return regimenWords(current).replace(/ since \d{4}-\d{2}-\d{2}( \([^)]*\))?/g, '');
}

/**
 * What is discussed after progression on systemic therapy, never naming an agent the patient is on. Not in
 * clinical-reference §6 (RESORCE, CELESTIAL and REACH-2 were run after sorafenib): marked "verify".
 */
function afterProgressionOptions(current: readonly CurrentTherapy[]): string {
  const on = new Set(current.map((c) => c.agent));
  const onImmuno = current.some((c) => IMMUNE.includes(c.agent));
  const candidates: string[] = [];
  if (onImmuno) {
    const mta = (['lenvatinib', 'sorafenib'] as SystemicAgent[]).filter((a) => !on.has(a));
    if (mta.length > 0) candidates.push(`a molecular targeted agent (${mta.join(' or ')})`);
  }
  const second: [SystemicAgent, string][] = [
    ['regorafenib', 'regorafenib (RESORCE, after sorafenib)'],
    ['cabozantinib', 'cabozantinib (CELESTIAL)'],
    ['ramucirumab', 'ramucirumab when AFP ≥ 400 ng/mL (REACH-2)'],
  ];
  candidates.push(...second.filter(([a]) => !on.has(a)).map(([, w]) => w));
  if (!onImmuno) candidates.push('an immune checkpoint inhibitor combination');
  return candidates.join(', ');
}
export const AFTER_PROGRESSION_CITATION =
  'verify: not in clinical-reference §6 (second-line trials RESORCE, CELESTIAL, REACH-2 were after sorafenib)';

export const REFRACTORY_CRITERIA = ['jsh-lcsgj-2014', 'jsh-2010', 'epoihcc', 'european'] as const;
/** Ablation/brachytherapy considered for residual nodules ≤ 5 cm (Chen 2020 MWA, via Zhang 2022). */
export const SMALL_RESIDUAL_MAX_CM = 5;

export function considerations(
  criteria: readonly CriterionResult[],
  scores: Scores,
  burden: PriorTaceBurden,
  largestCm: number | null,
  trajectory: readonly LiverTrajectoryEntry[] = [],
  current: readonly CurrentTherapy[] = [],
  warnings: readonly LiverWarning[] = [],
): Consideration[] {
  const out: Consideration[] = [];
  const onTherapy = current.length > 0;
  const onWords = regimenWords(current);
  const onTriggers = current.map((c) => `on ${c.agent} since ${c.start} (${c.ref})`);
  const unsuitable = criteria.find((c) => c.id === 'tace-unsuitability' && c.status === 'met');
  if (unsuitable) {
    const unsuitableTriggers = unsuitable.subcriteria
      .filter((s) => s.status === 'met')
      .map((s) => `tace-unsuitability/${s.id}`);
    out.push({
      id: 'systemic-for-unsuitable',
      title: onTherapy
        ? 'Locoregional therapy combined with the ongoing systemic therapy, when TACE-unsuitable'
        : 'Systemic therapy, alone or combined with TACE, when TACE-unsuitable',
      text: onTherapy
        ? `Already on ${onWords}, so starting systemic therapy is not listed. Options discussed in the literature include combining systemic therapy with locoregional therapy for intermediate-stage HCC judged unsuitable for TACE (beyond up-to-seven, mALBI 2b or TACE-resistant gross types).`
        : 'Options discussed in the literature include starting systemic therapy (or combining it with locoregional therapy) for intermediate-stage HCC judged unsuitable for TACE (beyond up-to-seven, mALBI 2b or TACE-resistant gross types).',
      triggers: [...unsuitableTriggers, ...onTriggers].sort(),
      citation: 'Kudo 2025 Interv Radiol 10:e2023-0035; JSH 2021 Table 10; Fu 2024 Hepatoma Res 10:42',
    });
  }
  const declined = trajectory.filter((t) => t.deteriorated === true);
  if (declined.length > 0 || warnings.length > 0) {
    out.push({
      id: 'liver-function-before-tace',
      title: 'Liver function before each TACE',
      text: 'Options discussed in the literature include checking liver function before each TACE ("stop and think before each TACE"): 20–25 % of patients are Child-Pugh B/C by the time they are judged refractory, and objective response falls with each repeated TACE.',
      triggers: [
        ...declined.map((t) => `liver function declined after the session of ${t.sessionDate}`),
        ...warnings.map((w) => `liver warning ${w.id} (${w.sessionDates.join(', ')})`),
      ].sort(),
      citation: 'Ogasawara 2020 Clin Mol Hepatol 26:155–162',
      keyFigure:
        'Ogasawara 2020: 20–25 % Child-Pugh B/C by the time refractory; objective response 40 %, 26 %, 24 %, 25 % over repeated TACE (OPTIMIS)',
    });
  }
  const met = criteria.filter(
    (c) => (REFRACTORY_CRITERIA as readonly string[]).includes(c.id) && c.status === 'met',
  );
  const triggers = flatOf(met, (c) => [
    c.id,
    ...c.subcriteria.filter((s) => s.status === 'met').map((s) => `${c.id}/${s.id}`),
  ]).sort();
  const subMet = (id: string) =>
    met.some((c) => c.subcriteria.some((s) => s.id === id && s.status === 'met'));
  if (met.length > 0) {
    if (!onTherapy) {
      out.push({
        id: 'switch-to-systemic',
        title: 'Switching to systemic therapy',
        text: 'Options discussed in the literature include switching to a molecular targeted agent or atezolizumab + bevacizumab when TACE-refractory (two Japanese studies: OS 25.4 vs 11.5 and 24.7 vs 13.6 months versus continued TACE), and lenvatinib for heavy tumour burden (Shimose 2020).',
        triggers,
        citation:
          'Zhang 2022 J Clin Transl Hepatol 10:740–747 (Table 2); Ogasawara 2020 Clin Mol Hepatol 26:155–162; Kudo 2025',
        keyFigure:
          'Two Japanese studies: OS 25.4 vs 11.5 and 24.7 vs 13.6 months versus continued TACE; Shimose 2020 lenvatinib PFS 5.8 vs 3.2 vs 2.8 months',
      });
    } else {
      // The failure's first finding: on or after the start of the running agent = progression on it.
      const onset = flatOf(met, (c) =>
        flatOf(
          c.subcriteria.filter((x) => x.status === 'met'),
          (x) => x.evidence.map((e) => e.date),
        ),
      ).sort()[0];
      const firstStart = current.map((c) => c.start).sort()[0] as string;
      const firstLine = current.every((c) => FIRST_LINE.includes(c.agent));
      const line = firstLine ? 'a first-line agent' : 'systemic therapy';
      const options = afterProgressionOptions(current);
      const onsetTrigger = onset ? [`TACE-failure findings dated from ${onset}`] : [];
      if (onset !== undefined && onset >= firstStart) {
        out.push({
          id: 'progression-on-systemic',
          title: `TACE failure on ${regimenName(current)}`,
          text: `Progression on ${regimenName(current)} since ${onset} (${onWords}): options discussed after progression on ${line} include ${options}.`,
          triggers: [...triggers, ...onTriggers, ...onsetTrigger].sort(),
          citation: AFTER_PROGRESSION_CITATION,
        });
      } else {
        out.push({
          id: 'systemic-started-after-failure',
          title: `${regimenName(current)} started after TACE failure`,
          text: `Already on ${onWords}, started after the TACE-failure findings${onset ? ` of ${onset}` : ''}: switching to systemic therapy is not listed. Should the disease progress on ${regimenName(current)}, options discussed after progression on ${line} include ${options}.`,
          triggers: [...triggers, ...onTriggers, ...onsetTrigger].sort(),
          citation: AFTER_PROGRESSION_CITATION,
        });
      }
    }
    out.push({
      id: 'tace-plus-systemic',
      title: 'TACE combined with systemic therapy',
      text: onTherapy
        ? `Options discussed in the literature include TACE combined with systemic therapy (e.g. LAUNCH lenvatinib + TACE OS 17.8 vs 11.5 months; EMERALD-1 PFS 15 vs 8.2 months); the patient is already on ${onWords}, so this would be TACE alongside it, not a new agent.`
        : 'Options discussed in the literature include TACE combined with systemic therapy (e.g. LAUNCH lenvatinib + TACE OS 17.8 vs 11.5 months; EMERALD-1 PFS 15 vs 8.2 months).',
      triggers: [...triggers, ...onTriggers].sort(),
      citation: 'Fu 2024 Hepatoma Res 10:42 (Table 1); Kudo 2025',
      keyFigure:
        'LAUNCH lenvatinib + TACE OS 17.8 vs 11.5 months; EMERALD-1 PFS 15 vs 8.2 months (Fu 2024 Table 1)',
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
        keyFigure:
          'Hien 2024: > 4 TACE sessions before HAIC → shorter survival (HR 1.52); Kodama 2018: HAIC matched sorafenib with macrovascular invasion',
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
        keyFigure: `Chen 2020 microwave ablation for residual nodules ≤ ${SMALL_RESIDUAL_MAX_CM} cm (no outcome figure in clinical-reference §6)`,
      });
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
