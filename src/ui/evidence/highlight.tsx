/** The report sentence with the words the extractor matched marked (first occurrence, case-insensitive). */
export function Highlight({ sentence, matched }: { sentence: string; matched: string | undefined }) {
  if (!matched) return <>{sentence}</>;
  const i = sentence.toLowerCase().indexOf(matched.toLowerCase());
  if (i < 0) return <>{sentence}</>;
  return (
    <>
      {sentence.slice(0, i)}
      <mark>{sentence.slice(i, i + matched.length)}</mark>
      {sentence.slice(i + matched.length)}
    </>
  );
}
