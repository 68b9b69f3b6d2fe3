import {
  modalityLabel,
  regimenLabel,
  responseLabel,
  responseWords,
  treatmentLabel,
  treatmentShortLabel,
  unitLabel,
} from '../../domain/display-labels';
import type { ImagingAssessment } from '../../domain/imaging';
import type { AnalyteId, Comparator, Measurement } from '../../domain/labs';
import type { Timeline } from '../../domain/timeline';
import type { AssessmentResult, EvidenceItem, ExpandedResult } from '../../engine/result';
import { expandResult } from '../../engine/result-view';
import { albiBandOf } from './chart-layout';

/** The analytes the chart draws, each in its own canonical unit (PIVKA-II mAU/mL and ng/mL are separate series). */
export const CHART_ANALYTES = ['afp', 'pivka', 'pivka-ng', 'albumin', 'bilirubin'] as const;
export type ChartAnalyte = (typeof CHART_ANALYTES)[number];

export const ANALYTE_LABEL: Record<ChartAnalyte, string> = {
  afp: 'AFP',
  pivka: 'PIVKA-II',
  'pivka-ng': 'PIVKA-II',
  albumin: 'Albumin',
  bilirubin: 'Bilirubin',
};
/** Units in words via the display-label module ("m[AU]/mL" → "mAU/mL", "umol/L" → "µmol/L"). */
export function unitText(unit: string): string {
  return unitLabel(unit);
}

export interface LabPoint {
  kind: 'lab';
  analyte: ChartAnalyte;
  day: string;
  value: number;
  comparator: Comparator | undefined;
  unit: string;
  source: string;
  /** The source in words for the readout: "Albumin 3.5 g/dL (2026-10-12)". */
  sourceText: string;
  originalText: string | undefined;
}

export interface AlbiPoint {
  kind: 'albi';
  day: string;
  score: number;
  grade: string;
  when: 'before' | 'after';
  session: string;
  /** "TACE 2": the session this snapshot is before or after. */
  sessionLabel: string;
  /** mALBI grade by the score (chart-layout ALBI_BANDS): "1", "2a", "2b" or "3". */
  mGrade: string;
  sources: string[];
  /** The labs the score came from, in words: "albumin 3.5 g/dL (2026-10-12), total bilirubin 0.8 mg/dL (…)". */
  sourceText: string;
}

export interface EventMarker {
  kind: 'tace' | 'treatment';
  day: string;
  /** What the chart writes at the line: "TACE 1", "TARE", "lenvatinib", "atezolizumab + bevacizumab". */
  label: string;
  /** Longer words for the readout and the table: "TACE 1: DEB-TACE", "lenvatinib started". */
  detail: string;
  source: string;
  /** The source in words: "procedure record 2026-02-01", "medication order 2026-03-01". */
  sourceText: string;
}

export interface ImagingPoint {
  day: string;
  /** The response in words, first the category: "complete response (mRECIST), viable 0 %, JSH reading: sufficient". */
  label: string;
  /** The short label drawn at the marker: "complete response (mRECIST)"; empty when the report states none. */
  short: string;
  source: string;
  /** "MRI report 2026-04-10". */
  sourceText: string;
  clinician: boolean;
  session: string | undefined;
}

export interface TimelineData {
  labs: Record<ChartAnalyte, LabPoint[]>;
  albi: AlbiPoint[];
  events: EventMarker[];
  imaging: ImagingPoint[];
}

const COMPARATOR_WORDS: Record<Comparator, string> = {
  '<': 'less than',
  '<=': 'at most',
  '>': 'more than',
  '>=': 'at least',
};

export function comparatorWords(c: Comparator): string {
  return COMPARATOR_WORDS[c];
}

export function formatNumber(v: number): string {
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return String(Number(v.toFixed(digits)));
}

/** "<2.0" for the eye, "less than 2.0" for the ear (screen readers skip "<"). */
export function valueWords(p: { value: number; comparator: Comparator | undefined }) {
  const n = formatNumber(p.value);
  return {
    visual: `${p.comparator ?? ''}${n}`,
    spoken: p.comparator ? `${comparatorWords(p.comparator)} ${n}` : n,
  };
}

