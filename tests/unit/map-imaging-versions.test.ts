/**
 * Report versions (issue 9, item 2): a final/amended/corrected report supersedes a preliminary or partial one of
 * the same study; an addendum supersedes the report it adds to. Reports are shaped the way Oracle Health
 * Millennium sends them (shared/real-world-fhir/oracle-health-millennium/R4_DIAGNOSTIC_REPORT_READ_BY_ID.json: a
 * per-version `ceuuid` identifier plus the accession number under an `/acsn` system, `basedOn` a ServiceRequest,
 * effectiveDateTime and issued as instants, the narrative as a base64 text/plain attachment).
 */
import { describe, expect, it } from 'vitest';
import { mapImaging } from '../../src/fhir/map/imaging';
import { buildTimeline } from '../../src/fhir/map/timeline';
import { evaluate } from '../../src/engine/index';
import { CPT, patient, procedure } from '../fixtures/factories';
import { expandResult } from '../../src/engine/result-view';

const TENANT = 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d';

interface DrOptions {
  id: string;
  status: string;
  text: string;
  effective: string;
  issued?: string;
  accession?: string;
  ceuuid?: string;
  order?: string;
  study?: string;
  title?: string;
  /** Epic-style single identifier (report id in an OID system), instead of the Oracle pair. */
  epicId?: string;
}

function dr(o: DrOptions): Record<string, unknown> {
  const identifier: Record<string, unknown>[] = [];
  if (o.ceuuid) identifier.push({ system: 'https://fhir.cerner.com/ceuuid', value: o.ceuuid });
  if (o.accession) identifier.push({ system: `${TENANT}/acsn`, value: o.accession });
  if (o.epicId)
    identifier.push({
      use: 'official',
      system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.798268',
      value: o.epicId,
    });
  return {
    resourceType: 'DiagnosticReport',
    id: o.id,
    meta: { versionId: '1', lastUpdated: o.issued ?? o.effective },
    ...(identifier.length > 0 ? { identifier } : {}),
    ...(o.order ? { basedOn: [{ reference: `ServiceRequest/${o.order}` }] } : {}),
    status: o.status,
    category: [
      {
        coding: [{ system: 'http://loinc.org', code: 'LP29684-5', display: 'Radiology' }],
        text: 'Radiology',
      },
    ],
    code: {
      coding: [
        { system: `${TENANT}/codeSet/72`, code: '2557718', display: o.title ?? 'CT Abdomen w/ Contrast' },
      ],
      text: o.title ?? 'CT Abdomen w/ Contrast',
    },
    subject: { reference: 'Patient/12724066', display: 'SMART, NANCY' },
    effectiveDateTime: o.effective,
    issued: o.issued ?? o.effective,
    ...(o.study ? { imagingStudy: [{ reference: `ImagingStudy/${o.study}` }] } : {}),
    presentedForm: [
      {
        contentType: 'text/plain',
        data: Buffer.from(o.text, 'utf8').toString('base64'),
        title: o.title ?? 'CT Abdomen w/ Contrast',
      },
    ],
  };
}

const PVTT = 'IMPRESSION: Tumor thrombus in the right portal vein (Vp3).';
const PATENT =
  'IMPRESSION: The main and right portal veins are patent. No tumor thrombus. Corrected: the filling defect reported on the preliminary read is flow artefact.';

