/**
 * Every Procedure in /work/shared/real-world-fhir (Oracle Health Millennium and Soarian documentation examples,
 * US Core examples, Synthea patients, mCODE fixtures) is either a session or a data issue with a reason. The
 * fixture holds one copy of each distinct (status, code, bodySite) found there, values unchanged, with the
 * narrative `text` dropped (the mapper does not read it); `source` names the file it came from.
 */
import { describe, expect, it } from 'vitest';
import { mapProcedures } from '../../src/fhir/map/procedures';
import realWorld from '../fixtures/real-world/procedures.json';

const entries = realWorld as { source: string; resource: Record<string, unknown> }[];

describe('real-world Procedures are all accounted for', () => {
  it('covers every source folder', () => {
    expect(new Set(entries.map((e) => e.source.split('/')[0]))).toEqual(
      new Set(['mcode', 'oracle-health-millennium', 'oracle-health-soarian', 'synthea', 'us-core']),
    );
  });

  it.each(entries.map((e) => [`${e.source} ${String(e.resource.id ?? '(no id)')}`, e.resource] as const))(
    '%s is used or listed with a reason',
    (_name, resource) => {
      const { sessions, issues } = mapProcedures([resource]);
      expect(sessions.length + issues.length).toBeGreaterThan(0);
      for (const issue of issues) expect(issue.reason.trim()).not.toBe('');
      if (resource.id !== undefined)
        expect([...sessions.map((s) => s.id), ...issues.map((i) => i.id)]).toContain(resource.id);
    },
  );

  it('none of them is a liver treatment: colon resection and AV-node ablation are not relevant', () => {
    const { sessions, issues } = mapProcedures(entries.map((e) => e.resource));
    expect(sessions).toEqual([]);
    const byText = (t: string) => issues.filter((i) => i.reason.includes(t));
    expect(byText('Partial resection of colon')[0]?.reason).toMatch(/^not relevant: /);
    expect(byText('Ablation of AV Node')[0]?.reason).toMatch(/^not relevant: /);
    expect(byText('Procedure for Atrial Fib')[0]?.reason).toContain('status entered-in-error');
  });
});
