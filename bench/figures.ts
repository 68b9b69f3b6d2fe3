/** What the bench scripts share: their `--name N` flags and how they print min / median / max. */

/** `--name N` from the command line: a positive whole number, or `fallback` when the flag is absent. */
export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}

/** "min 40 ms, median 46 ms, max 48 ms". */
export function stats(xs: readonly number[], unit = 'ms', digits = 0): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(digits)} ${unit}`;
  return `min ${f(s[0] ?? 0)}, median ${f(median(s))}, max ${f(s[s.length - 1] ?? 0)}`;
}
