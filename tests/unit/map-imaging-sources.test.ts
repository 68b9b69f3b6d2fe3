/**
 * Report text from every place EHRs put it (issue 10, item 3): DiagnosticReport conclusion / presentedForm (inline,
 * contained `#id`, or a fetched Binary named by a relative, absolute or urn:uuid URL), the narrative Observations a
 * report points at in `result`, and imaging DocumentReferences. Real-world shapes come from
 * tests/fixtures/real-world/report-text.json: whole files copied from /work/shared/real-world-fhir (Oracle Health
 * Millennium documentation examples and US Core examples), values unchanged; the Oracle one-resource files refer to
 * patients not in the file, which the mapper does not read.
 */
import { describe, expect, it } from 'vitest';
import type { DataIssue } from '../../src/domain/source';
import { BinaryLookup, mapImaging, type FetchedBinary } from '../../src/fhir/map/imaging';
import { readNarrative } from '../../src/fhir/map/text-normalize';
import realWorld from '../fixtures/real-world/report-text.json';
import { report } from '../fixtures/factories';

type Json = Record<string, unknown>;
const files = realWorld as unknown as Record<string, unknown>;
const ORACLE = 'oracle-health-millennium';
const file = (name: string): Json => files[name] as Json;
const entries = (name: string): Json[] =>
  ((file(name).entry as { resource?: Json }[] | undefined) ?? []).flatMap((e) =>
    e.resource ? [e.resource] : [],
  );
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const issuesOf = (issues: readonly DataIssue[], id: string): DataIssue[] => issues.filter((i) => i.id === id);
const PDF = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<</Type/Catalog>>\nendobj\n';

/** A DocumentReference shaped like US Core's (LOINC type, clinical-note category). */
function docRef(
  id: string,
  attachment: Json,
  extra: Json = {},
  type: Json = {
    coding: [{ system: 'http://loinc.org', code: '18748-4', display: 'Diagnostic imaging study' }],
  },
): Json {
  return {
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    type,
    category: [
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
            code: 'clinical-note',
          },
        ],
      },
    ],
    date: '2026-03-02T10:00:00Z',
    content: [{ attachment }],
    ...extra,
  };
}

describe('Oracle Health DiagnosticReport presentedForm (R4_DIAGNOSTIC_REPORT_*)', () => {
  const [radiology] = entries(`${ORACLE}/R4_DIAGNOSTIC_REPORT_SEARCH_BY_ID.json`);
  const html = files[`${ORACLE}/R4_BINARY_TR_HTML_ENTRY.json`] as string;

  it('finds the text/html Binary under a relative key for an absolute URL, reads its escaped HTML as text, lists the PDF', () => {
    // Keyed the way the loader names a Binary it received (`Binary/<id>`); the report names it by absolute URL.
    const binaries = new Map<string, FetchedBinary>([
      ['Binary/TR-197369077', { contentType: 'text/html', text: html }],
      ['Binary/XR-197369077', { contentType: 'application/pdf', text: PDF }],
    ]);
    const { imaging, issues } = mapImaging({ reports: [radiology] }, { binaries });
    expect(imaging).toHaveLength(1);
    const text = imaging[0]?.text ?? '';
    expect(text).toContain('Chief Complaint');
    expect(text).toContain('fatigure, and confusion');
    expect(text).not.toMatch(/<div|&lt;|&quot;/);
    const mine = issuesOf(issues, '197369077');
    expect(mine.map((i) => i.kind).sort()).toEqual(['unsupported', 'warning']);
    const pdf = mine.find((i) => i.kind === 'unsupported');
    expect(pdf?.reason).toMatch(
      /XR-197369077: a PDF document .*not readable.*its text was read from another form/,
    );
    expect(mine.find((i) => i.kind === 'warning')?.reason).toMatch(/XML-197369077 was not fetched/);
  });

  it('a report with only PDF and XML forms is mapped without findings; each form is listed by kind', () => {
    const mammo = file(`${ORACLE}/R4_DIAGNOSTIC_REPORT_READ_BY_ID.json`);
    const binaries = new Map<string, FetchedBinary>([
      [
        'https://fhir-open.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d/Binary/XR-196151517',
        { contentType: 'application/pdf', text: PDF },
      ],
      [
        'Binary/R-196151517',
        { contentType: 'application/xml', text: '<?xml version="1.0"?><ClinicalDocument/>' },
      ],
    ]);
    const { imaging, issues } = mapImaging({ reports: [mammo] }, { binaries });
    expect(imaging.map((i) => [i.id, i.findings.length])).toEqual([['196151517', 0]]);
    const reasons = issuesOf(issues, '196151517').map((i) => `${i.kind} ${i.reason}`);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/^unsupported .*a PDF document \(application\/pdf\) is not readable/);
    expect(reasons[1]).toMatch(/^unsupported .*an XML document \(application\/xml/);
  });

  it('a PDF sent as text/plain is recognised by its signature and listed, not read as garbage text', () => {
    const r = report({}, '2026-02-10', { presentedForm: [{ contentType: 'text/plain', data: b64(PDF) }] });
    const { imaging, issues } = mapImaging({ reports: [r] });
    expect(imaging[0]?.text).toBeUndefined();
    expect(issues).toEqual([expect.objectContaining({ id: r.id, kind: 'unsupported' })]);
    expect(issues[0]?.reason).toMatch(/a PDF document \(text\/plain\) is not readable/);
  });

  it('the POST examples have no id: listed as malformed, nothing thrown', () => {
    const { imaging, issues } = mapImaging({
      reports: [
        file(`${ORACLE}/R4_DIAGNOSTIC_REPORT_POST_CARDIOLOGY.json`),
        file(`${ORACLE}/R4_DIAGNOSTIC_REPORT_POST_PATHOLOGY.json`),
      ],
    });
    expect(imaging).toEqual([]);
    expect(issues.map((i) => i.kind)).toEqual(['malformed', 'malformed']);
  });
});

