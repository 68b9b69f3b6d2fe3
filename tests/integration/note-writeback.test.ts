import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issuerSchema, type IssuerConfig } from '../../src/config/issuers';
import { createSession, type FhirSession } from '../../src/fhir/client';
import { FhirError } from '../../src/fhir/errors';
import {
  base64ToUtf8,
  NOTE_IDENTIFIER_SYSTEM,
  saveNote,
  type NoteDocumentReference,
} from '../../src/fhir/write-note';
import { EPIC_BASE, EPIC_PATIENT } from '../fixtures/epic/resources';
import { utf8ToBase64 } from '../../src/fhir/write-note';
import { outcome } from './fake-ehr';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ORACLE_BASE = 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
const ORACLE_PATIENT = '12724066';
const NOW = '2026-11-02T09:30:00.000Z';
const DRAFT = {
  id: '6a4c2b1e-8f3d-4a5b-9c7e-1d2f3a4b5c6d',
  text: 'JSH-LCSGJ 2014: criteria met — viable tumour ~70 %\n',
};

function issuerFor(ehr: 'epic' | 'oracle', base: string): IssuerConfig {
  return issuerSchema.parse({
    id: `test-${ehr}`,
    displayName: ehr,
    ehr,
    issMatch: { exact: base },
    clientId: 'test',
    writeBack: { enabled: true, docStatus: ehr === 'oracle' ? 'final' : 'preliminary', typeLoinc: '11506-3' },
  });
}

function sessionFor(ehr: 'epic' | 'oracle'): FhirSession {
  const base = ehr === 'epic' ? EPIC_BASE : ORACLE_BASE;
  return createSession({
    context: {
      serverUrl: base,
      patientId: ehr === 'epic' ? EPIC_PATIENT : ORACLE_PATIENT,
      encounterId: ehr === 'epic' ? 'eEnc123' : '97953477',
      fhirUser: ehr === 'epic' ? 'Practitioner/eDoc1' : 'Practitioner/593923',
      needPatientBanner: false,
    },
    issuer: issuerFor(ehr, base),
    authorization: () => 'Bearer write-token',
  });
}

interface Seen {
  body: NoteDocumentReference;
  headers: Headers;
}

/** A POST handler answering from a list of replies (the last one repeats); every request recorded. */
function createHandler(base: string, replies: ((seen: Seen) => Response | Promise<Response>)[]) {
  const seen: Seen[] = [];
  const handler = http.post(`${base}/DocumentReference`, async ({ request }) => {
    const entry = { body: (await request.json()) as NoteDocumentReference, headers: request.headers };
    seen.push(entry);
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)]!;
    return reply(entry);
  });
  return { handler, seen };
}

const noSleep = (sleeps: number[]) => async (ms: number) => {
  sleeps.push(ms);
};