function labPoint(analyte: ChartAnalyte, m: Measurement): LabPoint {
  return {
    kind: 'lab',
    analyte,
    day: m.date.slice(0, 10),
    value: m.value,
    comparator: m.comparator,
    unit: m.unit,
    source: `${m.source.resourceType}/${m.source.id}`,
    sourceText: `${ANALYTE_LABEL[analyte]} ${valueWords({ value: m.value, comparator: m.comparator }).visual} ${unitLabel(m.unit)} (${m.date.slice(0, 10)})`,
    originalText:
      m.originalValue !== undefined && m.originalUnit
        ? `${formatNumber(m.originalValue)} ${m.originalUnit}`
        : undefined,
  };
}

function latestDay(evidence: readonly { date: string }[]): string | undefined {
  return evidence.reduce<string | undefined>(
    (d, e) => (d === undefined || e.date > d ? e.date : d),
    undefined,
  );
}

/**
 * Everything the chart and its table show, from the timeline (labs in canonical units) and the engine result
 * (TACE sessions, other treatments, ALBI snapshots around each session, the response read for each session).
 */
export function buildTimelineData(timeline: Timeline, published: AssessmentResult | undefined): TimelineData {
  const result = published ? expandResult(published) : undefined;
  const labs = Object.fromEntries(
    CHART_ANALYTES.map((a) => [a, (timeline.labs[a as AnalyteId] ?? []).map((m) => labPoint(a, m))]),
  ) as Record<ChartAnalyte, LabPoint[]>;

  const sessionNumber = new Map((result?.taceSessions ?? []).map((s, i) => [s.date, i + 1]));
  const albi: AlbiPoint[] = [];
  const seen = new Set<string>();
  for (const t of result?.liverTrajectory ?? []) {
    for (const when of ['before', 'after'] as const) {
      const snap = t[when];
      const day = latestDay(snap.evidence);
      if (snap.albi === null || !day) continue;
      const key = `${day}|${snap.albi}`;
      if (seen.has(key)) continue;
      seen.add(key);
      albi.push({
        kind: 'albi',
        day,
        score: snap.albi,
        grade: snap.albiGrade ?? '—',
        mGrade: albiBandOf(snap.albi),
        when,
        session: t.sessionDate,
        sessionLabel: sessionNumber.has(t.sessionDate)
          ? `TACE ${sessionNumber.get(t.sessionDate) ?? ''}`
          : `TACE of ${t.sessionDate}`,
        sources: snap.evidence.map((e) => e.ref),
        sourceText: snap.evidence.map(evidenceWords).join(', '),
      });
    }
  }
  albi.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  const events: EventMarker[] = [
    ...(result?.taceSessions ?? []).map((s, i): EventMarker => ({
      kind: 'tace',
      day: s.date,
      label: `TACE ${i + 1}`,
      detail: `TACE ${i + 1}: ${treatmentShortLabel(s.kind)}`,
      source: s.ref,
      sourceText: `${refWords(s.ref)} ${s.date}`,
    })),
    ...treatmentMarkers(result?.treatments ?? []),
  ].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

  const imaging = imagingPoints(timeline.imaging, result);
  return { labs, albi, events, imaging };
}

export function hasLabs(d: TimelineData): boolean {
  return CHART_ANALYTES.some((a) => d.labs[a].length > 0);
}

const RESOURCE_WORDS: Record<string, string> = {
  Procedure: 'procedure record',
  MedicationRequest: 'medication order',
  MedicationStatement: 'medication statement',
  DiagnosticReport: 'report',
  Observation: 'observation',
  DocumentReference: 'document',
};

/** "Procedure/abc" → "procedure record": the kind of record in words, never its id. */
function refWords(ref: string): string {
  const type = ref.split('/')[0] ?? '';
  return RESOURCE_WORDS[type] ?? 'record';
}

/** "albumin 3.5 g/dL (2026-10-12)" from one evidence item (labs an ALBI score used). */
function evidenceWords(e: EvidenceItem): string {
  const value =
    typeof e.value === 'number' ? formatNumber(e.value) : e.value === undefined ? '' : String(e.value);
  const shown = unitLabel(e.unit);
  const unit = shown ? ` ${shown}` : '';
  return `${e.label}${value ? ` ${value}${unit}` : ''} (${e.date})`;
}

type TreatmentEntry = AssessmentResult['treatments'][number];

/**
 * Non-TACE treatments, named: "TARE", "RFA/MWA", "lenvatinib", and agents started the same day as one regimen
 * ("atezolizumab + bevacizumab"). Never "Tx".
 */
