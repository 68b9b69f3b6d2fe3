import type { EvidenceItem } from '../../engine/result';

const ORIGIN: Record<EvidenceItem['origin'], string> = {
  structured: 'coded data',
  text: 'read from report text',
  clinician: 'entered by clinician',
  derived: 'derived by the engine',
};

function valueText(item: EvidenceItem): string | undefined {
  if (item.value === undefined) return undefined;
  return `${String(item.value)}${item.unit ? ` ${item.unit}` : ''}`;
}

export function EvidenceList({ items }: { items: readonly EvidenceItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="evidence">
      {items.map((item, i) => (
        <li key={`${item.ref}-${i}`}>
          <span className="evidence-date">{item.date}</span> {item.label}
          {valueText(item) ? <strong> {valueText(item)}</strong> : null}{' '}
          <span className="evidence-source">
            ({ORIGIN[item.origin]}; {item.ref})
          </span>
          {item.sentence ? <blockquote>{item.sentence}</blockquote> : null}
        </li>
      ))}
    </ul>
  );
}
