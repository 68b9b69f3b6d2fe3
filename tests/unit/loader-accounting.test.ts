import { describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { loadPatient, READ_TYPES } from '../../src/fhir/loader';
import { groupByPatient } from '../../src/fhir/patient-resources';

/**
 * Issue 10, item 1 — the accounting invariant over every sandbox scenario: every resource of a type the assessment
 * reads is used in the timeline or listed in the data issues with its id and a reason; other types are counted.
 */
const AS_OF = '2026-11-01';
const grouped = groupByPatient(
  buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource }))),
);

describe('accounting over the sandbox scenarios', () => {
  it('attributes every scenario resource to its patient', () => {
    expect(grouped.issues).toEqual([]);
  });

  it.each(grouped.patients.map((p) => [p.patientId, p] as const))(
    '%s: every resource used or listed',
    (_id, p) => {
      const loaded = loadPatient(p.patient, p.resources, { asOf: AS_OF, fullUrls: p.fullUrls });
      const listed = new Set(
        loaded.timeline.dataIssues.flatMap((i) => (i.id ? [`${i.resourceType}/${i.id}`] : [])),
      );
      const missing: string[] = [];
      for (const raw of [p.patient, ...p.resources]) {
        const r = raw as { resourceType: string; id: string };
        const key = `${r.resourceType}/${r.id}`;
        if (READ_TYPES.has(r.resourceType) && !loaded.used.has(key) && !listed.has(key)) missing.push(key);
      }
      expect(missing).toEqual([]);
      for (const [type, c] of Object.entries(loaded.accounting)) {
        if (READ_TYPES.has(type)) expect(c.used + c.listed, type).toBe(c.read);
        else expect(c.read, type).toBe(0);
      }
      // The interactive scenarios are shaped to be read: their reports, procedures and labs are used.
      expect(loaded.accounting.DiagnosticReport?.used ?? 0).toBeGreaterThan(0);
      expect(loaded.accounting.Observation?.used ?? 0).toBeGreaterThan(0);
    },
  );

  it('a resource read but of no use is listed with the reason, not dropped (a glucose result)', () => {
    const p = grouped.patients[0];
    if (!p) throw new Error('no patient');
    const glucose = {
      resourceType: 'Observation',
      id: 'glucose-1',
      status: 'final',
      code: {
        coding: [
          { system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' },
        ],
      },
      subject: { reference: `Patient/${p.patientId}` },
      effectiveDateTime: '2026-10-01',
      valueQuantity: { value: 95, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    };
    const loaded = loadPatient(p.patient, [...p.resources, glucose], { asOf: AS_OF });
    expect(loaded.timeline.dataIssues).toContainEqual(
      expect.objectContaining({ resourceType: 'Observation', id: 'glucose-1' }),
    );
  });

  it('a resource with a modifier extension the app does not understand is listed and not used', () => {
    const p = grouped.patients.find((x) => x.patientId === 'refractory-insufficient-response');
    if (!p) throw new Error('no patient');
    const procedure = p.resources.find(
      (r) => (r as { resourceType: string }).resourceType === 'Procedure',
    ) as {
      id: string;
    };
    const modified = {
      ...procedure,
      modifierExtension: [{ url: 'http://example.org/fhir/StructureDefinition/negated', valueBoolean: true }],
    };
    const others = p.resources.filter((r) => r !== procedure);
    const loaded = loadPatient(p.patient, [...others, modified], { asOf: AS_OF });
    expect(loaded.used.has(`Procedure/${procedure.id}`)).toBe(false);
    expect(loaded.timeline.dataIssues).toContainEqual(
      expect.objectContaining({ id: procedure.id, reason: expect.stringMatching(/modifier extension/) }),
    );
    expect(loaded.timeline.treatments.some((t) => t.source.id === procedure.id)).toBe(false);
  });
});
