/**
 * Shared helpers for the mappers: parse-or-issue, provenance, labels and dates. Mappers never throw: every
 * failure becomes a DataIssue ("parse, don't trust" — ARCHITECTURE.md).
 */
import type { z } from 'zod';
import type { DataIssue, SourceRef } from '../../domain/source';
import type { CodeableConcept } from '../schemas/common';

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

/** FHIR date / dateTime shapes (YYYY, YYYY-MM, YYYY-MM-DD, or a full date-time with zone). */
const FHIR_DATE = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export function isFhirDate(value: string): boolean {
  return FHIR_DATE.test(value);
}

/** True when `date` falls on a later day than `asOf` (date parts compared; no clock is read here). */
export function isAfterDay(date: string, asOf: string | undefined): boolean {
  return asOf !== undefined && date.slice(0, 10) > asOf.slice(0, 10);
}

/**
 * Tracks resource ids per type so that a repeated id (overlapping pages, _include copies) is used once and
 * listed once.
 */
export class SeenIds {
  private readonly seen = new Set<string>();
  /** Returns an issue when `resourceType/id` was already seen, else records it and returns undefined. */
  check(resourceType: string, id: string): DataIssue | undefined {
    const key = `${resourceType}/${id}`;
    if (this.seen.has(key)) {
      return {
        resourceType,
        id,
        reason: 'duplicate resource id: the later copy was ignored',
        kind: 'warning',
      };
    }
    this.seen.add(key);
    return undefined;
  }
}
