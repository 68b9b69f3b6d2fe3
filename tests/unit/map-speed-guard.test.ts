import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codeableConceptSchema } from '../../src/fhir/schemas/common';
import { conditionSchema } from '../../src/fhir/schemas/condition';
import { diagnosticReportSchema } from '../../src/fhir/schemas/diagnostic-report';
import { documentReferenceSchema } from '../../src/fhir/schemas/document-reference';
import { acceptsAsIs, hasExactGuard } from '../../src/fhir/schemas/exact-guard';
import { imagingStudySchema } from '../../src/fhir/schemas/imaging-study';
import { medicationRequestSchema, medicationSchema } from '../../src/fhir/schemas/medication-request';
import { observationSchema } from '../../src/fhir/schemas/observation';
import { patientSchema } from '../../src/fhir/schemas/patient';
import { procedureSchema } from '../../src/fhir/schemas/procedure';
import { jsonFilesUnder } from './fixture-files';

/**
 * The exact guard (src/fhir/schemas/exact-guard.ts) lets parseResource use a resource as received instead of
 * zod's copy. It must never accept what zod rejects. Here it is compared with zod over every resource of the
 * fixtures and over mutations of them (each field removed, each value replaced by values of other types).
 */
const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  Observation: observationSchema,
  DiagnosticReport: diagnosticReportSchema,
  DocumentReference: documentReferenceSchema,
  ImagingStudy: imagingStudySchema,
  Procedure: procedureSchema,
  Condition: conditionSchema,
  MedicationRequest: medicationRequestSchema,
  Medication: medicationSchema,
  Patient: patientSchema,
};

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every object with a resourceType anywhere in a JSON value (Bundle entries, contained resources …). */
function resourcesIn(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const v of value) resourcesIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (typeof o.resourceType === 'string') out.push(o);
    for (const k of Object.keys(o)) resourcesIn(o[k], out);
  }
  return out;
}

const resources = jsonFilesUnder(FIXTURES).flatMap((f) => {
  try {
    return resourcesIn(JSON.parse(readFileSync(f, 'utf8')) as unknown);
  } catch {
    return []; // not JSON (some fixtures are deliberately broken)
  }
});

/** Real-world exports (the folder beside the repository), when present. */
const REAL_WORLD = fileURLToPath(new URL('../../../shared/real-world-fhir/', import.meta.url));
const realWorld = existsSync(REAL_WORLD)
  ? jsonFilesUnder(REAL_WORLD).flatMap((f) => {
      try {
        return resourcesIn(JSON.parse(readFileSync(f, 'utf8')) as unknown);
      } catch {
        return [];
      }
    })
  : [];

const REPLACEMENTS: readonly unknown[] = [
  undefined,
  null,
  '',
  'x',
  0,
  -1.5,
  NaN,
  Infinity,
  true,
  [],
  [1],
  {},
  { url: 5 },
];

/** Copies of `value` with one change each: a key removed or a value replaced, at every path (bounded). */
function mutations(value: unknown, budget: { n: number }): unknown[] {
  const out: unknown[] = [];
  if (budget.n <= 0) return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      for (const m of mutations(item, budget)) out.push(value.map((x, j) => (j === i ? m : x)));
      for (const r of REPLACEMENTS) out.push(value.map((x, j) => (j === i ? r : x)));
    });
    out.push([]);
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      budget.n -= 1;
      const { [k]: _removed, ...rest } = o;
      out.push(rest);
      for (const r of REPLACEMENTS) out.push({ ...o, [k]: r });
      for (const m of mutations(o[k], budget)) out.push({ ...o, [k]: m });
    }
  }
  return out;
}

