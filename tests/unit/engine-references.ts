/**
 * Earlier implementations kept as the references that speed tests compare the current engine against
 * (old-vs-new property tests): one copy each, imported by every test that needs it.
 */
import type { Measurement } from '../../src/domain/labs';
import type { EvidenceItem } from '../../src/engine/result';

/** normalizeEvidence up to engine 0.6.0: de-duplicated by a key of every field, sorted by that key. */
export function referenceNormalizeEvidence(items: readonly EvidenceItem[]): EvidenceItem[] {
  const key = (e: EvidenceItem): string =>
    `${e.date}\u0000${e.ref}\u0000${e.label}\u0000${String(e.value ?? '')}\u0000${e.unit ?? ''}\u0000${e.sentence ?? ''}\u0000${e.origin}`;
  if (items.length <= 1) return items.slice();
  const map = new Map<string, EvidenceItem>();
  for (const e of items) map.set(key(e), e);
  return [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, e]) => e);
}

/** The lab series order: by date, then by source id. */
export const byDateThenRef = (a: Measurement, b: Measurement): number =>
  a.date < b.date
    ? -1
    : a.date > b.date
      ? 1
      : a.source.id < b.source.id
        ? -1
        : a.source.id > b.source.id
          ? 1
          : 0;
