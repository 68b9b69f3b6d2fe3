/**
 * Observations → LabSeries. Validity rules (ASCVD-style, ARCHITECTURE.md): analyte matched on system + code (the
 * system may be sent as its OID), then by name; status final/amended/corrected kept, preliminary kept but
 * flagged; a numeric value with a supported unit. A panel's `component[]` is read component by component. A
 * resource with a modifier extension is not used. Everything rejected is listed as a DataIssue with the reason.
 */
import { readableName } from '../../domain/display-labels';
import type {
  AnalyteId,
  Comparator,
  LabSeries,
  Measurement,
  MeasurementStatus,
  ReferenceRange,
} from '../../domain/labs';
import type { DataIssue } from '../../domain/source';
import { compareByDate } from '../../domain/timeline';
import {
  CANONICAL_UNITS,
  toCanonicalValue,
  pivkaFamily,
  plausibilityProblem,
  toCanonical,
} from '../../domain/units';
import { LAB_CODES, SYSTEMS, codingMatches, isSystem, textMatches } from '../codes';
import type { AnalyteId as CodesAnalyteId, ValueSetEntry } from '../codes';
import { observationSchema } from '../schemas/observation';
import type { Observation } from '../schemas/observation';
import type { CodeableConcept, Quantity } from '../schemas/common';
import {
  SeenIds,
  conceptLabel,
  fhirDateProblem,
  isAfterDay,
  modifierExtensionIssue,
  parseResource,
  sourceRef,
} from './common';

export type LabCodes = Readonly<Partial<Record<CodesAnalyteId, ValueSetEntry>>>;

export interface MapObservationsOptions {
  /** Evaluation date (ISO). Values dated on a later day are excluded. Without it no date is "future". */
  readonly asOf?: string;
  /** The resources have already passed the modifier-extension check (see BuildTimelineOptions). */
  readonly modifiersChecked?: boolean;
}

export interface MapObservationsResult {
  readonly series: LabSeries;
  readonly issues: DataIssue[];
}

type Match =
  { readonly analyte: CodesAnalyteId; readonly by: 'code' | 'text' } | { readonly ambiguous: string[] };

/**
 * Code match first (system + code, never code alone); by name (LOINC short names and common display names, see
 * codes.ts) only when no code matched.
 */
function matchAnalyte(
  concept: CodeableConcept,
  entries: readonly (readonly [CodesAnalyteId, ValueSetEntry])[],
): Match | undefined {
  const byCode = entries.filter(([, e]) => (concept.coding ?? []).some((c) => codingMatches(e, c)));
  if (byCode.length === 1 && byCode[0]) return { analyte: byCode[0][0], by: 'code' };
  if (byCode.length > 1) return { ambiguous: byCode.map(([k]) => k) };
  let byText = entries.filter(([, e]) => textMatches(e, concept)).map(([k]) => k);
  // "AFP-L3" also contains the word "AFP": the more specific analyte wins.
  if (byText.includes('afpL3')) byText = byText.filter((k) => k !== 'afp');
  // "PT/INR" panels name both; the INR is what the scores use.
  if (byText.includes('inr')) byText = byText.filter((k) => k !== 'ptSeconds');
  if (byText.length === 1 && byText[0]) return { analyte: byText[0], by: 'text' };
  if (byText.length > 1) return { ambiguous: byText };
  return undefined;
}

/**
 * One level of the per-call match memo: a trie over the fields matchAnalyte reads (the concept's text, then each
 * coding's system, code and display, in order). Two concepts reach the same node with `done` set only when all
 * those fields are equal (a concept with n codings takes exactly 1 + 3n steps; `undefined` and "" are different
 * Map keys), so observations sharing a concept (most of a long lab history) share one match, with no key string
 * built per lab value.
 */
interface MatchNode {
  readonly next: Map<string | undefined, MatchNode>;
  done: boolean;
  match: Match | undefined;
}

const matchNode = (): MatchNode => ({ next: new Map(), done: false, match: undefined });

function step(node: MatchNode, value: string | undefined): MatchNode {
  let child = node.next.get(value);
  if (child === undefined) {
    child = matchNode();
    node.next.set(value, child);
  }
  return child;
}