describe('US Core chest X-ray: xhtml presentedForm and narrative result Observations', () => {
  const xray = file('us-core/DiagnosticReport-chest-xray-report.json');
  const impression = file('us-core/observation-xray-chest-impression.json');
  const findings = file('us-core/observation-xray-chest-findings.json');

  it('reads the application/xhtml form and the impression and findings Observations as part of the report', () => {
    const { imaging, issues } = mapImaging({ reports: [xray], reportResults: [impression, findings] });
    expect(issues).toEqual([]);
    expect(imaging).toHaveLength(1);
    const text = imaging[0]?.text ?? '';
    expect(text).toContain('INDICATION/CLINICAL QUESTION: Fever / Pneumonia'); // from the XHTML
    expect(text).toContain('Impression: No acute abnormality');
    // The findings valueString carries literal "\n" escapes: they become line breaks.
    expect(text).toContain('Findings: LINES AND TUBES: None.\n LUNGS AND PLEURA:');
    expect(text).not.toContain('\\n');
    expect(text).not.toMatch(/<p>|<br/);
  });

  it('results not received are named on the report; a result whose report is absent is listed', () => {
    const alone = mapImaging({ reports: [xray] });
    expect(alone.issues).toEqual([
      expect.objectContaining({
        id: 'chest-xray-report',
        kind: 'warning',
        reason: expect.stringContaining(
          'Observation/xray-chest-findings, Observation/xray-chest-impression not received as narrative Observations',
        ) as string,
      }),
    ]);
    const orphan = mapImaging({ reports: [], reportResults: [impression] });
    expect(orphan.issues).toEqual([
      {
        resourceType: 'Observation',
        id: 'xray-chest-impression',
        reason: 'Impression: no imaging report received points at it in result: not read',
        kind: 'excluded',
      },
    ]);
  });

  it('a result of a retracted report is listed with that report; one result is read once', () => {
    const eie = { ...xray, id: 'retracted', status: 'entered-in-error' };
    const a = mapImaging({ reports: [eie], reportResults: [impression] });
    expect(issuesOf(a.issues, 'xray-chest-impression')[0]?.reason).toContain(
      'of DiagnosticReport/retracted, which is not used',
    );
    const twice = {
      ...xray,
      id: 'copy',
      effectiveDateTime: '2019-02-05T10:00:00Z',
      presentedForm: undefined,
    };
    const b = mapImaging({ reports: [xray, twice], reportResults: [impression, findings] });
    expect(issuesOf(b.issues, 'copy').map((i) => i.reason)).toEqual([
      'Portable XR Chest Views: result Observation/xray-chest-findings already read with DiagnosticReport/chest-xray-report: not read twice',
      'Portable XR Chest Views: result Observation/xray-chest-impression already read with DiagnosticReport/chest-xray-report: not read twice',
    ]);
  });

  it('a result that is not text, or entered in error, is listed, not read', () => {
    const numeric = {
      ...impression,
      id: 'size',
      valueString: undefined,
      valueQuantity: { value: 3, unit: 'cm' },
    };
    const retracted = { ...findings, status: 'entered-in-error' };
    const r = {
      ...xray,
      result: [{ reference: 'Observation/size' }, { reference: 'Observation/xray-chest-findings' }],
    };
    const { issues } = mapImaging({ reports: [r], reportResults: [numeric, retracted] });
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      ['size', 'unsupported'],
      ['xray-chest-findings', 'excluded'],
    ]);
  });
});

