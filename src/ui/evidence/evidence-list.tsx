import { readableValue } from '../../domain/format';
import type { EvidenceItem } from '../../engine/result';
import { correctionAnchor, openCorrection } from '../corrections/corrections-panel';
import { Highlight } from './highlight';
import { useSourceIndex } from './source-index';

const ORIGIN: Record<EvidenceItem['origin'], string> = {
  structured: 'coded data',
  text: 'read from report text',
  clinician: 'entered by clinician',
  derived: 'derived by the engine',
};

const UNIT_LABEL: Record<string, string> = { 'm[AU]/mL': 'mAU/mL', '{INR}': '', '10*3/uL': '×10³/µL' };

export function displayUnit(unit: string | undefined): string {
  if (!unit) return '';
  return UNIT_LABEL[unit] ?? unit;
}

function formatValue(value: EvidenceItem['value']): string {
  return value === undefined ? '' : readableValue(value);
}

function valueText(item: EvidenceItem): string | undefined {
  if (item.value === undefined) return undefined;
  const unit = displayUnit(item.unit);
  return `${formatValue(item.value)}${unit ? ` ${unit}` : ''}`;
}

const COMPARATOR_WORDS: Record<string, string> = {
  '<=': 'less than or equal to',
  '>=': 'greater than or equal to',
  '<': 'less than',
  '>': 'greater than',
};

/** Screen readers skip "<" and ">": the visible value keeps the sign, the spoken one says it in words. */
function SpokenValue({ text }: { text: string }) {
  const match = /^(<=|>=|<|>)\s*(.*)$/.exec(text);
  if (!match) return <>{text}</>;
  const [, sign = '', rest = ''] = match;
  return (
    <>
      <span aria-hidden="true">{text}</span>
      <span className="visually-hidden">{`${COMPARATOR_WORDS[sign] ?? sign} ${rest}`}</span>
    </>
  );
}

export function EvidenceList({ items }: { items: readonly EvidenceItem[] }) {
  const index = useSourceIndex();
  if (items.length === 0) return null;
  return (
    <ul className="evidence">
      {items.map((item, i) => {
        const v = valueText(item);
        const report = index.report(item.ref);
        return (
          <li key={`${item.ref}-${i}`} data-origin={item.origin}>
            <span className="evidence-date">{item.date}</span> {item.label}
            {v ? (
              <strong>
                {' '}
                <SpokenValue text={v} />
              </strong>
            ) : null}{' '}
            <span className={`origin origin-${item.origin}`}>{ORIGIN[item.origin]}</span>{' '}
            {item.origin === 'text' ? (
              item.confirmed ? (
                <>
                  <span className="origin origin-confirmed">confirmed by clinician</span>{' '}
                </>
              ) : (
                <>
                  <span className="origin origin-unconfirmed">not confirmed</span>{' '}
                </>
              )
            ) : null}
            <span className="evidence-source">
              source <code>{item.ref}</code>
            </span>
            {report && (item.origin === 'text' || item.origin === 'clinician') ? (
              <>
                {' '}
                <a
                  className="no-print correct-link"
                  href={`#${correctionAnchor(report.id)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    openCorrection(report.id);
                  }}
                >
                  {item.origin === 'text' ? 'Confirm or correct this reading' : 'Correct this reading'}
                </a>
              </>
            ) : null}
            {item.sentence ? (
              <blockquote data-testid="evidence-sentence">
                <Highlight sentence={item.sentence} matched={index.matchedWords(item.ref, item.sentence)} />
              </blockquote>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
