/**
 * Results that several rules of one evaluate call ask for with the same arguments (the markers item of JSH 2010
 * and JSH-LCSGJ 2014, the "appearance" items, the sessions before the 1st and 2nd TACE of ART and ABCR, whether a
 * marker result is normal), computed once per call. Set only for the duration of withCallMemo (synchronous,
 * restored in `finally`, as labs.ts withLabIndex): nothing survives between calls, so nothing is shared between two
 * calls or two patients, and outside a call every result is computed afresh. What is memoised must be a pure
 * function of its key object and key text; any side effect it has (a conflict recorded on a session) must be one
 * a second computation would repeat identically.
 */
// By key text first, then by owner: the texts are few per call (a dozen), the owners many (every measurement,
// assessment and evidence item asked about), so one Map per text instead of one per owner — the same pairs.
let memo: Map<string, Map<object, unknown>> | null = null;

export function withCallMemo<T>(run: () => T): T {
  const outer = memo;
  memo = new Map();
  try {
    return run();
  } finally {
    memo = outer;
  }
}

export function oncePerCall<T>(owner: object, key: string, compute: () => T): T {
  if (!memo) return compute();
  let byOwner = memo.get(key);
  if (!byOwner) {
    byOwner = new Map();
    memo.set(key, byOwner);
  }
  // One lookup for a value met before (an undefined value is told from an absent one by `has`).
  const known = byOwner.get(owner);
  if (known !== undefined || byOwner.has(owner)) return known as T;
  const value = compute();
  byOwner.set(owner, value);
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
