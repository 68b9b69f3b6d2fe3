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

/** Every field of an item, so two items share an id only when they are the same in every field. */
function fullKey(e: EvidenceItem): string {
  const value = e.value === undefined ? '' : `${typeof e.value}:${String(e.value)}`;
  const flags = `${e.confirmed === true ? 'c' : ''}${e.preliminary === true ? 'p' : ''}`;
  return `${e.date}\u0000${e.ref}\u0000${e.label}\u0000${value}\u0000${e.unit ?? ''}\u0000${e.sentence ?? ''}\u0000${e.origin}\u0000${flags}`;
}

type WithEvidence = { evidence: EvidenceItem[] };
type WithIds<T extends WithEvidence> = Omit<T, 'evidence'> & { evidenceIds: string[] };

/**
 * Nested → published. Ids are "e1", "e2", … in the order of the items sorted by date, reference, label, value, unit,
 * sentence, origin and flags; each part keeps the order in which it listed its items.
 */
export function slimResult(full: ExpandedResult): AssessmentResult {
  const items = new Map<string, EvidenceItem>();
  // Each list's keys, computed once per list (a few dozen lists of a few items per patient).
  const keysOfList = new Map<readonly EvidenceItem[], string[]>();
  const visit = (list: readonly EvidenceItem[]): void => {
    if (keysOfList.has(list)) return;
    const keys: string[] = [];
    for (const e of list) {
      const k = fullKey(e);
      if (!items.has(k)) items.set(k, e);
      keys.push(k);
    }
    keysOfList.set(list, keys);
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

  const sorted = [...items.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const idOfKey = new Map<string, string>();
  const evidence: EvidenceEntry[] = sorted.map(([k, e], i) => {
    const id = `e${i + 1}`;
    idOfKey.set(k, id);
    return { id, ...e };
  });
  const ids = (list: readonly EvidenceItem[]): string[] => {
    const keys = keysOfList.get(list);
    if (!keys) throw new Error('slimResult: an evidence list was not collected'); // never drop evidence silently
    return keys.map((k) => idOfKey.get(k) as string);
  };
  const slim = <T extends WithEvidence>(part: T): WithIds<T> => {
    const { evidence: list, ...rest } = part;
    return { ...rest, evidenceIds: ids(list) };
  };

  const scores = {} as Record<string, unknown>;
  for (const [name, s] of Object.entries(full.scores)) scores[name] = slim(s);
  return {
    ...full,
    criteria: full.criteria.map((c) => ({ ...slim(c), subcriteria: c.subcriteria.map(slim) })),
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
