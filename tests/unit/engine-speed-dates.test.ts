/**
 * isoOfDay (dates.ts) prints a day number without building a Date: it must give exactly what
 * new Date(day × 86 400 000).toISOString().slice(0, 10) gave, for every day it handles itself and for the ones it
 * hands to Date (fractions, years outside 0000–9999).
 */
import { describe, expect, it } from 'vitest';
import { dayToIso, isoOfDay } from '../../src/engine/dates';
import { dayString } from '../../src/engine/sessions';

const viaDate = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

describe('isoOfDay equals the Date round trip', () => {
  it('every day of 1800–2200, every 13th day of 0000–9999, the edges and fractions', () => {
    const days: number[] = [];
    for (let d = -62_091; d <= 84_006; d++) days.push(d);
    for (let d = -719_528 - 400; d <= 2_932_896 + 400; d += 13) days.push(d);
    for (const edge of [-719_528, 2_932_896]) for (let d = edge - 3; d <= edge + 3; d++) days.push(d);
    days.push(0.5, -0.5, 19_000.25, 1e8, -1e8);
    const wrong = days.filter((d) => isoOfDay(d) !== viaDate(d));
    expect(wrong).toEqual([]);
  });
  it('dayToIso and dayString keep their words for a day that is not finite', () => {
    expect(dayToIso(Number.NaN)).toBe('(no date)');
    expect(dayString(Infinity)).toBe('open');
    expect(dayString(20_000)).toBe(viaDate(20_000));
  });
});
