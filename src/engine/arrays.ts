/**
 * Array helpers for the engine's hot paths. `Array.prototype.flatMap` is a generic built-in that costs about ten
 * times a plain loop for the short lists the rules join (dozens of calls per evaluate), and `push(...items)`
 * spreads the items into call arguments.
 */

/** `out.push(...items)` without spreading the items into call arguments: the same items in the same order. */
export function appendAll<T>(out: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i] as T);
}

/**
 * `xs.flatMap(f)` for a callback that returns an array (as every engine call site's does): each array's items in
 * order, the arrays in the order of `xs`. `f` is called once per item, in order, with the item only (no call site
 * reads the index). The engine builds its arrays with literals, push, map, filter and slice, never with holes, so
 * flatMap's skipping of holes never applies; a value that is not an array is kept as flatMap keeps it.
 */
export function flatOf<T, U>(xs: readonly T[], f: (x: T) => readonly U[] | U): U[] {
  const out: U[] = [];
  for (let i = 0; i < xs.length; i++) {
    const r = f(xs[i] as T);
    if (Array.isArray(r)) for (let j = 0; j < r.length; j++) out.push(r[j] as U);
    else out.push(r as U);
  }
  return out;
}
