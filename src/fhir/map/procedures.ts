/**
 * Procedures → TreatmentSessions. Codes first (CPT, HCPCS, ICD-10-PCS, SNOMED — always system + code), then the
 * words of code.text / display (clinical-reference.md §5: "Always also match code.text/display"). CPT 37243 is
 * shared by cTACE, DEB-TACE, TAE and the embolization part of TARE, so the technique comes from the words.
 */
import type { DataIssue, SourceRef } from '../../domain/source';
import type { TreatmentKind, TreatmentSession, TreatmentStatus } from '../../domain/treatments';
import { dayOf, sortByDate } from '../../domain/timeline';
import { PROCEDURE_CODES, PROCEDURE_INTENT, SYSTEMS, textMatches } from '../codes';
import { codeableConceptSchema, type CodeableConcept } from '../schemas/common';
import { procedureSchema } from '../schemas/procedure';
import type { Procedure } from '../schemas/procedure';
import { SeenIds, conceptLabel, isAfterDay, isFhirDate, parseResource, sourceRef } from './common';

export interface MapProceduresResult {
  readonly sessions: TreatmentSession[];
  readonly issues: DataIssue[];
}

type CodedBy = TreatmentSession['codedBy'];

// Words that tell the TACE technique apart; they supplement PROCEDURE_CODES.*.textPatterns.
const DEB_WORDS = /\bdeb\b|drug[- ]eluting|\bbeads?\b|\bdc ?bead|lc ?bead|hepasphere/i;
const CONVENTIONAL_WORDS = /lipiodol|ethiodi[sz]ed oil|\bconventional\b|\bc-?tace\b/i;
const BLAND_WORDS = /\bbland\b|\btae\b|transarterial embolization|trans-arterial embolization/i;
const CHEMO_EMBO_WORDS = /chemo-?emboli|\btace\b/i;
const TARE_WORDS = /radioemboli|\by-?90\b|yttrium|\bsirt\b|\btare\b/i;
const HEPATIC_ARTERIAL_WORDS = /\bhaic\b|hepatic arter|intra-?arterial|\barterial\b/i;

const CPT_RESECTION = new Set(['47120', '47122', '47125', '47130']);

function codesIn(concept: CodeableConcept | undefined, system: string): string[] {
  return (concept?.coding ?? []).filter((c) => c.system === system && c.code).map((c) => c.code as string);
}

/** The words we read: code text, coding displays and procedure notes. */
function wordsOf(p: Procedure): string {
  return [p.code?.text, ...(p.code?.coding ?? []).map((c) => c.display), ...(p.note ?? []).map((n) => n.text)]
    .filter((t): t is string => typeof t === 'string')
    .join(' | ');
}

/** TACE technique from the words; undefined when they do not say. */
function taceFromWords(words: string): TreatmentKind | undefined {
  if (TARE_WORDS.test(words)) return 'tare';
  if (DEB_WORDS.test(words) || textMatches(PROCEDURE_CODES.debTace, { text: words })) return 'tace-deb';
  if (CONVENTIONAL_WORDS.test(words)) return 'tace-conventional';
  if (CHEMO_EMBO_WORDS.test(words)) return 'tace-unspecified';
  if (BLAND_WORDS.test(words)) return 'tae';
  return undefined;
}

interface Classified {
  readonly kind: TreatmentKind;
  readonly codedBy: CodedBy;
  readonly note?: string;
  /** Only CPT 37243/37204/75894 and no words: may be the embolization part of a same-day TARE. */
  readonly bareEmbolization?: boolean;
}

