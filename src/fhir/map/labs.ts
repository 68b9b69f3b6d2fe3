/**
 * Observations → LabSeries. Validity rules (ASCVD-style, ARCHITECTURE.md): analyte matched on system + code, then
 * by text; status final/amended/corrected kept, preliminary kept but flagged; a numeric value with a supported
 * unit. Everything rejected is listed as a DataIssue with the reason.
 */
import type {
  AnalyteId,
  Comparator,
  LabSeries,
  Measurement,
  MeasurementStatus,
  ReferenceRange,
} from '../../domain/labs';
import type { DataIssue } from '../../domain/source';
import { sortByDate } from '../../domain/timeline';
import { CANONICAL_UNITS, pivkaFamily, plausibilityProblem, toCanonical } from '../../domain/units';
import { LAB_CODES, codingMatches, textMatches } from '../codes';
import type { AnalyteId as CodesAnalyteId, ValueSetEntry } from '../codes';
import { observationSchema } from '../schemas/observation';
import type { Observation } from '../schemas/observation';
import type { Quantity } from '../schemas/common';
import { SeenIds, conceptLabel, fhirDateProblem, isAfterDay, parseResource, sourceRef } from './common';

export type LabCodes = Readonly<Partial<Record<CodesAnalyteId, ValueSetEntry>>>;

export interface MapObservationsOptions {
  /** Evaluation date (ISO). Values dated on a later day are excluded. Without it no date is "future". */
  readonly asOf?: string;
}

export interface MapObservationsResult {
  readonly series: LabSeries;
  readonly issues: DataIssue[];
}

type Match =
  { readonly analyte: CodesAnalyteId; readonly by: 'code' | 'text' } | { readonly ambiguous: string[] };

/** Code match first (system + code, never code alone); text only when no code matched. */
function matchAnalyte(obs: Observation, codes: LabCodes): Match | undefined {
  const entries = Object.entries(codes) as [CodesAnalyteId, ValueSetEntry][];
  const byCode = entries.filter(([, e]) => (obs.code.coding ?? []).some((c) => codingMatches(e, c)));
  if (byCode.length === 1 && byCode[0]) return { analyte: byCode[0][0], by: 'code' };
  if (byCode.length > 1) return { ambiguous: byCode.map(([k]) => k) };
  let byText = entries.filter(([, e]) => textMatches(e, obs.code)).map(([k]) => k);
  // "AFP-L3" also contains the word "AFP": the more specific analyte wins.
  if (byText.includes('afpL3')) byText = byText.filter((k) => k !== 'afp');
  // "PT/INR" panels name both; the INR is what the scores use.
  if (byText.includes('inr')) byText = byText.filter((k) => k !== 'ptSeconds');
  if (byText.length === 1 && byText[0]) return { analyte: byText[0], by: 'text' };
  if (byText.length > 1) return { ambiguous: byText };
  return undefined;
}

/**
 * matchAnalyte reads only the concept's text and each coding's system, code and display: this key captures exactly
 * those, so observations sharing a concept (most of a long lab history) share one match.
 */
function conceptKey(obs: Observation): string {
  const coding = obs.code.coding ?? [];
  return JSON.stringify([obs.code.text, coding.map((c) => [c.system, c.code, c.display])]);
}

/** matchAnalyte memoised for one mapObservations call (same codes throughout; nothing kept between calls). */
function analyteMatcher(codes: LabCodes): (obs: Observation) => Match | undefined {
  const cache = new Map<string, Match | undefined>();
  return (obs) => {
    const key = conceptKey(obs);
    if (cache.has(key)) return cache.get(key);
    const match = matchAnalyte(obs, codes);
    cache.set(key, match);
    return match;
  };
}

const STRING_VALUE = /^\s*(<=|>=|<|>|≤|≥)?\s*(\d+(?:[.,]\d+)?)\s*(\S.*)?$/;

interface RawValue {
  readonly value: number;
  readonly comparator?: Comparator;
  /** Candidate units, tried in order (UCUM code first, then the human unit). */
  readonly units: (string | undefined)[];
  readonly note?: string;
}

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

function rangeUnit(obs: Observation): string | undefined {
  const r = obs.referenceRange?.[0];
  return r?.low?.code ?? r?.low?.unit ?? r?.high?.code ?? r?.high?.unit;
}

function quantityUnits(q: Quantity): (string | undefined)[] {
  return q.code !== undefined && q.unit !== undefined && q.code !== q.unit
    ? [q.code, q.unit]
    : [q.code ?? q.unit];
}

