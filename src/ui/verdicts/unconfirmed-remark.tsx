import { unconfirmedRemark } from '../../note/compose-note';

/**
 * "Based on 2 readings from report text, not confirmed by a clinician": said next to a verdict that rests on text
 * readings nobody has confirmed or corrected (engine `unconfirmedTextReadings`); nothing once they are. Words, not
 * colour or an icon alone, carry it; the same words go into the note.
 */
export function UnconfirmedRemark(props: { count: number; testId: string; className: string }) {
  const text = unconfirmedRemark(props.count);
  if (!text) return null;
  return (
    <span className={`unconfirmed ${props.className}`} data-testid={props.testId} title={text}>
      {text.charAt(0).toUpperCase() + text.slice(1)}
    </span>
  );
}
