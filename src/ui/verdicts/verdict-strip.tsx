import type { AssessmentResult } from '../../engine/result';
import { StatusBadge } from './status-badge';

/** Each criterion set side by side: the first thing a clinician reads. */
export function VerdictStrip({ result }: { result: AssessmentResult }) {
  return (
    <section aria-labelledby="verdicts-heading" className="verdict-strip" data-testid="verdict-strip">
      <h2 id="verdicts-heading" className="visually-hidden">
        Verdicts
      </h2>
      <ul>
        {result.criteria.map((c) => (
          <li key={c.id} data-testid={`verdict-${c.id}`} data-status={c.status}>
            <a href={`#criterion-${c.id}`} className="verdict-title">
              {c.title}
            </a>
            <StatusBadge status={c.status} />
          </li>
        ))}
      </ul>
      <p className="engine-version">
        Evaluated for {result.asOf} · engine {result.engineVersion} · rule set {result.ruleSetVersion}
      </p>
    </section>
  );
}
