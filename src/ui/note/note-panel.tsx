import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { FhirSession } from '../../fhir/client';
import type { FhirError } from '../../fhir/errors';
import { noteWritePreview, type NoteWritePreview } from '../../fhir/write-note';
import type { ClinicianInputs } from '../../engine/inputs';
import type { AssessmentResult } from '../../engine/result';
import { composeNote } from '../../note/compose-note';
import { useSourceIndex } from '../evidence/source-index';
import { useSaveNote, type UseSaveNoteOptions } from '../hooks/use-save-note';
import { sourceNamer } from '../review/source-names';
import { useCanCreateNote } from './use-can-create';
import { useNoteDraft } from './use-note-draft';
import './note-panel.css';

export interface NotePanelProps {
  session: FhirSession;
  result: AssessmentResult;
  inputs?: ClinicianInputs | undefined;
  /** YYYY-MM-DD: the note's date (the screen's evaluation day). */
  date: string;
  /** Tests: retry delays and sleep; the ISO clock for the write; the draft id generator. */
  saveOptions?: UseSaveNoteOptions;
  now?: () => string;
  makeDraftId?: () => string;
}

type Stage = 'edit' | 'confirm';

/** Moves focus to `el` and brings it into view (jsdom has no scrollIntoView). */
function focusInView(el: HTMLElement | null) {
  if (!el) return;
  el.focus();
  if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
}

/** "1 234 characters" in the clinician's locale; the count is read with the field, never announced per keystroke. */
function countText(text: string): string {
  const n = [...text].length;
  return `${n.toLocaleString()} character${n === 1 ? '' : 's'}`;
}

/**
 * The suggested note, editable; "Save to chart" → a confirmation of exactly what will be written → conditional
 * create. Failures keep the draft (sessionStorage) and say what to do; without write-back, copy or download.
 */