describe('contained resources and the narrative div', () => {
  it('reads a contained Binary (#id) and a contained narrative Observation', () => {
    const r = report({}, '2026-02-10', {
      contained: [
        {
          resourceType: 'Binary',
          id: 'b1',
          contentType: 'text/plain',
          data: b64('Partial response by mRECIST.'),
        },
        {
          resourceType: 'Observation',
          id: 'imp',
          status: 'final',
          code: { text: 'Impression' },
          valueString: 'Tumor thrombus in the right portal vein (Vp3).',
        },
      ],
      presentedForm: [{ contentType: 'text/plain', url: '#b1' }],
      result: [{ reference: '#imp' }],
    });
    const { imaging, issues } = mapImaging({ reports: [r] });
    expect(issues).toEqual([]);
    expect(imaging[0]?.findings.map((f) => f.type)).toEqual(['response', 'vascular-invasion']);
  });

  it('a #id that names no contained Binary, and a bad contained resource, are listed on the report', () => {
    const r = report({ conclusion: 'Stable disease.' }, '2026-02-10', {
      contained: [{ resourceType: 'Binary', contentType: 'text/plain' }],
      presentedForm: [{ contentType: 'text/plain', url: '#nope' }],
    });
    const { imaging, issues } = mapImaging({ reports: [r] });
    expect(imaging[0]?.findings).toHaveLength(1);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [r.id, 'malformed'],
      [r.id, 'malformed'],
    ]);
    expect(issues[1]?.reason).toContain('#nope: no contained Binary has that id');
  });

  it('the narrative text.div is a rendering of the resource, never read as report text', () => {
    const r = report({ conclusion: 'Stable disease.' }, '2026-02-10', {
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml">Tumor thrombus in the right portal vein.</div>',
      },
    });
    const { imaging } = mapImaging({ reports: [r] });
    expect(imaging[0]?.findings.map((f) => f.type)).toEqual(['response']);
    expect(imaging[0]?.text).toBe('Stable disease.');
  });
});

