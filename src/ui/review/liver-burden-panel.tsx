import type { AssessmentResult, LiverWarning } from '../../engine/result';
import { liverAndBurden } from '../../note/assessment-summary';
import { DatedText } from '../common/dated-text';

/** A warning in one line; the full text and its source under "details" (keyboard-reachable, no tooltip). */
function warningHeadline(w: Pick<LiverWarning, 'id' | 'sessionDates'>): string {
  if (w.id === 'albi-grade-worsened')
    return `ALBI grade worsened across TACE sessions (${w.sessionDates.join(', ')})`;
  return `TACE done at ALBI grade 3 or Child-Pugh B or worse: ${w.sessionDates.join(', ')}`;
}

/**
 * Beyond the verdicts, what decides the next step: ALBI/mALBI now and before each TACE with its warnings,
 * Child-Pugh, up-to-seven, prior TACE count and the current systemic therapy.
 */
export function LiverBurdenPanel({ result }: { result: AssessmentResult }) {
  const facts = liverAndBurden(result, { compact: true });
  return (
    <section aria-labelledby="liver-burden-heading" className="liver-burden" data-testid="liver-burden-panel">
      <h2 id="liver-burden-heading">Liver function and tumour burden</h2>
      <dl>
        {facts.map((f) => (
          <div key={f.id} className={f.flagged ? 'fact fact-flagged' : 'fact'} data-testid={`liver-${f.id}`}>
            <dt>{f.label}</dt>
            <dd>
              {f.flagged ? <span className="visually-hidden">Attention: </span> : null}
              <DatedText text={f.text} />
            </dd>
          </div>
        ))}
      </dl>
      {result.liverWarnings.length > 0 ? (
        <ul className="liver-warnings">
          {result.liverWarnings.map((w) => (
            <li key={w.id} data-testid="liver-warning" data-warning={w.id}>
              <details>
                <summary>
                  <span aria-hidden="true">⚠ </span>
                  <DatedText text={warningHeadline(w)} />
                </summary>
                <p>
                  {w.text} <cite>{w.citation}</cite>
                </p>
              </details>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
