/**
 * Issue 9 item 3.4: a date must name a real calendar day. "2026-02-30" has the shape of a FHIR date, and
 * `Date.UTC` silently rolls it over to 2026-03-02 — so before this change it was used as another real day.
 */
import { describe, expect, it } from 'vitest';
import { isFhirDate } from '../../src/fhir/map/common';
import { mapObservations } from '../../src/fhir/map/labs';
import { mapProcedures } from '../../src/fhir/map/procedures';
import { dayNumber, isValidDay } from '../../src/engine/dates';
import { evaluate } from '../../src/engine';
import { labObs, procedure } from '../fixtures/factories';
import { lab, labs, timeline } from './engine-factories';

describe('isFhirDate: shape and calendar', () => {
  it.each([
    '2026',
    '2026-02',
    '2026-02-28',
    '2024-02-29',
    '2000-02-29',
    '2026-04-30',
    '2026-12-31T23:59:59Z',
    '2026-01-10T08:00:00.000Z',
    '2026-01-10T08:00:00+09:00',
    '2026-01-10T08:00',
    '2016-12-31T23:59:60Z',
  ])('accepts %s', (d) => {
    expect(isFhirDate(d)).toBe(true);
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-01-00',
    '2026-02-30T08:00:00Z',
    '2026-01-10T24:00:00Z',
    '2026-01-10T08:61:00Z',
    '2026-01-10T08:00:00+15:00',
    '10/01/2026',
  ])('rejects %s', (d) => {
    expect(isFhirDate(d)).toBe(false);
  });
});

describe('engine dates: no roll-over', () => {
  it('gives NaN for an impossible day instead of the next real one', () => {
    expect(dayNumber('2026-02-30')).toBeNaN();
    expect(dayNumber('2026-13-01T10:00:00Z')).toBeNaN();
    expect(dayNumber('2025-02-29')).toBeNaN();
    expect(isValidDay('2026-02-30')).toBe(false);
    expect(dayNumber('2024-02-29')).toBe(dayNumber('2024-03-01') - 1);
  });
});

describe('mappers reject impossible dates as data issues', () => {
  it('a lab dated 2026-02-30 is listed as malformed and not used', () => {
    const o = labObs('1834-1', 12, 'ng/mL', '2026-02-30T08:15:00Z');
    const { series, issues } = mapObservations([o]);
    expect(series.afp).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]?.kind).toBe('malformed');
    expect(issues[0]?.reason).toContain('2026-02-30');
    expect(issues[0]?.reason).toContain('not a real calendar date');
  });

  it('a TACE performed on 2025-02-29 is listed as malformed and not placed on the timeline', () => {
    const p = procedure({ system: 'http://www.ama-assn.org/go/cpt', code: '37243' }, '2025-02-29');
    const { issues } = mapProcedures([p]);
    expect(issues.some((i) => i.kind === 'malformed' && i.reason.includes('2025-02-29'))).toBe(true);
  });
});

describe('engine ignores an impossible date that reached the timeline', () => {
  it('an albumin dated 2026-02-30 is not paired for ALBI (it used to count as 2026-03-02)', () => {
    const t = timeline({
      labs: labs(lab('bilirubin', 12, '2026-03-02'), lab('albumin', 41, '2026-02-30')),
    });
    const r = evaluate(t, { asOf: '2026-03-10' });
    expect(r.scores.albi.value).toBeNull();
    expect(r.scores.albi.grade).toBeNull();
    // …and it is listed, not dropped silently
    expect(r.dataIssues.some((d) => d.code === 'malformed' && d.message.includes('2026-02-30'))).toBe(true);
  });
});
