import { useCallback, useState } from 'react';
import type { ClinicianInputs, ImagingCorrection } from '../../engine/inputs';
import { inputsStorageKey, loadInputs, saveInputs } from '../corrections/inputs-storage';

export interface ClinicianInputsApi {
  inputs: ClinicianInputs;
  /** Sets (or with undefined removes) intent and grades; corrections are kept. */
  update: (patch: Pick<ClinicianInputs, 'intent' | 'ascites' | 'encephalopathy'>) => void;
  /** Sets (or with undefined removes) the correction of one imaging assessment. */
  setCorrection: (assessmentId: string, correction: ImagingCorrection | undefined) => void;
  reset: () => void;
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
    (patch: Pick<ClinicianInputs, 'intent' | 'ascites' | 'encephalopathy'>) => {
      const next: ClinicianInputs = { ...inputs };
      if ('intent' in patch) {
        if (patch.intent) next.intent = patch.intent;
        else delete next.intent;
      }
      if ('ascites' in patch) {
        if (patch.ascites) next.ascites = patch.ascites;
        else delete next.ascites;
      }
      if ('encephalopathy' in patch) {
        if (patch.encephalopathy) next.encephalopathy = patch.encephalopathy;
        else delete next.encephalopathy;
      }
      commit(next);
    },
    [inputs, commit],
  );

  const setCorrection = useCallback(
    (assessmentId: string, correction: ImagingCorrection | undefined) => {
      const corrections: Record<string, ImagingCorrection> = { ...(inputs.corrections ?? {}) };
      if (correction && Object.keys(correction).length > 0) corrections[assessmentId] = correction;
      else delete corrections[assessmentId];
      const next: ClinicianInputs = { ...inputs };
      if (Object.keys(corrections).length > 0) next.corrections = corrections;
      else delete next.corrections;
      commit(next);
    },
    [inputs, commit],
  );

  const reset = useCallback(() => commit({}), [commit]);
  return { inputs, update, setCorrection, reset };
}