function treatmentMarkers(entries: readonly TreatmentEntry[]): EventMarker[] {
  const out: EventMarker[] = [];
  const systemicByDay = new Map<string, TreatmentEntry[]>();
  for (const t of entries) {
    const systemic = /^systemic:\s*(.+)$/.exec(t.kind);
    if (systemic) {
      const list = systemicByDay.get(t.date) ?? [];
      list.push(t);
      systemicByDay.set(t.date, list);
      continue;
    }
    const notCounted = /^(\S+) \(not counted: ([^)]*)\)$/.exec(t.kind);
    const kind = notCounted?.[1] ?? t.kind;
    const short = treatmentShortLabel(kind);
    out.push({
      kind: 'treatment',
      day: t.date,
      label: short,
      detail: `${treatmentLabel(kind)}${notCounted ? ` (not counted as a TACE session: ${notCounted[2] ?? ''})` : ''}`,
      source: t.ref,
      sourceText: `${refWords(t.ref)} ${t.date}`,
    });
  }
  for (const [day, list] of systemicByDay) {
    const regimen = regimenLabel(list.map((t) => t.kind.replace(/^systemic:\s*/, '')));
    out.push({
      kind: 'treatment',
      day,
      label: regimen,
      detail: `${regimen} started`,
      source: list.map((t) => t.ref).join(', '),
      sourceText: `${list.length > 1 ? `${list.length} medication orders` : refWords(list[0]?.ref ?? '')} ${day}`,
    });
  }
  return out;
}

/** "MRI report 2026-04-10", "disease-status observation 2026-04-10". */
export function imagingSourceText(a: Pick<ImagingAssessment, 'date' | 'modality' | 'source'>): string {
  const day = a.date.slice(0, 10);
  if (a.source.resourceType === 'Observation') return `disease-status observation ${day}`;
  return `${modalityLabel(a.modality)} report ${day}`;
}

/**
 * Every imaging assessment on file, not only the one the engine read for a session (the responder's
 * complete-response MRIs count for clinical CR but belong to no session window). Words from the report's own
 * findings ("complete response (mRECIST)"); for a session's reading corrected by the clinician, the engine's words.
 */
function imagingPoints(assessments: readonly ImagingAssessment[], result: ExpandedResult | undefined) {
  const sessions = result?.taceSessions ?? [];
  const points: ImagingPoint[] = [];
  for (const a of assessments) {
    const day = a.date.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
    const si = sessions.findIndex((s) => s.response.assessmentId === a.id);
    const r = si >= 0 ? sessions[si]?.response : undefined;
    const clinician = r?.evidence.some((e) => e.origin === 'clinician') ?? false;
    const words: string[] = [];
    if (r && clinician) {
      if (r.category) words.push(responseWords(r.category));
      if (r.viablePercent !== null) words.push(`viable ${r.viablePercent} %`);
      if (r.newLesions === 'positive') words.push('new lesions');
    } else {
      for (const f of a.findings) {
        if (f.type === 'response' && f.polarity === 'positive')
          words.push(responseLabel(f.scale, f.category));
      }
      for (const f of a.findings) {
        if (f.type === 'viable-percent' && f.polarity === 'positive')
          words.push(`viable ${f.comparator && f.comparator !== '~' ? f.comparator : ''}${f.percent} %`);
        if (f.type === 'new-lesions' && f.polarity === 'positive' && f.presence === 'present')
          words.push('new lesions');
        if (f.type === 'vascular-invasion' && f.polarity === 'positive' && f.presence === 'present')
          words.push(`vascular invasion${f.vp ? ` ${f.vp}` : ''}`);
        if (f.type === 'extrahepatic-spread' && f.polarity === 'positive' && f.presence === 'present')
          words.push(`extrahepatic spread${f.site ? ` (${f.site})` : ''}`);
      }
    }
    const uniqueWords = [...new Set(words)];
    const short = uniqueWords[0] ?? '';
    const label = [
      ...(uniqueWords.length > 0 ? uniqueWords : ['no response category stated']),
      ...(r ? [`JSH reading: ${r.jshReading === 'unknown' ? 'not determinable' : r.jshReading}`] : []),
    ].join(', ');
    points.push({
      day,
      label,
      short,
      source: `${a.source.resourceType}/${a.source.id}`,
      sourceText: imagingSourceText(a),
      clinician,
      session: si >= 0 ? `TACE ${si + 1}` : undefined,
    });
  }
  return points.sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
}
