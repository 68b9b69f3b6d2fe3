import { Fragment } from 'react';

const ISO_DATE = /(\d{4}-\d{2}-\d{2})/;

/** Text whose ISO dates never break at their hyphens ("2026-11-\n11" is misread). */
export function DatedText({ text }: { text: string }) {
  const parts = text.split(ISO_DATE);
  return (
    <>
      {parts.map((part, i) =>
        ISO_DATE.test(part) ? (
          <span key={i} className="nowrap">
            {part}
          </span>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
