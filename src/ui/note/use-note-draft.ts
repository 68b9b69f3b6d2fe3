import { useCallback, useEffect, useState } from 'react';
import {
  clearDraft,
  draftStorageKey,
  loadDraft,
  newDraftId,
  storeDraft,
  type StoredDraft,
} from './draft-storage';

export interface NoteDraftApi {
  draft: StoredDraft;
  setText: (text: string) => void;
  /** Back to the current suggestion (the identifier is kept: it is still the same draft). */
  takeSuggestion: () => void;
  /** After the server confirmed the note: the stored draft is removed. */
  forget: () => void;
  /**
   * Makes the draft a revision of the chart's note `replaces`: a new identifier (its own conditional create) and
   * `replaces` set; the text is kept, or set to `text` (the saved note's text, to edit further). Stored at once.
   */
  startRevision: (replaces: string, text?: string) => StoredDraft;
}

/**
 * The draft for one server + patient: the stored draft if there is one, else the suggestion. Until the clinician
 * edits it, the draft follows the suggestion (a correction re-runs the engine and the note with it).
 */
export function useNoteDraft(
  serverUrl: string,
  patientId: string,
  suggestion: string,
  makeId: () => string = newDraftId,
): NoteDraftApi {
  const key = draftStorageKey(serverUrl, patientId);
  const [draft, setDraft] = useState<StoredDraft>(
    () => loadDraft(key) ?? { id: makeId(), text: suggestion, edited: false },
  );

  // Follow the suggestion while the clinician has not edited the text.
  const current = draft.edited || draft.text === suggestion ? draft : { ...draft, text: suggestion };
  if (current !== draft) setDraft(current);

  useEffect(() => {
    storeDraft(key, draft);
  }, [key, draft]);

  const setText = useCallback((text: string) => setDraft((d) => ({ ...d, text, edited: true })), []);
  const takeSuggestion = useCallback(
    () => setDraft((d) => ({ ...d, text: suggestion, edited: false })),
    [suggestion],
  );
  const forget = useCallback(() => clearDraft(key), [key]);
  const startRevision = useCallback(
    (replaces: string, text?: string): StoredDraft => {
      const next: StoredDraft = { id: makeId(), text: text ?? current.text, edited: true, replaces };
      // Stored before any write, so a lost answer and a reload retry this revision, not a new one.
      storeDraft(key, next);
      setDraft(next);
      return next;
    },
    [key, makeId, current.text],
  );
  return { draft: current, setText, takeSuggestion, forget, startRevision };
}