/** matchAnalyte memoised for one mapObservations call (same codes throughout; nothing kept between calls). */
function analyteMatcher(codes: LabCodes): (concept: CodeableConcept) => Match | undefined {
  const root = matchNode();
  // Object.entries(codes) once per call (on the first concept matched, as before) rather than once per concept
  // matched: the codes do not change meanwhile.
  let entries: [CodesAnalyteId, ValueSetEntry][] | undefined;
  return (concept) => {
    let node = step(root, concept.text);
    const coding = concept.coding;
    if (coding) for (const c of coding) node = step(step(step(node, c.system), c.code), c.display);
    if (!node.done) {
      node.match = matchAnalyte(
        concept,
        (entries ??= Object.entries(codes) as [CodesAnalyteId, ValueSetEntry][]),
      );
      node.done = true;
    }
    return node.match;
  };
}

/**
 * How a number written as text reads. `ambiguous`: the separators allow two readings; `value` is the one taken
 * only if the analyte's plausible range rules `other` out (the mapper decides, after the unit is known).
 */
export type NumberReading =
  | { readonly kind: 'number'; readonly value: number; readonly how?: string }
  | { readonly kind: 'ambiguous'; readonly value: number; readonly other: number; readonly why: string }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Reads the number part of a text value (issue 10 item 5: never misread a separator).
 * - "1234", "12.5": plain.
 * - "1,234", "12,345.6", "1,234,567": commas between groups of three digits are thousands separators (US / UK
 *   export convention); read without them.
 * - "3,4", "3,45" (one comma, 1–2 digits after, no point): a European decimal comma (3.4) or a stray separator
 *   (34): ambiguous — taken as 3.4 only when 34 is outside the analyte's plausible range.
 * - "1.250" (1–3 digits, a point, exactly 3 digits): a decimal (1.25) or a European thousands point (1250):
 *   ambiguous the same way.
 * - anything else with separators ("1.234,5", "1,23,456", "1,2345", "5."): refused.
 */
export function readNumberText(token: string): NumberReading {
  if (/^\d+$/.test(token)) return { kind: 'number', value: Number(token) };
  if (/^[1-9]\d{0,2}\.\d{3}$/.test(token)) {
    return {
      kind: 'ambiguous',
      value: Number(token),
      other: Number(token.replace('.', '')),
      why: 'a point before three digits can be a decimal point or a thousands separator',
    };
  }
  if (/^\d+\.\d+$/.test(token)) return { kind: 'number', value: Number(token) };
  if (/^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/.test(token)) {
    return { kind: 'number', value: Number(token.replace(/,/g, '')), how: 'thousands separators removed' };
  }
  if (/^\d+,\d{1,2}$/.test(token)) {
    return {
      kind: 'ambiguous',
      value: Number(token.replace(',', '.')),
      other: Number(token.replace(',', '')),
      why: 'a comma before one or two digits can be a decimal comma or a separator',
    };
  }
  return { kind: 'refused', reason: `number "${token}" has separators that cannot be read unambiguously` };
}

const STRING_VALUE = /^\s*(<=|>=|<|>|≤|≥)?\s*(\d[\d.,]*)\s*(\S.*)?$/;

interface RawValue {
  readonly value: number;
  readonly comparator?: Comparator;
  /** Candidate units, tried in order (UCUM code first, then the human unit). */
  readonly units: (string | undefined)[];
  readonly note?: string;
  /** The text value had two readings (see readNumberText): `value` is used only if `other` is implausible. */
  readonly ambiguity?: { readonly text: string; readonly other: number; readonly why: string };
}

/** The value-bearing parts of an Observation or of one of its components. */
interface ValueParts {
  readonly valueQuantity?: Quantity;
  readonly valueString?: string;
  readonly valueCodeableConcept?: CodeableConcept;
  readonly dataAbsentReason?: CodeableConcept;
  readonly referenceRange?: Observation['referenceRange'];
}

const hasValue = (p: ValueParts): boolean =>
  p.valueQuantity !== undefined || p.valueString !== undefined || p.valueCodeableConcept !== undefined;

function comparatorOf(symbol: string | undefined): Comparator | undefined {
  switch (symbol) {
    case '<':
    case '<=':
    case '>':
    case '>=':
      return symbol;
    case '≤':
      return '<=';
    case '≥':
      return '>=';
    default:
      return undefined;
  }
}