describe('report versions: superseded reports give no findings', () => {
  it('preliminary PVTT + corrected report without it → no vascular invasion, the preliminary listed as superseded', () => {
    // Old behaviour: both reports mapped; the preliminary's tumour thrombus made "appearance of vascular invasion"
    // met although the corrected report retracted it.
    const prelim = dr({
      id: '197000001',
      status: 'preliminary',
      text: PVTT,
      effective: '2026-03-02T08:10:00Z',
      issued: '2026-03-02T09:00:00Z',
      ceuuid: 'CE1-197000001-2026030209000000',
      accession: '00000CT20260000123',
    });
    const corrected = dr({
      id: '197000002',
      status: 'corrected',
      text: PATENT,
      effective: '2026-03-02T08:10:00Z',
      issued: '2026-03-03T14:30:00Z',
      ceuuid: 'CE2-197000002-2026030314300000',
      accession: '00000CT20260000123',
    });
    const t = buildTimeline(
      {
        patient: patient(),
        observations: [],
        reports: [prelim, corrected],
        imagingStudies: [],
        procedures: [procedure({ system: CPT, code: '37243', text: 'cTACE' }, '2026-01-15')],
        conditions: [],
        medicationRequests: [],
        diseaseStatus: [],
      },
      { asOf: '2026-06-01' },
    );
    expect(t.imaging.map((a) => a.id)).toEqual(['197000002']);
    const issue = t.dataIssues.find((d) => d.id === '197000001');
    expect(issue?.kind).toBe('superseded');
    expect(issue?.reason).toContain('DiagnosticReport/197000002');

    const r = evaluate(t, { asOf: '2026-06-01' });
    for (const id of ['jsh-lcsgj-2014', 'jsh-2010']) {
      const vi = expandResult(r)
        .criteria.find((c) => c.id === id)
        ?.subcriteria.find((s) => s.id === 'vascular-invasion');
      expect(vi?.status).not.toBe('met');
      expect(vi?.evidence.some((e) => e.ref === 'DiagnosticReport/197000001')).toBe(false);
    }
    expect(r.dataIssues).toContainEqual(
      expect.objectContaining({ code: 'superseded', ref: 'DiagnosticReport/197000001' }),
    );
  });

  it('a preliminary report with no successor is used, and its evidence is flagged preliminary', () => {
    // Old behaviour: used with only a data-layer warning; nothing in the assessment or the evidence said so.
    const prelim = dr({
      id: '197000010',
      status: 'preliminary',
      text: PVTT,
      effective: '2026-03-02T08:10:00Z',
      accession: '00000CT20260000200',
    });
    const { imaging, issues } = mapImaging({ reports: [prelim] });
    expect(imaging).toHaveLength(1);
    expect(imaging[0]?.preliminary).toBe(true);
    expect(issues.map((i) => i.kind)).toEqual(['warning']);

    const t = buildTimeline(
      {
        patient: patient(),
        observations: [],
        reports: [prelim],
        imagingStudies: [],
        procedures: [procedure({ system: CPT, code: '37243', text: 'cTACE' }, '2026-01-15')],
        conditions: [],
        medicationRequests: [],
        diseaseStatus: [],
      },
      { asOf: '2026-06-01' },
    );
    const r = evaluate(t, { asOf: '2026-06-01' });
    const vi = expandResult(r)
      .criteria.find((c) => c.id === 'jsh-lcsgj-2014')
      ?.subcriteria.find((s) => s.id === 'vascular-invasion');
    const item = vi?.evidence.find((e) => e.ref === 'DiagnosticReport/197000010');
    expect(item?.preliminary).toBe(true);
    expect(item?.label).toContain('preliminary');
  });

  it('same identifier, different status and day: the final supersedes the preliminary (Epic-style identifier)', () => {
    // Old behaviour: both used. The days differ (the final's effective time is its signing time), so only the
    // shared identifier links them.
    const prelim = dr({
      id: 'eKm9a.prelim',
      status: 'preliminary',
      text: 'IMPRESSION: New 1.5 cm arterially enhancing lesion in segment 6.',
      effective: '2026-03-02T23:40:00-05:00',
      epicId: '9081726354',
    });
    const final = dr({
      id: 'eKm9a.final',
      status: 'final',
      text: 'IMPRESSION: No new hepatic lesions.',
      effective: '2026-03-03T10:05:00-05:00',
      epicId: '9081726354',
    });
    const { imaging, issues } = mapImaging({ reports: [final, prelim] });
    expect(imaging.map((a) => a.id)).toEqual(['eKm9a.final']);
    expect(imaging[0]?.preliminary).toBeUndefined();
    expect(issues).toEqual([expect.objectContaining({ id: 'eKm9a.prelim', kind: 'superseded' })]);
    expect(issues[0]?.reason).toMatch(/DiagnosticReport\/eKm9a\.final .*final.*same identifier/);
  });

  it('same basedOn ServiceRequest: the final supersedes the partial report', () => {
    const partial = dr({
      id: 'p-1',
      status: 'partial',
      text: PVTT,
      effective: '2026-03-02T08:10:00Z',
      order: '294749597',
    });
    const final = dr({
      id: 'f-1',
      status: 'final',
      text: PATENT,
      effective: '2026-03-04T11:00:00Z',
      order: '294749597',
    });
    const { imaging, issues } = mapImaging({ reports: [partial, final] });
    expect(imaging.map((a) => a.id)).toEqual(['f-1']);
    expect(issues).toEqual([expect.objectContaining({ id: 'p-1', kind: 'superseded' })]);
    expect(issues[0]?.reason).toContain('same order (basedOn)');
  });

  it('same ImagingStudy (by reference, or by accession number on two ImagingStudy resources)', () => {
    const studyA = {
      resourceType: 'ImagingStudy',
      id: 'st-a',
      status: 'available',
      identifier: [
        { system: 'urn:dicom:uid', value: 'urn:oid:2.16.124.113543.6003.1154777499.30246.19789.3503430045' },
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] },
          system: 'http://hospital.example.org/accession',
          value: 'A-55123',
        },
      ],
      modality: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' }],
    };
    const studyB = { ...studyA, id: 'st-b', identifier: [studyA.identifier[1]] };
    const prelim = dr({
      id: 'pr-2',
      status: 'preliminary',
      text: PVTT,
      effective: '2026-03-02T08:10:00Z',
      study: 'st-a',
    });
    const sameRef = dr({
      id: 'fi-2',
      status: 'final',
      text: PATENT,
      effective: '2026-03-05T08:00:00Z',
      study: 'st-a',
    });
    const byAccession = dr({
      id: 'fi-3',
      status: 'final',
      text: PATENT,
      effective: '2026-03-05T08:00:00Z',
      study: 'st-b',
    });
    for (const final of [sameRef, byAccession]) {
      const { imaging, issues } = mapImaging({ reports: [prelim, final], imagingStudies: [studyA, studyB] });
      expect(imaging.map((a) => a.id)).toEqual([final.id]);
      expect(issues).toEqual([expect.objectContaining({ id: 'pr-2', kind: 'superseded' })]);
    }
  });

  it('an amended report whose text begins ADDENDUM supersedes the final it adds to, not duplicates it', () => {
    // Old behaviour: both the final and the addendum were mapped (two reports of one study).
    const final = dr({
      id: 'f-10',
      status: 'final',
      text: PVTT,
      effective: '2026-03-02T08:10:00Z',
      issued: '2026-03-02T12:00:00Z',
      accession: '00000CT20260000300',
    });
    const addendum = dr({
      id: 'a-10',
      status: 'amended',
      text: 'ADDENDUM: On further review, the filling defect in the right portal vein is bland thrombus, not tumor thrombus.\n\nORIGINAL REPORT: Tumor thrombus in the right portal vein (Vp3).',
      effective: '2026-03-02T08:10:00Z',
      issued: '2026-03-04T09:00:00Z',
      accession: '00000CT20260000300',
    });
    const { imaging, issues } = mapImaging({ reports: [final, addendum] });
    expect(imaging.map((a) => a.id)).toEqual(['a-10']);
    expect(issues).toEqual([expect.objectContaining({ id: 'f-10', kind: 'superseded' })]);
  });

  it('an appended ADDENDUM with no identifier supersedes the same-day final of the same modality', () => {
    const final = dr({ id: 'f-11', status: 'final', text: PVTT, effective: '2026-03-02T08:10:00Z' });
    const addendum = dr({
      id: 'a-11',
      status: 'appended',
      text: '** ADDENDUM ** Comparison with the MRI of 2026-02-20: no change.',
      effective: '2026-03-02T08:10:00Z',
      issued: '2026-03-02T17:45:00Z',
    });
    const { imaging, issues } = mapImaging({ reports: [addendum, final] });
    expect(imaging.map((a) => a.id)).toEqual(['a-11']);
    expect(issues).toEqual([expect.objectContaining({ id: 'f-11', kind: 'superseded' })]);
  });

  it('guard: different accession numbers on the same day are different studies, both used', () => {
    const prelim = dr({
      id: 'x-1',
      status: 'preliminary',
      text: PVTT,
      effective: '2026-03-02T08:10:00Z',
      accession: 'ACC-1',
    });
    const otherFinal = dr({
      id: 'x-2',
      status: 'final',
      text: 'IMPRESSION: No new hepatic lesions.',
      effective: '2026-03-02T10:30:00Z',
      accession: 'ACC-2',
    });
    const { imaging } = mapImaging({ reports: [prelim, otherFinal] });
    expect(imaging.map((a) => a.id).sort()).toEqual(['x-1', 'x-2']);
    expect(imaging.find((a) => a.id === 'x-1')?.preliminary).toBe(true);
  });

  it('guard: a final with no link and another modality on the same day does not supersede a preliminary', () => {
    const prelim = dr({ id: 'y-1', status: 'preliminary', text: PVTT, effective: '2026-03-02T08:10:00Z' });
    const mri = dr({
      id: 'y-2',
      status: 'final',
      text: PATENT,
      effective: '2026-03-02T16:00:00Z',
      title: 'MRI Liver w/wo Contrast',
    });
    const { imaging } = mapImaging({ reports: [prelim, mri] });
    expect(imaging.map((a) => a.id).sort()).toEqual(['y-1', 'y-2']);
  });
});