/** The numeric value, or the reason there is none. */
function readValue(obs: Observation): RawValue | { reason: string; kind: DataIssue['kind'] } {
  if (obs.valueQuantity) {
    const q = obs.valueQuantity;
    if (q.value === undefined) return { reason: 'valueQuantity has no value', kind: 'malformed' };
    const comparator = comparatorOf(q.comparator);
    return { value: q.value, units: quantityUnits(q), ...(comparator ? { comparator } : {}) };
  }
  if (obs.valueString !== undefined) {
    const m = STRING_VALUE.exec(obs.valueString);
    if (!m || m[2] === undefined) {
      return { reason: `text value "${obs.valueString.slice(0, 40)}" is not a number`, kind: 'malformed' };
    }
    const value = Number(m[2].replace(',', '.'));
    const comparator = comparatorOf(m[1]);
    const unitInText = m[3]?.trim();
    const fromRange = unitInText === undefined ? rangeUnit(obs) : undefined;
    return {
      value,
      units: [unitInText ?? fromRange],
      ...(comparator ? { comparator } : {}),
      note: `read from the text value "${obs.valueString}"${fromRange ? ' with the unit of its reference range' : ''}`,
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

/** One reference-range bound in the canonical unit (its own unit first, else the value's units). */
function rangeBound(
  q: Quantity | undefined,
  analyte: AnalyteId,
  fallbackUnits: (string | undefined)[],
): number | undefined {
  if (q?.value === undefined) return undefined;
  for (const u of q.code !== undefined || q.unit !== undefined ? quantityUnits(q) : fallbackUnits) {
    const c = toCanonical(analyte, q.value, u);
    if (c.ok) return c.value;
  }
  return undefined;
}

function convertRange(
  obs: Observation,
  analyte: AnalyteId,
  fallbackUnits: (string | undefined)[],
): ReferenceRange | undefined {
  const r = obs.referenceRange?.[0];
  if (!r) return undefined;
  const low = rangeBound(r.low, analyte, fallbackUnits);
  const high = rangeBound(r.high, analyte, fallbackUnits);
  if (low === undefined && high === undefined) return undefined;
  return {
    ...(low === undefined ? {} : { low }),
    ...(high === undefined ? {} : { high }),
    unit: CANONICAL_UNITS[analyte],
  };
}

function observationDate(obs: Observation): string | undefined {
  return obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? obs.issued;
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
  issues.push({ resourceType: 'Observation', id, reason: `${label}: ${reason}`, kind });
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

    const match = analyteOf(obs);
    if (!match) {
      addIssue(issues, obs.id, label, 'code not in the lab value sets (not used)', 'unsupported');
      continue;
    }
    if ('ambiguous' in match) {
      addIssue(
        issues,
        obs.id,
        label,
        `matches several analytes (${match.ambiguous.join(', ')}): not used`,
        'unsupported',
      );
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
    const val = readValue(obs);
    if ('reason' in val) {
      addIssue(issues, obs.id, label, val.reason, val.kind);
      continue;
    }

    let analyte: AnalyteId = match.analyte;
    if (match.analyte === 'pivka') {
      // §4: mAU/mL and ng/mL are separate series; the unit decides, whatever the LOINC code says.
      const family = val.units.map(pivkaFamily).find((f) => f !== undefined);
      if (!family) {
        addIssue(
          issues,
          obs.id,
          label,
          `PIVKA-II unit "${val.units.filter(Boolean).join('" / "')}" is neither mAU/mL nor ng/mL`,
          'unsupported',
        );
        continue;
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
      addIssue(issues, obs.id, label, converted.error, 'unsupported');
      continue;
    }
    // A value no living patient has is a unit slip or a keying error (albumin "38 g/dL" meant g/L): not used.
    const implausible = plausibilityProblem(analyte, converted.value);
    if (implausible !== undefined) {
      const asSent = `${val.comparator ?? ''}${val.value}${usedUnit ? ` ${usedUnit}` : ''}`;
      addIssue(issues, obs.id, label, `${implausible} (sent as ${asSent}): not used`, 'malformed');
      continue;
    }

    const notes: string[] = [];
    if (val.note) notes.push(val.note);
    if (match.by === 'text') notes.push(`analyte recognised from the text "${label}" (no known code)`);
    if (status === 'preliminary') {
      notes.push('preliminary result');
      addIssue(issues, obs.id, label, 'preliminary result: used, flagged', 'warning');
    }
    const referenceRange = convertRange(obs, analyte, val.units);
    const m: Measurement = {
      analyte,
      value: converted.value,
      ...(val.comparator ? { comparator: val.comparator } : {}),
      unit: converted.unit,
      ...(converted.conversion !== undefined
        ? {
            originalValue: val.value,
            ...(usedUnit ? { originalUnit: usedUnit } : {}),
            conversion: converted.conversion,
          }
        : {}),
      date,
      source: sourceRef('Observation', obs.id, label),
      status,
      ...(referenceRange ? { referenceRange } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    };
    all.push(m);
  }

  // Exact duplicates (same analyte, date-time, comparator, value and unit under different ids) are one result
  // reported twice (e.g. the same lab via two interfaces): keep the first, note the other.
  // byKey holds the position in `kept` (no indexOf scan per duplicate).
  const byKey = new Map<string, number>();
  const kept: Measurement[] = [];
  for (const m of all) {
    const key = `${m.analyte}|${m.date}|${m.comparator ?? ''}|${m.value}|${m.unit}`;
    const idx = byKey.get(key);
    const first = idx === undefined ? undefined : kept[idx];
    if (idx !== undefined && first) {
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
    byKey.set(key, kept.length);
    kept.push(m);
  }

  const series: Partial<Record<AnalyteId, Measurement[]>> = {};
  for (const m of kept) (series[m.analyte] ??= []).push(m);
  for (const k of Object.keys(series) as AnalyteId[]) series[k] = sortByDate(series[k] ?? []);
  return { series, issues };
}