export function classifyProcedure(p: Procedure): Classified | undefined {
  const cpt = codesIn(p.code, SYSTEMS.cpt);
  const hcpcs = codesIn(p.code, SYSTEMS.hcpcs);
  const pcs = codesIn(p.code, SYSTEMS.icd10pcs);
  const snomed = codesIn(p.code, SYSTEMS.snomed);
  const words = wordsOf(p);

  if (cpt.includes('79445')) return { kind: 'tare', codedBy: 'cpt' };
  if (hcpcs.includes('S2095')) return { kind: 'tare', codedBy: 'hcpcs' };
  if (cpt.includes('47135')) return { kind: 'transplant', codedBy: 'cpt' };
  if (pcs.includes('0FY00Z0')) return { kind: 'transplant', codedBy: 'icd10pcs' };
  if (cpt.some((c) => CPT_RESECTION.has(c))) return { kind: 'resection', codedBy: 'cpt' };
  if (cpt.includes('47382') || cpt.includes('47383')) return { kind: 'ablation', codedBy: 'cpt' };
  if (cpt.some((c) => /^9642[0-5]$/.test(c))) {
    // §5: intra-arterial chemotherapy CPT codes are HAIC only "with an arterial route".
    return HEPATIC_ARTERIAL_WORDS.test(words)
      ? { kind: 'haic', codedBy: 'cpt' }
      : {
          kind: 'other',
          codedBy: 'cpt',
          note: 'intra-arterial chemotherapy code without a hepatic/arterial route',
        };
  }
  const embolCpt = cpt.includes('37243') || cpt.includes('37204') || cpt.includes('75894');
  const chemoSnomed = snomed.includes('233527006');
  if (embolCpt || chemoSnomed) {
    const codedBy: CodedBy = chemoSnomed ? 'snomed' : 'cpt';
    const fromWords = taceFromWords(words);
    if (fromWords) return { kind: fromWords, codedBy };
    if (chemoSnomed)
      return { kind: 'tace-unspecified', codedBy, note: 'technique (cTACE / DEB-TACE) not stated' };
    return {
      kind: 'tace-unspecified',
      codedBy,
      note: `CPT ${cpt.join(' + ')} only: embolization technique not stated`,
      bareEmbolization: true,
    };
  }

  // Text only. Order matters: the most specific wording first.
  if (words.trim() === '') return undefined;
  const text = { text: words };
  if (TARE_WORDS.test(words) || textMatches(PROCEDURE_CODES.tare, text))
    return { kind: 'tare', codedBy: 'text' };
  if (textMatches(PROCEDURE_CODES.transplant, text)) return { kind: 'transplant', codedBy: 'text' };
  if (textMatches(PROCEDURE_CODES.haic, text)) return { kind: 'haic', codedBy: 'text' };
  const tace = taceFromWords(words);
  if (tace) return { kind: tace, codedBy: 'text' };
  if (textMatches(PROCEDURE_CODES.tace, text)) return { kind: 'tace-unspecified', codedBy: 'text' };
  if (textMatches(PROCEDURE_CODES.ablation, text)) return { kind: 'ablation', codedBy: 'text' };
  if (textMatches(PROCEDURE_CODES.resection, text)) return { kind: 'resection', codedBy: 'text' };
  return undefined;
}

const KEPT_STATUS: Partial<Record<Procedure['status'], TreatmentStatus>> = {
  completed: 'completed',
  'in-progress': 'in-progress',
  preparation: 'preparation',
  'on-hold': 'on-hold',
  stopped: 'stopped',
  unknown: 'unknown',
};

const isTaceKind = (k: TreatmentKind): boolean => k.startsWith('tace-');

/** Same-day sessions that are one treatment: same kind, a TACE of unknown technique with a specific TACE, or a
 * bare embolization code next to a TARE (§5: "TARE/Y-90: CPT 79445 with 37243"). Returns the merged kind. */
function mergeKind(a: TreatmentSession & { bare?: boolean }, b: Classified): TreatmentKind | undefined {
  if (a.kind === b.kind) return a.kind;
  if (isTaceKind(a.kind) && isTaceKind(b.kind)) {
    if (a.kind === 'tace-unspecified') return b.kind;
    if (b.kind === 'tace-unspecified') return a.kind;
  }
  if (a.kind === 'tare' && b.bareEmbolization) return 'tare';
  if (b.kind === 'tare' && a.bare) return 'tare';
  return undefined;
}

