import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { issuerSchema } from '../../src/config/issuers';
import { createSession, type FhirSession } from '../../src/fhir/client';
import { groupByPatient } from '../../src/fhir/patient-resources';
import { base64ToUtf8, NOTE_IDENTIFIER_SYSTEM, type NoteDocumentReference } from '../../src/fhir/write-note';
import { evaluate } from '../../src/engine/index';
import type { AssessmentResult } from '../../src/engine/result';
import { useSaveNote } from '../../src/ui/hooks/use-save-note';
import { draftStorageKey } from '../../src/ui/note/draft-storage';
import { NotePanel } from '../../src/ui/note/note-panel';
import { outcome } from './fake-ehr';
import { loadPatient } from '../../src/fhir/loader';

const BASE = 'https://ehr.test/fhir';
const PATIENT = 'refractory-insufficient-response';
const AS_OF = '2026-11-01';
const NOW = '2026-11-01T10:00:00.000Z';
const DRAFT_ID = 'b3c1d2e4-5f6a-4b7c-8d9e-0f1a2b3c4d5e';

const capabilityStatement = (interactions: string[]) => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  kind: 'instance',
  fhirVersion: '4.0.1',
  rest: [
    {
      mode: 'server',
      resource: [{ type: 'DocumentReference', interaction: interactions.map((code) => ({ code })) }],
    },
  ],
});
// Initial handlers survive resetHandlers(): every panel asks the server whether it can create notes.
const server = setupServer(
  http.get(`${BASE}/metadata`, () =>
    HttpResponse.json(capabilityStatement(['read', 'search-type', 'create'])),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  cleanup();
  sessionStorage.clear();
});
afterAll(() => server.close());

let result: AssessmentResult;
beforeAll(() => {
  const entries = buildScenarios().flatMap((s) => s.resources.map((resource) => ({ resource })));
  const p = groupByPatient(entries).patients.find((x) => x.patientId === PATIENT)!;
  result = evaluate(loadPatient(p.patient, p.resources, { asOf: AS_OF }).timeline, { asOf: AS_OF });
});

function session(writeBack = true): FhirSession {
  return createSession({
    context: {
      serverUrl: BASE,
      patientId: PATIENT,
      encounterId: 'enc-1',
      fhirUser: 'Practitioner/dr-1',
      needPatientBanner: true,
    },
    issuer: issuerSchema.parse({
      id: 'test',
      displayName: 'Test',
      ehr: 'other',
      issMatch: { exact: BASE },
      clientId: 'test',
      writeBack: { enabled: writeBack },
    }),
    authorization: () => 'Bearer t',
  });
}

/** Replies in order (last repeats); records each posted resource. */
function ehrCreates(replies: ((body: NoteDocumentReference) => Response | Promise<Response>)[]) {
  const posted: { body: NoteDocumentReference; ifNoneExist: string | null }[] = [];
  server.use(
    http.post(`${BASE}/DocumentReference`, async ({ request }) => {
      const body = (await request.json()) as NoteDocumentReference;
      posted.push({ body, ifNoneExist: request.headers.get('if-none-exist') });
      return replies[Math.min(posted.length - 1, replies.length - 1)]!(body);
    }),
  );
  return posted;
}

const created = (id: string) => (body: NoteDocumentReference) =>
  HttpResponse.json({ ...body, id }, { status: 201 });

function renderPanel(s: FhirSession = session()) {
  return render(
    <NotePanel
      session={s}
      result={result}
      date={AS_OF}
      now={() => NOW}
      makeDraftId={() => DRAFT_ID}
      saveOptions={{ retryDelaysMs: [0, 0], sleep: async () => {} }}
    />,
  );
}

const textarea = () => screen.getByLabelText('Note text (editable)') as HTMLTextAreaElement;
const decoded = (b: NoteDocumentReference) => base64ToUtf8(b.content[0]!.attachment.data);

