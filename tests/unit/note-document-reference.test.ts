import { describe, expect, it } from 'vitest';
import {
  authorReference,
  base64ToUtf8,
  buildNoteDocumentReference,
  idFromLocation,
  NOTE_IDENTIFIER_SYSTEM,
  noteIfNoneExist,
  noteTypeDisplay,
  utf8ToBase64,
  type NoteWriteContext,
} from '../../src/fhir/write-note';
import { FhirError } from '../../src/fhir/errors';

const DRAFT = {
  id: '2f1c7a8e-4b7d-4c1e-9a51-3d0f5e6b7c8d',
  text: 'Viable tumour ≥ 50 % — 70 %\nÉvaluation: 日本語 ✓\n',
};
const CTX: NoteWriteContext = {
  patientId: 'pat-1',
  encounterId: 'enc-9',
  fhirUser: 'Practitioner/dr-1',
  docStatus: 'preliminary',
  typeLoinc: '11506-3',
  now: '2026-11-02T09:30:00.000Z',
};

describe('buildNoteDocumentReference', () => {
  it('builds the US Core clinical note with every field of the write-back contract', () => {
    const doc = buildNoteDocumentReference(DRAFT, CTX);
    expect(doc).toMatchInlineSnapshot(`
      {
        "author": [
          {
            "reference": "Practitioner/dr-1",
          },
        ],
        "category": [
          {
            "coding": [
              {
                "code": "clinical-note",
                "display": "Clinical Note",
                "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
              },
            ],
          },
        ],
        "content": [
          {
            "attachment": {
              "contentType": "text/plain; charset=utf-8",
              "creation": "2026-11-02T09:30:00.000Z",
              "data": "VmlhYmxlIHR1bW91ciDiiaUgNTAgJSDigJQgNzAgJQrDiXZhbHVhdGlvbjog5pel5pys6KqeIOKckwo=",
              "title": "TACE review note",
            },
          },
        ],
        "context": {
          "encounter": [
            {
              "reference": "Encounter/enc-9",
            },
          ],
          "period": {
            "end": "2026-11-02T09:30:00.000Z",
            "start": "2026-11-02T09:30:00.000Z",
          },
        },
        "date": "2026-11-02T09:30:00.000Z",
        "description": "TACE review (decision-support summary, edited by the clinician)",
        "docStatus": "preliminary",
        "identifier": [
          {
            "system": "urn:tace-navigator:note-draft",
            "value": "2f1c7a8e-4b7d-4c1e-9a51-3d0f5e6b7c8d",
          },
        ],
        "resourceType": "DocumentReference",
        "status": "current",
        "subject": {
          "reference": "Patient/pat-1",
        },
        "type": {
          "coding": [
            {
              "code": "11506-3",
              "display": "Progress note",
              "system": "http://loinc.org",
            },
          ],
          "text": "Progress note",
        },
      }
    `);
    expect(base64ToUtf8(doc.content[0]!.attachment.data)).toBe(DRAFT.text);
  });

  it('takes docStatus and type from the issuer (Oracle: final) and leaves out what the launch did not give', () => {
    const doc = buildNoteDocumentReference(DRAFT, {
      ...CTX,
      docStatus: 'final',
      typeLoinc: '11488-4',
      encounterId: undefined,
      fhirUser: undefined,
    });
    expect(doc.docStatus).toBe('final');
    expect(doc.type.coding[0]).toMatchObject({ code: '11488-4', display: 'Consult note' });
    expect(doc.author).toBeUndefined();
    expect(doc.context.encounter).toBeUndefined();
    expect(doc.context.period.end).toBe(CTX.now);
  });

  it('a revision: its own identifier and relatesTo replaces the note in the chart; a first note has none', () => {
    expect(buildNoteDocumentReference(DRAFT, CTX).relatesTo).toBeUndefined();
    const revisionId = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
    const doc = buildNoteDocumentReference({ id: revisionId, text: 'edited', replaces: 'doc-1' }, CTX);
    expect(doc.identifier).toEqual([{ system: NOTE_IDENTIFIER_SYSTEM, value: revisionId }]);
    expect(doc.relatesTo).toEqual([{ code: 'replaces', target: { reference: 'DocumentReference/doc-1' } }]);
    expect(doc.status).toBe('current');
    expect(base64ToUtf8(doc.content[0]!.attachment.data)).toBe('edited');
    // A target that is not a FHIR id never reaches the server.
    expect(() => buildNoteDocumentReference({ ...DRAFT, replaces: 'a/b' }, CTX)).toThrow(/relatesTo/);
  });

  it('refuses a draft whose identifier is not a UUID or a bad patient id (zod, before sending)', () => {
    expect(() => buildNoteDocumentReference({ ...DRAFT, id: 'x' }, CTX)).toThrow(FhirError);
    expect(() => buildNoteDocumentReference(DRAFT, { ...CTX, patientId: 'a/b' })).toThrow(/subject/);
  });
});

describe('write-note helpers', () => {
  it('base64 round-trips any Unicode and large text', () => {
    const big = 'ÄÖÜ ≥ ≤ 😀 '.repeat(20_000);
    expect(base64ToUtf8(utf8ToBase64(big))).toBe(big);
    expect(utf8ToBase64('')).toBe('');
  });

  it('author from fhirUser (relative or absolute), conditional-create query, LOINC display', () => {
    expect(authorReference('https://ehr.example/fhir/Practitioner/abc')).toBe('Practitioner/abc');
    expect(authorReference('Practitioner/abc')).toBe('Practitioner/abc');
    expect(authorReference('Organization/1')).toBeUndefined();
    expect(noteIfNoneExist(DRAFT.id)).toBe(`identifier=${NOTE_IDENTIFIER_SYSTEM}|${DRAFT.id}`);
    expect(noteTypeDisplay('99999-9')).toBe('LOINC 99999-9');
  });

  it('parses the created id from Location forms', () => {
    expect(idFromLocation('https://ehr/fhir/DocumentReference/abc/_history/1')).toBe('abc');
    expect(idFromLocation('DocumentReference/M-123.4')).toBe('M-123.4');
    expect(idFromLocation('https://ehr/fhir/DocumentReference/abc')).toBe('abc');
    expect(idFromLocation(undefined)).toBeUndefined();
    expect(idFromLocation('https://ehr/fhir/Binary/abc')).toBeUndefined();
  });
});
