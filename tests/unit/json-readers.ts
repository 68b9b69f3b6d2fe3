/**
 * The loader's small readers of raw JSON (src/fhir/loader.ts keeps its own private copies), for the reference copies
 * of former loader code that the load-speed tests compare the current code against: one copy, imported by each.
 */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const codings = (concept: unknown): Json[] =>
  arr(obj(concept)?.coding)
    .map(obj)
    .filter((c): c is Json => c !== undefined);
/** What a data issue names a resource by: its code's text, else its first coding's display or code. */
export const conceptText = (concept: unknown): string =>
  str(obj(concept)?.text) ?? str(codings(concept)[0]?.display) ?? str(codings(concept)[0]?.code) ?? 'no code';