function rangeUnit(obs: ValueParts): string | undefined {
  const r = obs.referenceRange?.[0];
  return r?.low?.code ?? r?.low?.unit ?? r?.high?.code ?? r?.high?.unit;
}

function quantityUnits(q: Quantity): (string | undefined)[] {
  return q.code !== undefined && q.unit !== undefined && q.code !== q.unit
    ? [q.code, q.unit]
    : [q.code ?? q.unit];
}

/** The numeric value, or the reason there is none. */
function readValue(obs: ValueParts): RawValue | { reason: string; kind: DataIssue['kind'] } {
  if (obs.valueQuantity) {
    const q = obs.valueQuantity;
    if (q.value === undefined) return { reason: 'valueQuantity has no value', kind: 'malformed' };
    const comparator = comparatorOf(q.comparator);
    // No conditional spread: it would build a throwaway object per lab value.
    return comparator
      ? { value: q.value, units: quantityUnits(q), comparator }
      : { value: q.value, units: quantityUnits(q) };
  }
  if (obs.valueString !== undefined) {
    const m = STRING_VALUE.exec(obs.valueString);
    if (!m || m[2] === undefined) {
      return { reason: `text value "${obs.valueString.slice(0, 40)}" is not a number`, kind: 'malformed' };
    }
    const reading = readNumberText(m[2]);
    if (reading.kind === 'refused') {
      return { reason: `text value "${obs.valueString.slice(0, 40)}": ${reading.reason}`, kind: 'malformed' };
    }
    const comparator = comparatorOf(m[1]);
    const unitInText = m[3]?.trim();
    const fromRange = unitInText === undefined ? rangeUnit(obs) : undefined;
    const how = reading.kind === 'number' && reading.how ? ` (${reading.how})` : '';
    return {
      value: reading.value,
      units: [unitInText ?? fromRange],
      ...(comparator ? { comparator } : {}),
      note: `read from the text value "${obs.valueString}"${how}${fromRange ? ' with the unit of its reference range' : ''}`,
      ...(reading.kind === 'ambiguous'
        ? { ambiguity: { text: obs.valueString, other: reading.other, why: reading.why } }
        : {}),
    };
  }
  if (obs.dataAbsentReason) {
    return {
      reason: `no value (${conceptLabel(obs.dataAbsentReason) ?? 'data absent'})`,
      kind: 'unsupported',
    };
  }
  if (obs.valueCodeableConcept) {
    return {
      reason: `coded value "${conceptLabel(obs.valueCodeableConcept) ?? ''}" is not a number`,
      kind: 'unsupported',
    };
  }
  return { reason: 'no value', kind: 'malformed' };
}

/**
 * One reference-range bound in the canonical unit (its own unit first, else the value's units). Exported for
 * tests/unit/map-speed-values.test.ts.
 */
export function rangeBound(
  q: Quantity | undefined,
  analyte: AnalyteId,
  fallbackUnits: (string | undefined)[],
): number | undefined {
  if (q?.value === undefined) return undefined;
  for (const u of q.code !== undefined || q.unit !== undefined ? quantityUnits(q) : fallbackUnits) {
    const c = toCanonicalValue(analyte, q.value, u);
    if (c !== undefined) return c;
  }
  return undefined;
}

function convertRange(
  obs: ValueParts,
  analyte: AnalyteId,
  fallbackUnits: (string | undefined)[],
): ReferenceRange | undefined {
  const r = obs.referenceRange?.[0];
  if (!r) return undefined;
  const low = rangeBound(r.low, analyte, fallbackUnits);
  const high = rangeBound(r.high, analyte, fallbackUnits);
  if (low === undefined && high === undefined) return undefined;
  const unit = CANONICAL_UNITS[analyte];
  if (low === undefined) return { high, unit };
  return high === undefined ? { low, unit } : { low, high, unit };
}

/** effective[x] (dateTime, Period.start or instant), else `issued`. */
function observationDate(obs: Observation): string | undefined {
  return obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.effectiveInstant ?? obs.issued;
}

const KEPT: Partial<Record<Observation['status'], MeasurementStatus>> = {
  final: 'final',
  amended: 'amended',
  corrected: 'corrected',
  preliminary: 'preliminary',
};

/**
 * Records a rejected or flagged Observation. A plain function rather than a closure per observation: the loop
 * runs once per lab value (thousands in a long history).
 */
