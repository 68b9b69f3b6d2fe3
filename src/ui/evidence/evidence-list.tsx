import { isResponseCode, responseWords, unitLabel } from '../../domain/display-labels';
import { readableValue } from '../../domain/format';
import type { ImagingAssessment } from '../../domain/imaging';
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

/** UCUM for reading (domain/display-labels.ts): `m[AU]/mL` → mAU/mL, `{INR}` → no unit, `umol/L` → µmol/L. */
export function displayUnit(unit: string | undefined): string {
  return unitLabel(unit);
}

function formatValue(value: EvidenceItem['value']): string {
  return value === undefined ? '' : readableValue(value);
}

const PRESENCE_WORDS: Record<string, string> = {
  present: 'present',
  absent: 'absent',
  unknown: 'uncertain',
};

/**
 * The value in words, or undefined when the label already says it: a response category code ("SD") is the label's
 * "stable disease (mRECIST)"; "present Vp3" next to "vascular invasion Vp3 (…)" is "present"; "70 %" next to
 * "viable tumour ~70 %" says nothing new. Never a code on its own.
 */
export function valueText(item: EvidenceItem): string | undefined {
  if (item.value === undefined) return undefined;
  const label = item.label.toLowerCase();
  if (isResponseCode(item.value)) {
    const words = responseWords(item.value);
    return label.includes(words.toLowerCase()) || label.includes(item.value.toLowerCase())
      ? undefined
      : words;
  }
  if (typeof item.value === 'string') {
    // mCODE disease status as coded ("Patient's condition worsened"): the label says "worsened (mCODE …)".
    const status = /^patient'?s? condition (\w+)/i.exec(item.value);
    if (status && label.includes((status[1] ?? '').toLowerCase().replace(/^worse$/, 'worsened')))
      return undefined;
    const presence = /^(present|absent|unknown)(?:\s+(V[pv]\d))?$/.exec(item.value);
    if (presence) {
      const words = PRESENCE_WORDS[presence[1] ?? ''] ?? presence[1] ?? '';
      const grade = presence[2] && !item.label.includes(presence[2]) ? ` ${presence[2]}` : '';
      return `${words}${grade}`;
    }
  }
  const unit = displayUnit(item.unit);
  const text = `${formatValue(item.value)}${unit ? ` ${unit}` : ''}`;
  // The label already gives the number with its unit ("largest tumour 4.6 cm", "lipiodol deposition <50 %").
  if (labelSaysNumber(item.label, formatValue(item.value), unit)) return undefined;
  return text;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "viable tumour ~70 %" says 70 %; "2 intrahepatic tumours" says 2; "AFP baseline" says no number. */
function labelSaysNumber(label: string, value: string, unit: string): boolean {
  const bare = value.replace(/^[<>=~≤≥]+/, '');
  if (!/^\d+(?:\.\d+)?$/.test(bare)) return false;
  const after = unit ? `\\s*${escapeRegExp(unit)}` : '\\s+(?:intrahepatic\\s+)?tumou?rs?\\b';
  return new RegExp(`(?<![\\d.])${escapeRegExp(bare)}(?![\\d.])${after}`, 'i').test(label);
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

const MODALITY: Record<string, string> = {
  CT: 'CT',
  MR: 'MRI',
  US: 'ultrasound',
  PET: 'PET',
  XA: 'angiography',
};

/** "CT ABDOMEN … report of 2026-04-10": which report, in the words the EHR gave it. */
function sourceWords(report: ImagingAssessment): string {
  const what =
    report.title ?? (report.modality ? MODALITY[report.modality] : undefined) ?? report.source.display;
  return `${what ? `${what} ` : ''}report of ${report.date.slice(0, 10)},`;
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
              source{report ? ` ${sourceWords(report)}` : ''} <code>{item.ref}</code>
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
                <Highlight sentence={item.sentence} matched={index.matchedFor(item)} />
              </blockquote>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
