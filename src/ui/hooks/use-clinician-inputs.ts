import { useCallback, useState } from 'react';
import type { ClinicianInputs, ImagingConfirmation, ImagingCorrection } from '../../engine/inputs';
import { inputsStorageKey, loadInputs, saveInputs } from '../corrections/inputs-storage';

/** The clinician's single-valued entries (intent, grades, gross type, CEUS, BCLC stage, dialysis). */
export type ClinicianEntries = Omit<ClinicianInputs, 'corrections' | 'confirmations'>;

export interface ClinicianInputsApi {
  inputs: ClinicianInputs;
  /** Sets (or with undefined removes) intent, grades and the other single entries; corrections are kept. */
  update: (patch: ClinicianEntries) => void;
  /** Sets (or with undefined removes) the correction of one imaging assessment. */
  setCorrection: (assessmentId: string, correction: ImagingCorrection | undefined) => void;
  /** Sets (or with undefined removes) the readings of one imaging assessment confirmed as read. */
  setConfirmation: (assessmentId: string, confirmation: ImagingConfirmation | undefined) => void;
  reset: () => void;
}

/** Sets or removes one per-assessment entry of a record, dropping the record when it becomes empty. */
function withEntry<T extends object>(
  inputs: ClinicianInputs,
  field: 'corrections' | 'confirmations',
  id: string,
  value: T | undefined,
): ClinicianInputs {
  const map: Record<string, T> = { ...((inputs[field] ?? {}) as Record<string, T>) };
  if (value && Object.keys(value).length > 0) map[id] = value;
  else delete map[id];
  const next: ClinicianInputs = { ...inputs };
  if (Object.keys(map).length > 0) (next as Record<string, unknown>)[field] = map;
  else delete next[field];
  return next;
}

/**
 * Clinician inputs for one server + patient, kept in sessionStorage so they survive a reload. The caller keys the
 * component by patient, so one patient's inputs never leak into another's screen.
 */
export function useClinicianInputs(serverUrl: string, patientId: string): ClinicianInputsApi {
  const key = inputsStorageKey(serverUrl, patientId);
  const [inputs, setInputs] = useState<ClinicianInputs>(() => loadInputs(key));

  const commit = useCallback(
    (next: ClinicianInputs) => {
      saveInputs(key, next);
      setInputs(next);
    },
    [key],
  );

  const update = useCallback(
    (patch: ClinicianEntries) => {
      const next: Record<string, unknown> = { ...inputs };
      for (const [k, v] of Object.entries(patch)) {
        if (k === 'corrections' || k === 'confirmations') continue;
        if (v === undefined) delete next[k];
        else next[k] = v;
      }
      commit(next as ClinicianInputs);
    },
    [inputs, commit],
  );

  const setCorrection = useCallback(
    (assessmentId: string, correction: ImagingCorrection | undefined) =>
      commit(withEntry(inputs, 'corrections', assessmentId, correction)),
    [inputs, commit],
  );

  const setConfirmation = useCallback(
    (assessmentId: string, confirmation: ImagingConfirmation | undefined) =>
      commit(withEntry(inputs, 'confirmations', assessmentId, confirmation)),
    [inputs, commit],
  );

  const reset = useCallback(() => commit({}), [commit]);
  return { inputs, update, setCorrection, setConfirmation, reset };
}
