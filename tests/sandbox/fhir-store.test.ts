import { getSearchParameter, matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { Observation, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SUBJECT_IS_PATIENT,
  SandboxRepository,
  indexDefinitions,
  patientOf,
  sortResources,
} from '../../sandbox/fhir-store';
import { accessLevel, grantScopes, grantsOf, parseResourceScope } from '../../sandbox/scopes';
import { observation } from './fixture';

beforeAll(() => indexDefinitions());

describe('patient= → subject=Patient/ rewrite', () => {
  it('is equivalent for every SUBJECT_IS_PATIENT type (Medplum’s own matcher on both forms)', () => {
    for (const type of SUBJECT_IS_PATIENT) {
      expect(getSearchParameter(type, 'patient')?.expression).toMatch(
        new RegExp(`^${type}\\.subject(\\.where\\(\\(?resolve\\(\\) is Patient\\)?\\))?$`),
      );
      for (const subject of ['Patient/p1', 'Patient/p2', 'Group/p1']) {
        const resource = { resourceType: type, subject: { reference: subject } } as unknown as Resource;
        const viaPatient = matchesSearchRequest(resource, parseSearchRequest(`${type}?patient=Patient/p1`));
        const viaSubject = matchesSearchRequest(resource, parseSearchRequest(`${type}?subject=Patient/p1`));
        expect(viaSubject, `${type} ${subject}`).toBe(viaPatient);
      }
    }
  });

  it('the compartment index gives the same results as a full scan', async () => {
    const repo = new SandboxRepository();
    for (let i = 0; i < 40; i++) {
      await repo.createResource(
        observation(
          `o${i}`,
          i % 3 ? 'p1' : 'p2',
          i % 2 ? '1975-2' : '1751-7',
          `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
          i,
        ),
      );
    }
    // Moving a resource to another patient by update re-indexes it.
    await repo.updateResource({ ...observation('o1', 'p2', '1975-2', '2024-01-02', 1) });
    await repo.deleteResource('Observation', 'o2');
    const indexed = await repo.search(
      parseSearchRequest('Observation?subject=Patient/p1&code=1975-2&_sort=date'),
    );
    const scanned = await repo.search(
      parseSearchRequest('Observation?subject=Patient/p1,Patient/p1&code=1975-2&_sort=date'),
    );
    expect(indexed.total).toBe(scanned.total);
    expect(indexed.entry?.map((e) => e.resource?.id)).toEqual(scanned.entry?.map((e) => e.resource?.id));
    expect(indexed.entry?.some((e) => e.resource?.id === 'o1')).toBe(false);
  });
});

describe('sortResources', () => {
  it('uses the first rule as the primary key', () => {
    const a = observation('a', 'p', '2', '2024-01-01', 1);
    const b = observation('b', 'p', '1', '2024-01-02', 1);
    const c = observation('c', 'p', '1', '2024-01-01', 1);
    const sorted = sortResources<Observation>(
      [a, b, c],
      parseSearchRequest('Observation?_sort=code,-date').sortRules ?? [],
    );
    expect(sorted.map((o) => o.id)).toEqual(['b', 'c', 'a']);
  });
});

describe('patientOf', () => {
  it('reads Patient ids and subject/patient references', () => {
    expect(patientOf({ resourceType: 'Patient', id: 'x' })).toBe('x');
    expect(patientOf(observation('o', 'y', '1', '2024', 1))).toBe('y');
    expect(patientOf({ resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/z' } })).toBe('z');
    expect(patientOf({ resourceType: 'Practitioner', id: 'd' })).toBeUndefined();
  });
});

describe('scopes', () => {
  it('parses v1 and v2 resource scopes', () => {
    expect([...(parseResourceScope('patient/Observation.read')?.interactions ?? [])]).toEqual(['r', 's']);
    expect([...(parseResourceScope('user/*.write')?.interactions ?? [])]).toEqual(['c', 'u', 'd']);
    expect([...(parseResourceScope('patient/Observation.rs')?.interactions ?? [])]).toEqual(['r', 's']);
    expect(parseResourceScope('patient/Observation.sr')).toBeUndefined();
    expect(parseResourceScope('patient/Observation.rs?category=laboratory')?.resourceType).toBe(
      'Observation',
    );
    expect(parseResourceScope('system/*.read')).toBeUndefined();
  });

  it('grants requested ∩ supported and decides the access level', () => {
    expect(grantScopes('openid fhirUser launch foo patient/*.rs patient/*.rs')).toEqual([
      'openid',
      'fhirUser',
      'launch',
      'patient/*.rs',
    ]);
    const grants = grantsOf('patient/*.rs user/Practitioner.read patient/DocumentReference.c');
    expect(accessLevel(grants, 'Observation', 's')).toBe('patient');
    expect(accessLevel(grants, 'Practitioner', 'r')).toBe('user');
    expect(accessLevel(grants, 'DocumentReference', 'c')).toBe('patient');
    expect(accessLevel(grants, 'Observation', 'c')).toBeUndefined();
  });
});

describe('code prefilter of compartment searches', () => {
  it('finds exactly what Medplum’s full scan finds, for every way a code token is written', async () => {
    const repo = new SandboxRepository();
    const codes = ['1751-7', '1975-2', '6301-6', 'ALB', 'alb'];
    for (let i = 0; i < 30; i++)
      await repo.createResource(observation(`o${i}`, 'p1', codes[i % codes.length] ?? '', '2024-02-01', i));
    const queries = [
      'code=http://loinc.org|1751-7',
      'code=1751-7',
      'code=http://loinc.org|1751-7,http://loinc.org|6301-6',
      'code=ALB',
      'code=alb',
      'code=http://other.org|1751-7',
      'code=|1751-7',
      'code=http://loinc.org|',
      'code:not=1751-7',
      'code=1751',
    ];
    for (const q of queries) {
      // Two patient filters: the index (and so the prefilter) is not used, Medplum scans every resource.
      const indexed = await repo.search(parseSearchRequest(`Observation?subject=Patient/p1&${q}&_sort=_id`));
      const scanned = await repo.search(
        parseSearchRequest(`Observation?subject=Patient/p1,Patient/p1&${q}&_sort=_id`),
      );
      expect(indexed.entry?.map((e) => e.resource?.id) ?? [], q).toEqual(
        scanned.entry?.map((e) => e.resource?.id) ?? [],
      );
    }
  });
});
