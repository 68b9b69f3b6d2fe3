import { startTransition, useEffect, useMemo, useState } from 'react';

type Started<T> = { readonly value: T } | { readonly error: unknown } | { readonly promise: Promise<T> };

function start<T>(job: () => T | Promise<T>): Started<T> {
  try {
    const out = job();
    return out instanceof Promise ? { promise: out } : { value: out };
  } catch (error: unknown) {
    return { error };
  }
}

/**
 * The value of a computation for render: the worker's (a promise) or the direct call's (the value, at once). A new
 * `job` (a new function object: memoize it on its inputs) starts it again; until a promise answers, the previous
 * value stays on screen (a correction or a late query does not blank the screen). No job: undefined, unless
 * `keepWhenIdle`. A failure is thrown in render, as a computation in render would have been (the panel boundary
 * shows it).
 */
export function useComputed<T>(
  job: (() => T | Promise<T>) | undefined,
  options: { keepWhenIdle?: boolean } = {},
): T | undefined {
  const started = useMemo(() => (job ? start(job) : undefined), [job]);
  const [settled, setSettled] = useState<{ value: T } | undefined>(undefined);
  const [failure, setFailure] = useState<{ of: Started<T>; error: unknown } | undefined>(undefined);
  useEffect(() => {
    if (!started || !('promise' in started)) return;
    let live = true;
    started.promise.then(
      (value) => {
        // A transition: React renders the new screen in slices, yielding to the browser between them, so the
        // arrival of a large record does not block the page in one long task.
        if (live) startTransition(() => setSettled({ value }));
      },
      (error: unknown) => {
        if (live) setFailure({ of: started, error });
      },
    );
    return () => {
      live = false;
    };
  }, [started]);
  if (started && 'error' in started) throw started.error;
  if (started && 'value' in started) return started.value;
  if (failure && failure.of === started) throw failure.error;
  if (!started && !options.keepWhenIdle) return undefined;
  return settled?.value;
}

/** The same array object as long as its items are `same` pairwise: a memo key that ignores unrelated re-renders. */
export function useStableList<T>(list: readonly T[], same: (a: T, b: T) => boolean): readonly T[] {
  const [kept, setKept] = useState(list);
  const equal = kept.length === list.length && kept.every((x, i) => same(x, list[i] as T));
  if (!equal) setKept(list);
  return equal ? kept : list;
}
