/**
 * engine/dates dayNumber reads YYYY-MM-DD by arithmetic (issue 13, speed): it must give exactly what the earlier
 * regex + Date.UTC round trip gave, for every real day and for impossible ones.
 */
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/engine/dates';

/** The implementation up to engine 0.5.0, as the reference. */
function reference(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return Number.NaN;
  return ms / 86_400_000;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('dayNumber', () => {
  it('equals the Date.UTC reference for every day, month and day-of-month 00–39 of 1890–2110 and edge years', () => {
    const years = [0, 1, 99, 100, 101, 400, 1000, 1582, 1600, 1700, 1800, 1899, 2400, 9999];
    for (let y = 1890; y <= 2110; y++) years.push(y);
    let checked = 0;
    for (const y of years)
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 39; d++) {
          const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          const want = reference(iso);
          const got = dayNumber(iso);
          if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))))
            throw new Error(`${iso}: ${got} ≠ ${want}`);
          checked++;
        }
    expect(checked).toBeGreaterThan(100_000);
  });

  it('reads the date part of date-times and rejects what the regex rejected', () => {
    for (const iso of [
      '2026-11-01T10:00:00+09:00',
      '2026-11-01T23:59:59Z',
      '2026-11-01 trailing',
      '2026-11-01',
      '2026-11',
      '2026',
      '',
      ' 2026-11-01',
      '2026/11/01',
      '2026-1-01',
      '2026-11-1',
      '２０２６-11-01',
      '+02026-11-01',
      '-2026-11-01',
      '2026-11-01x',
      '2024-02-29',
      '2023-02-29',
      '1900-02-29',
      '2000-02-29',
    ]) {
      const want = reference(iso);
      const got = dayNumber(iso);
      expect(Number.isNaN(got) ? 'NaN' : got, iso).toEqual(Number.isNaN(want) ? 'NaN' : want);
    }
  });
});
