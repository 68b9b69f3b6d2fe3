import { thresholdName, thresholdValue } from '../../domain/display-labels';
import type {
  AssessmentResult,
  CriterionResult,
  EvidenceItem,
  ExpandedResult,
  SubcriterionOutput,
  TaceSessionResult,
  Thresholds,
} from '../../engine/result';
import { expandResult } from '../../engine/result-view';
import { focusInput, inputForMissing } from '../corrections/input-links';
import { StatusBadge } from '../verdicts/status-badge';
import { UnconfirmedRemark } from '../verdicts/unconfirmed-remark';
import { boundaryWords } from '../verdicts/verdict-strip';
import { EvidenceList } from './evidence-list';
import { groupBySession } from './session-groups';
import './evidence.css';

/**
 * Each threshold by name with its value and unit ("viable-tumour boundary: 50 %"), never the constant's name, and
 * the source it comes from.
 */
function ThresholdList({ thresholds, citation }: { thresholds: Thresholds; citation: string }) {
  const entries = Object.entries(thresholds);
  if (entries.length === 0) return null;
  return (
    <div className="thresholds">
      <span>Thresholds used{citation ? ` (source: ${citation})` : ''}:</span>
      <dl>
        {entries.map(([name, value]) => (
          <div key={name} data-threshold={name}>
            <dt>{thresholdName(name)}:</dt> <dd>{thresholdValue(name, value)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Evidence under the TACE session it follows (by date), so a reader sees what each session's response rests on. */
function SessionEvidence({
  items,
  sessions,
}: {
  items: readonly EvidenceItem[];
  sessions: readonly TaceSessionResult[];
}) {
  if (items.length === 0) return null;
  const groups = groupBySession(items, sessions);
  if (groups.length === 1 && groups[0]?.key === 'all') return <EvidenceList items={items} />;
  return (
    <div className="evidence-sessions">
      {groups.map((g) => (
        <section key={g.key} className="evidence-session" data-session={g.key}>
          <h5>{g.heading}</h5>
          <EvidenceList items={g.items} />
        </section>
      ))}
    </div>
  );
}

function Missing({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="missing">
      Missing to decide:
      <ul>
        {items.map((m) => {
          // No dead ends: what the clinician can supply links to the input that supplies it.
          const link = inputForMissing(m);
          return (
            <li key={m}>
              {m}
              {link ? (
                <>
                  {' '}
                  <a
                    className="no-print input-link"
                    href={`#${link.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      focusInput(link.id);
                    }}
                  >
                    {link.label}
                  </a>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function Notes({ notes }: { notes: readonly string[] | undefined }) {
  if (!notes || notes.length === 0) return null;
  return (
    <ul className="notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

/** Settings and policies a reader must know to reproduce the verdict (shared/ehr-integration.md, Transparency §3). */
function Policy({ sub, result }: { sub: SubcriterionOutput; result: ExpandedResult }) {
  const t = sub.thresholds;
  if ('viableBoundary' in t || 'VIABLE_BOUNDARY_PERCENT' in t) {
    return (
      <p className="policy" data-testid={`policy-boundary-${sub.id}`}>
        Boundary setting in force: {boundaryWords(result.settings.viableBoundary)} (the alternative reading is{' '}
        {result.settings.viableBoundary === '>=50' ? '> 50 %' : '≥ 50 %'}).
      </p>
    );
  }
  if (sub.id === 'tumor-marker-elevation') {
    return (
      <p className="policy" data-testid="policy-markers">
        Tumour-marker policy: JSH does not define “continuous elevation” numerically. The engine applies its
        own policy (not a JSH definition): a rise of more than {pct(t.MARKER_RISE_FRACTION)} over the baseline
        within {String(t.MARKER_BASELINE_DAYS ?? '—')} days before TACE, on at least{' '}
        {String(t.MARKER_MIN_POST_VALUES ?? '—')} values from day {String(t.MARKER_POST_FIRST_DAY ?? '—')} to
        day {String(t.MARKER_POST_LAST_DAY ?? '—')} after TACE, over {String(result.settings.markerSessions)}{' '}
        session(s); PIVKA-II in mAU/mL and in ng/mL are never compared with each other.
      </p>
    );
  }
  return null;
}

function pct(v: Thresholds[string] | undefined): string {
  return typeof v === 'number' ? `${Math.round(v * 100)} %` : '—';
}

function Sub({ c, s, result }: { c: CriterionResult; s: SubcriterionOutput; result: ExpandedResult }) {
  return (
    <li data-testid={`sub-${c.id}-${s.id}`} data-status={s.status} className={`sub sub-${s.status}`}>
      <h4>
        {s.title} <StatusBadge status={s.status} />
      </h4>
      <UnconfirmedRemark
        count={s.unconfirmedTextReadings}
        testId={`sub-unconfirmed-${c.id}-${s.id}`}
        className="detail-unconfirmed"
      />
      {s.citation !== c.citation ? <p className="citation">Source: {s.citation}</p> : null}
      <Policy sub={s} result={result} />
      <Missing items={s.missing} />
      {/* Not-met sub-criteria keep their basis one click away, so the met and undecided ones stand out. */}
      <details
        open={s.status !== 'not-met' || s.evidence.some((e) => e.origin === 'clinician')}
        className="sub-basis"
      >
        <summary>
          Basis: {s.evidence.length} evidence item{s.evidence.length === 1 ? '' : 's'}
          {Object.keys(s.thresholds).length > 0 ? ', thresholds' : ''}
        </summary>
        <ThresholdList thresholds={s.thresholds} citation={s.citation || c.citation} />
        <SessionEvidence items={s.evidence} sessions={result.taceSessions} />
        <Notes notes={s.notes} />
      </details>
    </li>
  );
}

/** Every criterion and sub-criterion with its status, thresholds, citation, evidence and what is missing. */
export function CriteriaDetail({ result: published }: { result: AssessmentResult }) {
  const result = expandResult(published);
  return (
    <section aria-labelledby="criteria-heading" data-testid="criteria-detail" className="criteria-detail">
      <h2 id="criteria-heading" tabIndex={-1}>
        Criteria and their basis
      </h2>
      {result.criteria.map((c) => (
        <article
          key={c.id}
          id={`criterion-${c.id}`}
          className="criterion"
          tabIndex={-1}
          aria-labelledby={`criterion-h-${c.id}`}
        >
          <h3 id={`criterion-h-${c.id}`}>
            {c.title} <StatusBadge status={c.status} />
          </h3>
          <UnconfirmedRemark
            count={c.unconfirmedTextReadings}
            testId={`criterion-unconfirmed-${c.id}`}
            className="detail-unconfirmed"
          />
          <p className="citation">
            Source: {c.citation} · version {c.version}
          </p>
          <details open={c.status !== 'not-met'}>
            <summary>
              {c.subcriteria.length > 0
                ? `${c.subcriteria.length} sub-criteria, evidence and thresholds`
                : 'Evidence and thresholds'}
            </summary>
            <ThresholdList thresholds={c.thresholds} citation={c.citation} />
            <SessionEvidence items={c.evidence} sessions={result.taceSessions} />
            <Missing items={c.missing} />
            <Notes notes={c.notes} />
            {c.subcriteria.length > 0 ? (
              <ul className="subcriteria">
                {c.subcriteria.map((s) => (
                  <Sub key={s.id} c={c} s={s} result={result} />
                ))}
              </ul>
            ) : null}
          </details>
        </article>
      ))}
    </section>
  );
}
