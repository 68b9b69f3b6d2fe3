import { useEffect, useRef } from 'react';
import type { AssessmentResult } from '../../engine/result';
import { criterionName } from '../../note/assessment-summary';

/** Source attributes (ONC HTI-1; shared/ehr-integration.md "Transparency", items 1, 4, 6 and 7). */
export const SOURCE_ATTRIBUTES = {
  developer: 'TACE Navigator project team',
  funding: 'None declared (a hosting organisation states its own in its deployment notes)',
  releaseDate: '2026-12-01',
  demographics:
    'None of the rules or scores uses race, ethnicity, sex or date of birth (ALBI, Child-Pugh, MELD-Na, up-to-seven, ART, ABCR and HAP take none of them). Date of birth and sex are read only for the patient banner.',
} as const;

/** Known limitations per definition or score, from shared/clinical-reference.md and the review. */
const LIMITATIONS: Record<string, string> = {
  'jsh-lcsgj-2014':
    'Consensus definition (Japan); the tumour-marker item has no number in JSH — the engine uses its own named policy (≥ 20 % rise, ≥ 2 values within 60 days), shown with the verdict.',
  'jsh-2010':
    'Older Japanese definition judged on lipiodol deposition on CT; superseded by the 2014 wording, kept for comparison.',
  epoihcc:
    'Expert-panel definition (Park 2013): three or more TACE within 6 months; with fewer sessions it cannot be met.',
  european:
    'Depends on treatment intent (stable disease is failure only with curative intent); undecided without it.',
  'tace-unsuitability':
    'Predicts poor benefit from TACE (beyond up-to-seven, mALBI 2b, resistant gross types); not a failure definition. The mALBI 2a/2b cut-off (−2.27) is marked "verify".',
  'clinical-cr':
    'Kudo 2025 proposal; validated mainly in Japanese cohorts receiving systemic therapy combined with locoregional treatment.',
  'drug-off':
    'Kudo 2025 proposal; needs contrast ultrasound (a clinician input); not yet prospectively validated.',
};

const SCORE_LIMITATIONS: { id: keyof AssessmentResult['scores']; name: string; text: string }[] = [
  {
    id: 'albi',
    name: 'ALBI / mALBI',
    text: 'Laboratory-only liver function grade; mALBI 2a/2b split is "verify" in the reference.',
  },
  {
    id: 'childPugh',
    name: 'Child-Pugh',
    text: 'Ascites and encephalopathy are clinical judgements; while unknown the score is a range.',
  },
  { id: 'meldNa', name: 'MELD-Na', text: 'Built for transplant allocation, not for TACE decisions.' },
  {
    id: 'upToSeven',
    name: 'Up-to-seven',
    text: 'Needs the number of tumours and the largest diameter from one report.',
  },
  {
    id: 'art',
    name: 'ART',
    text: 'TACE retreatment score; validated poorly outside its derivation cohort (Müller 2021) — use for discussion only.',
  },
  {
    id: 'abcr',
    name: 'ABCR',
    text: 'TACE retreatment score; points marked "verify"; validated poorly outside its derivation cohort (Müller 2021).',
  },
  {
    id: 'hap',
    name: 'HAP',
    text: 'Pre-TACE prognostic score; validated poorly outside its derivation cohort (Müller 2021).',
  },
];

/**
 * About this result: intended use and population, source attributes, engine and rule-set versions, how to read
 * the three verdicts, and each definition's and score's citation with its known limitations.
 */
export function AboutPanel({ result, onClose }: { result: AssessmentResult; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="about-panel" aria-labelledby="about-heading" data-testid="about-panel">
      <div className="about-head">
        <h2 id="about-heading" tabIndex={-1} ref={heading}>
          About this result
        </h2>
        <button type="button" onClick={onClose} data-testid="about-close">
          Close
        </button>
      </div>
      <h3>Intended use</h3>
      <p>
        Decision support for clinicians (hepatology, oncology, interventional radiology) reviewing adults with
        hepatocellular carcinoma treated with TACE. Not for initial staging, emergencies or other tumours; not
        a substitute for clinical judgement or tumour-board review. It states whether published definitions
        are met and the options the literature discusses — never orders.
      </p>
      <h3>How to read the verdicts</h3>
      <ul>
        <li>
          <strong>Met</strong>: the record shows what the definition requires; the evidence is listed with the
          verdict.
        </li>
        <li>
          <strong>Not met</strong>: the record holds what is needed and it does not meet the definition.
        </li>
        <li>
          <strong>Indeterminate</strong>: data are missing, ambiguous or unreadable; what is missing is named.
          Missing data never count as “not met”.
        </li>
        <li>Readings taken from report text are marked until a clinician confirms them.</li>
      </ul>
      <h3>Source attributes</h3>
      <dl className="about-attributes">
        <dt>Developer</dt>
        <dd>{SOURCE_ATTRIBUTES.developer}</dd>
        <dt>Engine</dt>
        <dd data-testid="about-engine-version">version {result.engineVersion}</dd>
        <dt>Rule set</dt>
        <dd>
          {result.ruleSetId} {result.ruleSetVersion}
        </dd>
        <dt>Release date</dt>
        <dd>{SOURCE_ATTRIBUTES.releaseDate}</dd>
        <dt>Evaluated for</dt>
        <dd>{result.asOf}</dd>
        <dt>Funding</dt>
        <dd>{SOURCE_ATTRIBUTES.funding}</dd>
        <dt>Demographic data used</dt>
        <dd>{SOURCE_ATTRIBUTES.demographics}</dd>
      </dl>
      <h3>Definitions: citation and known limitations</h3>
      <ul className="about-citations">
        {result.criteria.map((c) => (
          <li key={c.id}>
            <strong>{criterionName(c)}</strong> — <cite>{c.citation}</cite>. {LIMITATIONS[c.id] ?? ''}
          </li>
        ))}
      </ul>
      <h3>Scores: citation and known limitations</h3>
      <ul className="about-citations">
        {SCORE_LIMITATIONS.map((s) => (
          <li key={s.id}>
            <strong>{s.name}</strong> — <cite>{result.scores[s.id].citation}</cite>. {s.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
