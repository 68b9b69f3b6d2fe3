/**
 * A copy-free acceptance test derived from a zod schema, for the resource schemas of this folder.
 *
 * Why: zod's parse of a z.looseObject builds a new object for every nested object and copies every key it does not
 * declare (handleCatchall) — for a FHIR resource that is most of the work, and the copy equals the input for every
 * declared field (none of our schemas transforms, coerces or defaults anything). When the guard accepts a value,
 * the caller uses the value itself instead of zod's copy; when it does not, the caller runs zod as before, which
 * then produces the same result and the same messages as always.
 *
 * Exactness: the guard is built only from the schema kinds below, each tested the way zod's own parser tests it
 * (zod/v4/core/schemas.js: $ZodString, $ZodNumber, $ZodEnum, $ZodLiteral, $ZodArray, $ZodObject, $ZodOptional,
 * $ZodUnknown and the min_length check). So `guard(v) === true` implies `schema.safeParse(v).success`. Any other
 * schema kind, check, refinement, transform or catchall makes exactGuard return undefined: no fast path for that
 * schema, never a guess. tests/unit/map-speed-guard.test.ts checks this against zod over the real-world fixtures
 * and mutations of them.
 */
import type { z } from 'zod';

/** The parts of a zod 4 definition the builder reads (zod's internal `_zod.def`). */
interface Def {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly catchall?: z.ZodType;
}

interface CheckDef {
  readonly check: string;
  readonly minimum?: number;
}

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/**
 * The minimum length the schema's checks demand (0 without checks); undefined when it has any other check, which
 * the guard does not model.
 */
function minLength(def: Def): number | undefined {
  let min = 0;
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check !== 'min_length' || typeof c.minimum !== 'number') return undefined;
    min = Math.max(min, c.minimum);
  }
  return min;
}

/**
 * What a value must be, as a small tree: built from the schema, then compiled into functions (compile).
 */
type Check =
  | { readonly kind: 'string'; readonly min: number }
  | { readonly kind: 'number' }
  | { readonly kind: 'values'; readonly values: ReadonlySet<unknown> }
  | { readonly kind: 'any' }
  | { readonly kind: 'optional'; readonly inner: Check }
  | { readonly kind: 'array'; readonly item: Check; readonly min: number }
  | { readonly kind: 'object'; readonly fields: readonly Field[] };

/** One declared key: what its value must be when present, and whether it may be absent (`.optional()`). */
interface Field {
  readonly key: string;
  readonly check: Check;
  readonly optional: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v); // zod's util.isObject

const hasChecks = (def: Def): boolean => (def.checks ?? []).length > 0;

function objectCheck(def: Def): Check | undefined {
  if (hasChecks(def) || def.shape === undefined) return undefined;
  // No catchall (z.object strips unknown keys) or an unknown catchall (z.looseObject keeps them): both accept any
  // undeclared key. A strict object or a typed catchall is not modelled.
  if (def.catchall !== undefined && defOf(def.catchall).type !== 'unknown') return undefined;
  const fields: Field[] = [];
  for (const key of Object.keys(def.shape)) {
    const schema = def.shape[key];
    if (schema === undefined || key === '__proto__') return undefined;
    const check = checkOf(schema);
    if (check === undefined) return undefined;
    // An optional field is checked as its inner schema when a value is there (objectGuard skips undefined).
    fields.push(
      check.kind === 'optional'
        ? { key, check: check.inner, optional: true }
        : { key, check, optional: false },
    );
  }
  return { kind: 'object', fields };
}

/** The check of a schema, or undefined when the schema has a part that is not modelled. */
function checkOf(schema: z.ZodType): Check | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const min = minLength(def);
      return min === undefined ? undefined : { kind: 'string', min };
    }
    case 'number':
      return hasChecks(def) ? undefined : { kind: 'number' };
    case 'enum':
    case 'literal': {
      const values = schema._zod.values;
      return values === undefined || hasChecks(def) ? undefined : { kind: 'values', values };
    }
    case 'unknown':
      return hasChecks(def) ? undefined : { kind: 'any' };
    case 'array': {
      const min = minLength(def);
      const item = def.element === undefined ? undefined : checkOf(def.element);
      return min === undefined || item === undefined ? undefined : { kind: 'array', item, min };
    }
    case 'object':
      return objectCheck(def);
    case 'optional': {
      // z.exactOptional() shares the type name but refuses undefined; a defaulted inner substitutes a value.
      if (schema._zod.traits.has('$ZodExactOptional') || def.innerType === undefined) return undefined;
      if (hasChecks(def) || def.innerType._zod.optin === 'defaulted') return undefined;
      const inner = checkOf(def.innerType);
      return inner === undefined ? undefined : { kind: 'optional', inner };
    }
    default:
      return undefined;
  }
}

