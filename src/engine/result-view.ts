/**
 * The published result lists each item of evidence once (`result.evidence`, each with an `id`) and every part cites
 * it by id (`evidenceIds`): result.ts, 0.6.0. This module is the one place that goes between that shape and the
 * nested one the rules build (`ExpandedResult`, the contract up to 0.5.0):
 * - `slimResult` (the engine, at the end of `evaluate`): nested → published;
 * - `expandResult` (the note, the UI): published → nested, as a typed view; cached per result object;
 * - `evidenceOf`: the items of a list of ids.
 * Pure: no clock, no I/O. Same input → same output.
 */
import type {
  AssessmentResult,
  CriterionRecord,
  CriterionResult,
  EvidenceEntry,
  EvidenceItem,
  ExpandedResult,
  LiverSnapshot,
  LiverSnapshotRecord,
  ScoreRecords,
  Scores,
  SubcriterionOutput,
  SubcriterionRecord,
} from './result';
import { sortStableBy, sortStrings } from './arrays';
import { keysAre } from './shapes';

/** Two items are one (one id) only when they are the same in every field. */
function sameItem(a: EvidenceItem, b: EvidenceItem): boolean {
  return (
    a.ref === b.ref &&
    a.date === b.date &&
    a.label === b.label &&
    (a.value === b.value ||
      (typeof a.value === 'number' &&
        typeof b.value === 'number' &&
        Number.isNaN(a.value) &&
        Number.isNaN(b.value))) &&
    a.unit === b.unit &&
    a.sentence === b.sentence &&
    a.origin === b.origin &&
    (a.confirmed === true) === (b.confirmed === true) &&
    (a.preliminary === true) === (b.preliminary === true)
  );
}

const valueWords = (e: EvidenceItem): string =>
  e.value === undefined ? '' : `${typeof e.value}:${String(e.value)}`;
const flagWords = (e: EvidenceItem): string =>
  `${e.confirmed === true ? 'c' : ''}${e.preliminary === true ? 'p' : ''}`;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order of the result's evidence list: date, reference, label, value, unit, sentence, origin, flags. */
function compareItems(a: EvidenceItem, b: EvidenceItem): number {
  return (
    compareText(a.date, b.date) ||
    compareText(a.ref, b.ref) ||
    compareText(a.label, b.label) ||
    compareText(valueWords(a), valueWords(b)) ||
    compareText(a.unit ?? '', b.unit ?? '') ||
    compareText(a.sentence ?? '', b.sentence ?? '') ||
    compareText(a.origin, b.origin) ||
    compareText(flagWords(a), flagWords(b))
  );
}

/** A sub-criterion as index.ts `subOutput` makes it, without and with its notes. */
const SUB_OUTPUT_KEYS = [
  'id',
  'title',
  'citation',
  'status',
  'evidence',
  'missing',
  'thresholds',
  'unconfirmedTextReadings',
] as const;
const SUB_OUTPUT_KEYS_NOTES = [
  'id',
  'title',
  'citation',
  'status',
  'evidence',
  'missing',
  'thresholds',
  'notes',
  'unconfirmedTextReadings',
] as const;

/** An item as evidence.ts builds it from a measurement, and from a report finding with a value and a sentence. */
const MEASUREMENT_ITEM_KEYS = ['ref', 'date', 'label', 'value', 'unit', 'origin'] as const;
const FINDING_ITEM_KEYS = ['ref', 'date', 'label', 'origin', 'value', 'sentence'] as const;

/** `{ id, ...e }`: for the two commonest shapes of item one literal with the same keys in the same order (shapes.ts). */
function entryOf(id: string, e: EvidenceItem): EvidenceEntry {
  if (keysAre(e, MEASUREMENT_ITEM_KEYS))
    return { id, ref: e.ref, date: e.date, label: e.label, value: e.value, unit: e.unit, origin: e.origin };
  if (keysAre(e, FINDING_ITEM_KEYS))
    return {
      id,
      ref: e.ref,
      date: e.date,
      label: e.label,
      origin: e.origin,
      value: e.value,
      sentence: e.sentence,
    };
  return { id, ...e };
}