/** Procedures → sessions sorted by date; unrelated procedures are skipped silently (the EHR returns them all). */
/** The mCODE procedure-intent extension, matched on system + code; anything else is no intent. */
function intentOf(p: Procedure): 'curative' | 'palliative' | undefined {
  for (const ext of p.extension ?? []) {
    if (ext.url !== PROCEDURE_INTENT.extensionUrl) continue;
    const parsed = codeableConceptSchema.safeParse(
      (ext as { valueCodeableConcept?: unknown }).valueCodeableConcept,
    );
    const codings = parsed.success ? (parsed.data.coding ?? []) : [];
    for (const kind of ['curative', 'palliative'] as const) {
      const want = PROCEDURE_INTENT[kind];
      if (codings.some((c) => c.system === want.system && c.code === want.code)) return kind;
    }
  }
  return undefined;
}

export function mapProcedures(
  resources: readonly unknown[],
  options: { asOf?: string } = {},
): MapProceduresResult {
  const issues: DataIssue[] = [];
  const seen = new SeenIds();
  const sessions: (TreatmentSession & { bare?: boolean })[] = [];

  for (const raw of resources) {
    const parsed = parseResource(procedureSchema, raw, 'Procedure');
    if (!parsed.ok) {
      issues.push(parsed.issue);
      continue;
    }
    const p = parsed.value;
    const dup = seen.check('Procedure', p.id);
    if (dup) {
      issues.push(dup);
      continue;
    }
    const c = classifyProcedure(p);
    if (!c) continue;
    const label = conceptLabel(p.code) ?? c.kind;
    const issue = (reason: string, kind: DataIssue['kind']): void => {
      issues.push({ resourceType: 'Procedure', id: p.id, reason: `${label}: ${reason}`, kind });
    };
    const status = KEPT_STATUS[p.status];
    if (!status) {
      const why = conceptLabel(p.statusReason);
      issue(`status ${p.status}${why ? ` (${why})` : ''}: excluded`, 'excluded');
      continue;
    }
    const date = p.performedDateTime ?? p.performedPeriod?.start;
    if (date === undefined || !isFhirDate(date)) {
      issue(
        date === undefined
          ? 'no performed date: not placed on the timeline'
          : `date "${date}" is not a FHIR date`,
        'malformed',
      );
      continue;
    }
    if (isAfterDay(date, options.asOf)) {
      issue(`dated ${date}, after the evaluation date: excluded`, 'excluded');
      continue;
    }
    const source: SourceRef = sourceRef('Procedure', p.id, label);
    const end = p.performedPeriod?.end;

    const same = sessions.find((s) => dayOf(s.date) === dayOf(date) && mergeKind(s, c) !== undefined);
    if (same) {
      const kind = mergeKind(same, c) ?? same.kind;
      const merged = {
        ...same,
        kind,
        mergedSources: [...(same.mergedSources ?? []), source],
        notes: [...(same.notes ?? []), `merged with Procedure/${p.id} (same day, ${c.kind})`],
      };
      delete merged.bare;
      sessions[sessions.indexOf(same)] = merged;
      issue(`same-day ${c.kind} merged into Procedure/${same.id}`, 'warning');
      continue;
    }
    const notes = [
      ...(c.note ? [c.note] : []),
      ...(c.codedBy === 'text' ? ['recognised from text only'] : []),
    ];
    const intent = intentOf(p);
    sessions.push({
      id: p.id,
      kind: c.kind,
      date,
      ...(end ? { endDate: end } : {}),
      status,
      source,
      codedBy: c.codedBy,
      label,
      ...(notes.length > 0 ? { notes } : {}),
      ...(intent ? { intent } : {}),
      ...(c.bareEmbolization ? { bare: true } : {}),
    });
  }
  const clean: TreatmentSession[] = sessions.map((s) => {
    const { bare: _bare, ...rest } = s;
    return rest;
  });
  return { sessions: sortByDate(clean), issues };
}