describe('imaging DocumentReferences', () => {
  it('an imaging note is read like a report: xhtml content, date from context.period.start', () => {
    const d = docRef(
      'doc-1',
      { contentType: 'application/xhtml+xml', data: b64('<html><body><p>LR-TR Viable.</p></body></html>') },
      { context: { period: { start: '2026-03-01T09:00:00Z' } } },
    );
    const { imaging, issues } = mapImaging({ reports: [], documentReferences: [d] });
    expect(issues).toEqual([]);
    expect(imaging).toEqual([
      expect.objectContaining({
        id: 'DocumentReference-doc-1',
        date: '2026-03-01T09:00:00Z',
        source: { resourceType: 'DocumentReference', id: 'doc-1', display: 'Diagnostic imaging study' },
        text: 'LR-TR Viable.',
      }),
    ]);
    expect(imaging[0]?.findings[0]).toMatchObject({
      type: 'response',
      scale: 'lirads-tr',
      category: 'viable',
    });
  });

  it('is de-duplicated against the DiagnosticReport that points at the same Binary (any spelling)', () => {
    const binaries = new Map<string, FetchedBinary>([
      ['https://ehr.example/fhir/Binary/rad-1', { contentType: 'text/plain', text: 'Stable disease.' }],
    ]);
    const r = report({}, '2026-03-02', {
      id: 'dr-1',
      presentedForm: [{ contentType: 'text/plain', url: 'https://ehr.example/fhir/Binary/rad-1' }],
    });
    const d = docRef('doc-2', { contentType: 'text/plain', url: 'Binary/rad-1' });
    const { imaging, issues } = mapImaging({ reports: [r], documentReferences: [d] }, { binaries });
    expect(imaging.map((i) => i.id)).toEqual(['dr-1']);
    expect(imaging[0]?.findings).toHaveLength(1);
    expect(issues).toEqual([
      {
        resourceType: 'DocumentReference',
        id: 'doc-2',
        reason:
          'Diagnostic imaging study: narrative Binary/rad-1 already read from DiagnosticReport/dr-1: not read twice',
        kind: 'warning',
      },
    ]);
  });

  it('a PDF-only imaging note is kept without findings and its PDF listed', () => {
    const d = docRef('doc-pdf', { contentType: 'application/pdf', data: b64(PDF) });
    const { imaging, issues } = mapImaging({ reports: [], documentReferences: [d] });
    expect(imaging.map((i) => [i.id, i.findings.length])).toEqual([['DocumentReference-doc-pdf', 0]]);
    expect(issues).toEqual([expect.objectContaining({ id: 'doc-pdf', kind: 'unsupported' })]);
  });

  it('US Core discharge summary and Oracle Health documents that are not imaging are listed as not relevant', () => {
    const docs = [
      file('us-core/documentreference-discharge-summary.json'),
      file(`${ORACLE}/R4_DOCUMENT_REFERENCE.json`),
      ...entries(`${ORACLE}/R4_DOCUMENT_REFERENCE_BUNDLE.json`),
      file(`${ORACLE}/R4_DOCUMENT_REFERENCE_CCD.json`),
      file(`${ORACLE}/R4_DOCUMENT_REFERENCE_UPDATE.json`),
    ];
    const { imaging, issues } = mapImaging({ reports: [], documentReferences: docs });
    expect(imaging).toEqual([]);
    expect(issues.map((i) => [i.id, i.kind, i.reason])).toEqual([
      // The bundle repeats R4_DOCUMENT_REFERENCE's document: one copy is read.
      ['198381924', 'warning', 'duplicate resource id: the later copy was ignored'],
      [
        'discharge-summary',
        'excluded',
        'not relevant: Discharge Summary (type and category are not diagnostic imaging)',
      ],
      [
        '198381924',
        'excluded',
        'not relevant: Waveform Strip (type and category are not diagnostic imaging)',
      ],
      [
        '198381926',
        'excluded',
        'not relevant: Waveform Strip (type and category are not diagnostic imaging)',
      ],
      [
        'b79484c9-1170-44cd-9910-f9013ff2ea1f',
        'excluded',
        'not relevant: Summary of episode note (type and category are not diagnostic imaging)',
      ],
      [
        '201051629',
        'excluded',
        'not relevant: Admission Note-Physician (type and category are not diagnostic imaging)',
      ],
    ]);
  });

  it('the Oracle Health POST example (no id) is listed as malformed', () => {
    const { issues } = mapImaging({
      reports: [],
      documentReferences: [file(`${ORACLE}/R4_DOCUMENT_REFERENCE_POST.json`)],
    });
    expect(issues).toEqual([
      expect.objectContaining({ resourceType: 'DocumentReference', kind: 'malformed' }),
    ]);
  });

  it('entered-in-error, superseded and replaced (relatesTo) notes are listed, not read', () => {
    const text = { contentType: 'text/plain', data: b64('Progressive disease by mRECIST.') };
    const docs = [
      docRef('eie', text, { status: 'entered-in-error' }),
      docRef('old', text, { status: 'superseded' }),
      docRef('v1', text),
      docRef(
        'v2',
        { contentType: 'text/plain', data: b64('Stable disease.') },
        {
          relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/v1' } }],
        },
      ),
    ];
    const { imaging, issues } = mapImaging({ reports: [], documentReferences: docs });
    expect(imaging.map((i) => i.id)).toEqual(['DocumentReference-v2']);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      ['eie', 'excluded'],
      ['old', 'superseded'],
      ['v1', 'superseded'],
    ]);
    expect(issues[2]?.reason).toContain('replaced by DocumentReference/v2 (relatesTo replaces)');
  });

  it('recognises imaging notes by category (LP29684-5) and by a local type whose text names the study', () => {
    const text = { contentType: 'text/plain', data: b64('Stable disease.') };
    const byCategory = docRef(
      'c1',
      text,
      {
        category: [{ coding: [{ system: 'http://loinc.org', code: 'LP29684-5' }] }],
      },
      { coding: [{ system: 'https://fhir.cerner.com/x/codeSet/72', code: '1', display: 'Rad Note' }] },
    );
    const byText = docRef(
      't1',
      text,
      {},
      {
        coding: [{ system: 'https://fhir.cerner.com/x/codeSet/72', code: '2' }],
        text: 'CT Abdomen w/ Contrast',
      },
    );
    const { imaging } = mapImaging({ reports: [], documentReferences: [byCategory, byText] });
    expect(imaging.map((i) => [i.id, i.modality])).toEqual([
      ['DocumentReference-c1', undefined],
      ['DocumentReference-t1', 'CT'],
    ]);
  });

  it('a note dated after the evaluation date, or with a bad date, is listed', () => {
    const text = { contentType: 'text/plain', data: b64('Stable disease.') };
    const { imaging, issues } = mapImaging(
      {
        reports: [],
        documentReferences: [docRef('late', text), docRef('bad', text, { date: '2026-02-30' })],
      },
      { asOf: '2026-03-01' },
    );
    expect(imaging).toEqual([]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      ['late', 'excluded'],
      ['bad', 'malformed'],
    ]);
  });
});