describe('note panel', () => {
  it('shows the suggestion; edit → Save → confirmation of what is written → Confirm → saved, cannot write again', async () => {
    const posted = ehrCreates([created('doc-1')]);
    renderPanel();
    expect(textarea().value).toContain('TACE review — decision-support summary (2026-11-01)');
    expect(textarea().value).toMatch(/JSH-LCSGJ 2014 [^\n]*:\s+criteria met/);
    const edited = `${textarea().value}\nDiscussed at tumour board — Dr. Müller ✓`;
    fireEvent.change(textarea(), { target: { value: edited } });

    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    expect(posted).toHaveLength(0); // nothing is written before the confirmation
    expect(screen.getByTestId('confirm-type').textContent).toContain('Progress note (LOINC 11506-3)');
    expect(screen.getByTestId('confirm-date').textContent).toBe(NOW);
    expect(screen.getByTestId('confirm-author').textContent).toBe('Practitioner/dr-1');
    expect(screen.getByTestId('confirm-encounter').textContent).toBe('Encounter/enc-1');
    expect(screen.getByTestId('confirm-status').textContent).toBe('current, document status preliminary');

    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    await screen.findByText(/Saved to the chart as DocumentReference\/doc-1/);
    expect(posted).toHaveLength(1);
    expect(decoded(posted[0]!.body)).toBe(edited);
    expect(posted[0]!.ifNoneExist).toBe(`identifier=${NOTE_IDENTIFIER_SYSTEM}|${DRAFT_ID}`);
    expect(posted[0]!.body.date).toBe(NOW);
    expect(screen.getByRole('button', { name: 'Save to chart' })).toHaveProperty('disabled', true);
    expect(textarea().readOnly).toBe(true);
    // Confirmed by the server: the stored draft is gone.
    expect(sessionStorage.getItem(draftStorageKey(BASE, PATIENT))).toBeNull();
  });

  it('the editor: a visible label above the field and associated with it, about 18–24 rows, resizable', () => {
    renderPanel();
    const field = textarea(); // found by its label: the label is associated with the field
    const label = screen.getByTestId('note-label');
    expect(label.tagName).toBe('LABEL');
    expect(label.textContent).toBe('Note text (editable)');
    expect(label.getAttribute('for')).toBe(field.id);
    // Above the field: the label comes first, in its own block (not beside the field's bottom edge).
    expect(label.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(label.nextElementSibling).toBe(field);
    expect(label.hidden).toBe(false);
    expect(field.rows).toBeGreaterThanOrEqual(18);
    expect(field.rows).toBeLessThanOrEqual(24);
    expect(field.className).toContain('note-text');
  });

  it('a character count follows the text, read with the field and not announced on every keystroke', () => {
    renderPanel();
    const count = screen.getByTestId('note-count');
    const chars = (t: string) => `${[...t].length.toLocaleString()} characters`;
    expect(count.textContent).toBe(chars(textarea().value));
    expect(textarea().getAttribute('aria-describedby')?.split(' ')).toContain(count.id);
    // Not a live region: a screen reader reads it with the field, not after every key.
    expect(count.getAttribute('aria-live')).toBeNull();
    expect(count.getAttribute('role')).toBeNull();
    expect(count.closest('[aria-live],[role="status"],[role="alert"]')).toBeNull();
    fireEvent.change(textarea(), { target: { value: 'Seen in clinic ✓' } });
    expect(count.textContent).toBe('16 characters');
    fireEvent.change(textarea(), { target: { value: 'x' } });
    expect(count.textContent).toBe('1 character');
  });

  it('Save moves focus to the confirmation step; Escape cancels and focus returns to Save', () => {
    const posted = ehrCreates([created('never')]);
    renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    const confirm = screen.getByTestId('note-confirm');
    expect(document.activeElement).toBe(confirm);
    expect(confirm.getAttribute('tabindex')).toBe('-1');
    // The step is named by its question for a screen reader.
    expect(screen.getByRole('group', { name: 'Save this note to the chart?' })).toBe(confirm);
    fireEvent.keyDown(confirm, { key: 'Escape' });
    expect(screen.queryByTestId('note-confirm')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save to chart' }));
    expect(posted).toHaveLength(0);
  });

  it('after Confirm, focus moves to the result message: saved', async () => {
    ehrCreates([created('doc-9')]);
    renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    const saved = await screen.findByTestId('note-saved');
    await waitFor(() => expect(document.activeElement).toBe(saved));
    expect(saved.getAttribute('tabindex')).toBe('-1');
    expect(saved.textContent).toContain('Saved to the chart as DocumentReference/doc-9');
  });

  it('after Confirm, focus moves to the result message: a failure, with the text kept', async () => {
    ehrCreates([() => outcome(500, 'Injected fault')]);
    renderPanel();
    fireEvent.change(textarea(), { target: { value: 'Typed by the clinician' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    const failure = await screen.findByTestId('note-error');
    await waitFor(() => expect(document.activeElement).toBe(failure));
    expect(failure.getAttribute('tabindex')).toBe('-1');
    expect(failure.getAttribute('role')).toBe('alert');
    expect(textarea().value).toBe('Typed by the clinician');
    // Try again: focus follows the new outcome too.
    ehrCreates([created('doc-10')]);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    const saved = await screen.findByTestId('note-saved');
    await waitFor(() => expect(document.activeElement).toBe(saved));
  });

  it('print shows the whole note text, not only the rows the field shows', () => {
    renderPanel();
    fireEvent.change(textarea(), { target: { value: 'line 1\nline 2\nline 3' } });
    expect(screen.getByTestId('note-print').textContent).toBe('line 1\nline 2\nline 3');
  });

  it('Cancel on the confirmation writes nothing and keeps the text', () => {
    const posted = ehrCreates([created('never')]);
    renderPanel();
    fireEvent.change(textarea(), { target: { value: 'my words' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('note-confirm')).toBeNull();
    expect(textarea().value).toBe('my words');
    expect(posted).toHaveLength(0);
  });

  it('a failed save keeps the edited text (screen and sessionStorage); Try again reuses the identifier', async () => {
    const posted = ehrCreates([
      () => outcome(500, 'Injected fault'),
      () => outcome(500, 'Injected fault'),
      () => outcome(500, 'Injected fault'),
      created('doc-2'),
    ]);
    renderPanel();
    fireEvent.change(textarea(), { target: { value: 'Edited by the clinician' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The note could not be saved.');
    expect(alert.textContent).toContain('Injected fault');
    expect(posted).toHaveLength(3); // first try + two bounded retries
    expect(textarea().value).toBe('Edited by the clinician');
    expect(JSON.parse(sessionStorage.getItem(draftStorageKey(BASE, PATIENT)) ?? '{}')).toMatchObject({
      id: DRAFT_ID,
      text: 'Edited by the clinician',
    });

    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText(/Saved to the chart as DocumentReference\/doc-2/);
    expect(posted).toHaveLength(4);
    expect(new Set(posted.map((p) => p.body.identifier[0]!.value))).toEqual(new Set([DRAFT_ID]));
    expect(new Set(posted.map((p) => p.ifNoneExist)).size).toBe(1);
  });

  it('400 with an OperationOutcome shows its text; the draft stays', async () => {
    ehrCreates([() => outcome(400, 'Valid encounter required')]);
    renderPanel();
    fireEvent.change(textarea(), { target: { value: 'keep me' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The EHR refused the note.');
    expect(alert.textContent).toContain('Valid encounter required');
    expect(textarea().value).toBe('keep me');
  });

  it('401 asks for a relaunch and keeps the draft for after it', async () => {
    ehrCreates([() => outcome(401, 'token expired')]);
    const first = renderPanel();
    fireEvent.change(textarea(), { target: { value: 'survives the relaunch' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/session with the EHR has expired.*Relaunch/);
    expect(alert.getAttribute('data-kind')).toBe('session-expired');
    first.unmount();
    // The relaunch opens a new panel for the same server + patient: the draft and its identifier come back.
    render(<NotePanel session={session()} result={result} date={AS_OF} makeDraftId={() => 'other-id'} />);
    expect(textarea().value).toBe('survives the relaunch');
    expect(JSON.parse(sessionStorage.getItem(draftStorageKey(BASE, PATIENT)) ?? '{}').id).toBe(DRAFT_ID);
  });

  it('403: "did not grant note writing", with copy and download', async () => {
    ehrCreates([() => outcome(403, 'scope missing')]);
    renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This EHR did not grant note writing');
    expect(screen.getByRole('button', { name: 'Copy to clipboard' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download .txt' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save to chart' })).toBeNull();
  });

  it('write-back disabled: no save; copy to clipboard and download instead', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const createObjectURL = vi.fn(() => 'blob:note');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    renderPanel(session(false));
    expect(screen.queryByRole('button', { name: 'Save to chart' })).toBeNull();
    expect(screen.getByTestId('note-writeback-disabled')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Copy to clipboard' }));
    await screen.findByText('Copied to the clipboard.');
    expect(writeText).toHaveBeenCalledWith(textarea().value);
    fireEvent.click(screen.getByRole('button', { name: 'Download .txt' }));
    expect(createObjectURL).toHaveBeenCalledTimes(1);
  });

  it('a double click on Confirm and save sends one request', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => (release = done));
    const posted = ehrCreates([
      async (body) => {
        await gate;
        return created('only-one')(body);
      },
    ]);
    renderPanel();
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    const confirm = screen.getByRole('button', { name: 'Confirm and save' });
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    // The Save button is disabled while saving, so a third path in is closed too.
    expect(screen.getByRole('button', { name: 'Save to chart' })).toHaveProperty('disabled', true);
    release();
    await screen.findByText(/DocumentReference\/only-one/);
    expect(posted).toHaveLength(1);
  });
});

/**
 * A fake EHR that stores notes, honours If-None-Exist on the identifier and can commit a create and then drop the
 * connection before answering (issue 11: the clinician never learns the first save reached the chart).
 */
function storingEhr(loseAnswers: number) {
  const docs: (NoteDocumentReference & { id: string })[] = [];
  let lose = loseAnswers;
  server.use(
    http.post(`${BASE}/DocumentReference`, async ({ request }) => {
      const body = (await request.json()) as NoteDocumentReference;
      const wanted = request.headers.get('if-none-exist')?.replace(/^identifier=/, '');
      const existing = docs.find((d) => d.identifier.some((i) => `${i.system}|${i.value}` === wanted));
      const doc = existing ?? { ...body, id: `doc-${docs.length + 1}` };
      if (!existing) docs.push(doc);
      if (lose > 0) {
        lose--;
        return HttpResponse.error();
      }
      return HttpResponse.json(doc, { status: existing ? 200 : 201 });
    }),
  );
  return docs;
}

const ids = () => {
  const list = [DRAFT_ID, 'c4d2e3f5-6a7b-4c8d-9e0f-1a2b3c4d5e6f', 'd5e3f4a6-7b8c-4d9e-8f1a-2b3c4d5e6f7a'];
  let n = 0;
  return () => list[n++] ?? crypto.randomUUID();
};

function renderWithIds(makeDraftId: () => string) {
  return render(
    <NotePanel
      session={session()}
      result={result}
      date={AS_OF}
      now={() => NOW}
      makeDraftId={makeDraftId}
      saveOptions={{ retryDelaysMs: [0, 0], sleep: async () => {} }}
    />,
  );
}

const storedDraft = () =>
  JSON.parse(sessionStorage.getItem(draftStorageKey(BASE, PATIENT)) ?? 'null') as {
    id: string;
    text: string;
    replaces?: string;
  } | null;

describe('a committed save whose answer was lost, then an edit (issue 11)', () => {
  it('reload → edit → save: the chart note is older, the draft is kept, a confirmed revision replaces it', async () => {
    const docs = storingEhr(3); // the first save and both retries are committed/matched but never answered
    const makeId = ids();
    const first = renderWithIds(makeId);
    const v1 = `${textarea().value}\nFirst version`;
    fireEvent.change(textarea(), { target: { value: v1 } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The note could not be saved.');
    expect(docs).toHaveLength(1); // it reached the chart all the same

    // The clinician reloads: the kept draft comes back with its identifier; they edit it and save again.
    first.unmount();
    renderWithIds(makeId);
    expect(textarea().value).toBe(v1);
    const v2 = `${v1}\nEdited after the reload`;
    fireEvent.change(textarea(), { target: { value: v2 } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    const differs = await screen.findByTestId('note-in-chart-differs');
    expect(differs.textContent).toContain('DocumentReference/doc-1');
    expect(differs.textContent).toContain('not your edits');
    expect(screen.queryByTestId('note-saved')).toBeNull(); // not "already in the chart"
    expect(storedDraft()).toMatchObject({ id: DRAFT_ID, text: v2 }); // the edited draft is kept
    expect(textarea().value).toBe(v2);
    expect(docs).toHaveLength(1);

    // Nothing more is written before the clinician confirms the revision.
    fireEvent.click(screen.getByRole('button', { name: 'Review the revision…' }));
    expect(screen.getByTestId('confirm-revision').textContent).toContain('DocumentReference/doc-1');
    expect(docs).toHaveLength(1);
    const revisionDraft = storedDraft();
    expect(revisionDraft).toMatchObject({ text: v2, replaces: 'doc-1' });
    expect(revisionDraft?.id).not.toBe(DRAFT_ID);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save the revision' }));
    await screen.findByText(/Saved to the chart as DocumentReference\/doc-2/);

    expect(docs).toHaveLength(2);
    expect(docs[1]!.relatesTo).toEqual([
      { code: 'replaces', target: { reference: 'DocumentReference/doc-1' } },
    ]);
    expect(docs[1]!.identifier[0]!.value).toBe(revisionDraft?.id);
    expect(decoded(docs[1]!)).toBe(v2);
    expect(decoded(docs[0]!)).toBe(v1);
    expect(storedDraft()).toBeNull(); // the chart now holds exactly the draft's text
  });

  it('lost answer → edit → Try again: the same, never "already in the chart"', async () => {
    const docs = storingEhr(3);
    renderWithIds(ids());
    fireEvent.change(textarea(), { target: { value: 'v1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    await screen.findByTestId('note-error');
    fireEvent.change(textarea(), { target: { value: 'v2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' })); // edited: confirmed again
    await screen.findByTestId('note-in-chart-differs');
    expect(storedDraft()).toMatchObject({ text: 'v2' });
    fireEvent.click(screen.getByRole('button', { name: 'Review the revision…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save the revision' }));
    await screen.findByText(/Saved to the chart as DocumentReference\/doc-2/);
    expect(docs.map(decoded)).toEqual(['v1', 'v2']);
    expect(docs[1]!.relatesTo?.[0]?.target.reference).toBe('DocumentReference/doc-1');
  });

  it('lost answer → reload → save the same text: "already in the chart", the draft goes, one note', async () => {
    const docs = storingEhr(3);
    const makeId = ids();
    const first = renderWithIds(makeId);
    fireEvent.change(textarea(), { target: { value: 'unchanged' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    await screen.findByTestId('note-error');
    first.unmount();
    renderWithIds(makeId);
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    await screen.findByText(/This note was already in the chart as DocumentReference\/doc-1/);
    expect(docs).toHaveLength(1);
    expect(storedDraft()).toBeNull();
  });

  it('after a save, "Edit and save a revision" writes a second note that replaces the first', async () => {
    const docs = storingEhr(0);
    renderWithIds(ids());
    fireEvent.change(textarea(), { target: { value: 'first' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save' }));
    await screen.findByText(/Saved to the chart as DocumentReference\/doc-1/);
    fireEvent.click(screen.getByRole('button', { name: 'Edit and save a revision' }));
    expect(document.activeElement).toBe(textarea()); // the button went with the message: focus is on the text
    expect(textarea().readOnly).toBe(false);
    expect(textarea().value).toBe('first');
    expect(screen.getByTestId('note-revision-of').textContent).toContain('DocumentReference/doc-1');
    fireEvent.change(textarea(), { target: { value: 'second' } });
    expect(storedDraft()).toMatchObject({ text: 'second', replaces: 'doc-1' });
    fireEvent.click(screen.getByRole('button', { name: 'Save revision to chart' }));
    expect(screen.getByTestId('confirm-revision')).toBeTruthy();
    expect(docs).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm and save the revision' }));
    await screen.findByText(/Saved to the chart as DocumentReference\/doc-2/);
    expect(docs.map(decoded)).toEqual(['first', 'second']);
    expect(docs[1]!.relatesTo).toEqual([
      { code: 'replaces', target: { reference: 'DocumentReference/doc-1' } },
    ]);
    expect(docs[1]!.identifier[0]!.value).not.toBe(docs[0]!.identifier[0]!.value);
    expect(storedDraft()).toBeNull();
  });
});

describe('useSaveNote guard (in the hook, not only the button)', () => {
  it('concurrent and repeated save calls send one request; nothing after success', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => (release = done));
    const posted = ehrCreates([
      async (body) => {
        await gate;
        return created('hook-1')(body);
      },
    ]);
    const s = session();
    const { result: hook } = renderHook(() => useSaveNote(s));
    const draft = { id: DRAFT_ID, text: 'x' };
    let calls: Promise<unknown>[] = [];
    act(() => {
      calls = [hook.current.save(draft, NOW), hook.current.save(draft, NOW), hook.current.save(draft, NOW)];
    });
    release();
    await act(async () => {
      await Promise.all(calls);
    });
    await waitFor(() => expect(hook.current.state.status).toBe('saved'));
    await act(async () => {
      expect(await hook.current.save(draft, NOW)).toBeUndefined();
    });
    expect(posted).toHaveLength(1);
  });
});

describe('note panel and the CapabilityStatement', () => {
  it('offers copy and download instead of Save when the server does not list DocumentReference create', async () => {
    server.use(
      http.get(`${BASE}/metadata`, () => HttpResponse.json(capabilityStatement(['read', 'search-type']))),
    );
    renderPanel();
    await screen.findByTestId('note-writeback-unsupported');
    expect(screen.queryByRole('button', { name: 'Save to chart' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Copy to clipboard' })).toBeTruthy();
  });

  it('still offers Save when the CapabilityStatement cannot be read (the server decides on the write)', async () => {
    let asked = 0;
    server.use(
      http.get(`${BASE}/metadata`, () => {
        asked += 1;
        return new HttpResponse('oops', { status: 500 });
      }),
    );
    renderPanel();
    await waitFor(() => expect(asked).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 1_500)); // past the client's one retry of a 5xx
    expect(screen.getByRole('button', { name: 'Save to chart' })).toBeTruthy();
    expect(screen.queryByTestId('note-writeback-unsupported')).toBeNull();
  });
});
