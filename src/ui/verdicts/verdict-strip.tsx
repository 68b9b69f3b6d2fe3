import type { AssessmentResult } from '../../engine/result';
import { UnconfirmedRemark } from './unconfirmed-remark';
import { keyReason, shortName } from './criterion-names';
import { StatusBadge } from './status-badge';

/** Opens the criterion's collapsed detail when its verdict is followed, so the link never lands on hidden text. */
function openCriterion(id: string) {
  const el = document.getElementById(`criterion-${id}`);
  el?.querySelectorAll('details').forEach((d) => {
    d.open = true;
  });
}

/** Each criterion set side by side, with the key reason in one line: the first thing a clinician reads. */
export function VerdictStrip({ result }: { result: AssessmentResult }) {
  return (
    <section aria-labelledby="verdicts-heading" className="verdict-strip" data-testid="verdict-strip">
      <h2 id="verdicts-heading" className="visually-hidden">
        Verdicts
      </h2>
      <ul>
        {result.criteria.map((c) => {
          const reason = keyReason(c);
          return (
            <li
              key={c.id}
              data-testid={`verdict-${c.id}`}
              data-status={c.status}
              className={`verdict verdict-${c.status}`}
            >
              <a
                href={`#criterion-${c.id}`}
                className="verdict-title"
                title={c.title}
                onClick={() => openCriterion(c.id)}
              >
                {shortName(c)}
              </a>
              {/* The remark shares the status line: the card keeps its height (no shift on load). */}
              <span className="verdict-status-line">
                <StatusBadge status={c.status} />
                <UnconfirmedRemark
                  count={c.unconfirmedTextReadings}
                  testId={`verdict-unconfirmed-${c.id}`}
                  className="verdict-unconfirmed"
                  short
                />
              </span>
              <span className="verdict-reason" title={reason} data-testid={`verdict-reason-${c.id}`}>
                {reason}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="engine-version">
        Evaluated for {result.asOf} · engine {result.engineVersion} · rule set {result.ruleSetId}{' '}
        {result.ruleSetVersion} · viable-tumour boundary {boundaryWords(result.settings.viableBoundary)}
      </p>
    </section>
  );
}

export function boundaryWords(b: AssessmentResult['settings']['viableBoundary']): string {
  return b === '>=50' ? 'viable ≥ 50 % is insufficient' : 'viable > 50 % is insufficient';
}
