import type { AssessmentResult } from '../../engine/result';
import { headline, type SummaryOptions } from '../../note/assessment-summary';
import { DatedText } from '../common/dated-text';

/**
 * The answer first: which definitions are met and the decisive finding with its date and source, or why nothing
 * can be decided yet and what would decide it. The About panel (intended use, versions, citations) opens from here.
 */
export function Headline({
  result,
  options,
  onAbout,
}: {
  result: AssessmentResult;
  options: SummaryOptions;
  onAbout: () => void;
}) {
  const h = headline(result, options);
  return (
    <section className={`headline headline-${h.tone}`} aria-labelledby="headline-text" data-testid="headline">
      <h2 id="headline-text" className="headline-text" data-testid="headline-text" data-tone={h.tone}>
        <DatedText text={h.text} />
      </h2>
      {h.toDecide.length > 0 ? (
        <p className="headline-to-decide" data-testid="headline-to-decide">
          Would decide it: <DatedText text={h.toDecide.join('; ')} />.
        </p>
      ) : null}
      <p className="headline-meta">
        Decision support, not orders · evaluated for {result.asOf} ·{' '}
        <button type="button" className="link-button" onClick={onAbout} data-testid="about-open">
          About this result
        </button>
      </p>
    </section>
  );
}
