/**
 * MedicationRequests → SystemicTherapy for the HCC systemic agents (clinical-reference.md §5). The drug may be in
 * medicationCodeableConcept, or in a contained / included Medication referenced by medicationReference.
 * RxNorm codes are matched on system + code, then names by text; other drugs are ignored.
 */
import type { DataIssue } from '../../domain/source';
import type { SystemicAgent, SystemicTherapy, TherapyStatus } from '../../domain/treatments';
import { sortByDate } from '../../domain/timeline';
import { SYSTEMIC_THERAPY, SYSTEMS, codingMatches, textMatches } from '../codes';
import type { ValueSetEntry } from '../codes';
import type { CodeableConcept } from '../schemas/common';
import { acceptsAsIs } from '../schemas/exact-guard';
import { medicationRequestSchema, medicationSchema } from '../schemas/medication-request';
import type { Medication, MedicationRequest } from '../schemas/medication-request';
import { SeenIds, conceptLabel, parseResource, sourceRef } from './common';

const KEPT: Partial<Record<MedicationRequest['status'], TherapyStatus>> = {
  active: 'active',
  'on-hold': 'on-hold',
  completed: 'completed',
  stopped: 'stopped',
  draft: 'draft',
  unknown: 'unknown',
};

/** The medication concept: inline, or a contained (#id) or included (Medication/id) Medication. */
function medicationConcept(
  mr: MedicationRequest,
  included: ReadonlyMap<string, CodeableConcept>,
): CodeableConcept | undefined {
  if (mr.medicationCodeableConcept) return mr.medicationCodeableConcept;
  const ref = mr.medicationReference?.reference;
  if (ref?.startsWith('#')) {
    const contained = (mr.contained ?? []).find(
      (r) => r.resourceType === 'Medication' && r.id === ref.slice(1),
    );
    const parsed = medicationSchema.safeParse(contained);
    if (parsed.success && parsed.data.code) return parsed.data.code;
  } else if (ref) {
    const hit = included.get(ref.replace(/^.*\/(Medication\/[^/]+)$/, '$1'));
    if (hit) return hit;
  }
  const display = mr.medicationReference?.display;
  return display ? { text: display } : undefined;
}

/**
 * `raw` as a Medication, or undefined when it is not one. Most resources here are MedicationRequests: the schema
 * requires resourceType "Medication", so any other resourceType fails it, and zod need not build an error to say
 * so. One the exact guard accepts is used as received (see schemas/exact-guard.ts); anything else goes to zod.
 */
function asMedication(raw: unknown): Medication | undefined {
  if (
    typeof raw !== 'object' ||
    raw === null ||
    (raw as { resourceType?: unknown }).resourceType !== 'Medication'
  )
    return undefined;
  if (acceptsAsIs(medicationSchema, raw)) return raw as Medication;
  const parsed = medicationSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function agentOf(
  concept: CodeableConcept,
): { agent: SystemicAgent; rxnorm?: string; by: 'rxnorm' | 'text' }[] {
  const out: { agent: SystemicAgent; rxnorm?: string; by: 'rxnorm' | 'text' }[] = [];
  for (const [agent, entry] of Object.entries(SYSTEMIC_THERAPY) as [SystemicAgent, ValueSetEntry][]) {
    const coding = (concept.coding ?? []).find((c) => codingMatches(entry, c));
    if (coding?.code) out.push({ agent, rxnorm: coding.code, by: 'rxnorm' });
    else if (textMatches(entry, concept)) out.push({ agent, by: 'text' });
  }
  return out;
}

/**
 * `resources` may mix MedicationRequests and included Medications (from `_include`). A combination product or a
 * regimen text naming two agents ("atezolizumab + bevacizumab") gives one SystemicTherapy per agent.
 */
export function mapMedicationRequests(resources: readonly unknown[]): {
  therapies: SystemicTherapy[];
  issues: DataIssue[];
} {
  const issues: DataIssue[] = [];
  const therapies: SystemicTherapy[] = [];
  const included = new Map<string, CodeableConcept>();
  const requests: unknown[] = [];
  for (const raw of resources) {
    const med = asMedication(raw);
    if (med) {
      if (med.id && med.code) included.set(`Medication/${med.id}`, med.code);
    } else requests.push(raw);
  }
  const seen = new SeenIds();
  for (const raw of requests) {
    const parsed = parseResource(medicationRequestSchema, raw, 'MedicationRequest');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const mr = parsed.value;
    const dup = seen.check('MedicationRequest', mr.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    const concept = medicationConcept(mr, included);
    if (!concept) {
      issues.push({
        resourceType: 'MedicationRequest',
        id: mr.id,
        reason: 'no medication could be read',
        kind: 'malformed',
      });
      continue;
    }
    const agents = agentOf(concept);
    if (agents.length === 0) continue; // not a systemic HCC agent
    const label = conceptLabel(concept) ?? agents.map((a) => a.agent).join(' + ');
    const status = KEPT[mr.status];
    if (!status) {
      issues.push({
        resourceType: 'MedicationRequest',
        id: mr.id,
        reason: `${label}: status ${mr.status}: excluded`,
        kind: 'excluded',
      });
      continue;
    }
    const start = mr.dispenseRequest?.validityPeriod?.start ?? mr.authoredOn;
    const end = mr.dispenseRequest?.validityPeriod?.end;
    for (const a of agents) {
      therapies.push({
        id: agents.length > 1 ? `${mr.id}#${a.agent}` : mr.id,
        agent: a.agent,
        ...(a.rxnorm ? { rxnorm: a.rxnorm } : {}),
        status,
        ...(start ? { start } : {}),
        ...(end ? { end } : {}),
        source: sourceRef('MedicationRequest', mr.id, label),
        codedBy: a.by,
        label,
      });
    }
  }
  const dated = sortByDate(therapies.map((t) => ({ ...t, date: t.start ?? '' })));
  return { therapies: dated.map(({ date: _d, ...t }) => t), issues };
}

/** Exposed for tests: the RxNorm system we match. */
export const RXNORM_SYSTEM = SYSTEMS.rxnorm;
