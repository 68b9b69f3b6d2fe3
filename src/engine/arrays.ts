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

/** Up to this many items, the sorts below sort by insertion; longer lists by `Array.prototype.sort`. */
const INSERTION_SORT_MAX = 24;

/**
 * Sorts strings in place as `items.sort()` does (code-unit order, stable), without the built-in sort's work arrays
 * for the few items the engine sorts at a time: for strings the default sort's comparison (of String(x)) is `<`,
 * and an insertion sort that moves an item only past strictly greater ones is stable, so both give one order.
 */
export function sortStrings(items: string[]): string[] {
  if (items.length > INSERTION_SORT_MAX) return items.sort();
  for (let i = 1; i < items.length; i += 1) {
    const x = items[i] as string;
    let j = i - 1;
    while (j >= 0 && x < (items[j] as string)) {
      items[j + 1] = items[j] as string;
      j -= 1;
    }
    items[j + 1] = x;
  }
  return items;
}

/**
 * Sorts in place by `compare`, stably, as `items.sort(compare)` does for a consistent comparator (a total
 * preorder): two stable sorts by one total preorder give one order, and an insertion sort that moves an item only
 * past items that compare strictly greater is stable. For a few items it avoids the built-in sort's work arrays and
 * its calls of the comparator from outside the optimised code.
 */
export function sortStableBy<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > INSERTION_SORT_MAX) return items.sort(compare);
  for (let i = 1; i < items.length; i += 1) {
    const x = items[i] as T;
    let j = i - 1;
    while (j >= 0 && compare(items[j] as T, x) > 0) {
      items[j + 1] = items[j] as T;
      j -= 1;
    }
    items[j + 1] = x;
  }
  return items;
}
