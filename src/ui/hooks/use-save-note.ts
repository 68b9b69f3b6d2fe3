import { useCallback, useEffect, useRef, useState } from 'react';
import type { FhirSession } from '../../fhir/client';
import { FhirError } from '../../fhir/errors';
import { saveNote, type NoteDraft, type SaveNoteOptions, type SavedNote } from '../../fhir/write-note';

export type SaveNoteState =
  | { status: 'idle' }
  | { status: 'saving'; attempt: number }
  | { status: 'saved'; saved: SavedNote }
  | { status: 'failed'; error: FhirError };

export interface SaveNoteApi {
  state: SaveNoteState;
  /**
   * Writes the draft (conditional create, bounded retries). A call while a write is in flight, or after the server
   * confirmed one, sends nothing: the guard lives here, not only in a disabled button, so a double click or a
   * second component cannot write twice.
   */
  save: (draft: NoteDraft, now: string) => Promise<SavedNote | undefined>;
}

export type UseSaveNoteOptions = Pick<SaveNoteOptions, 'retryDelaysMs' | 'sleep'> & {
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

  return { state, save };
}