export function NotePanel({ session, result, inputs, date, saveOptions, now, makeDraftId }: NotePanelProps) {
  // Sources named as on the screen ("CT report 2026-04-10"), from the review screen's source index.
  const sourceIndex = useSourceIndex();
  const suggestion = useMemo(
    () => composeNote(result, { date, inputs, sourceName: sourceNamer(sourceIndex) }),
    [result, date, inputs, sourceIndex],
  );
  const { draft, setText, takeSuggestion, forget, startRevision } = useNoteDraft(
    session.context.serverUrl,
    session.context.patientId,
    suggestion,
    makeDraftId,
  );
  const [stage, setStage] = useState<Stage>('edit');
  const [preview, setPreview] = useState<NoteWritePreview | undefined>();
  const [confirmedText, setConfirmedText] = useState<string | undefined>();
  const [copyStatus, setCopyStatus] = useState<string | undefined>();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const statusRef = useRef<HTMLElement>(null);
  /** Set when the clinician confirmed (or tried again): the outcome message takes the focus when it appears. */
  const focusOutcome = useRef(false);
  /** Set on Cancel: focus goes back to the Save button. */
  const focusSave = useRef(false);
  const { state, save, reset } = useSaveNote(session, { ...saveOptions, onSaved: forget });

  const configured = session.issuer.writeBack.enabled;
  // A server whose CapabilityStatement says it cannot create DocumentReferences gets copy/download instead.
  const canCreate = useCanCreateNote(session, configured);
  const writeEnabled = configured && canCreate !== false;
  const saving = state.status === 'saving';
  const saved = state.status === 'saved';
  const forbidden = state.status === 'failed' && state.error.kind === 'forbidden';
  const empty = draft.text.trim().length === 0;
  const differs = state.status === 'in-chart-differs';

  const clock = now ?? (() => new Date().toISOString());

  const noteDraft = (d: typeof draft) => ({ id: d.id, text: d.text, replaces: d.replaces });

  function openConfirm(d: typeof draft = draft) {
    setPreview(noteWritePreview(session, noteDraft(d), clock()));
    setStage('confirm');
  }

  function confirmAndSave() {
    if (!preview) return;
    setConfirmedText(draft.text);
    setStage('edit');
    focusOutcome.current = true;
    void save(noteDraft(draft), preview.date);
  }

  function cancelConfirm() {
    focusSave.current = true;
    setStage('edit');
  }

  function tryAgain() {
    // Same draft, same identifier: a conditional create cannot duplicate. Edited since? Confirm again.
    if (preview && confirmedText === draft.text) {
      focusOutcome.current = true;
      void save(noteDraft(draft), preview.date);
    } else openConfirm();
  }

  // After Confirm: focus follows the message ("Saving…", then saved or the failure) so it is read and in view.
  useEffect(() => {
    if (!focusOutcome.current || state.status === 'idle') return;
    focusInView(statusRef.current);
    if (state.status !== 'saving') focusOutcome.current = false;
  }, [state]);

  useEffect(() => {
    if (!focusSave.current || stage !== 'edit') return;
    focusSave.current = false;
    saveRef.current?.focus();
  }, [stage]);

  /** The chart holds an older text under this draft's identifier: a new document that replaces it, confirmed. */
  function reviseChartNote(existingId: string) {
    const next = startRevision(existingId);
    reset();
    openConfirm(next);
  }

  /** After a save: the saved text, editable, as a new draft that will replace the saved note. */
  function editSavedNote(savedId: string) {
    startRevision(savedId, draft.text);
    reset();
    setPreview(undefined);
    setStage('edit');
    // The button goes with the saved message: focus goes to the text, to edit it.
    textRef.current?.focus();
  }

  function restoreSuggestion() {
    takeSuggestion();
    // The button goes once the text is the suggestion again: focus stays with the text.
    textRef.current?.focus();
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(draft.text);
      setCopyStatus('Copied to the clipboard.');
    } catch {
      // Embedded browsers may block the async clipboard: select the text for Ctrl+C.
      textRef.current?.focus();
      textRef.current?.select();
      setCopyStatus('Copying was blocked by the browser: the text is selected, press Ctrl+C.');
    }
  }

  function download() {
    const blob = new Blob([draft.text], { type: 'text/plain;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `tace-review-note-${date}.txt`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  const offerCopy = !writeEnabled || forbidden || (differs && !state.saved.id);

  return (
    <section className="note-panel" aria-labelledby="note-panel-heading" data-testid="note-panel">
      <h2 id="note-panel-heading">Suggested note</h2>
      <p className="note">
        Drafted from the verdicts and evidence above. Review and edit it; nothing is written to the chart
        until you confirm.
      </p>
      <div className="note-editor">
        <label htmlFor="note-text" className="note-label" data-testid="note-label">
          Note text (editable)
        </label>
        <textarea
          id="note-text"
          ref={textRef}
          data-testid="note-text"
          className="note-text"
          rows={22}
          spellCheck
          aria-describedby="note-text-count"
          value={draft.text}
          readOnly={saving || saved}
          onChange={(e) => setText(e.target.value)}
        />
        {/* A field prints only its visible rows: print shows the whole text instead (note-panel.css). */}
        <pre className="note-print" data-testid="note-print">
          {draft.text}
        </pre>
        {/* Not a live region: the count is read with the field (aria-describedby), not on every keystroke. */}
        <p id="note-text-count" className="note-count" data-testid="note-count">
          {countText(draft.text)}
          {saving || saved ? ' · read-only while saved or saving' : ''}
        </p>
      </div>
      {draft.edited && draft.text !== suggestion && !saved ? (
        <p className="note">
          The text differs from the current suggestion.{' '}
          <button
            type="button"
            onClick={restoreSuggestion}
            disabled={saving}
            data-testid="note-use-suggestion"
          >
            Replace with the current suggestion
          </button>
        </p>
      ) : null}

      {writeEnabled && stage === 'edit' && !forbidden ? (
        <div className="note-actions no-print">
          <button
            type="button"
            ref={saveRef}
            data-testid="note-save"
            onClick={() => openConfirm()}
            disabled={saving || saved || empty || state.status === 'failed' || differs}
          >
            {draft.replaces ? 'Save revision to chart' : 'Save to chart'}
          </button>
          {draft.replaces && !saved ? (
            <p className="note" data-testid="note-revision-of">
              This draft is a revision: once saved it replaces DocumentReference/{draft.replaces} in the
              chart.
            </p>
          ) : null}
        </div>
      ) : null}

      {writeEnabled && stage === 'confirm' && preview ? (
        <ConfirmStep preview={preview} onConfirm={confirmAndSave} onCancel={cancelConfirm} />
      ) : null}

      <SaveStatus
        state={state}
        messageRef={statusRef}
        onTryAgain={tryAgain}
        onRevise={reviseChartNote}
        onEditSaved={writeEnabled && stage === 'edit' ? editSavedNote : undefined}
      />

      {offerCopy ? (
        <div className="note-actions no-print" data-testid="note-copy-actions">
          {!configured ? (
            <p className="note" data-testid="note-writeback-disabled">
              Saving notes to the chart is not enabled for this EHR. Copy the note or download it, then paste
              it into a note in the chart.
            </p>
          ) : !writeEnabled ? (
            <p className="note" data-testid="note-writeback-unsupported">
              This EHR’s capability statement does not offer note creation (DocumentReference create). Copy
              the note or download it, then paste it into a note in the chart.
            </p>
          ) : null}
          <button type="button" onClick={() => void copy()} data-testid="note-copy">
            Copy to clipboard
          </button>{' '}
          <button type="button" onClick={download} data-testid="note-download">
            Download .txt
          </button>
          {copyStatus ? (
            <p role="status" className="note">
              {copyStatus}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/**
 * The confirmation step. It takes the focus when it opens (the group itself, labelled by its question, so a second
 * Enter on "Save to chart" cannot confirm) and is scrolled into view; Escape cancels.
 */
function ConfirmStep({
  preview,
  onConfirm,
  onCancel,
}: {
  preview: NoteWritePreview;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    focusInView(ref.current);
  }, []);
  return (
    <div
      ref={ref}
      role="group"
      aria-labelledby="note-confirm-heading"
      aria-describedby="note-confirm-hint"
      className="note-confirm"
      data-testid="note-confirm"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <h3 id="note-confirm-heading">
        {preview.replaces
          ? `Save this note as a revision of ${preview.replaces}?`
          : 'Save this note to the chart?'}
      </h3>
      {preview.replaces ? (
        <p className="note" data-testid="confirm-revision">
          The chart already holds a note from TACE Navigator ({preview.replaces}). This saves the text above
          as a new note that replaces it (marked as its revision); the note in the chart now is not changed.
        </p>
      ) : null}
      <dl>
        <dt>Document type</dt>
        <dd data-testid="confirm-type">
          {preview.typeDisplay} (LOINC {preview.typeCode}), category clinical note
        </dd>
        <dt>Date</dt>
        <dd data-testid="confirm-date">{preview.date}</dd>
        <dt>Author</dt>
        <dd data-testid="confirm-author">{preview.author ?? 'not provided by the EHR launch'}</dd>
        <dt>Encounter</dt>
        <dd data-testid="confirm-encounter">{preview.encounter ?? 'none in the launch context'}</dd>
        <dt>Status</dt>
        <dd data-testid="confirm-status">
          {preview.status}, document status {preview.docStatus}
        </dd>
        <dt>Content</dt>
        <dd>The note text above, exactly as shown (plain text).</dd>
      </dl>
      <p className="note" id="note-confirm-hint">
        It appears with the patient’s clinical notes / documents in the EHR
        {preview.docStatus === 'preliminary' ? ' as a preliminary (unsigned) note' : ''}. Nothing is written
        until you confirm; Escape or Cancel goes back to the text.
      </p>
      <button type="button" onClick={onConfirm} data-testid="note-confirm-save">
        {preview.replaces ? 'Confirm and save the revision' : 'Confirm and save'}
      </button>{' '}
      <button type="button" onClick={onCancel} data-testid="note-confirm-cancel">
        Cancel
      </button>
    </div>
  );
}

function failureText(error: FhirError): { title: string; detail: string; retry: boolean } {
  switch (error.kind) {
    case 'session-expired':
      return {
        title: 'Your session with the EHR has expired.',
        detail:
          'Relaunch TACE Navigator from the patient’s chart to save. Your draft is kept in this browser tab and will be here after the relaunch.',
        retry: false,
      };
    case 'forbidden':
      return {
        title: 'This EHR did not grant note writing to TACE Navigator.',
        detail: `${error.outcomeText ? `${error.outcomeText}. ` : ''}Copy or download the note instead; your draft is kept.`,
        retry: false,
      };
    case 'client':
      return {
        title: 'The EHR refused the note.',
        detail: error.outcomeText ?? error.message,
        retry: false,
      };
    default:
      return {
        title: 'The note could not be saved.',
        detail: `${error.outcomeText ?? error.message} Your draft is kept; try again.`,
        retry: true,
      };
  }
}

/**
 * The outcome of a save. Each message can take the focus (tabIndex -1, via `messageRef`): after Confirm the panel
 * moves focus here so the result is read and in view.
 */
function SaveStatus({
  state,
  messageRef,
  onTryAgain,
  onRevise,
  onEditSaved,
}: {
  state: ReturnType<typeof useSaveNote>['state'];
  messageRef: RefObject<HTMLElement | null>;
  onTryAgain: () => void;
  onRevise: (existingId: string) => void;
  onEditSaved: ((savedId: string) => void) | undefined;
}) {
  const pRef = messageRef as RefObject<HTMLParagraphElement | null>;
  const divRef = messageRef as RefObject<HTMLDivElement | null>;
  if (state.status === 'idle') return null;
  if (state.status === 'saving') {
    return (
      <p ref={pRef} tabIndex={-1} role="status" className="note-status" data-testid="note-saving">
        Saving to the chart…{state.attempt > 1 ? ` (attempt ${state.attempt})` : ''}
      </p>
    );
  }
  if (state.status === 'saved') {
    const { id, existing } = state.saved;
    return (
      <div className="note-status note-status-saved">
        <p ref={pRef} tabIndex={-1} role="status" data-testid="note-saved" data-note-id={id ?? ''}>
          {existing ? 'This note was already in the chart' : 'Saved to the chart'}
          {id ? ` as DocumentReference/${id}` : ''}.
        </p>
        {id && onEditSaved ? (
          <button
            type="button"
            className="no-print"
            onClick={() => onEditSaved(id)}
            data-testid="note-edit-revision"
          >
            Edit and save a revision
          </button>
        ) : null}
      </div>
    );
  }
  if (state.status === 'in-chart-differs') {
    const { id, chartText } = state.saved;
    return (
      <div
        ref={divRef}
        tabIndex={-1}
        role="alert"
        className="note-status note-status-problem"
        data-testid="note-in-chart-differs"
        data-note-id={id ?? ''}
      >
        <p>
          <strong>
            An earlier save of this note reached the chart{id ? ` as DocumentReference/${id}` : ''}, but it
            {chartText === 'different'
              ? ' holds the text as it was then, not your edits.'
              : ' could not be read back to compare with your text.'}
          </strong>{' '}
          Your text is kept here; nothing more was written.
          {id
            ? ' You can save it as a revision that replaces that note.'
            : ' The chart’s note could not be identified: copy your text into the chart’s note.'}
        </p>
        {id ? (
          <button type="button" onClick={() => onRevise(id)} data-testid="note-revise">
            Review the revision…
          </button>
        ) : null}
      </div>
    );
  }
  const { title, detail, retry } = failureText(state.error);
  return (
    <div
      ref={divRef}
      tabIndex={-1}
      role="alert"
      className="note-status note-status-problem"
      data-testid="note-error"
      data-kind={state.error.kind}
    >
      <p>
        <strong>{title}</strong> {detail}
      </p>
      {retry || state.error.kind === 'client' ? (
        <button type="button" onClick={onTryAgain} data-testid="note-try-again">
          Try again
        </button>
      ) : null}
    </div>
  );
}
