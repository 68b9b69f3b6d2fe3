/**
 * Shared helpers for the mappers: parse-or-issue, provenance, labels and dates. Mappers never throw: every
 * failure becomes a DataIssue ("parse, don't trust" — ARCHITECTURE.md).
 */
import type { z } from 'zod';
import type { DataIssue, SourceRef } from '../../domain/source';
import type { CodeableConcept } from '../schemas/common';
import { acceptsAsIs } from '../schemas/exact-guard';

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: DataIssue };

function field(raw: unknown, key: string): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const v = (raw as Record<string, unknown>)[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Validates one resource; a failure names the resource and the first zod issues (path + message). */
export function parseResource<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  expectedType: string,
): Parsed<z.infer<S>> {
  let result: ReturnType<S['safeParse']>;
  try {
    // A resource the exact guard accepts is used as received: zod would accept it too, and its copy would equal
    // the resource in every field the schema declares (see exact-guard.ts). Anything else goes through zod.
    if (acceptsAsIs(schema, raw)) return { ok: true, value: raw as z.infer<S> };
    result = schema.safeParse(raw) as ReturnType<S['safeParse']>;
  } catch (e) {
    // safeParse does not throw on data, but a hostile getter could; keep the promise "never throws".
    return {
      ok: false,
      issue: { resourceType: expectedType, reason: `could not be read: ${String(e)}`, kind: 'malformed' },
    };
  }
  if (result.success) return { ok: true, value: result.data as z.infer<S> };
  const details = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(resource)'}: ${i.message}`)
    .join('; ');
  const id = field(raw, 'id');
  return {
    ok: false,
    issue: {
      resourceType: field(raw, 'resourceType') ?? expectedType,
      ...(id === undefined ? {} : { id }),
      reason: `does not match the ${expectedType} schema — ${details}`,
      kind: 'malformed',
    },
  };
}

export function sourceRef(resourceType: string, id: string, display?: string): SourceRef {
  return display === undefined ? { resourceType, id } : { resourceType, id, display };
}

/** The best human label of a concept: text, else the first display, else the first code. */
export function conceptLabel(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  if (concept.text && concept.text.trim() !== '') return concept.text;
  const withDisplay = concept.coding?.find((c) => c.display);
  if (withDisplay?.display) return withDisplay.display;
  return concept.coding?.find((c) => c.code)?.code;
}

/**
 * FHIR date / dateTime / instant shapes (YYYY, YYYY-MM, YYYY-MM-DD, or a date-time with an optional zone; seconds
 * optional, as several EHRs send "T08:30"). The shape alone is not enough: "2026-02-30" or "2026-13-01" matches
 * it, and `Date` silently rolls it over to another day — see isFhirDate.
 */
const FHIR_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))?)?)?)?$/;

/** Days in a month of the Gregorian calendar (FHIR R4 date/dateTime are the XML Schema types: Gregorian). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const ZERO = 48;
const DASH = 45;
const COLON = 58;
const POINT = 46;

const isDigitAt = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i) - ZERO; // NaN past the end: not a digit
  return c >= 0 && c <= 9;
};

/** The two-digit number at `i`, or -1 when either character is not an ASCII digit (regex `\d`, no u flag). */
function twoDigits(s: string, i: number): number {
  return isDigitAt(s, i) && isDigitAt(s, i + 1)
    ? (s.charCodeAt(i) - ZERO) * 10 + (s.charCodeAt(i + 1) - ZERO)
    : -1;
}

/**
 * True when `value` is a FHIR date/dateTime/instant that names a real calendar day and time: month 01–12, day
 * within the month (2025-02-29, 2026-02-30 and 2026-04-31 are rejected), hour 00–23, minute 00–59, second 00–60
 * (leap second), zone offset hours 00–14 and minutes 00–59 (FHIR R4 dateTime regex).
 *
 * Read character by character rather than with FHIR_DATE: this runs on every date of every resource, and the
 * regex's match array (ten groups) was most of its cost. The grammar is FHIR_DATE's, part by part; it is
 * deterministic (each optional part starts with its own character: "-", "T", ":", ".", "Z" / "+" / "-" after the
 * minutes), so this one left-to-right pass accepts exactly the strings FHIR_DATE matches, then applies the same
 * range checks. tests/unit/map-speed-dates.test.ts compares it with the regex version over generated strings.
 */
