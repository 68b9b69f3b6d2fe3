/**
 * Conditions → ConditionSummary for the problems the engine uses (HCC, portal vein thrombosis, ascites,
 * encephalopathy, metastasis). Refuted and entered-in-error conditions are excluded and listed.
 */
import type {
  ConditionCoding,
  ConditionKind,
  ConditionSeverity,
  ConditionSummary,
} from '../../domain/patient';
import type { DataIssue } from '../../domain/source';
import { CONDITION_CODES, SYSTEMS, codingMatches, textMatches } from '../codes';
import type { ConditionId, ValueSetEntry } from '../codes';
import { conditionSchema } from '../schemas/condition';
import type { Condition } from '../schemas/condition';
import { SeenIds, conceptLabel, parseResource, sourceRef } from './common';

const KIND: Record<ConditionId, ConditionKind> = {
  hcc: 'hcc',
  portalVeinThrombosis: 'portal-vein-thrombosis',
  ascites: 'ascites',
  encephalopathy: 'encephalopathy',
  metastasis: 'metastasis',
};

const CODED_BY: Record<string, ConditionSummary['codedBy']> = {
  [SYSTEMS.icd10cm]: 'icd10cm',
  [SYSTEMS.snomed]: 'snomed',
  [SYSTEMS.icdo3]: 'icdo3',
};

function statusCode(c: Condition['clinicalStatus']): string | undefined {
  return c?.coding?.find((x) => x.code)?.code ?? c?.text;
}

/** Condition.severity: the first coding with a code, and the text (else that coding's display). */
function severityOf(c: Condition): ConditionSeverity | undefined {
  const sev = c.severity;
  if (!sev) return undefined;
  const coding = sev.coding?.find((x) => x.code) ?? sev.coding?.find((x) => x.display);
  const text = sev.text && sev.text.trim() !== '' ? sev.text : coding?.display;
  const out: ConditionSeverity = {
    ...(coding?.system ? { system: coding.system } : {}),
    ...(coding?.code ? { code: coding.code } : {}),
    ...(text ? { text } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** code.text and every coding.display, as given, without repeats. */
function wordsOf(c: Condition): string[] {
  const all = [c.code?.text, ...(c.code?.coding ?? []).map((x) => x.display)];
  return [...new Set(all.filter((t): t is string => typeof t === 'string' && t.trim() !== ''))];
}

function codingsOf(c: Condition): ConditionCoding[] {
  return (c.code?.coding ?? [])
    .filter((x) => x.code)
    .map((x) => ({ ...(x.system ? { system: x.system } : {}), ...(x.code ? { code: x.code } : {}) }));
}

function categoriesOf(c: Condition): string[] {
  return (c.category ?? [])
    .flatMap((cat) => (cat.coding ?? []).map((x) => x.code))
    .filter((x): x is string => typeof x === 'string' && x !== '');
}

/** The condition value sets in their order, listed once: CONDITION_CODES is a constant table. */
const CONDITION_ENTRIES = Object.entries(CONDITION_CODES) as [ConditionId, ValueSetEntry][];

function classify(c: Condition): { id: ConditionId; codedBy: ConditionSummary['codedBy'] } | undefined {
  for (const [id, entry] of CONDITION_ENTRIES) {
    const coding = (c.code?.coding ?? []).find((x) => codingMatches(entry, x));
    if (coding?.system) return { id, codedBy: CODED_BY[coding.system] ?? 'text' };
  }
  if (!c.code) return undefined;
  // Text fallback: metastasis before HCC ("HCC with lung metastases" is about the metastasis too, but the HCC code
  // usually comes separately); portal vein thrombosis before the generic patterns.
  const order: ConditionId[] = ['portalVeinThrombosis', 'metastasis', 'encephalopathy', 'ascites', 'hcc'];
  const hit = order.find((id) => textMatches(CONDITION_CODES[id], c.code ?? {}));
  return hit ? { id: hit, codedBy: 'text' } : undefined;
}

export function mapConditions(resources: readonly unknown[]): {
  conditions: ConditionSummary[];
  issues: DataIssue[];
} {
  const conditions: ConditionSummary[] = [];
  const issues: DataIssue[] = [];
  const seen = new SeenIds();
  for (const raw of resources) {
    const parsed = parseResource(conditionSchema, raw, 'Condition');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const c = parsed.value;
    const dup = seen.check('Condition', c.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    const hit = classify(c);
    if (!hit) continue; // other problems are not used; the EHR returns the whole problem list
    const label = conceptLabel(c.code) ?? CONDITION_CODES[hit.id].display;
    const verification = statusCode(c.verificationStatus);
    if (verification === 'entered-in-error' || verification === 'refuted') {
      issues.push({
        resourceType: 'Condition',
        id: c.id,
        reason: `${label}: ${verification}: excluded`,
        kind: 'excluded',
      });
      continue;
    }
    const clinical = statusCode(c.clinicalStatus);
    const onset = c.onsetDateTime ?? c.onsetPeriod?.start;
    conditions.push({
      id: c.id,
      kind: KIND[hit.id],
      label,
      ...(clinical ? { clinicalStatus: clinical } : {}),
      ...(verification ? { verificationStatus: verification } : {}),
      ...(onset ? { onset } : {}),
      ...(c.recordedDate ? { recorded: c.recordedDate } : {}),
      source: sourceRef('Condition', c.id, label),
      codedBy: hit.codedBy,
      ...withSome('severity', severityOf(c)),
      ...withList('words', wordsOf(c)),
      ...withList('codings', codingsOf(c)),
      ...withList('categories', categoriesOf(c)),
    });
  }
  return { conditions, issues };
}

function withSome<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

function withList<K extends string, V>(key: K, v: readonly V[]): { [P in K]?: readonly V[] } {
  return (v.length === 0 ? {} : { [key]: v }) as { [P in K]?: readonly V[] };
}
