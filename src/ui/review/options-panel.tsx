import type { AssessmentResult } from '../../engine/result';

/**
 * Options discussed in the literature for this patient's findings, each with its key figure and source.
 * Decision support, never orders: the words are "discussed", the titles are topics.
 */
export function OptionsPanel({ result }: { result: AssessmentResult }) {
  const options = result.considerations;
  return (
    <section aria-labelledby="options-heading" className="options" data-testid="options-panel">
      <h2 id="options-heading">Options discussed in the literature</h2>
      {options.length === 0 ? (
        <p className="muted">None: no TACE failure or unsuitability definition is met.</p>
      ) : (
        <ul>
          {options.map((o) => {
            // The first figure in the line; the others (a second study) open with the detail.
            const [lead, ...more] = (o.keyFigure ?? '').split('; ').filter((f) => f.length > 0);
            return (
              <li key={o.id} data-testid={`option-${o.id}`}>
                <details>
                  <summary>
                    <span className="option-title">{o.title}</span>
                    {lead ? <span className="option-figure"> — {lead}</span> : null}
                  </summary>
                  {more.length > 0 ? <p>Also: {more.join('; ')}</p> : null}
                  <p>{o.text}</p>
                  <p className="muted">
                    Why here: {o.triggers.join('; ')}. Source: <cite>{o.citation}</cite>
                  </p>
                </details>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