/** A criterion as index.ts runCriterion makes it, without and with its notes. */
const CRITERION_KEYS = [
  'id',
  'title',
  'version',
  'status',
  'subcriteria',
  'evidence',
  'missing',
  'citation',
  'thresholds',
  'unconfirmedTextReadings',
] as const;
const CRITERION_KEYS_NOTES = [...CRITERION_KEYS, 'notes'] as const;

type WithEvidence = { evidence: EvidenceItem[] };
type WithIds<T extends WithEvidence> = Omit<T, 'evidence'> & { evidenceIds: string[] };

/**
 * Nested → published. Ids are "e1", "e2", … in the order of the items sorted by date, reference, label, value, unit,
 * sentence, origin and flags; each part keeps the order in which it listed its items.
 */
export function slimResult(full: ExpandedResult): AssessmentResult {
  // One representative object per distinct item: found by object identity first (rules share items), else among
  // the items of the same date and reference, compared field by field (no key strings built). Each item object
  // maps to its representative's cell, which gets the id once the representatives are ordered.
  type Cell = { item: EvidenceItem; id: string };
  const cellOf = new Map<EvidenceItem, Cell>();
  // Buckets by date, then reference (two lookups on the item's own strings, no key string built); sameItem still
  // compares every field, so the bucket only narrows the search.
  const byDateRef = new Map<string, Map<string, Cell[]>>();
  let stringKeys = true; // every date and reference a string (as the builders make them): see the order below
  const cells: Cell[] = [];
  const collect = (e: EvidenceItem): void => {
    if (cellOf.has(e)) return;
    if (typeof e.date !== 'string' || typeof e.ref !== 'string') stringKeys = false;
    let byRef = byDateRef.get(e.date);
    if (!byRef) {
      byRef = new Map();
      byDateRef.set(e.date, byRef);
    }
    let bucket = byRef.get(e.ref);
    if (!bucket) {
      bucket = [];
      byRef.set(e.ref, bucket);
    }
    let cell: Cell | undefined;
    for (let i = 0; i < bucket.length && cell === undefined; i++)
      if (sameItem((bucket[i] as Cell).item, e)) cell = bucket[i];
    if (!cell) {
      cell = { item: e, id: '' };
      bucket.push(cell);
      cells.push(cell);
    }
    cellOf.set(e, cell);
  };
  const visit = (list: readonly EvidenceItem[]): void => {
    for (let i = 0; i < list.length; i++) collect(list[i] as EvidenceItem);
  };
  for (const c of full.criteria) {
    visit(c.evidence);
    for (const s of c.subcriteria) visit(s.evidence);
  }
  for (const s of Object.values(full.scores)) visit(s.evidence);
  for (const t of full.liverTrajectory) {
    visit(t.before.evidence);
    visit(t.after.evidence);
  }
  for (const w of full.liverWarnings) visit(w.evidence);
  for (const f of full.priorTaceBurden.factors) visit(f.evidence);
  for (const s of full.taceSessions) visit(s.response.evidence);

  // The representatives in compareItems order (stable: equal items in the order first met), then numbered.
  // Bucket by bucket when every date and reference is a string: compareItems orders by date first, then by
  // reference, both by code unit as the default sort orders distinct strings, so sorting the dates, then each
  // date's references, then each bucket gives the order of sorting them all; items that compare equal share a
  // date and a reference, so they are in one bucket, in the order first met, as the stable sort keeps them.
  let ordered: Cell[];
  if (stringKeys) {
    ordered = [];
    for (const date of sortStrings([...byDateRef.keys()])) {
      const byRef = byDateRef.get(date) as Map<string, Cell[]>;
      for (const ref of sortStrings([...byRef.keys()])) {
        const bucket = byRef.get(ref) as Cell[];
        if (bucket.length > 1) sortStableBy(bucket, (x, y) => compareItems(x.item, y.item));
        for (const cell of bucket) ordered.push(cell);
      }
    }
  } else ordered = cells.sort((x, y) => compareItems(x.item, y.item));
  const evidence: EvidenceEntry[] = [];
  for (const cell of ordered) {
    cell.id = `e${evidence.length + 1}`;
    evidence.push(entryOf(cell.id, cell.item));
  }
  const ids = (list: readonly EvidenceItem[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const cell = cellOf.get(list[i] as EvidenceItem);
      // never drop evidence silently
      if (!cell) throw new Error('slimResult: an evidence list was not collected');
      out.push(cell.id);
    }
    return out;
  };
  // The part's own fields but `evidence`, in their order, then `evidenceIds`: the same object as rest-and-spread
  // would give, in one copy (object rest is a slow generic copy, and this runs for every part of every result).
  const slim = <T extends WithEvidence>(part: T): WithIds<T> => {
    const out: Record<string, unknown> = {};
    for (const k in part) if (k !== 'evidence') out[k] = part[k];
    out.evidenceIds = ids(part.evidence);
    return out as WithIds<T>;
  };

  // slim(s) for a sub-criterion of the shape the engine makes (index.ts subOutput), as one literal: the same keys
  // in the same order (shapes.ts); any other shape takes slim.
  const slimSub = (s: SubcriterionOutput): SubcriterionRecord => {
    if (keysAre(s, SUB_OUTPUT_KEYS))
      return {
        id: s.id,
        title: s.title,
        citation: s.citation,
        status: s.status,
        missing: s.missing,
        thresholds: s.thresholds,
        unconfirmedTextReadings: s.unconfirmedTextReadings,
        evidenceIds: ids(s.evidence),
      };
    if (keysAre(s, SUB_OUTPUT_KEYS_NOTES))
      return {
        id: s.id,
        title: s.title,
        citation: s.citation,
        status: s.status,
        missing: s.missing,
        thresholds: s.thresholds,
        notes: s.notes,
        unconfirmedTextReadings: s.unconfirmedTextReadings,
        evidenceIds: ids(s.evidence),
      };
    return slim(s);
  };

  // As `{ ...slim(c), subcriteria: c.subcriteria.map(slim) }` (the same keys in the same order), in one copy.
  const slimCriterion = (c: CriterionResult): CriterionRecord => {
    // The two shapes index.ts runCriterion makes (notes, when any, last), as one literal each (shapes.ts).
    if (keysAre(c, CRITERION_KEYS))
      return {
        id: c.id,
        title: c.title,
        version: c.version,
        status: c.status,
        subcriteria: c.subcriteria.map(slimSub),
        missing: c.missing,
        citation: c.citation,
        thresholds: c.thresholds,
        unconfirmedTextReadings: c.unconfirmedTextReadings,
        evidenceIds: ids(c.evidence),
      };
    if (keysAre(c, CRITERION_KEYS_NOTES))
      return {
        id: c.id,
        title: c.title,
        version: c.version,
        status: c.status,
        subcriteria: c.subcriteria.map(slimSub),
        missing: c.missing,
        citation: c.citation,
        thresholds: c.thresholds,
        unconfirmedTextReadings: c.unconfirmedTextReadings,
        notes: c.notes,
        evidenceIds: ids(c.evidence),
      };
    const out: Record<string, unknown> = {};
    for (const k in c) {
      if (k === 'subcriteria') out[k] = c.subcriteria.map(slimSub);
      else if (k !== 'evidence') out[k] = c[k as keyof CriterionResult];
    }
    out.evidenceIds = ids(c.evidence);
    return out as unknown as CriterionRecord;
  };

  const scores = {} as Record<string, unknown>;
  for (const [name, s] of Object.entries(full.scores)) scores[name] = slim(s);
  return {
    ...full,
    criteria: full.criteria.map(slimCriterion),
    scores: scores as ScoreRecords,
    liverTrajectory: full.liverTrajectory.map((t) => ({
      ...t,
      before: slim(t.before),
      after: slim(t.after),
    })),
    liverWarnings: full.liverWarnings.map(slim),
    priorTaceBurden: { ...full.priorTaceBurden, factors: full.priorTaceBurden.factors.map(slim) },
    taceSessions: full.taceSessions.map((s) => ({ ...s, response: slim(s.response) })),
    evidence,
  };
}