function addIssue(
  issues: DataIssue[],
  id: string,
  label: string,
  reason: string,
  kind: DataIssue['kind'],
): void {
  issues.push({ resourceType: 'Observation', id, reason: `${readableName(label)}: ${reason}`, kind });
}

/**
 * One part → a Measurement, or an issue pushed and undefined. `id`, `date` and `status` are the Observation's
 * (passed one by one: no context object per lab value).
 */
function readPart(
  part: LabPart,
  match: Extract<Match, { analyte: CodesAnalyteId }>,
  id: string,
  date: string,
  status: MeasurementStatus,
  issues: DataIssue[],
): Measurement | undefined {
  const label = part.label;
  const val = readValue(part);
  if ('reason' in val) {
    addIssue(issues, id, label, val.reason, val.kind);
    return undefined;
  }

  let analyte: AnalyteId = match.analyte;
  if (match.analyte === 'pivka') {
    // §4: mAU/mL and ng/mL are separate series; the unit decides, whatever the LOINC code says.
    const family = val.units.map(pivkaFamily).find((f) => f !== undefined);
    if (!family) {
      addIssue(
        issues,
        id,
        label,
        `PIVKA-II unit "${val.units.filter(Boolean).join('" / "')}" is neither mAU/mL nor ng/mL`,
        'unsupported',
      );
      return undefined;
    }
    analyte = family;
  }

  let converted: ReturnType<typeof toCanonical> = { ok: false, error: '' };
  let usedUnit: string | undefined;
  for (const u of val.units) {
    converted = toCanonical(analyte, val.value, u);
    usedUnit = u;
    if (converted.ok) break;
  }
  if (!converted.ok) {
    addIssue(issues, id, label, converted.error, 'unsupported');
    return undefined;
  }
  const unitShown = usedUnit ? ` ${usedUnit}` : '';
  // Made on the first note: most lab values have none.
  let notes: string[] | undefined;
  if (val.note) notes = [val.note];
  // Two readings of the text ("3,4": 3.4 or 34): the first only when the analyte's plausible range rules out the
  // other; otherwise not used — never a guess.
  if (val.ambiguity) {
    const other = toCanonical(analyte, val.ambiguity.other, usedUnit);
    const otherProblem = other.ok ? plausibilityProblem(analyte, other.value) : 'not convertible';
    if (otherProblem === undefined) {
      addIssue(
        issues,
        id,
        label,
        `ambiguous number "${val.ambiguity.text}": ${val.ambiguity.why} (${val.value} or ${val.ambiguity.other}${unitShown}, both plausible): not used`,
        'malformed',
      );
      return undefined;
    }
    (notes ??= []).push(
      `"${val.ambiguity.text}" read as ${val.value}${unitShown}: ${val.ambiguity.why}, and ${val.ambiguity.other}${unitShown} is impossible (${otherProblem})`,
    );
  }
  // A value no living patient has is a unit slip or a keying error (albumin "38 g/dL" meant g/L): not used.
  const implausible = plausibilityProblem(analyte, converted.value);
  if (implausible !== undefined) {
    const asSent = `${val.comparator ?? ''}${val.value}${unitShown}`;
    addIssue(issues, id, label, `${implausible} (sent as ${asSent}): not used`, 'malformed');
    return undefined;
  }

  if (match.by === 'text') {
    const code = firstCode(part.concept);
    (notes ??= []).push(
      `analyte matched by name: the text "${label}"${code ? ` (its code ${code} is not in the app's value sets)` : ' (no code)'}`,
    );
  }
  if (status === 'preliminary') (notes ??= []).push('preliminary result');
  const referenceRange = convertRange(part, analyte, val.units);
  // Assigned field by field in the published key order (the result's JSON follows it): conditional spreads would
  // allocate a throwaway object per optional field, once per lab value.
  const m: { -readonly [K in keyof Measurement]?: Measurement[K] } = { analyte, value: converted.value };
  if (val.comparator) m.comparator = val.comparator;
  m.unit = converted.unit;
  if (converted.conversion !== undefined) {
    m.originalValue = val.value;
    if (usedUnit) m.originalUnit = usedUnit;
    m.conversion = converted.conversion;
  }
  m.date = date;
  m.source = sourceRef('Observation', id, label);
  m.status = status;
  if (referenceRange) m.referenceRange = referenceRange;
  if (notes !== undefined) m.notes = notes;
  return m as Measurement; // every required field is set above
}

/** One result to read: the Observation itself, or one of its components. */
interface LabPart extends ValueParts {
  readonly label: string;
  /** The part's own concept (the Observation's code, or the component's). */
  readonly concept: CodeableConcept;
  readonly match: Match | undefined;
  /** Why the part has no concept to match (a component without `code`). */
  readonly noCode?: string;
}

/** "LOINC 2862-1" (a LOINC coding first), else "system|code" of the first coding, for messages. */
function firstCode(concept: CodeableConcept): string | undefined {
  const coded = (concept.coding ?? []).filter((x) => x.code !== undefined && x.system !== undefined);
  const loinc = coded.find((x) => isSystem(x, SYSTEMS.loinc));
  if (loinc?.code) return `LOINC ${loinc.code}`;
  const c = coded[0];
  return c?.code ? `${String(c.system)}|${c.code}` : undefined;
}

/**
 * A part carries only the value fields it is read by (readValue, convertRange), not a copy of the whole resource,
 * which every Observation read would otherwise pay for. One object shape for every part (absent fields are
 * undefined, which every reader treats as absent).
 */
function labPart(
  o: ValueParts,
  label: string,
  concept: CodeableConcept,
  match: Match | undefined,
  noCode?: string,
): LabPart {
  return {
    valueQuantity: o.valueQuantity,
    valueString: o.valueString,
    valueCodeableConcept: o.valueCodeableConcept,
    dataAbsentReason: o.dataAbsentReason,
    referenceRange: o.referenceRange,
    label,
    concept,
    match,
    noCode,
  };
}

/**
 * The parts of an Observation to read. Without components: the Observation. With components (a panel such as a
 * hepatic function panel, LOINC 24325-3, sent as one Observation): each component, labelled "panel › component",
 * plus the Observation's own value when it has one and its code names an analyte.
 */
function partsOf(
  obs: Observation,
  label: string,
  analyteOf: (c: CodeableConcept) => Match | undefined,
): LabPart[] {
  const components = obs.component ?? [];
  const own = labPart(obs, label, obs.code, analyteOf(obs.code));
  if (components.length === 0) return [own];
  const parts: LabPart[] = own.match && hasValue(obs) ? [own] : [];
  components.forEach((c, i) => {
    const name = conceptLabel(c.code) ?? `component ${i + 1}`;
    parts.push(
      c.code
        ? labPart(c, `${label} › ${name}`, c.code, analyteOf(c.code))
        : labPart(c, `${label} › ${name}`, {}, undefined, `component ${i + 1} has no code: not used`),
    );
  });
  return parts;
}

const usable = (m: Match | undefined): m is Extract<Match, { analyte: CodesAnalyteId }> =>
  m !== undefined && !('ambiguous' in m);

/**
 * Same comparator, value and unit (analyte and date-time are matched by the caller): exactly the results the
 * former key `${analyte}|${date}|${comparator ?? ''}|${value}|${unit}` made equal — a number's string is the same
 * only for the same number (0 and -0 alike, NaN alike), and no date, unit or comparator contains "|".
 */
function sameResult(a: Measurement, b: Measurement): boolean {
  return (
    (a.comparator ?? '') === (b.comparator ?? '') &&
    a.unit === b.unit &&
    (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)))
  );
}