function expectContract(seen: Seen, ehr: 'epic' | 'oracle') {
  const { body, headers } = seen;
  expect(headers.get('authorization')).toBe('Bearer write-token');
  expect(headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect(headers.get('if-none-exist')).toBe(`identifier=${NOTE_IDENTIFIER_SYSTEM}|${DRAFT.id}`);
  expect(body.resourceType).toBe('DocumentReference');
  expect(body.status).toBe('current');
  expect(body.docStatus).toBe(ehr === 'oracle' ? 'final' : 'preliminary');
  expect(body.type.coding[0]).toEqual({
    system: 'http://loinc.org',
    code: '11506-3',
    display: 'Progress note',
  });
  expect(body.category[0]!.coding[0]).toMatchObject({
    system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
    code: 'clinical-note',
  });
  expect(body.subject.reference).toBe(`Patient/${ehr === 'epic' ? EPIC_PATIENT : ORACLE_PATIENT}`);
  expect(body.context.encounter).toEqual([
    { reference: `Encounter/${ehr === 'epic' ? 'eEnc123' : '97953477'}` },
  ]);
  expect(body.context.period).toEqual({ start: NOW, end: NOW });
  expect(body.author).toEqual([{ reference: ehr === 'epic' ? 'Practitioner/eDoc1' : 'Practitioner/593923' }]);
  expect(body.date).toBe(NOW);
  expect(body.identifier).toEqual([{ system: NOTE_IDENTIFIER_SYSTEM, value: DRAFT.id }]);
  expect(body.content[0]!.attachment.contentType).toBe('text/plain; charset=utf-8');
  expect(base64ToUtf8(body.content[0]!.attachment.data)).toBe(DRAFT.text);
}

describe('note write-back (msw)', () => {
  it('Oracle-like: 201 with Location and no body → id from Location; docStatus final', async () => {
    const { handler, seen } = createHandler(ORACLE_BASE, [
      () =>
        new HttpResponse(null, {
          status: 201,
          headers: { Location: `${ORACLE_BASE}/DocumentReference/197292519` },
        }),
    ]);
    server.use(handler);
    const saved = await saveNote(sessionFor('oracle'), DRAFT, { now: () => NOW });
    expect(saved).toEqual({ id: '197292519', existing: false, status: 201, chartText: 'same' });
    expect(seen).toHaveLength(1);
    expectContract(seen[0]!, 'oracle');
  });

  it('Epic-like: 201 with the created resource in the body → id from the body', async () => {
    const { handler, seen } = createHandler(EPIC_BASE, [
      ({ body }) =>
        HttpResponse.json(
          { ...body, id: 'eDocRef.1' },
          { status: 201, headers: { Location: `${EPIC_BASE}/DocumentReference/eDocRef.1/_history/1` } },
        ),
    ]);
    server.use(handler);
    const saved = await saveNote(sessionFor('epic'), DRAFT, { now: () => NOW });
    expect(saved).toEqual({ id: 'eDocRef.1', existing: false, status: 201, chartText: 'same' });
    expectContract(seen[0]!, 'epic');
  });

  it('200 for an existing identifier → the existing note, reported as already saved', async () => {
    const { handler } = createHandler(EPIC_BASE, [
      ({ body }) => HttpResponse.json({ ...body, id: 'already-there' }, { status: 200 }),
    ]);
    server.use(handler);
    const saved = await saveNote(sessionFor('epic'), DRAFT, { now: () => NOW });
    expect(saved).toEqual({ id: 'already-there', existing: true, status: 200, chartText: 'same' });
  });

  it.each([400, 422])('%i with an OperationOutcome → its text, no retry', async (status) => {
    const { handler, seen } = createHandler(EPIC_BASE, [() => outcome(status, 'Valid encounter required')]);
    server.use(handler);
    const sleeps: number[] = [];
    const error = await saveNote(sessionFor('epic'), DRAFT, { now: () => NOW, sleep: noSleep(sleeps) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FhirError);
    expect(error).toMatchObject({ kind: 'client', status, outcomeText: 'Valid encounter required' });
    expect(seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('500 then success: retried with the same identifier and If-None-Exist; no duplicate', async () => {
    const { handler, seen } = createHandler(EPIC_BASE, [
      () => outcome(500, 'Injected fault'),
      ({ body }) => HttpResponse.json({ ...body, id: 'after-retry' }, { status: 201 }),
    ]);
    server.use(handler);
    const sleeps: number[] = [];
    const attempts: number[] = [];
    const saved = await saveNote(sessionFor('epic'), DRAFT, {
      now: () => NOW,
      sleep: noSleep(sleeps),
      onAttempt: (n) => attempts.push(n),
    });
    expect(saved.id).toBe('after-retry');
    expect(seen).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
    expect(attempts).toEqual([1, 2]);
    for (const s of seen) expectContract(s, 'epic');
    expect(JSON.stringify(seen[0]!.body)).toBe(JSON.stringify(seen[1]!.body));
  });

  it('5xx every time: two retries with backoff, then a server error', async () => {
    const { handler, seen } = createHandler(EPIC_BASE, [() => outcome(503, 'Busy')]);
    server.use(handler);
    const sleeps: number[] = [];
    const error = await saveNote(sessionFor('epic'), DRAFT, {
      now: () => NOW,
      sleep: noSleep(sleeps),
      retryDelaysMs: [10, 20],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate-limited', status: 503 });
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([10, 20]);
  });

  it('a dropped connection is retried like a 5xx', async () => {
    const { handler, seen } = createHandler(EPIC_BASE, [
      () => HttpResponse.error(),
      ({ body }) => HttpResponse.json({ ...body, id: 'net-ok' }, { status: 201 }),
    ]);
    server.use(handler);
    const saved = await saveNote(sessionFor('epic'), DRAFT, { now: () => NOW, sleep: noSleep([]) });
    expect(saved.id).toBe('net-ok');
    expect(seen).toHaveLength(2);
  });

  it('401 → session-expired and 403 → forbidden, not retried', async () => {
    const expired = createHandler(EPIC_BASE, [() => outcome(401, 'token expired')]);
    server.use(expired.handler);
    await expect(saveNote(sessionFor('epic'), DRAFT, { now: () => NOW })).rejects.toMatchObject({
      kind: 'session-expired',
    });
    expect(expired.seen).toHaveLength(1);
    server.resetHandlers();
    const forbidden = createHandler(EPIC_BASE, [() => outcome(403, 'insufficient scope')]);
    server.use(forbidden.handler);
    await expect(saveNote(sessionFor('epic'), DRAFT, { now: () => NOW })).rejects.toMatchObject({
      kind: 'forbidden',
      outcomeText: 'insufficient scope',
    });
    expect(forbidden.seen).toHaveLength(1);
  });

  it('401 with a refresh token: refreshed once, then the write goes through with the new token', async () => {
    let token = 'Bearer old';
    const { handler, seen } = createHandler(EPIC_BASE, [
      () => outcome(401, 'token expired'),
      ({ body }) => HttpResponse.json({ ...body, id: 'refreshed' }, { status: 201 }),
    ]);
    server.use(handler);
    let beforeWrite = 0;
    const session = createSession({
      context: { ...sessionFor('epic').context },
      issuer: issuerFor('epic', EPIC_BASE),
      authorization: () => token,
      beforeWrite: async () => {
        beforeWrite++;
      },
      refresh: async () => {
        token = 'Bearer new';
        return true;
      },
    });
    const saved = await saveNote(session, DRAFT, { now: () => NOW });
    expect(saved.id).toBe('refreshed');
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer old', 'Bearer new']);
    expect(beforeWrite).toBe(2);
  });
});

/**
 * A FHIR server that honours If-None-Exist on the note identifier and serves reads and identifier searches, and
 * can commit a create and then lose its answer (the connection drops after the store) — the case of issue 11.
 */
function storingServer(base: string, opts: { loseAnswers?: number; emptyBodies?: boolean } = {}) {
  const docs: (NoteDocumentReference & { id: string })[] = [];
  let lose = opts.loseAnswers ?? 0;
  const byIdentifier = (value: string | undefined) =>
    docs.find((d) => d.identifier.some((i) => `${i.system}|${i.value}` === value));
  server.use(
    http.post(`${base}/DocumentReference`, async ({ request }) => {
      const body = (await request.json()) as NoteDocumentReference;
      const existing = byIdentifier(request.headers.get('if-none-exist')?.replace(/^identifier=/, ''));
      let reply: Response;
      if (existing) {
        reply = opts.emptyBodies ? new HttpResponse(null, { status: 200 }) : HttpResponse.json(existing);
      } else {
        const doc = { ...body, id: `doc-${docs.length + 1}` };
        docs.push(doc);
        reply = opts.emptyBodies
          ? new HttpResponse(null, {
              status: 201,
              headers: { Location: `${base}/DocumentReference/${doc.id}` },
            })
          : HttpResponse.json(doc, { status: 201 });
      }
      if (lose > 0) {
        lose--;
        return HttpResponse.error(); // committed, but the answer never arrives
      }
      return reply;
    }),
    http.get(`${base}/DocumentReference`, ({ request }) => {
      const doc = byIdentifier(new URL(request.url).searchParams.get('identifier') ?? undefined);
      return HttpResponse.json({
        resourceType: 'Bundle',
        type: 'searchset',
        entry: doc ? [{ resource: doc }] : [],
      });
    }),
  );
  return docs;
}

describe('a save committed on the server whose answer was lost (issue 11)', () => {
  const EDITED = `${DRAFT.text}Discussed at tumour board, edited after the lost save.\n`;

  it('the edited draft saved again finds the old text (200): "different", no second document, then a revision replaces it', async () => {
    const docs = storingServer(EPIC_BASE, { loseAnswers: 3 });
    const session = sessionFor('epic');
    const lost = await saveNote(session, DRAFT, {
      now: () => NOW,
      retryDelaysMs: [0, 0],
      sleep: noSleep([]),
    }).catch((e: unknown) => e);
    expect(lost).toMatchObject({ kind: 'network' });
    expect(docs).toHaveLength(1); // committed all the same

    // Reload, edit the kept draft (same identifier), save again: the server answers 200 with the old note.
    const again = await saveNote(session, { id: DRAFT.id, text: EDITED }, { now: () => NOW });
    expect(again).toEqual({ id: 'doc-1', existing: true, status: 200, chartText: 'different' });
    expect(docs).toHaveLength(1);

    const REVISION_ID = '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70';
    const revision = await saveNote(
      session,
      { id: REVISION_ID, text: EDITED, replaces: 'doc-1' },
      { now: () => NOW },
    );
    expect(revision).toEqual({ id: 'doc-2', existing: false, status: 201, chartText: 'same' });
    expect(docs).toHaveLength(2);
    expect(docs[1]!.relatesTo).toEqual([
      { code: 'replaces', target: { reference: 'DocumentReference/doc-1' } },
    ]);
    expect(docs[1]!.identifier).toEqual([{ system: NOTE_IDENTIFIER_SYSTEM, value: REVISION_ID }]);
    expect(base64ToUtf8(docs[1]!.content[0]!.attachment.data)).toBe(EDITED);
    expect(base64ToUtf8(docs[0]!.content[0]!.attachment.data)).toBe(DRAFT.text);
  });

  it('the same text saved again after the lost answer is "same" (the draft may go)', async () => {
    storingServer(EPIC_BASE, { loseAnswers: 3 });
    const session = sessionFor('epic');
    await saveNote(session, DRAFT, { now: () => NOW, retryDelaysMs: [0, 0], sleep: noSleep([]) }).catch(
      () => {},
    );
    expect(await saveNote(session, DRAFT, { now: () => NOW })).toMatchObject({
      id: 'doc-1',
      existing: true,
      chartText: 'same',
    });
  });

  it('a 200 with an empty body (Oracle-like): the note is found by identifier search and compared', async () => {
    const docs = storingServer(ORACLE_BASE, { loseAnswers: 3, emptyBodies: true });
    const session = sessionFor('oracle');
    await saveNote(session, DRAFT, { now: () => NOW, retryDelaysMs: [0, 0], sleep: noSleep([]) }).catch(
      () => {},
    );
    expect(docs).toHaveLength(1);
    expect(await saveNote(session, { id: DRAFT.id, text: EDITED }, { now: () => NOW })).toEqual({
      id: 'doc-1',
      existing: true,
      status: 200,
      chartText: 'different',
    });
    expect(await saveNote(session, DRAFT, { now: () => NOW })).toMatchObject({ chartText: 'same' });
  });

  it('a 200 whose note cannot be read back is "unknown", never "same"', async () => {
    server.use(
      http.post(`${ORACLE_BASE}/DocumentReference`, () => new HttpResponse(null, { status: 200 })),
      http.get(`${ORACLE_BASE}/DocumentReference`, () => outcome(403, 'no read')),
    );
    expect(await saveNote(sessionFor('oracle'), DRAFT, { now: () => NOW })).toEqual({
      id: undefined,
      existing: true,
      status: 200,
      chartText: 'unknown',
    });
  });

  it('a 200 whose body is the existing note with exactly the draft text is "same"', async () => {
    server.use(
      http.post(`${EPIC_BASE}/DocumentReference`, () =>
        HttpResponse.json({
          resourceType: 'DocumentReference',
          id: 'x1',
          content: [{ attachment: { data: utf8ToBase64(DRAFT.text) } }],
        }),
      ),
    );
    expect(await saveNote(sessionFor('epic'), DRAFT, { now: () => NOW })).toMatchObject({
      chartText: 'same',
    });
  });
});