const itemsById = new WeakMap<AssessmentResult, Map<string, EvidenceItem>>();

function lookup(result: AssessmentResult): Map<string, EvidenceItem> {
  let map = itemsById.get(result);
  if (!map) {
    map = new Map();
    for (const entry of result.evidence) {
      const { id, ...item } = entry;
      map.set(id, item);
    }
    itemsById.set(result, map);
  }
  return map;
}

/**
 * The evidence items of `ids`, in their order (as the part listed them). An id the result does not list is a
 * broken result: it throws rather than silently dropping evidence a verdict rests on.
 */
export function evidenceOf(result: AssessmentResult, ids: readonly string[]): EvidenceItem[] {
  const map = lookup(result);
  return ids.map((id) => {
    const item = map.get(id);
    if (!item) throw new Error(`result cites evidence ${id}, which it does not list`);
    return item;
  });
}

const expanded = new WeakMap<AssessmentResult, ExpandedResult>();

/**
 * Published → nested: every part with its own `evidence` list (the shape up to 0.5.0), for the note and the UI.
 * The same result object gives the same view object (cached), so it can be called on every render.
 */
export function expandResult(result: AssessmentResult): ExpandedResult {
  const cached = expanded.get(result);
  if (cached) return cached;
  const of = (ids: readonly string[]) => evidenceOf(result, ids);
  const expand = <T extends { evidenceIds: string[] }>(
    part: T,
  ): Omit<T, 'evidenceIds'> & { evidence: EvidenceItem[] } => {
    const { evidenceIds, ...rest } = part;
    return { ...rest, evidence: of(evidenceIds) };
  };
  const sub = (s: SubcriterionRecord): SubcriterionOutput => expand(s);
  const criterion = (c: CriterionRecord): CriterionResult => ({
    ...expand(c),
    subcriteria: c.subcriteria.map(sub),
  });
  const snapshot = (s: LiverSnapshotRecord): LiverSnapshot => expand(s);
  const scores = {} as Record<string, unknown>;
  for (const [name, s] of Object.entries(result.scores)) scores[name] = expand(s);
  const { evidence: _listed, ...rest } = result;
  const view: ExpandedResult = {
    ...rest,
    criteria: result.criteria.map(criterion),
    scores: scores as Scores,
    liverTrajectory: result.liverTrajectory.map((t) => ({
      ...t,
      before: snapshot(t.before),
      after: snapshot(t.after),
    })),
    liverWarnings: result.liverWarnings.map(expand),
    priorTaceBurden: { ...result.priorTaceBurden, factors: result.priorTaceBurden.factors.map(expand) },
    taceSessions: result.taceSessions.map((s) => ({ ...s, response: expand(s.response) })),
  };
  expanded.set(result, view);
  return view;
}

/** The nested view of either shape: a published result is expanded (cached), a view is returned as it is. */
export function resultView(result: AssessmentResult | ExpandedResult): ExpandedResult {
  return 'evidence' in result ? expandResult(result) : result;
}

/** The nested view of one of `result.criteria` (the same criterion object, or its view itself). */
export function criterionView(
  result: AssessmentResult | ExpandedResult,
  c: CriterionRecord | CriterionResult,
): CriterionResult {
  if ('evidence' in c) return c;
  const view = resultView(result);
  const i = (result.criteria as readonly (CriterionRecord | CriterionResult)[]).indexOf(c);
  const found = i >= 0 ? view.criteria[i] : view.criteria.find((x) => x.id === c.id);
  if (!found) throw new Error(`criterion ${c.id} is not in the result`);
  return found;
}