export function isFhirDate(value: string): boolean {
  const n = value.length;
  if (n < 4 || !isDigitAt(value, 0) || !isDigitAt(value, 1) || !isDigitAt(value, 2) || !isDigitAt(value, 3))
    return false;
  if (n === 4) return true;
  const month = value.charCodeAt(4) === DASH ? twoDigits(value, 5) : -1;
  if (month < 1 || month > 12) return false; // also: not "-MM"
  if (n === 7) return true;
  const day = value.charCodeAt(7) === DASH ? twoDigits(value, 8) : -1;
  if (day < 1 || day > daysInMonth(Number(value.slice(0, 4)), month)) return false;
  if (n === 10) return true;
  if (value[10] !== 'T' || value.charCodeAt(13) !== COLON) return false;
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  let i = 16;
  if (value.charCodeAt(i) === COLON) {
    const second = twoDigits(value, i + 1);
    if (second < 0 || second > 60) return false;
    i += 3;
    if (value.charCodeAt(i) === POINT) {
      let j = i + 1;
      while (isDigitAt(value, j)) j += 1;
      if (j === i + 1) return false; // "." needs at least one digit
      i = j;
    }
  }
  if (i === n) return true;
  const zone = value[i];
  if (zone === 'Z') return i + 1 === n;
  if (zone !== '+' && zone !== '-') return false;
  if (i + 6 !== n || value.charCodeAt(i + 3) !== COLON) return false;
  const zh = twoDigits(value, i + 1);
  const zm = twoDigits(value, i + 4);
  return zh >= 0 && zh <= 14 && zm >= 0 && zm <= 59;
}

/** Why a date string cannot be used, in words for a DataIssue ("not a FHIR date" or "not a real calendar date"). */
export function fhirDateProblem(value: string): string | undefined {
  if (isFhirDate(value)) return undefined;
  return FHIR_DATE.test(value)
    ? `date "${value}" is not a real calendar date or time`
    : `date "${value}" is not a FHIR date`;
}

/** True when `date` falls on a later day than `asOf` (date parts compared; no clock is read here). */
export function isAfterDay(date: string, asOf: string | undefined): boolean {
  if (asOf === undefined) return false;
  // `date.slice(0, 10) > asOf.slice(0, 10)` without the two slices: the same code-unit by code-unit comparison of
  // the first ten characters, where a proper prefix is the smaller string.
  const n = Math.min(date.length, 10);
  const m = Math.min(asOf.length, 10);
  for (let i = 0; i < n && i < m; i += 1) {
    const d = date.charCodeAt(i) - asOf.charCodeAt(i);
    if (d !== 0) return d > 0;
  }
  return n > m;
}

/**
 * Tracks resource ids per type so that a repeated id (overlapping pages, _include copies) is used once and
 * listed once.
 */
export class SeenIds {
  /** Ids by resource type (no `type/id` string built per resource read). */
  private readonly seen = new Map<string, Set<string>>();
  /** The ids of the type asked last (each mapper asks for one type): no map look-up per resource. */
  private lastType: string | undefined;
  private lastIds: Set<string> | undefined;
  /** Returns an issue when `resourceType/id` was already seen, else records it and returns undefined. */
  check(resourceType: string, id: string): DataIssue | undefined {
    let ids = resourceType === this.lastType ? this.lastIds : this.seen.get(resourceType);
    if (ids === undefined) {
      ids = new Set<string>();
      this.seen.set(resourceType, ids);
    }
    this.lastType = resourceType;
    this.lastIds = ids;
    // One add instead of has + add: the size grows exactly when the id was not in the set.
    const before = ids.size;
    ids.add(id);
    if (ids.size === before) {
      return {
        resourceType,
        id,
        reason: 'duplicate resource id: the later copy was ignored',
        kind: 'warning',
      };
    }
    return undefined;
  }
}

