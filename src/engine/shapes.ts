/**
 * Copying a record of a known shape with an object literal instead of a spread or a `for…in` copy: the literal
 * builds one hidden class directly, where a generic copy stores key by key into an object of unknown shape (the
 * engine does this for every sub-criterion and every part of every result). A copy may be replaced only when the
 * object's own enumerable string keys are exactly the expected ones in the expected order — then the literal
 * gives the same keys in the same order with the same values; anything else takes the generic copy as before.
 */

/**
 * Whether `o`'s enumerable string keys are exactly `keys`, in that order. `for…in` also lists inherited enumerable
 * keys, which a spread would not copy: such an object fails the test and takes the generic copy, so a pass means
 * the own keys are exactly these. (Symbol keys are not listed; the engine's records never have any.)
 */
export function keysAre(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i]) return false;
    i += 1;
  }
  return i === keys.length;
}