describe('Binary lookup', () => {
  const body: FetchedBinary = { contentType: 'text/plain', text: 'x' };
  it('matches relative, absolute and urn:uuid spellings of one Binary', () => {
    const uuid = '8f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
    const lookup = new BinaryLookup(
      new Map([
        ['Binary/a', body],
        ['https://ehr.example/fhir/Binary/b', body],
        [`urn:uuid:${uuid}`, body],
      ]),
    );
    expect(lookup.get('https://ehr.example/fhir/Binary/a')).toBe(body);
    expect(lookup.get('https://ehr.example/fhir/Binary/a/_history/2')).toBe(body);
    expect(lookup.get('Binary/b')).toBe(body);
    expect(lookup.get(`Binary/${uuid}`)).toBe(body);
    expect(lookup.get(`urn:uuid:${uuid}`)).toBe(body);
  });
  it('never matches the same id on another server, nor two different bodies under one name', () => {
    const other: FetchedBinary = { contentType: 'text/plain', text: 'y' };
    const lookup = new BinaryLookup(
      new Map([
        ['https://ehr.example/fhir/Binary/b', body],
        ['https://a.example/Binary/c', body],
        ['https://b.example/Binary/c', other],
      ]),
    );
    expect(lookup.get('https://evil.example/fhir/Binary/b')).toBeUndefined();
    expect(lookup.get('Binary/c')).toBeUndefined();
    expect(lookup.get('https://a.example/Binary/c')).toBe(body);
  });
});

describe('readNarrative', () => {
  it('reads Oracle Health text/html whose markup was escaped once more (R4_BINARY_TR_HTML_ENTRY)', () => {
    const read = readNarrative('text/html', files[`${ORACLE}/R4_BINARY_TR_HTML_ENTRY.json`] as string);
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.text).toContain('* Final Report *');
      expect(read.text).not.toMatch(/<[a-z!/]/i);
    }
  });
  it('reads the same report when sent as a Binary JSON (R4_BINARY_TR_JSON_ENTRY, decoded)', () => {
    const bin = file(`${ORACLE}/R4_BINARY_TR_JSON_ENTRY.json`);
    const body = Buffer.from(bin.data as string, 'base64').toString('utf8');
    const read = readNarrative(bin.contentType as string, body);
    expect(read.ok && read.text.includes('Chief Complaint')).toBe(true);
  });
  it('keeps a "<" in plain HTML text; lists PDF, images, XML and binary bodies with a reason', () => {
    expect(readNarrative('text/html', '<p>Lesion &lt; 2 cm.</p>')).toEqual({
      ok: true,
      text: 'Lesion < 2 cm.',
    });
    expect(readNarrative('application/pdf;charset=utf-8', 'x').ok).toBe(false);
    expect(readNarrative('image/png', 'x').ok).toBe(false);
    expect(readNarrative('text/xml', '<a/>').ok).toBe(false);
    expect(readNarrative('text/plain', 'ab\u0000cd').ok).toBe(false);
    expect(readNarrative('text/plain', '{\\rtf1 Stable disease.\\par}')).toEqual({
      ok: true,
      text: 'Stable disease.',
    });
  });
});
