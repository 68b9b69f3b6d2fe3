/**
 * Imaging assessments and the findings read from them. Reports are almost always free text
 * (shared/ehr-integration.md), so every finding carries the sentence and words it was read from, a polarity
 * (negated and hedged wording never becomes positive — clinical-reference.md §2) and a confidence.
 */
import type { Evidence, SourceRef } from './source';

/**
 * Response scales (clinical-reference.md §2). `mcode-status` = mCODE CancerDiseaseStatus (LOINC 97509-4); `recist`
 * = RECIST 1.1 (Eisenhauer, Eur J Cancer 2009: whole-tumour diameters, not viability — it never decides the JSH
 * viable-tumour rule, but its CR counts for Kudo 2025 clinical CR).
 */
export type ResponseScale = 'mrecist' | 'easl' | 'recist' | 'lirads-tr' | 'recicl' | 'mcode-status';

/** CR/PR/SD/PD; NR = "no objective response" — SD or PD, stated without saying which. */
export type MrecistCategory = 'CR' | 'PR' | 'SD' | 'PD' | 'NR';
export type LiradsTrCategory = 'viable' | 'nonviable' | 'equivocal' | 'nonevaluable';
export type ReciclCategory = 'TE1' | 'TE2' | 'TE3' | 'TE4';
export type McodeStatusCategory = 'improved' | 'stable' | 'worsened' | 'undetermined';
export type ResponseCategory = MrecistCategory | LiradsTrCategory | ReciclCategory | McodeStatusCategory;

/** positive = the report asserts it; negative = negated ("no …"); uncertain = hedged ("cannot exclude …"). */
export type Polarity = 'positive' | 'negative' | 'uncertain';

/** high = coded or an explicit, unhedged phrase; medium = clear text with some inference; low = weak inference. */
export type FindingConfidence = 'high' | 'medium' | 'low';

export type Presence = 'present' | 'absent' | 'unknown';

interface FindingBase {
  readonly evidence: Evidence;
  readonly confidence: FindingConfidence;
}

export interface ResponseFinding extends FindingBase {
  readonly type: 'response';
  readonly scale: ResponseScale;
  /** mRECIST and EASL use CR/PR/SD/PD; LI-RADS TR its four categories; RECICL TE1–TE4; mCODE its four values. */
  readonly category: ResponseCategory;
  readonly polarity: Polarity;
}

/**
 * Viable (arterially enhancing) tumour as a percentage of the treated tumour. `basis` says how it was obtained:
 * stated directly, or derived as 100 − necrosis % (clinical-reference.md §2: "necrosis % = 100 − viable %").
 * Lipiodol deposition is kept separately (LipiodolFinding): JSH 2010 judges deposition, not viability.
 */
export interface ViablePercentFinding extends FindingBase {
  readonly type: 'viable-percent';
  readonly percent: number;
  /** "<50%" or ">90%" wording keeps its comparator. */
  readonly comparator?: '<' | '<=' | '>' | '>=' | '~';
  readonly basis: 'stated' | 'necrosis';
  readonly polarity: Polarity;
}

/** Lipiodol deposition in the treated tumour after cTACE (JSH 2010: deposition ≤ 50 % is insufficient). */
export interface LipiodolFinding extends FindingBase {
  readonly type: 'lipiodol-deposition';
  readonly percent: number;
  readonly comparator?: '<' | '<=' | '>' | '>=' | '~';
  readonly polarity: Polarity;
}

export interface TumorCountFinding extends FindingBase {
  readonly type: 'tumor-count';
  /** With `atLeast`, a lower bound: "multiple", "innumerable", "diffuse" give count 2, atLeast true. */
  readonly count: number;
  readonly atLeast?: boolean;
  /** "now five lesions, previously three" → count 5, previous 3. */
  readonly previous?: number;
  readonly polarity: Polarity;
}

export interface LargestDiameterFinding extends FindingBase {
  readonly type: 'largest-diameter';
  /** Centimetres (mm ÷ 10). */
  readonly cm: number;
  /**
   * A size the report does not call the largest (one lesion of several, e.g. a new nodule): the largest tumour is
   * at least this big. Absent when the text says "largest", describes a solitary lesion, or lists every lesion.
   */
  readonly lowerBound?: boolean;
  readonly polarity: Polarity;
}

export interface NewLesionsFinding extends FindingBase {
  readonly type: 'new-lesions';
  readonly presence: Presence;
  readonly count?: number;
  /** intrahepatic unless the sentence says otherwise. */
  readonly location?: 'intrahepatic' | 'extrahepatic';
  readonly polarity: Polarity;
}

/** Vp grade of portal vein tumour thrombus (Liver Cancer Study Group of Japan): Vp1–Vp4. */
export type VpGrade = 'Vp1' | 'Vp2' | 'Vp3' | 'Vp4';

export interface VascularInvasionFinding extends FindingBase {
  readonly type: 'vascular-invasion';
  readonly presence: Presence;
  readonly vp?: VpGrade;
  /** e.g. "right portal vein", "main portal vein", "hepatic vein", "IVC". */
  readonly vessel?: string;
  /** A bland (non-tumour) thrombus is not vascular invasion: recorded as uncertain with this flag. */
  readonly bland?: boolean;
  readonly polarity: Polarity;
}

export interface ExtrahepaticSpreadFinding extends FindingBase {
  readonly type: 'extrahepatic-spread';
  readonly presence: Presence;
  /** e.g. "lung", "bone", "lymph node", "adrenal", "peritoneum". */
  readonly site?: string;
  readonly polarity: Polarity;
}

export type ImagingFinding =
  | ResponseFinding
  | ViablePercentFinding
  | LipiodolFinding
  | TumorCountFinding
  | LargestDiameterFinding
  | NewLesionsFinding
  | VascularInvasionFinding
  | ExtrahepaticSpreadFinding;

export type ImagingFindingType = ImagingFinding['type'];

export type Modality = 'CT' | 'MR' | 'US' | 'PET' | 'XA' | 'other';

export interface ImagingAssessment {
  readonly id: string;
  /** effectiveDateTime / effectivePeriod.start / issued, as given. */
  readonly date: string;
  readonly source: SourceRef;
  readonly modality?: Modality;
  /** Report title (code text), for the evidence panel. */
  readonly title?: string;
  readonly findings: readonly ImagingFinding[];
  /** The narrative as plain text (after HTML stripping), so the UI can show the whole report as text. */
  readonly text?: string;
  /**
   * The report was preliminary or partial (FHIR DiagnosticReport.status) and no final/amended/corrected version of
   * the same study was received: its findings are used, and flagged as preliminary in the evidence.
   */
  readonly preliminary?: true;
}

/** Narrow helper: the findings of one type, typed. */
export function findingsOfType<T extends ImagingFindingType>(
  assessment: ImagingAssessment,
  type: T,
): Extract<ImagingFinding, { type: T }>[] {
  return assessment.findings.filter((f): f is Extract<ImagingFinding, { type: T }> => f.type === type);
}