/** The key structure of a value (keys and value types, not the values): one resource per structure is enough. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shapeOf).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .map((k) => `${k}:${shapeOf(o[k])}`)
      .join(',')}}`;
  }
  return typeof value;
}

function distinctShapes(list: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = shapeOf(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const zodAccepts = (schema: z.ZodType, v: unknown): boolean => schema.safeParse(v).success;

describe('exact guard of the resource schemas', () => {
  it('models every resource schema (so parseResource never needs zod for a valid resource)', () => {
    for (const [type, schema] of Object.entries(SCHEMAS)) expect(hasExactGuard(schema), type).toBe(true);
    expect(hasExactGuard(codeableConceptSchema)).toBe(true);
  });

  it('declines schema parts it does not model', () => {
    expect(hasExactGuard(z.strictObject({ a: z.string() }))).toBe(false);
    expect(hasExactGuard(z.string().email())).toBe(false);
    expect(hasExactGuard(z.string().max(3))).toBe(false);
    expect(hasExactGuard(z.object({ a: z.string().transform((s) => s.length) }))).toBe(false);
    expect(hasExactGuard(z.object({ a: z.string().default('x') }))).toBe(false);
    expect(hasExactGuard(z.object({ a: z.string() }).refine(() => true))).toBe(false);
    expect(hasExactGuard(z.object({ a: z.number().int() }))).toBe(false);
    expect(hasExactGuard(z.union([z.string(), z.number()]))).toBe(false);
  });

  it('agrees with zod on every fixture resource', () => {
    let checked = 0;
    for (const r of resources) {
      for (const schema of Object.values(SCHEMAS)) {
        expect(acceptsAsIs(schema, r)).toBe(zodAccepts(schema, r));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('agrees with zod on every real-world resource and on mutations of them', () => {
    let rejected = 0;
    for (const r of realWorld) {
      const schema = SCHEMAS[String(r.resourceType)];
      if (schema === undefined) continue;
      expect(acceptsAsIs(schema, r)).toBe(zodAccepts(schema, r));
    }
    for (const r of distinctShapes(realWorld)) {
      const schema = SCHEMAS[String(r.resourceType)];
      if (schema === undefined) continue;
      for (const m of mutations(r, { n: 20 })) {
        const zod = zodAccepts(schema, m);
        expect(acceptsAsIs(schema, m)).toBe(zod);
        if (!zod) rejected += 1;
      }
    }
    if (realWorld.length > 0) expect(rejected).toBeGreaterThan(100);
  }, 120_000);

  it('never accepts a mutation of a fixture resource that zod rejects (and accepts the ones zod accepts)', () => {
    let rejected = 0;
    for (const r of distinctShapes(resources)) {
      const schema = SCHEMAS[String(r.resourceType)];
      if (schema === undefined) continue;
      for (const m of mutations(r, { n: 40 })) {
        const zod = zodAccepts(schema, m);
        expect(acceptsAsIs(schema, m)).toBe(zod);
        if (!zod) rejected += 1;
      }
    }
    expect(rejected).toBeGreaterThan(1000);
  }, 120_000);

  it('treats required, optional and min-length parts as zod does', () => {
    const s = z.looseObject({
      id: z.string().min(1),
      n: z.number().optional(),
      list: z.array(z.looseObject({ url: z.string() })).min(1),
      anything: z.unknown().optional(),
      kind: z.enum(['a', 'b']),
      tag: z.literal('T').optional(),
    });
    const ok = { id: 'x', list: [{ url: 'u', extra: 1 }], kind: 'a', other: { deep: [] } };
    const cases: unknown[] = [
      ok,
      { ...ok, id: '' },
      { ...ok, n: NaN },
      { ...ok, n: -Infinity },
      { ...ok, n: 3 },
      { ...ok, list: [] },
      { ...ok, list: [{}] },
      { ...ok, kind: 'c' },
      { ...ok, tag: 'T' },
      { ...ok, tag: 't' },
      { ...ok, anything: null },
      { ...ok, id: undefined },
      { ...ok, kind: undefined },
      { ...ok, list: undefined },
      { ...ok, list: [{ url: 'u' }, { url: 1 }] },
      { ...ok, list: [{ url: 'u' }, null] },
      { ...ok, list: {} },
      { ...ok, n: '3' },
      { ...ok, tag: undefined },
      Object.assign(Object.create(null) as object, ok),
      [ok],
      null,
      'x',
    ];
    for (const c of cases) expect(acceptsAsIs(s, c)).toBe(zodAccepts(s, c));
  });
});