/** A compiled check: whether a value passes it. */
type Guard = (v: unknown) => boolean;

const isAny: Guard = () => true;
const isString: Guard = (v) => typeof v === 'string';
const isNumber: Guard = (v) => typeof v === 'number' && Number.isFinite(v); // zod rejects NaN and ±Infinity

/**
 * A check compiled into one small function per schema node, so that testing a value walks no check tree and
 * branches on no `kind` (this runs on every object of every resource read). Each function tests exactly what the
 * former interpreter's case for that kind tested (tests/unit/map-speed-guard.test.ts compares the result with zod).
 */
function compile(check: Check): Guard {
  switch (check.kind) {
    case 'string': {
      const min = check.min;
      return min === 0 ? isString : (v) => typeof v === 'string' && v.length >= min;
    }
    case 'number':
      return isNumber;
    case 'values': {
      const values = check.values;
      return (v) => values.has(v);
    }
    case 'any':
      return isAny;
    case 'optional': {
      const inner = compile(check.inner);
      return (v) => v === undefined || inner(v);
    }
    case 'array': {
      const item = compile(check.item);
      const min = check.min;
      return (v) => {
        if (!Array.isArray(v) || v.length < min) return false;
        for (let i = 0; i < v.length; i += 1) if (!item(v[i])) return false;
        return true;
      };
    }
    case 'object':
      return objectGuard(check.fields);
  }
}

/**
 * An object's fields: absent (or undefined) is fine for an optional field; for a required one zod fails when the
 * key is absent, and refusing undefined outright is at worst stricter than zod (the caller then runs zod). The
 * optional fields whose value must be a string (most leaves) are tested inline, without a call each.
 */
function objectGuard(fields: readonly Field[]): Guard {
  const stringKeys: string[] = [];
  const otherKeys: string[] = [];
  const otherGuards: Guard[] = [];
  const required: string[] = [];
  for (const f of fields) {
    if (!f.optional) required.push(f.key);
    if (f.optional && f.check.kind === 'string' && f.check.min === 0) stringKeys.push(f.key);
    else {
      otherKeys.push(f.key);
      otherGuards.push(compile(f.check));
    }
  }
  return (v) => {
    if (!isRecord(v)) return false;
    for (let i = 0; i < required.length; i += 1) if (v[required[i] as string] === undefined) return false;
    for (let i = 0; i < stringKeys.length; i += 1) {
      const x = v[stringKeys[i] as string];
      if (x !== undefined && typeof x !== 'string') return false;
    }
    for (let i = 0; i < otherKeys.length; i += 1) {
      const x = v[otherKeys[i] as string];
      if (x !== undefined && !(otherGuards[i] as Guard)(x)) return false;
    }
    return true;
  };
}

/**
 * Checks by schema, built once per schema object (the schemas are module constants; nothing about the data is
 * kept). `null`: the schema has a part that is not modelled.
 */
const built = new WeakMap<z.ZodType, Guard | null>();

function builtGuard(schema: z.ZodType): Guard | undefined {
  let guard = built.get(schema);
  if (guard === undefined) {
    const check = checkOf(schema);
    guard = check === undefined ? null : compile(check);
    built.set(schema, guard);
  }
  return guard ?? undefined;
}

/** Whether the schema is made only of the parts modelled here (so acceptsAsIs can ever say true). */
export function hasExactGuard(schema: z.ZodType): boolean {
  return builtGuard(schema) !== undefined;
}

/**
 * True only when `schema.safeParse(value)` would succeed with a value equal to `value` in every field the schema
 * declares. False means "not known": run zod.
 */
export function acceptsAsIs(schema: z.ZodType, value: unknown): boolean {
  const guard = builtGuard(schema);
  return guard !== undefined && guard(value);
}
