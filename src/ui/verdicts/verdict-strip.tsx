import type { AssessmentResult } from '../../engine/result';
import { leadingReason, type SummaryOptions } from '../../note/assessment-summary';
import { DatedText } from '../common/dated-text';
import { UnconfirmedRemark } from './unconfirmed-remark';
import { shortName } from './criterion-names';
import { StatusBadge } from './status-badge';

/** Opens the criterion's collapsed detail when its verdict is followed, so the link never lands on hidden text. */
function openCriterion(id: string) {
  const el = document.getElementById(`criterion-${id}`);
  el?.querySelectorAll('details').forEach((d) => {
    d.open = true;
  });
}

/**
 * Each criterion set with its verdict and its reason in full (wrapped, never cut): for a met one the most serious
 * met sub-criterion first with this patient's values and dates; for an undecided one what would decide it.
 */
export function VerdictStrip({
  result,
  options = {},
}: {
  result: AssessmentResult;
  options?: SummaryOptions;
}) {
  return (
    <section aria-labelledby="verdicts-heading" className="verdict-strip" data-testid="verdict-strip">
      <h2 id="verdicts-heading" className="visually-hidden">
        Verdicts
      </h2>
      <ul>
        {result.criteria.map((c) => (
          <li
            key={c.id}
            data-testid={`verdict-${c.id}`}
            data-status={c.status}
            className={`verdict verdict-${c.status}`}
          >
            <span className="verdict-head">
              <a href={`#criterion-${c.id}`} className="verdict-title" onClick={() => openCriterion(c.id)}>
                {shortName(c)}
              </a>{' '}
              <StatusBadge status={c.status} />
              <UnconfirmedRemark
                count={c.unconfirmedTextReadings}
                testId={`verdict-unconfirmed-${c.id}`}
                className="verdict-unconfirmed"
                short
              />
            </span>{' '}
            <span className="verdict-reason" data-testid={`verdict-reason-${c.id}`}>
              <DatedText text={leadingReason(c, result, options)} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function boundaryWords(b: AssessmentResult['settings']['viableBoundary']): string {
  return b === '>=50' ? 'viable ≥ 50 % is insufficient' : 'viable > 50 % is insufficient';
}
