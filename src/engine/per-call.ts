/**
 * Results that several rules of one evaluate call ask for with the same arguments (the markers item of JSH 2010
 * and JSH-LCSGJ 2014, the "appearance" items, the sessions before the 1st and 2nd TACE of ART and ABCR), computed
 * once per call. Keyed by an object that lives for that call only (its EngineContext or its sessions array), held
 * weakly: nothing is shared between two evaluate calls or two patients, so a second call recomputes everything.
 * What is memoised must be a pure function of the key object (given that call's settings); any side effect it
 * has (a conflict recorded on a session) must be one a second computation would repeat identically.
 */
const memo = new WeakMap<object, Map<string, unknown>>();

export function oncePerCall<T>(owner: object, key: string, compute: () => T): T {
  let byKey = memo.get(owner);
  if (!byKey) {
    byKey = new Map();
    memo.set(owner, byKey);
  }
  if (byKey.has(key)) return byKey.get(key) as T;
  const value = compute();
  byKey.set(key, value);
  return value;
}

/** A verdict with its own arrays, so a caller that extends one cannot change what another caller is given. */
export function ownArrays<
  T extends { evidence: readonly unknown[]; missing: readonly string[]; notes?: readonly string[] },
>(v: T): T {
  return {
    ...v,
    evidence: [...v.evidence],
    missing: [...v.missing],
    ...(v.notes !== undefined ? { notes: [...v.notes] } : {}),
  };
}