/** Whether any part matched exactly one analyte (a loop: no closure per Observation). */
function anyUsable(parts: readonly LabPart[]): boolean {
  for (const p of parts) if (usable(p.match)) return true;
  return false;
}

/** Lists a part that matched no analyte or several (a plain function: no closure per Observation). */
function unmatched(issues: DataIssue[], id: string, label: string, part: LabPart): void {
  if (part.noCode !== undefined) addIssue(issues, id, label, part.noCode, 'unsupported');
  else if (part.match && 'ambiguous' in part.match)
    addIssue(
      issues,
      id,
      part.label,
      `matches several analytes (${part.match.ambiguous.join(', ')}): not used`,
      'unsupported',
    );
  else addIssue(issues, id, part.label, 'code not in the lab value sets (not used)', 'unsupported');
}

/** Observations → per-analyte series in canonical units, plus every issue. Never throws. */
export function mapObservations(
  resources: readonly unknown[],
  codes: LabCodes = LAB_CODES,
  options: MapObservationsOptions = {},
): MapObservationsResult {
  const issues: DataIssue[] = [];
  const seen = new SeenIds();
  const all: Measurement[] = [];
  const analyteOf = analyteMatcher(codes);

  for (const raw of resources) {
    const parsed = parseResource(observationSchema, raw, 'Observation');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const obs = parsed.value;
    const dup = seen.check('Observation', obs.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    const label = conceptLabel(obs.code) ?? 'Observation';
    const modifier = options.modifiersChecked ? undefined : modifierExtensionIssue(raw, 'Observation');
    if (modifier) {
      addIssue(issues, obs.id, label, modifier.reason, modifier.kind);
      continue;
    }

    const parts = partsOf(obs, label, analyteOf);
    if (!anyUsable(parts)) {
      for (const part of parts) unmatched(issues, obs.id, label, part);
      continue;
    }
    const status = KEPT[obs.status];
    if (!status) {
      addIssue(issues, obs.id, label, `status ${obs.status}: excluded`, 'excluded');
      continue;
    }
    const date = observationDate(obs);
    if (date === undefined) {
      addIssue(issues, obs.id, label, 'no effective date', 'malformed');
      continue;
    }
    const dateProblem = fhirDateProblem(date);
    if (dateProblem !== undefined) {
      addIssue(issues, obs.id, label, `${dateProblem}: not used`, 'malformed');
      continue;
    }
    if (isAfterDay(date, options.asOf)) {
      addIssue(
        issues,
        obs.id,
        label,
        `dated ${date}, after the evaluation date ${String(options.asOf)}: excluded`,
        'excluded',
      );
      continue;
    }
    let used = 0;
    for (const part of parts) {
      if (!usable(part.match)) {
        unmatched(issues, obs.id, label, part);
        continue;
      }
      const m = readPart(part, part.match, obs.id, date, status, issues);
      if (m) {
        all.push(m);
        used += 1;
      }
    }
    if (used > 0 && status === 'preliminary')
      addIssue(issues, obs.id, label, 'preliminary result: used, flagged', 'warning');
  }

  // Exact duplicates (same analyte, date-time, comparator, value and unit under different ids) are one result
  // reported twice (e.g. the same lab via two interfaces): keep the first, note the other.
  // Looked up by analyte, then date-time (no key string per lab value): `firstAt` holds the position in `kept` of
  // the first result of that analyte at that time, `nextSame[i]` the next one after position i (-1: none). The few
  // results sharing both are compared field by field (sameResult).
  const firstAt = new Map<AnalyteId, Map<string, number>>();
  const nextSame: number[] = [];
  const kept: Measurement[] = [];
  for (const m of all) {
    let byDate = firstAt.get(m.analyte);
    if (byDate === undefined) {
      byDate = new Map<string, number>();
      firstAt.set(m.analyte, byDate);
    }
    const head = byDate.get(m.date);
    let idx = head ?? -1;
    let last = -1;
    while (idx !== -1 && !sameResult(kept[idx] as Measurement, m)) {
      last = idx;
      idx = nextSame[idx] ?? -1;
    }
    const first = idx === -1 ? undefined : kept[idx];
    if (first) {
      const merged: Measurement = {
        ...first,
        notes: [...(first.notes ?? []), `duplicate of Observation/${m.source.id} merged`],
      };
      kept[idx] = merged;
      issues.push({
        resourceType: 'Observation',
        id: m.source.id,
        reason: `same ${m.analyte} value, unit and time as Observation/${first.source.id}: merged`,
        kind: 'warning',
      });
      continue;
    }
    const position = kept.length;
    kept.push(m);
    nextSame.push(-1);
    if (head === undefined) byDate.set(m.date, position);
    else nextSame[last] = position;
  }

  const series: Partial<Record<AnalyteId, Measurement[]>> = {};
  for (const m of kept) (series[m.analyte] ??= []).push(m);
  // Sorted in place with sortByDate's comparison: each series array is new here and not yet seen by anyone, so
  // sorting it equals sorting a copy (Array.prototype.sort is stable, as sortByDate relies on).
  for (const k of Object.keys(series) as AnalyteId[]) series[k]?.sort(compareByDate);
  return { series, issues };
}
