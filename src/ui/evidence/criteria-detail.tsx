import type { AssessmentResult, Thresholds } from '../../engine/result';
import { StatusBadge } from '../verdicts/status-badge';
import { EvidenceList } from './evidence-list';

function ThresholdList({ thresholds }: { thresholds: Thresholds }) {
  const entries = Object.entries(thresholds);
  if (entries.length === 0) return null;
  return (
    <p className="thresholds">
      Thresholds used:{' '}
      {entries.map(([name, value], i) => (
        <span key={name}>
          {i > 0 ? '; ' : ''}
          <code>{name}</code> = {String(value)}
        </span>
      ))}
    </p>
  );
}

function Missing({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="missing">
      Missing to decide:
      <ul>
        {items.map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

/** Every criterion and sub-criterion with its status, thresholds, citation, evidence and what is missing. */
export function CriteriaDetail({ result }: { result: AssessmentResult }) {
  return (
    <section aria-labelledby="criteria-heading" data-testid="criteria-detail">
      <h2 id="criteria-heading">Criteria and their basis</h2>
      {result.criteria.map((c) => (
        <article key={c.id} id={`criterion-${c.id}`} className="criterion" tabIndex={-1}>
          <h3>
            {c.title} <StatusBadge status={c.status} />
          </h3>
          <p className="citation">Source: {c.citation}</p>
          <ThresholdList thresholds={c.thresholds} />
          <EvidenceList items={c.evidence} />
          <Missing items={c.missing} />
          {c.notes?.map((n) => (
            <p key={n} className="note">
              {n}
            </p>
          ))}
          {c.subcriteria.length > 0 ? (
            <ul className="subcriteria">
              {c.subcriteria.map((s) => (
                <li key={s.id} data-testid={`sub-${c.id}-${s.id}`} data-status={s.status}>
                  <h4>
                    {s.title} <StatusBadge status={s.status} />
                  </h4>
                  <ThresholdList thresholds={s.thresholds} />
                  <EvidenceList items={s.evidence} />
                  <Missing items={s.missing} />
                  {s.notes?.map((n) => (
                    <p key={n} className="note">
                      {n}
                    </p>
                  ))}
                </li>
              ))}
            </ul>
          ) : null}
        </article>
      ))}
    </section>
  );
}
