/**
 * No dead ends: every item a criterion lists as missing that the clinician can supply points to the input that
 * supplies it. The ids are fixed (one corrections panel per screen) so the criteria detail can link to them.
 */
export const INPUT_IDS = {
  intent: 'clinician-input-intent',
  ascites: 'clinician-input-ascites',
  encephalopathy: 'clinician-input-encephalopathy',
  bclcStage: 'clinician-input-bclc',
  grossType: 'clinician-input-gross-type',
  ceus: 'clinician-input-ceus',
  dialysis: 'clinician-input-dialysis',
  /** The heading of the per-report readings (count, diameter, response, findings). */
  imaging: 'imaging-corrections-heading',
} as const;

export interface InputLink {
  id: string;
  /** Link text, e.g. "Enter the gross type". */
  label: string;
}

/** Matches the engine's `missing` wording (src/engine/criteria/*.ts, src/engine/scores/*.ts). */
const RULES: readonly { test: RegExp; link: InputLink }[] = [
  { test: /treatment intent/i, link: { id: INPUT_IDS.intent, label: 'Enter the treatment intent' } },
  { test: /gross type/i, link: { id: INPUT_IDS.grossType, label: 'Enter the gross type' } },
  {
    test: /contrast ultrasound|\bCEUS\b/i,
    link: { id: INPUT_IDS.ceus, label: 'Enter the contrast-ultrasound result' },
  },
  { test: /^ascites grade/i, link: { id: INPUT_IDS.ascites, label: 'Enter the ascites grade' } },
  {
    test: /^encephalopathy grade/i,
    link: { id: INPUT_IDS.encephalopathy, label: 'Enter the encephalopathy grade' },
  },
  { test: /BCLC stage/i, link: { id: INPUT_IDS.bclcStage, label: 'Enter the BCLC stage' } },
  {
    test: /number of tumours|largest diameter/i,
    link: { id: INPUT_IDS.imaging, label: 'Enter the count and diameter on a report' },
  },
  {
    test: /unambiguous statement|hedged wording|imaging statement on|unhedged/i,
    link: { id: INPUT_IDS.imaging, label: 'Correct or confirm the report reading' },
  },
];

export function inputForMissing(missing: string): InputLink | undefined {
  return RULES.find((r) => r.test.test(missing))?.link;
}

/** Moves focus to an input (opening nothing: the grade inputs are always visible). */
export function focusInput(id: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  el.scrollIntoView?.({ block: 'center' });
  el.focus();
}