/**
 * Modifier extensions the app understands, by URL. None today: every modifierExtension makes its resource unusable.
 * A mapper that learns to read one (and applies what it changes) adds its URL here.
 */
export const UNDERSTOOD_MODIFIER_EXTENSIONS: ReadonlySet<string> = new Set<string>();

/** Deep enough for any FHIR resource we read (Observation.component, Procedure.performer …); bounds hostile input. */
const MODIFIER_SCAN_DEPTH = 12;

/**
 * Appends the modifier-extension URLs under `node` to `out` (created on the first one found) and returns it. This
 * runs on every resource read and almost never finds one, so the walk allocates nothing until it does: `for…in`
 * (no key array per object; JSON objects have no inherited enumerable keys, so it visits exactly Object.keys, in
 * the same order) and no result array while there is nothing to report.
 */
function modifierUrls(node: object, depth: number, out: string[] | undefined): string[] | undefined {
  if (depth > MODIFIER_SCAN_DEPTH) return out;
  let found = out;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i += 1) {
      const item: unknown = node[i];
      if (typeof item === 'object' && item !== null) found = modifierUrls(item, depth + 1, found);
    }
    return found;
  }
  const o = node as Record<string, unknown>;
  for (const key in o) {
    // A contained resource is a resource of its own: whoever resolves and uses it checks it.
    if (key === 'contained') continue;
    const value = o[key];
    if (key === 'modifierExtension') {
      found ??= [];
      if (Array.isArray(value)) for (const ext of value) found.push(field(ext, 'url') ?? '(no url)');
      else found.push(field(value, 'url') ?? '(no url)');
    }
    if (typeof value === 'object' && value !== null) found = modifierUrls(value, depth + 1, found);
  }
  return found;
}

const NO_URLS: readonly string[] = [];

/**
 * The modifier-extension URLs of a resource. Scanned once per resource: the loader checks every resource it routes
 * and tells the lab mapper so (BuildTimelineOptions.modifiersChecked), so no cache is kept.
 */
function modifierUrlsOf(raw: unknown): readonly string[] {
  if (typeof raw !== 'object' || raw === null) return NO_URLS;
  return modifierUrls(raw, 0, undefined) ?? NO_URLS;
}

/**
 * The issue for a resource that carries a modifierExtension (at any level, outside `contained`) the app does not
 * understand; undefined when there is none. FHIR R4 (extensibility.html §2.4.3 "modifierExtension"): a modifier
 * extension changes the meaning of the element that holds it, and applications "SHALL NOT ignore" one they do
 * not understand — the safe choice is not to use the resource, and to say why. Call it in every mapper right after
 * the schema check (labs does; procedures, imaging, meds, conditions, documents should).
 */
export function modifierExtensionIssue(
  raw: unknown,
  resourceType: string,
  understood: ReadonlySet<string> = UNDERSTOOD_MODIFIER_EXTENSIONS,
): DataIssue | undefined {
  let urls: readonly string[];
  try {
    urls = modifierUrlsOf(raw);
  } catch (e) {
    return {
      resourceType,
      ...(field(raw, 'id') === undefined ? {} : { id: field(raw, 'id') as string }),
      reason: `modifier extensions could not be read (${String(e)}): not used`,
      kind: 'unsupported',
    };
  }
  if (urls.length === 0) return undefined;
  const unknown = [...new Set(urls.filter((u) => !understood.has(u)))];
  if (unknown.length === 0) return undefined;
  const id = field(raw, 'id');
  return {
    resourceType: field(raw, 'resourceType') ?? resourceType,
    ...(id === undefined ? {} : { id }),
    reason: `has a modifier extension the app does not understand: not used (${unknown.join(', ')})`,
    kind: 'unsupported',
  };
}
