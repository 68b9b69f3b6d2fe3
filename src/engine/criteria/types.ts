/** Shared shape of a criterion module: `{ id, version, title, citation, thresholds, evaluate }`. */
import type { ImagingAssessment } from '../../domain/imaging';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs } from '../inputs';
import type {
  AlbiResult,
  EngineSettings,
  EvidenceItem,
  Status,
  SubcriterionResult,
  Thresholds,
} from '../result';
import type { SessionView } from '../sessions';
import { normalizeEvidence, uniqSorted } from '../evidence';
import { flatOf } from '../arrays';

export interface EngineContext {
  timeline: Timeline;
  asOf: string;
  settings: EngineSettings;
  inputs: ClinicianInputs;
  /** Corrected imaging on/before asOf, sorted by date. */
  imaging: ImagingAssessment[];
  sessions: SessionView[];
  albi: AlbiResult;
}

export interface CriterionVerdict {
  status: Status;
  evidence: EvidenceItem[];
  missing: string[];
  notes?: string[];
  subcriteria?: SubcriterionResult[];
}

export interface CriterionDefinition {
  id: string;
  version: string;
  title: string;
  citation: string;
  thresholds: Thresholds;
  evaluate: (ctx: EngineContext) => CriterionVerdict;
}

export function sub(
  id: string,
  title: string,
  v: { status: Status; evidence: EvidenceItem[]; missing: string[]; notes?: string[] },
  thresholds: Thresholds = {},
  citation = '',
): SubcriterionResult {
  const r: SubcriterionResult = {
    id,
    title,
    citation,
    status: v.status,
    evidence: normalizeEvidence(v.evidence),
    missing: v.status === 'indeterminate' ? uniqSorted(v.missing) : [],
    thresholds,
  };
  if (v.notes && v.notes.length > 0) r.notes = uniqSorted(v.notes);
  return r;
}

/** Any-of: met when any sub-criterion is met, not-met only when all are not-met, otherwise indeterminate. */
export function anyOf(subs: SubcriterionResult[]): CriterionVerdict {
  const met = subs.filter((s) => s.status === 'met');
  if (met.length > 0)
    return {
      status: 'met',
      evidence: normalizeEvidence(flatOf(met, (s) => s.evidence)),
      missing: [],
      subcriteria: subs,
    };
  if (subs.length > 0 && subs.every((s) => s.status === 'not-met')) {
    return { status: 'not-met', evidence: [], missing: [], subcriteria: subs };
  }
  const ind = subs.filter((s) => s.status === 'indeterminate');
  return {
    status: 'indeterminate',
    evidence: normalizeEvidence(flatOf(ind, (s) => s.evidence)),
    missing: uniqSorted(flatOf(ind, (s) => s.missing)),
    subcriteria: subs,
  };
}

/** All-of: met when every part is met, not-met when any is not-met, otherwise indeterminate. */
export function allOf(subs: SubcriterionResult[]): CriterionVerdict {
  if (subs.some((s) => s.status === 'not-met')) {
    return {
      status: 'not-met',
      evidence: normalizeEvidence(
        flatOf(
          subs.filter((s) => s.status === 'not-met'),
          (s) => s.evidence,
        ),
      ),
      missing: [],
      subcriteria: subs,
    };
  }
  if (subs.every((s) => s.status === 'met')) {
    return {
      status: 'met',
      evidence: normalizeEvidence(flatOf(subs, (s) => s.evidence)),
      missing: [],
      subcriteria: subs,
    };
  }
  return {
    status: 'indeterminate',
    evidence: normalizeEvidence(flatOf(subs, (s) => s.evidence)),
    missing: uniqSorted(flatOf(subs, (s) => s.missing)),
    subcriteria: subs,
  };
}

export const NO_SESSION_MISSING = 'a completed TACE/TAE session on or before the assessment date';
