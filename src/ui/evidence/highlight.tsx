import type { ReactNode } from 'react';
import { highlightRanges } from './highlight-range';

/**
 * The report sentence with the words the finding was read from marked — found in the sentence as written
 * (highlight-range.ts), never a look-alike elsewhere in it; nothing is marked when the words are not there.
 */
export function Highlight({
  sentence,
  matched,
}: {
  sentence: string;
  matched: string | readonly string[] | undefined;
}) {
  const list = matched === undefined ? [] : typeof matched === 'string' ? [matched] : matched;
  const ranges = highlightRanges(sentence, list);
  if (ranges.length === 0) return <>{sentence}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  ranges.forEach(([s, e], i) => {
    if (s > at) parts.push(sentence.slice(at, s));
    parts.push(<mark key={i}>{sentence.slice(s, e)}</mark>);
    at = e;
  });
  if (at < sentence.length) parts.push(sentence.slice(at));
  return <>{parts}</>;
}
