/**
 * Numbers as a clinician reads them, for the screen and the note alike: a unit conversion's long tail
 * (bilirubin 24 µmol/L → 1.4035087719298245 mg/dL) is cut to 2 decimals (3 significant digits below 1); values
 * already written with few decimals are left exactly as they are. Never used for computing, only for display.
 */
export function readableNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  const decimals = text.includes('.') ? (text.split('.')[1] ?? '').length : 0;
  if (decimals <= 2 || text.includes('e')) return text;
  const rounded = Math.abs(value) >= 1 ? Math.round(value * 100) / 100 : Number(value.toPrecision(3));
  return String(rounded);
}

/** A stored evidence value (number, numeric text, or words) for display. */
export function readableValue(value: number | string | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return readableNumber(value);
  return /^-?\d+\.\d{3,}$/.test(value) ? readableNumber(Number(value)) : value;
}
