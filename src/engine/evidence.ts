/** Builds result evidence items from domain records. */
import type { ImagingAssessment, ImagingFinding } from '../domain/imaging';
import type { Measurement } from '../domain/labs';
import type { SourceRef } from '../domain/source';
import { refKey } from '../domain/source';
import type { EvidenceItem } from './result';
import { isoDay } from './dates';
import { isConfirmedEvidence } from './inputs';
import { sortStableBy, sortStrings } from './arrays';

export function refOf(source: SourceRef): string {
  return refKey(source);
}

/**
 * The evidence items of one evaluate call, one object per (measurement, label) and per (assessment, finding,
 * label): the rules cite the same lab and the same finding many times, and one shared object is cheaper to build
 * and to list once (result-view.ts finds it by identity). Both builders are pure functions of their arguments and
 * nothing changes an item once built, so a shared item is the very item a new call would build. Set only for the
 * duration of withEvidenceItems (synchronous, restored in `finally`, as labs.ts withLabIndex): nothing survives
 * between calls, so no item is shared between two calls or two patients.
 */
interface ItemScope {
  /**
   * By measurement: its items, one per label. An item keeps the label it was built with (nothing changes an item),
   * so the item of a label is the one whose label it is: a short list searched instead of a Map per measurement.
   */
  byMeasurement: Map<Measurement, EvidenceItem[]>;
  /**
   * By finding: the assessment it was first cited with and its items by label (a finding has one assessment), as
   * pairs [label, item] in a short list (the item's own label may carry a suffix, so the label is kept beside it).
   */
  byFinding: Map<ImagingFinding, { a: ImagingAssessment; byLabel: (string | EvidenceItem)[] }>;
}

let itemScope: ItemScope | null = null;

export function withEvidenceItems<T>(run: () => T): T {
  const outer = itemScope;
  itemScope = { byMeasurement: new Map(), byFinding: new Map() };
  try {
    return run();
  } finally {
    itemScope = outer;
  }
}

export function measurementEvidence(m: Measurement, label: string): EvidenceItem {
  if (!itemScope) return buildMeasurementEvidence(m, label);
  let items = itemScope.byMeasurement.get(m);
  if (items === undefined) {
    items = [];
    itemScope.byMeasurement.set(m, items);
  }
  for (const e of items) if (e.label === label) return e;
  const e = buildMeasurementEvidence(m, label);
  items.push(e);
  return e;
}

export function findingEvidence(a: ImagingAssessment, f: ImagingFinding, label: string): EvidenceItem {
  if (!itemScope) return buildFindingEvidence(a, f, label);
  let cited = itemScope.byFinding.get(f);
  if (cited === undefined) {
    cited = { a, byLabel: [] };
    itemScope.byFinding.set(f, cited);
  }
  // The same finding object under another assessment (not made by the engine): built afresh, never shared.
  if (cited.a !== a) return buildFindingEvidence(a, f, label);
  const pairs = cited.byLabel;
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === label) return pairs[i + 1] as EvidenceItem;
  const e = buildFindingEvidence(a, f, label);
  pairs.push(label, e);
  return e;
}

function buildMeasurementEvidence(m: Measurement, label: string): EvidenceItem {
  return {
    ref: refOf(m.source),
    date: isoDay(m.date),
    label,
    value: m.comparator ? `${m.comparator}${m.value}` : m.value,
    unit: m.unit,
    origin: 'structured',
  };
}

function buildFindingEvidence(a: ImagingAssessment, f: ImagingFinding, label: string): EvidenceItem {
  const e = f.evidence;
  const item: EvidenceItem = {
    ref: refOf(e.source ?? a.source),
    date: isoDay(e.date ?? a.date),
    label,
    origin: e.origin === 'coded' ? 'structured' : e.origin,
  };
  if (e.value !== undefined) item.value = e.value;
  if (e.unit !== undefined) item.unit = e.unit;
  if (e.value === undefined) {
    // The number the rule used, with its unit, when the extractor did not record one.
    if (f.type === 'viable-percent' || f.type === 'lipiodol-deposition') {
      item.value = `${f.comparator ?? ''}${f.percent}`;
      item.unit = '%';
    } else if (f.type === 'largest-diameter') {
      item.value = f.cm;
      item.unit = 'cm';
    } else if (f.type === 'tumor-count') {
      item.value = f.count;
    } else if (f.type === 'response') {
      item.value = f.category; // the label says it in words with its scale (domain/display-labels.ts)
    } else if (f.type === 'vascular-invasion') {
      item.value = f.vp ? `${f.presence} ${f.vp}` : f.presence;
    } else if (f.type === 'new-lesions' || f.type === 'extrahepatic-spread') {
      item.value = f.presence;
    }
  }
  if (f.polarity === 'uncertain') item.label = `${item.label} — hedged wording, not counted as positive`;
  if (e.sentence !== undefined) item.sentence = e.sentence;
  if (isConfirmedEvidence(e)) item.confirmed = true; // confirmed as read by the clinician (inputs.ts)
  if (a.preliminary === true) {
    item.preliminary = true; // a preliminary/partial report with no final version (fhir/map/imaging.ts)
    item.label = `${item.label} — preliminary report`;
  }
  return item;
}

