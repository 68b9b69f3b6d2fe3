import { describe, expect, it } from 'vitest';
import { daysInMonth, fhirDateProblem, isFhirDate } from '../../src/fhir/map/common';
import { pick, seededRandom } from './seeded-random';

/** isFhirDate as it was written before the character-by-character version: the regex and its range checks. */
const FHIR_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))?)?)?)?$/;

function referenceIsFhirDate(value: string): boolean {
  const m = FHIR_DATE.exec(value);
  if (!m) return false;
  const [, , mo, d, hh, mi, ss, , zh, zm] = m;
  const year = Number(m[1]);
  if (mo !== undefined) {
    const month = Number(mo);
    if (month < 1 || month > 12) return false;
    if (d !== undefined) {
      const day = Number(d);
      if (day < 1 || day > daysInMonth(year, month)) return false;
    }
  }
  if (hh !== undefined && Number(hh) > 23) return false;
  if (mi !== undefined && Number(mi) > 59) return false;
  if (ss !== undefined && Number(ss) > 60) return false;
  if (zh !== undefined && Number(zh) > 14) return false;
  if (zm !== undefined && Number(zm) > 59) return false;
  return true;
}

const two = (rnd: () => number): string =>
  pick(rnd, [
    '00',
    '01',
    '09',
    '12',
    '13',
    '14',
    '15',
    '23',
    '24',
    '28',
    '29',
    '30',
    '31',
    '32',
    '59',
    '60',
    '61',
    '99',
    '1',
    '1a',
    '٣٣',
  ]);

/** Strings of the FHIR date grammar, with each part sometimes wrong, cut short or followed by junk. */
function candidate(rnd: () => number): string {
  let s = pick(rnd, [
    '2026',
    '2024',
    '1900',
    '2000',
    '2100',
    '0000',
    '9999',
    '202',
    '20266',
    'abcd',
    '２０２６',
  ]);
  const parts = [
    () => `${pick(rnd, ['-', '-', '/', ''])}${two(rnd)}`,
    () => `${pick(rnd, ['-', '-', ' '])}${two(rnd)}`,
    () => `${pick(rnd, ['T', 'T', 't', ' '])}${two(rnd)}${pick(rnd, [':', ':', '.'])}${two(rnd)}`,
    () => (rnd() < 0.7 ? `:${two(rnd)}` : ''),
    () => (rnd() < 0.4 ? pick(rnd, ['.5', '.123456', '.', '.x', '..1']) : ''),
    () =>
      pick(rnd, [
        '',
        'Z',
        'z',
        '+01:00',
        '-05:30',
        '+14:00',
        '+15:00',
        '-00:60',
        '+0100',
        '+01:0',
        'Z0',
        '+01:00Z',
      ]),
  ];
  for (const part of parts) {
    if (rnd() < 0.1) break;
    s += part();
  }
  if (rnd() < 0.05) s += pick(rnd, [' ', 'x', '0', '\n']);
  if (rnd() < 0.05) s = s.slice(0, Math.floor(rnd() * s.length));
  return s;
}

describe('isFhirDate (character by character) agrees with the regex version', () => {
  it('on hand-picked dates', () => {
    const cases = [
      '2026',
      '2026-02',
      '2026-02-28',
      '2024-02-29',
      '2025-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '2026-01-07T08:12',
      '2026-01-07T08:12:00Z',
      '2026-01-07T08:12:60.123+14:00',
      '2026-01-07T24:00:00Z',
      '2026-01-07T08:60:00Z',
      '2026-01-07T08:12:00+15:00',
      '2026-01-07T08:12:00-05:60',
      '2026-01-07T08:12:00.Z',
      '2026-01-07T08:12Z',
      '2026-01-07T08:12:00.5',
      '2026-01-07T08',
      '2026-01-07T',
      '2026-01-07 08:12',
      '',
      '2026-',
      '2026-1',
      '1900-02-29',
      '2000-02-29',
    ];
    for (const c of cases) expect(isFhirDate(c), c).toBe(referenceIsFhirDate(c));
  });

  it('on 200,000 generated strings', () => {
    const rnd = seededRandom(20261202);
    let valid = 0;
    for (let i = 0; i < 200_000; i += 1) {
      const s = candidate(rnd);
      const want = referenceIsFhirDate(s);
      if (isFhirDate(s) !== want) expect(isFhirDate(s), s).toBe(want);
      if (want) valid += 1;
    }
    expect(valid).toBeGreaterThan(5_000); // the generator reaches the valid shapes too
  });

  it('fhirDateProblem still tells a bad shape from a bad calendar date', () => {
    expect(fhirDateProblem('2026-02-30')).toBe('date "2026-02-30" is not a real calendar date or time');
    expect(fhirDateProblem('30/02/2026')).toBe('date "30/02/2026" is not a FHIR date');
    expect(fhirDateProblem('2026-02-28T10:00:00Z')).toBeUndefined();
  });
});
