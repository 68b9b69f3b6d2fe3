import { useCallback, useEffect, useRef, useState } from 'react';
import type { FhirSession } from '../../fhir/client';
import { FhirError } from '../../fhir/errors';
import { saveNote, type NoteDraft, type SaveNoteOptions, type SavedNote } from '../../fhir/write-note';

export type SaveNoteState =
  | { status: 'idle' }
  | { status: 'saving'; attempt: number }
  | { status: 'saved'; saved: SavedNote }
  /**
   * The chart already holds a note under this draft's identifier (an earlier save whose answer was lost) but not
   * this text (edited since), or its text could not be read. Nothing more was written; the draft is kept, and
   * only the clinician's confirmation writes a revision.
   */
  | { status: 'in-chart-differs'; saved: SavedNote }
  | { status: 'failed'; error: FhirError };

export interface SaveNoteApi {
  state: SaveNoteState;
  /**
   * Writes the draft (conditional create, bounded retries). A call while a write is in flight, or after the server
   * confirmed one, sends nothing: the guard lives here, not only in a disabled button, so a double click or a
   * second component cannot write twice.
   */
  save: (draft: NoteDraft, now: string) => Promise<SavedNote | undefined>;
  /** Back to idle so that a revision (a new draft with its own identifier) can be written. */
  reset: () => void;
}

export type UseSaveNoteOptions = Pick<SaveNoteOptions, 'retryDelaysMs' | 'sleep'> & {
  /** Called only when the chart holds exactly the draft's text (the draft may then be deleted). */
  onSaved?: (saved: SavedNote) => void;
};

export function useSaveNote(session: FhirSession, options: UseSaveNoteOptions = {}): SaveNoteApi {
  const [state, setState] = useState<SaveNoteState>({ status: 'idle' });
  const inFlight = useRef(false);
  const done = useRef(false);
  const optionsRef = useRef(options);
  useEffect(() => {
    optionsRef.current = options;
  });

  const save = useCallback(
    async (draft: NoteDraft, now: string): Promise<SavedNote | undefined> => {
      if (inFlight.current || done.current) return undefined;
      inFlight.current = true;
      setState({ status: 'saving', attempt: 1 });
      const { onSaved, ...retry } = optionsRef.current;
      try {
        const saved = await saveNote(session, draft, {
          ...retry,
          now: () => now,
          onAttempt: (attempt) => setState({ status: 'saving', attempt }),
        });
        if (saved.chartText !== 'same') {
          setState({ status: 'in-chart-differs', saved });
          return saved;
        }
        done.current = true;
        setState({ status: 'saved', saved });
        onSaved?.(saved);
        return saved;
      } catch (error: unknown) {
        const fhirError =
          error instanceof FhirError
            ? error
            : new FhirError('network', 'The note could not be sent.', { cause: error });
        setState({ status: 'failed', error: fhirError });
        return undefined;
      } finally {
        inFlight.current = false;
      }
    },
    [session],
  );

  const reset = useCallback(() => {
    if (inFlight.current) return;
    done.current = false;
    setState({ status: 'idle' });
  }, []);

  return { state, save, reset };
}
