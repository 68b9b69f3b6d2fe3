/**
 * The clinician's note draft survives a reload, a failed save and a relaunch in the same tab: sessionStorage keyed
 * by server URL + patient id (ids only in the key). It is removed once the server confirms the note. A missing or
 * unreadable entry means "no draft"; storage that throws (blocked, full) never breaks the panel.
 */
export interface StoredDraft {
  /** UUID minted with the draft: the DocumentReference identifier, so retries are conditional creates. */
  id: string;
  text: string;
  /** true once the clinician changed the text (a new suggestion then no longer replaces it). */
  edited: boolean;
  /** A revision: the server id of the note in the chart this draft replaces once saved. */
  replaces?: string | undefined;
}

export function draftStorageKey(serverUrl: string, patientId: string): string {
  return `tace-navigator:note-draft:${serverUrl}|${patientId}`;
}

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

export function loadDraft(key: string): StoredDraft | undefined {
  try {
    const raw = storage()?.getItem(key);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as Record<string, unknown>;
    if (typeof v.id !== 'string' || typeof v.text !== 'string') return undefined;
    return {
      id: v.id,
      text: v.text,
      edited: v.edited === true,
      ...(typeof v.replaces === 'string' && v.replaces ? { replaces: v.replaces } : {}),
    };
  } catch {
    return undefined;
  }
}

export function storeDraft(key: string, draft: StoredDraft): void {
  try {
    storage()?.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage blocked or full: the draft stays in memory for this page.
  }
}

export function clearDraft(key: string): void {
  try {
    storage()?.removeItem(key);
  } catch {
    // nothing to do
  }
}

export function newDraftId(): string {
  return crypto.randomUUID();
}