export function derivedEvidence(
  ref: string,
  date: string,
  label: string,
  value?: number | string | boolean,
): EvidenceItem {
  const item: EvidenceItem = { ref, date: isoDay(date), label, origin: 'derived' };
  if (value !== undefined) item.value = value;
  return item;
}

// The same string as joining the fields with U+0000, built without an array.
const key = (e: EvidenceItem): string =>
  `${e.date}\u0000${e.ref}\u0000${e.label}\u0000${String(e.value ?? '')}\u0000${e.unit ?? ''}\u0000${e.sentence ?? ''}\u0000${e.origin}`;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order of two fields within `key`, or undefined when the fields alone cannot tell: a field that is a proper
 * prefix of the other is followed in the key by U+0000 (the smallest code unit), so it sorts first — unless the
 * longer field holds U+0000 at that very place.
 */
function fieldOrder(x: string, y: string): number | undefined {
  if (x === y) return 0;
  if (y.length > x.length && y.charCodeAt(x.length) === 0 && y.startsWith(x)) return undefined;
  if (x.length > y.length && x.charCodeAt(y.length) === 0 && x.startsWith(y)) return undefined;
  return x < y ? -1 : 1;
}

/** Exactly the order of `key` (0 when the keys are equal), without building the keys but where fields cannot tell. */
function compareByKey(a: EvidenceItem, b: EvidenceItem): number {
  if (a === b) return 0; // one object: every field, so the key, is the same
  // Each field only while the earlier ones are equal; undefined (cannot tell) skips the rest.
  let order = fieldOrder(a.date, b.date);
  if (order === 0) order = fieldOrder(a.ref, b.ref);
  if (order === 0) order = fieldOrder(a.label, b.label);
  if (order === 0) order = fieldOrder(String(a.value ?? ''), String(b.value ?? ''));
  if (order === 0) order = fieldOrder(a.unit ?? '', b.unit ?? '');
  if (order === 0) order = fieldOrder(a.sentence ?? '', b.sentence ?? '');
  if (order === undefined) return compareText(key(a), key(b));
  return order !== 0 ? order : compareText(a.origin, b.origin); // the last field: nothing follows it in the key
}

function strictlyIncreasing(items: readonly EvidenceItem[]): boolean {
  for (let i = 1; i < items.length; i += 1)
    if (compareByKey(items[i - 1] as EvidenceItem, items[i] as EvidenceItem) >= 0) return false;
  return true;
}

/**
 * Sorted, de-duplicated evidence (deterministic output): ordered by `key`, one item per key — the last one listed,
 * as a Map keyed by `key` would keep.
 */
export function normalizeEvidence(items: readonly EvidenceItem[]): EvidenceItem[] {
  // Zero or one item is already sorted and unique (most sub-criteria).
  if (items.length <= 1) return items.slice();
  // A list normalised before (a sub-criterion's, then its criterion's) is strictly increasing: the stable sort
  // would leave it as it is and no two neighbours are equal, so it is its own result.
  if (strictlyIncreasing(items)) return items.slice();
  // The sort is stable, so of a run of equal items the last is the one listed last.
  const sorted = items.slice();
  // compareByKey is the order of the key strings, a total preorder: sortStableBy gives what Array sort gives.
  sortStableBy(sorted, compareByKey);
  const out: EvidenceItem[] = [];
  for (let i = 0; i < sorted.length; i += 1) {
    const e = sorted[i] as EvidenceItem;
    const next = sorted[i + 1];
    if (next === undefined || compareByKey(e, next) !== 0) out.push(e);
  }
  return out;
}

export function uniqSorted(items: readonly string[]): string[] {
  if (items.length <= 1) return items.slice();
  // The same strings as `[...new Set(items)].sort()`, without the Set: the default sort orders strings by code
  // unit exactly as `<` does, so equal strings end up adjacent and keeping the first of each run keeps one of
  // each. A list already strictly increasing (one made here before) is its own result. Only for strings: any
  // other value goes the old way (the default sort compares String(x), `<` would not).
  let increasing = true;
  for (let i = 0; i < items.length; i += 1) {
    const x = items[i];
    if (typeof x !== 'string') return [...new Set(items)].sort();
    if (i > 0 && !((items[i - 1] as string) < x)) increasing = false;
  }
  if (increasing) return items.slice();
  const sorted = sortStrings(items.slice() as string[]);
  const out: string[] = [sorted[0] as string];
  for (let i = 1; i < sorted.length; i += 1) if (sorted[i] !== sorted[i - 1]) out.push(sorted[i] as string);
  return out;
}

/**
 * Sorts `items` in place by a text key (code-unit order), each key built once instead of twice per comparison: the
 * comparator answers every comparison as comparing the keys built on the spot would, so the (stable) sort gives
 * the same order.
 */
export function sortByKey<T>(items: T[], keyOf: (item: T) => string): void {
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  keyed.forEach((k, i) => {
    items[i] = k.item;
  });
}
