/**
 * Deterministic synthetic patients for the sandbox EHR. Same options → byte-identical output (seeded mulberry32
 * per scenario; dates relative to anchorDate, the "today" of the synthetic world; nothing reads the clock).
 * Scenario ids are stable: downstream rules and tests rely on them.
 */
import type { Resource } from '@medplum/fhirtypes';
import { DEFAULT_ANCHOR_DATE, ScenarioBuilder } from './builder';
import { sandboxPractitioner, type ScenarioDef } from './factories';
import { beyondUpToSeven } from './patients/beyond-up-to-seven';
import { extrahepaticSpread } from './patients/extrahepatic-spread';
import { insufficientData } from './patients/insufficient-data';
import { liverDecline } from './patients/liver-decline';
import { longHistory } from './patients/long-history';
import { manyPriorTace } from './patients/many-prior-tace';
import { refractoryInsufficientResponse } from './patients/refractory-insufficient-response';
import { refractoryMarkerRise } from './patients/refractory-marker-rise';
import { refractoryNewLesions } from './patients/refractory-new-lesions';
import { responder } from './patients/responder';
import { vascularInvasion } from './patients/vascular-invasion';

export interface ScenarioPatient {
  id: string;
  title: string;
  summary: string;
  resources: Resource[];
}

export interface BuildScenariosOptions {
  /** YYYY-MM-DD, default '2026-11-01'. Every generated date is on or before it. */
  anchorDate?: string;
}

const DEFINITIONS: readonly ScenarioDef[] = [
  refractoryInsufficientResponse,
  refractoryNewLesions,
  refractoryMarkerRise,
  vascularInvasion,
  extrahepaticSpread,
  responder,
  insufficientData,
  liverDecline,
  manyPriorTace,
  beyondUpToSeven,
  longHistory,
];

export const SCENARIO_IDS: readonly string[] = DEFINITIONS.map((d) => d.id);

export { DEFAULT_ANCHOR_DATE, mulberry32 } from './builder';
export { PRACTITIONER_ID, sandboxPractitioner } from './factories';

/**
 * Builds every scenario. The shared Practitioner (`sandbox-practitioner`) is included once, in the first
 * scenario's resources, so loading all scenarios loads it exactly once.
 */
export function buildScenarios(options: BuildScenariosOptions = {}): ScenarioPatient[] {
  const anchorDate = options.anchorDate ?? DEFAULT_ANCHOR_DATE;
  return DEFINITIONS.map((def, i) => {
    const b = new ScenarioBuilder(def.id, anchorDate);
    if (i === 0) b.add(sandboxPractitioner());
    def.build(b);
    return { id: def.id, title: def.title, summary: def.summary, resources: b.resources };
  });
}
