import { unconfirmedRemark } from '../../note/compose-note';

/**
 * "Based on 2 readings from report text, not confirmed by a clinician": said next to a verdict that rests on text
 * readings nobody has confirmed or corrected (engine `unconfirmedTextReadings`); nothing once they are. Words, not
 * colour or an icon alone, carry it; the same words go into the note. The `short` form ("2 unconfirmed readings",
 * full words for screen readers and on hover) fits the verdict strip's fixed-height cards, so loading the record
 * never shifts the page.
 */
export function UnconfirmedRemark(props: {
  count: number;
  testId: string;
  className: string;
  short?: boolean;
}) {
  const text = unconfirmedRemark(props.count);
  if (!text) return null;
  const full = text.charAt(0).toUpperCase() + text.slice(1);
  if (!props.short) {
    return (
      <span className={`unconfirmed ${props.className}`} data-testid={props.testId}>
        {full}
      </span>
    );
  }
  return (
    <span className={`unconfirmed ${props.className}`} data-testid={props.testId} title={full}>
      <span aria-hidden="true">
        {props.count} unconfirmed reading{props.count === 1 ? '' : 's'}
      </span>
      <span className="visually-hidden">{full}</span>
    </span>
  );
}
