/**
 * Value sets: the codes the app searches for and the sandbox uses to build realistic data.
 *
 * Every group cites `shared/clinical-reference.md` §5 ("Codes"). Each coding carries a confidence:
 * `confirmed` = listed in §5 without qualification; `verify` = marked "verify" in §5 or chosen here as a widely
 * used but unconfirmed code (keep overridable per issuer; the UI says so). Always also match `code.text` /
 * `display` with `textPatterns` (case-insensitive substrings), because sites map different codes and Oracle Health
 * may send only a local Millennium code (shared/ehr-integration.md, "Data shapes").
 *
 * Pure data plus tiny helpers; no imports except types.
 */

/** Standard code-system URIs (FHIR R4 terminology registry; CPT per HL7 `http://www.ama-assn.org/go/cpt`). */
import type { AnalyteId as DomainAnalyteId } from '../domain/labs';
import type { SystemicAgent } from '../domain/treatments';
export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
  icdo3: 'http://terminology.hl7.org/CodeSystem/icd-o-3',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  v20074: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v3ObservationInterpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  /** Oracle Health sandbox tenant, local Millennium code set 72 (event codes). */
  cernerCodeSet72: 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/72',
} as const;

export type CodeSystemUri = (typeof SYSTEMS)[keyof typeof SYSTEMS];

/**
 * HL7 OIDs of the external code systems, as some EHRs (CDA-derived feeds, older interfaces) send them in
 * `Coding.system` instead of the FHIR URI. Each OID is the one HL7 FHIR R4 lists for the system
 * (hl7.org/fhir/R4/terminologies-systems.html, "OID" column; also the HL7 OID registry):
 * LOINC 2.16.840.1.113883.6.1, SNOMED CT 2.16.840.1.113883.6.96, CPT-4 2.16.840.1.113883.6.12,
 * RxNorm 2.16.840.1.113883.6.88, ICD-10-CM 2.16.840.1.113883.6.90, UCUM 2.16.840.1.113883.6.8.
 */
export const SYSTEM_OIDS: Readonly<Record<string, CodeSystemUri>> = {
  'urn:oid:2.16.840.1.113883.6.1': SYSTEMS.loinc,
  'urn:oid:2.16.840.1.113883.6.96': SYSTEMS.snomed,
  'urn:oid:2.16.840.1.113883.6.12': SYSTEMS.cpt,
  'urn:oid:2.16.840.1.113883.6.88': SYSTEMS.rxnorm,
  'urn:oid:2.16.840.1.113883.6.90': SYSTEMS.icd10cm,
  'urn:oid:2.16.840.1.113883.6.8': SYSTEMS.ucum,
};

/**
 * The FHIR URI of a code system given as an OID (`urn:oid:2.16.840.1.113883.6.1` → `http://loinc.org`); any
 * other value unchanged (surrounding spaces trimmed). Only the OIDs of SYSTEM_OIDS are rewritten: an OID we do
 * not list stays as sent and matches nothing. Every system comparison in the mappers goes through this.
 */
export function normalizeSystem(system: string): string;
export function normalizeSystem(system: string | undefined): string | undefined;
export function normalizeSystem(system: string | undefined): string | undefined {
  if (system === undefined) return undefined;
  const trimmed = system.trim();
  // Every listed OID starts "urn:": a value starting with another ASCII letter (http://loinc.org …) is returned
  // without lower-casing a copy. Non-ASCII first characters take the full path (toLowerCase is Unicode-wide).
  const first = trimmed.charCodeAt(0);
  if (first < 128 && first !== 0x75 /* u */ && first !== 0x55 /* U */) return trimmed;
  return SYSTEM_OIDS[trimmed.toLowerCase()] ?? trimmed;
}

/** True when the coding's system (URI or OID) is `system`. */
export function isSystem(coding: { readonly system?: string }, system: string): boolean {
  return coding.system !== undefined && normalizeSystem(coding.system) === system;
}

export type Confidence = 'confirmed' | 'verify';

export interface ValueSetCoding {
  readonly system: string;
  readonly code: string;
  readonly display: string;
  readonly confidence: Confidence;
  /** Canonical UCUM unit the code implies, when it is unit-specific (labs only). */
  readonly unit?: string;
}

export interface ValueSetEntry {
  readonly display: string;
  readonly codes: readonly ValueSetCoding[];
  /** Case-insensitive substrings matched against `code.text` / `coding.display` as a fallback. */
  readonly textPatterns: readonly string[];
  /**
   * Words that veto a text match (same matching as textPatterns): another specimen, a ratio or a fraction that
   * shares the analyte's name ("Albumin, urine", "Bilirubin, direct", "Mean platelet volume").
   */
  readonly textExcludes?: readonly string[];
}

const loinc = (
  code: string,
  display: string,
  confidence: Confidence = 'confirmed',
  unit?: string,
): ValueSetCoding =>
  unit === undefined
    ? { system: SYSTEMS.loinc, code, display, confidence }
    : { system: SYSTEMS.loinc, code, display, confidence, unit };
const snomed = (code: string, display: string, confidence: Confidence): ValueSetCoding => ({
  system: SYSTEMS.snomed,
  code,
  display,
  confidence,
});
const cpt = (code: string, display: string, confidence: Confidence = 'confirmed'): ValueSetCoding => ({
  system: SYSTEMS.cpt,
  code,
  display,
  confidence,
});

// ---------------------------------------------------------------------------------------------------------------
// Labs — clinical-reference.md §5 (LOINC list) and §4 (units). Confidence per §5: 54347-0, 14631-6, 34714-6,
// 46418-0 and 1988-5 are "verify"; the others confirmed. Displays are LOINC short names (paraphrased).
// ---------------------------------------------------------------------------------------------------------------

/**
 * Text fallback for labs (issue 10 item 5): LOINC short names (the LOINC table's SHORTNAME column, e.g. 1975-2
 * "Bilirub SerPl-mCnc", 2160-0 "Creat SerPl-mCnc"; Oracle Health Millennium sends them as the display of its
 * code-set-72 event codes, e.g. "Hgb Bld-mCnc") and the common report names ("ALB", "TBIL", "PT-INR", "PIVKA-II").
 * Used only when no coding matched. A name that also names another specimen (LOINC system abbreviations "Ur",
 * "CSF", "Fld", "Plr fld", "Prt fld", "Amn fld") is not the serum analyte: never matched by name.
 */
const LAB_SPECIMEN_EXCLUDES: readonly string[] = [
  'urine',
  'ur',
  'csf',
  'cerebrospinal',
  'fluid',
  'fld',
  'ascit',
  'pleural',
  'peritoneal',
  'amniotic',
  'dialysate',
  'drain',
  'stool',
  'feces',
  'synovial',
  'spinal',
  'ratio',
];

/** The analytes searched by code; PIVKA-II's two unit families share one value set here (`pivka`). */
export type AnalyteId = Exclude<DomainAnalyteId, 'pivka-ng'>;

export const LAB_CODES: Readonly<Record<AnalyteId, ValueSetEntry>> = {
  afp: {
    display: 'Alpha-fetoprotein (AFP)',
    codes: [
      loinc('1834-1', 'Alpha-1-Fetoprotein [Mass/volume] in Serum or Plasma', 'confirmed', 'ng/mL'),
      loinc(
        '83073-7',
        'Alpha-1-Fetoprotein [Mass/volume] in Serum or Plasma by Immunoassay',
        'confirmed',
        'ng/mL',
      ),
      loinc('19176-7', 'Alpha-1-Fetoprotein [Units/volume] in Serum or Plasma', 'confirmed', '[IU]/mL'),
      // §5 lists these without naming their property: displays kept generic on purpose.
      loinc(
        '83072-9',
        'Alpha-1-Fetoprotein in Serum or Plasma (variant, see clinical-reference §5)',
        'confirmed',
      ),
      loinc('19177-5', 'Alpha-1-Fetoprotein [Moles/volume] in Serum or Plasma', 'confirmed'),
      loinc('53962-7', 'Alpha-1-Fetoprotein tumor-marker variant (see clinical-reference §5)', 'confirmed'),
      loinc('53961-9', 'Alpha-1-Fetoprotein tumor-marker variant (see clinical-reference §5)', 'confirmed'),
      loinc('53960-1', 'Alpha-1-Fetoprotein tumor-marker variant (see clinical-reference §5)', 'confirmed'),
    ],
    textPatterns: [
      'afp',
      'alpha-fetoprotein',
      'alpha fetoprotein',
      'alpha-1-fetoprotein',
      'alpha-1 fetoprotein',
      'alpha 1 fetoprotein',
      'alphafetoprotein',
    ],
    // Maternal-serum screening reports AFP as multiples of the median (MoM): not a tumour marker value.
    textExcludes: [...LAB_SPECIMEN_EXCLUDES, 'mom', 'multiple of median', 'maternal'],
  },
  afpL3: {
    display: 'AFP-L3 (% of total AFP)',
    codes: [
      loinc(
        '42332-7',
        'Alpha-1-Fetoprotein.L3/Alpha-1-Fetoprotein.total in Serum or Plasma',
        'confirmed',
        '%',
      ),
    ],
    textPatterns: ['afp-l3', 'afp l3', 'afp.l3', 'l3 fraction', 'lens culinaris'],
    textExcludes: LAB_SPECIMEN_EXCLUDES.filter((w) => w !== 'ratio'),
  },
  pivka: {
    display: 'PIVKA-II / DCP (des-gamma-carboxy prothrombin)',
    // §4: mAU/mL and ng/mL are different unit families with no valid conversion — never mix them in one series.
    codes: [
      loinc(
        '93768-0',
        'Des-gamma-carboxyprothrombin [Units/volume] in Serum or Plasma',
        'confirmed',
        'm[AU]/mL',
      ),
      loinc('34444-0', 'Des-gamma-carboxyprothrombin [Mass/volume] in Serum or Plasma', 'confirmed', 'ng/mL'),
    ],
    textPatterns: ['pivka', 'dcp', 'des-gamma', 'des gamma', 'carboxyprothrombin'],
    textExcludes: LAB_SPECIMEN_EXCLUDES,
  },
  albumin: {
    display: 'Albumin',
    codes: [
      loinc('1751-7', 'Albumin [Mass/volume] in Serum or Plasma', 'confirmed', 'g/dL'),
      loinc(
        '61151-7',
        'Albumin [Mass/volume] in Serum or Plasma by Bromocresol green (BCG) dye binding method',
        'confirmed',
        'g/L',
      ),
      loinc(
        '61152-5',
        'Albumin [Mass/volume] in Serum or Plasma by Bromocresol purple (BCP) dye binding method',
        'confirmed',
        'g/L',
      ),
      loinc('54347-0', 'Albumin [Moles/volume] in Serum or Plasma', 'verify'),
    ],
    textPatterns: ['albumin', 'alb', 'albumin serpl'],
    // Prealbumin (transthyretin), the albumin/globulin ratio and urine microalbumin share the word.
    textExcludes: [...LAB_SPECIMEN_EXCLUDES, 'prealbumin', 'globulin', 'glob', 'microalb', 'creatinine'],
  },
  bilirubin: {
    display: 'Bilirubin, total',
    codes: [
      loinc('1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma', 'confirmed', 'mg/dL'),
      loinc('42719-5', 'Bilirubin.total [Mass/volume] in Blood', 'confirmed', 'mg/dL'),
      loinc('59828-4', 'Bilirubin.total [Moles/volume] in Blood', 'confirmed', 'umol/L'),
      loinc('14631-6', 'Bilirubin.total [Moles/volume] in Serum or Plasma', 'verify', 'umol/L'),
    ],
    textPatterns: [
      'bilirubin, total',
      'total bilirubin',
      'bilirubin total',
      'bilirubin.total',
      'bilirubin (total)',
      't. bili',
      'tbili',
      'tbil',
      'total bili',
      'bilirub serpl',
      'bilirub bld',
    ],
    textExcludes: [
      ...LAB_SPECIMEN_EXCLUDES,
      'direct',
      'indirect',
      'conjugated',
      'unconjugated',
      'neonatal',
      'transcutaneous',
    ],
  },
  inr: {
    display: 'INR',
    codes: [
      loinc('6301-6', 'INR in Platelet poor plasma by Coagulation assay', 'confirmed', '{INR}'),
      loinc('34714-6', 'INR in Blood by Coagulation assay', 'verify', '{INR}'),
      loinc('46418-0', 'INR in Capillary blood by Coagulation assay', 'verify', '{INR}'),
    ],
    textPatterns: ['inr', 'international normalized ratio', 'international normalised ratio'],
    textExcludes: LAB_SPECIMEN_EXCLUDES.filter((w) => w !== 'ratio'),
  },
  ptSeconds: {
    display: 'Prothrombin time',
    codes: [loinc('5902-2', 'Prothrombin time (PT)', 'confirmed', 's')],
    textPatterns: ['prothrombin time', 'pt sec'],
    textExcludes: [...LAB_SPECIMEN_EXCLUDES, 'partial thromboplastin'],
  },
  platelets: {
    display: 'Platelets',
    codes: [
      loinc('777-3', 'Platelets [#/volume] in Blood by Automated count', 'confirmed', '10*3/uL'),
      loinc('26515-7', 'Platelets [#/volume] in Blood', 'confirmed', '10*3/uL'),
    ],
    textPatterns: ['platelet', 'plt'],
    // Indices and tests that carry the word but are not the count.
    textExcludes: [
      ...LAB_SPECIMEN_EXCLUDES,
      'mean platelet volume',
      'mpv',
      'distribution width',
      'pdw',
      'plateletcrit',
      'pct',
      'aggregation',
      'antibod',
      'function',
      'large',
    ],
  },
  ast: {
    display: 'AST',
    codes: [
      loinc(
        '1920-8',
        'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
        'confirmed',
        'U/L',
      ),
      loinc(
        '30239-8',
        "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma by With P-5'-P",
        'confirmed',
        'U/L',
      ),
    ],
    textPatterns: ['ast', 'aspartate aminotransferase', 'sgot'],
    textExcludes: LAB_SPECIMEN_EXCLUDES,
  },
  alt: {
    display: 'ALT',
    codes: [
      loinc(
        '1742-6',
        'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
        'confirmed',
        'U/L',
      ),
      loinc('76625-3', 'Alanine aminotransferase [Enzymatic activity/volume] in Blood', 'confirmed', 'U/L'),
    ],
    textPatterns: ['alt', 'alanine aminotransferase', 'sgpt'],
    textExcludes: LAB_SPECIMEN_EXCLUDES,
  },
  creatinine: {
    display: 'Creatinine',
    codes: [
      loinc('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'confirmed', 'mg/dL'),
      loinc('38483-4', 'Creatinine [Mass/volume] in Blood', 'confirmed', 'mg/dL'),
      loinc('14682-9', 'Creatinine [Moles/volume] in Serum or Plasma', 'confirmed', 'umol/L'),
    ],
    textPatterns: ['creatinine', 'creat serpl', 'creat bld'],
    textExcludes: [...LAB_SPECIMEN_EXCLUDES, 'clearance', 'albumin', 'egfr', 'kinase'],
  },
  sodium: {
    display: 'Sodium',
    codes: [
      loinc('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'confirmed', 'mmol/L'),
      loinc('2947-0', 'Sodium [Moles/volume] in Blood', 'confirmed', 'mmol/L'),
    ],
    textPatterns: ['sodium'],
    textExcludes: LAB_SPECIMEN_EXCLUDES,
  },
  crp: {
    display: 'C-reactive protein',
    codes: [loinc('1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', 'verify', 'mg/L')],
    textPatterns: ['c-reactive protein', 'c reactive protein', 'crp'],
    textExcludes: LAB_SPECIMEN_EXCLUDES,
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Procedures — clinical-reference.md §5 ("Procedures"). CPT codes confirmed as listed; SNOMED 233527006 is "verify"
// in §5. Conventional TACE, DEB-TACE and TAE all share CPT 37243: the distinction lives in SNOMED display / text.
// ---------------------------------------------------------------------------------------------------------------

export type ProcedureId =
  'tace' | 'debTace' | 'tae' | 'tare' | 'haic' | 'ablation' | 'resection' | 'transplant';

export const PROCEDURE_CODES: Readonly<Record<ProcedureId, ValueSetEntry>> = {
  tace: {
    display: 'Transarterial chemoembolization (conventional TACE)',
    codes: [
      cpt('37243', 'Vascular embolization or occlusion; for tumors, organ ischemia, or infarction'),
      cpt('37204', 'Transcatheter occlusion or embolization (older code, before 2014)'),
      cpt(
        '75894',
        'Transcatheter therapy, embolization, radiological supervision and interpretation (older code)',
      ),
      snomed('233527006', 'Chemoembolization of liver', 'verify'),
    ],
    textPatterns: ['chemoemboli', 'chemo-emboli', 'chemo emboli', 'tace', 'lipiodol', 'c-tace', 'ctace'],
  },
  debTace: {
    display: 'TACE with drug-eluting beads (DEB-TACE)',
    codes: [
      cpt('37243', 'Vascular embolization or occlusion; for tumors, organ ischemia, or infarction'),
      snomed('233527006', 'Chemoembolization of liver', 'verify'),
    ],
    textPatterns: ['deb-tace', 'deb tace', 'drug-eluting bead', 'drug eluting bead', 'debdox', 'dc bead'],
  },
  tae: {
    display: 'Transarterial (bland) embolization',
    codes: [cpt('37243', 'Vascular embolization or occlusion; for tumors, organ ischemia, or infarction')],
    textPatterns: ['bland embolization', 'transarterial embolization', 'tae'],
  },
  tare: {
    display: 'Transarterial radioembolization (TARE / Y-90 SIRT)',
    codes: [
      cpt('79445', 'Radiopharmaceutical therapy, by intra-arterial particulate administration'),
      {
        system: SYSTEMS.hcpcs,
        code: 'S2095',
        display:
          'Transcatheter occlusion or embolization for tumor destruction, percutaneous, any method, using yttrium-90 microspheres',
        confidence: 'confirmed',
      },
    ],
    textPatterns: ['radioemboli', 'y-90', 'y90', 'yttrium', 'sirt', 'tare'],
  },
  haic: {
    display: 'Hepatic arterial infusion chemotherapy (HAIC)',
    // §5: CPT 96420/96422/96423/96425 with an arterial route — the CPT codes alone are not HAIC-specific.
    codes: [
      cpt('96420', 'Chemotherapy administration, intra-arterial; push technique'),
      cpt('96422', 'Chemotherapy administration, intra-arterial; infusion technique, up to one hour'),
      cpt('96423', 'Chemotherapy administration, intra-arterial; infusion technique, each additional hour'),
      cpt(
        '96425',
        'Chemotherapy administration, intra-arterial; infusion technique, initiation of prolonged infusion',
      ),
    ],
    textPatterns: ['haic', 'hepatic arterial infusion', 'hepatic artery infusion', 'folfox-haic', 'new-fp'],
  },
  ablation: {
    display: 'Tumour ablation (RFA / MWA / cryo)',
    // §5 lists 47382 / 47383; the laparoscopic and open liver-ablation codes (CPT descriptors 47370, 47371, 47380,
    // 47381) are named in issue 9 item 4 and are not in §5 → verify.
    codes: [
      cpt('47382', 'Ablation, 1 or more liver tumor(s), percutaneous, radiofrequency'),
      cpt('47383', 'Ablation, 1 or more liver tumor(s), percutaneous, cryoablation'),
      cpt('47370', 'Laparoscopy, surgical, ablation of 1 or more liver tumor(s); radiofrequency', 'verify'),
      cpt('47371', 'Laparoscopy, surgical, ablation of 1 or more liver tumor(s); cryosurgical', 'verify'),
      cpt('47380', 'Ablation, open, of 1 or more liver tumor(s); radiofrequency', 'verify'),
      cpt('47381', 'Ablation, open, of 1 or more liver tumor(s); cryosurgical', 'verify'),
    ],
    textPatterns: ['ablation', 'rfa', 'radiofrequency', 'microwave', 'mwa', 'cryoablation'],
  },
  resection: {
    display: 'Hepatic resection',
    codes: [
      cpt('47120', 'Hepatectomy, resection of liver; partial lobectomy'),
      cpt('47122', 'Hepatectomy, resection of liver; trisegmentectomy'),
      cpt('47125', 'Hepatectomy, resection of liver; total left lobectomy'),
      cpt('47130', 'Hepatectomy, resection of liver; total right lobectomy'),
    ],
    textPatterns: ['hepatectomy', 'resection', 'segmentectomy', 'lobectomy'],
  },
  transplant: {
    display: 'Liver transplantation',
    codes: [
      cpt('47135', 'Liver allotransplantation, orthotopic'),
      {
        system: SYSTEMS.icd10pcs,
        code: '0FY00Z0',
        display: 'Transplantation of Liver, Allogeneic, Open Approach',
        confidence: 'confirmed',
      },
    ],
    textPatterns: ['liver transplant', 'olt', 'orthotopic liver'],
  },
};

/**
 * Where a procedure was done (issue 9 item 4): a resection, ablation or embolization is a liver treatment only when
 * its code, words or bodySite place it in the liver. `codes` are liver-directed by their descriptor (CPT hepatectomy
 * 47120–47130, liver-tumour ablation 47370–47383, liver transplant 47135 / ICD-10-PCS 0FY00Z0, SNOMED 233527006
 * "chemoembolization of liver"); `bodySites` is SNOMED "Liver structure" (not listed in §5 → verify).
 */
export const LIVER_SITE = {
  codes: [
    ...PROCEDURE_CODES.resection.codes,
    ...PROCEDURE_CODES.ablation.codes,
    ...PROCEDURE_CODES.transplant.codes,
    snomed('233527006', 'Chemoembolization of liver', 'verify'),
  ],
  bodySites: [snomed('10200004', 'Liver structure', 'verify')],
} as const;

/** A coding whose descriptor places the procedure outside the liver, with the site named in the data issue. */
export interface NonLiverCoding extends ValueSetCoding {
  readonly site: string;
}
const nonLiverCpt = (code: string, display: string, site: string): NonLiverCoding => ({
  ...cpt(code, display, 'verify'),
  site,
});

/**
 * Codes of resections, ablations and embolizations of other organs or for other purposes, which EHRs send next to
 * the liver ones and which must not count as a liver treatment (issue 9 item 4). Not in §5 → verify. CPT displays
 * paraphrase the AMA descriptors; the two SNOMED codes are the ones real feeds send (Oracle Health Millennium
 * Procedure example "Ablation of AV Node"; Synthea "Partial resection of colon").
 */
export const NON_LIVER_PROCEDURE_CODES: readonly NonLiverCoding[] = [
  nonLiverCpt('93650', 'Intracardiac catheter ablation of atrioventricular node function', 'heart'),
  nonLiverCpt(
    '93653',
    'Comprehensive EP evaluation with catheter ablation, supraventricular tachycardia',
    'heart',
  ),
  nonLiverCpt(
    '93654',
    'Comprehensive EP evaluation with catheter ablation, ventricular tachycardia',
    'heart',
  ),
  nonLiverCpt(
    '93655',
    'Intracardiac catheter ablation of an additional arrhythmia mechanism (add-on)',
    'heart',
  ),
  nonLiverCpt(
    '93656',
    'Comprehensive EP evaluation with atrial fibrillation ablation (pulmonary vein isolation)',
    'heart',
  ),
  nonLiverCpt('93657', 'Additional linear or focal ablation for atrial fibrillation (add-on)', 'heart'),
  nonLiverCpt('58353', 'Endometrial ablation, thermal, without hysteroscopic guidance', 'uterus'),
  nonLiverCpt('58356', 'Endometrial cryoablation with ultrasonic guidance', 'uterus'),
  nonLiverCpt('58563', 'Hysteroscopy, surgical; with endometrial ablation', 'uterus'),
  nonLiverCpt('44140', 'Colectomy, partial; with anastomosis', 'colon'),
  nonLiverCpt('44141', 'Colectomy, partial; with skin level cecostomy or colostomy', 'colon'),
  nonLiverCpt('44143', 'Colectomy, partial; with end colostomy and closure of distal segment', 'colon'),
  nonLiverCpt(
    '44144',
    'Colectomy, partial; with resection, with colostomy or ileostomy and mucous fistula',
    'colon',
  ),
  nonLiverCpt('44145', 'Colectomy, partial; with coloproctostomy (low pelvic anastomosis)', 'colon'),
  nonLiverCpt('44146', 'Colectomy, partial; with coloproctostomy, with colostomy', 'colon'),
  nonLiverCpt('44147', 'Colectomy, partial; abdominal and transanal approach', 'colon'),
  nonLiverCpt(
    '44150',
    'Colectomy, total, abdominal, without proctectomy; with ileostomy or ileoproctostomy',
    'colon',
  ),
  nonLiverCpt('44160', 'Colectomy, partial, with removal of terminal ileum with ileocolostomy', 'colon'),
  nonLiverCpt(
    '37241',
    'Vascular embolization or occlusion; venous, other than hemorrhage',
    'vein (non-tumour embolization)',
  ),
  nonLiverCpt(
    '37242',
    'Vascular embolization or occlusion; arterial, other than hemorrhage or tumor',
    'artery (non-tumour embolization)',
  ),
  nonLiverCpt(
    '37244',
    'Vascular embolization or occlusion; for arterial or venous hemorrhage',
    'bleeding (non-tumour embolization)',
  ),
  { ...snomed('428663009', 'Ablation of AV node', 'verify'), site: 'heart' },
  { ...snomed('43075005', 'Partial resection of colon', 'verify'), site: 'colon' },
];

// ---------------------------------------------------------------------------------------------------------------
// Conditions — clinical-reference.md §5 ("Conditions"). SNOMED 25370001 is "verify" in §5.
// ---------------------------------------------------------------------------------------------------------------

export type ConditionId = 'hcc' | 'portalVeinThrombosis' | 'ascites' | 'encephalopathy' | 'metastasis';

export const CONDITION_CODES: Readonly<Record<ConditionId, ValueSetEntry>> = {
  hcc: {
    display: 'Hepatocellular carcinoma',
    codes: [
      { system: SYSTEMS.icd10cm, code: 'C22.0', display: 'Liver cell carcinoma', confidence: 'confirmed' },
      snomed('25370001', 'Hepatocellular carcinoma', 'verify'),
      {
        system: SYSTEMS.icdo3,
        code: '8170/3',
        display: 'Hepatocellular carcinoma, NOS',
        confidence: 'confirmed',
      },
    ],
    textPatterns: ['hepatocellular', 'hcc', 'liver cell carcinoma'],
  },
  portalVeinThrombosis: {
    display: 'Portal vein thrombosis',
    codes: [
      { system: SYSTEMS.icd10cm, code: 'I81', display: 'Portal vein thrombosis', confidence: 'confirmed' },
    ],
    textPatterns: ['portal vein thrombosis', 'portal vein thrombus', 'pvtt', 'pvt'],
  },
  ascites: {
    display: 'Ascites',
    // §5: "R18.x" — matched by prefix (see codeMatchesPrefix).
    codes: [
      { system: SYSTEMS.icd10cm, code: 'R18', display: 'Ascites (R18.x)', confidence: 'confirmed' },
      { system: SYSTEMS.icd10cm, code: 'R18.0', display: 'Malignant ascites', confidence: 'confirmed' },
      { system: SYSTEMS.icd10cm, code: 'R18.8', display: 'Other ascites', confidence: 'confirmed' },
      {
        system: SYSTEMS.icd10cm,
        code: 'K70.31',
        display: 'Alcoholic cirrhosis of liver with ascites',
        confidence: 'confirmed',
      },
      {
        system: SYSTEMS.icd10cm,
        code: 'K70.11',
        display: 'Alcoholic hepatitis with ascites',
        confidence: 'confirmed',
      },
      {
        system: SYSTEMS.icd10cm,
        code: 'K71.51',
        display: 'Toxic liver disease with chronic active hepatitis with ascites',
        confidence: 'confirmed',
      },
    ],
    textPatterns: ['ascites'],
  },
  encephalopathy: {
    display: 'Hepatic encephalopathy',
    codes: [
      { system: SYSTEMS.icd10cm, code: 'K76.82', display: 'Hepatic encephalopathy', confidence: 'confirmed' },
      { system: SYSTEMS.icd10cm, code: 'K72', display: 'Hepatic failure (K72.x)', confidence: 'confirmed' },
    ],
    textPatterns: ['hepatic encephalopathy', 'encephalopathy'],
  },
  metastasis: {
    display: 'Metastatic disease',
    // §5: SNOMED descendants of 128462008; ICD-10-CM C77–C79 (prefix match).
    codes: [
      snomed('128462008', 'Secondary malignant neoplastic disease', 'confirmed'),
      {
        system: SYSTEMS.icd10cm,
        code: 'C77',
        display: 'Secondary malignant neoplasm of lymph nodes',
        confidence: 'confirmed',
      },
      {
        system: SYSTEMS.icd10cm,
        code: 'C78',
        display: 'Secondary malignant neoplasm of respiratory and digestive organs',
        confidence: 'confirmed',
      },
      {
        system: SYSTEMS.icd10cm,
        code: 'C79',
        display: 'Secondary malignant neoplasm of other sites',
        confidence: 'confirmed',
      },
    ],
    textPatterns: ['metasta', 'secondary malignant'],
  },
};

/** ICD-10-CM codes in CONDITION_CODES that stand for a whole category (match by prefix). */
export const ICD10_PREFIX_CODES: readonly string[] = ['R18', 'K72', 'C77', 'C78', 'C79'];

// ---------------------------------------------------------------------------------------------------------------
// Imaging — clinical-reference.md §5 ("Imaging") and §2 (mCODE disease status). Imaging study LOINC codes for the
// report `code` are not listed in §5 → verify.
// ---------------------------------------------------------------------------------------------------------------

export const IMAGING = {
  reportCategories: [
    loinc('LP29684-5', 'Radiology', 'confirmed'),
    { system: SYSTEMS.v20074, code: 'RAD', display: 'Radiology', confidence: 'confirmed' },
  ],
  /** Document type under which the same narrative may also appear (DocumentReference.type). */
  reportDocumentType: loinc('18748-4', 'Diagnostic imaging study', 'confirmed'),
  /**
   * DocumentReference.type codes of imaging notes (a radiology report exposed as a document), searched by the
   * request plan and read like reports. 18748-4 is §5's document type (confirmed); the others are LOINC radiology
   * report and narrative codes not listed in §5 → verify: 18782-3 and 19005-8 are the narrative codes of US Core's
   * chest X-ray findings and impression (US Core examples observation-xray-chest-findings.json /
   * -impression.json); 24558-9 CT Abdomen. IMAGING_DOCUMENT_TYPES adds the study codes (`reportCodes`).
   */
  documentTypes: [
    loinc('18748-4', 'Diagnostic imaging study', 'confirmed'),
    loinc('18782-3', 'Radiology Study observation (narrative)', 'verify'),
    loinc('19005-8', 'Radiology Imaging study [Impression] (narrative)', 'verify'),
    loinc('24558-9', 'CT Abdomen', 'verify'),
  ],
  /**
   * DocumentReference.category codes of imaging notes: the radiology report categories (§5) and the FHIR
   * observation-category `imaging` (US Core imaging results), confirmed as codes; whether an EHR files imaging
   * documents under them is per site.
   */
  documentCategories: [
    loinc('LP29684-5', 'Radiology', 'confirmed'),
    { system: SYSTEMS.v20074, code: 'RAD', display: 'Radiology', confidence: 'confirmed' },
    { system: SYSTEMS.obsCategory, code: 'imaging', display: 'Imaging', confidence: 'confirmed' },
  ],
  reportCodes: {
    ctChest: loinc('24627-2', 'CT Chest', 'verify'),
    ctChestWContrast: loinc('24628-0', 'CT Chest W contrast IV', 'verify'),
    mrAbdomen: loinc('30799-1', 'MR Abdomen', 'verify'),
    mrAbdomenWoWContrast: loinc('24590-2', 'MR Abdomen WO and W contrast IV', 'verify'),
    ctAbdomenPelvisWContrast: loinc('79103-8', 'CT Abdomen and Pelvis W contrast IV', 'verify'),
    ctAbdomenWoWContrast: loinc('24555-5', 'CT Abdomen WO and W contrast IV', 'verify'),
  },
  /** mCODE CancerDiseaseStatus (§2 table; codes confirmed there). */
  diseaseStatus: {
    code: loinc('97509-4', 'Cancer disease progression', 'confirmed'),
    profile: 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-cancer-disease-status',
    evidenceTypeExtension: 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-evidence-type',
    evidenceImaging: snomed('363679005', 'Imaging', 'confirmed'),
    values: {
      improved: snomed('268910001', "Patient's condition improved", 'confirmed'),
      stable: snomed('359746009', "Patient's condition stable", 'confirmed'),
      worsened: snomed('271299001', "Patient's condition worsened", 'confirmed'),
      undetermined: snomed('709137006', 'Patient condition undetermined', 'confirmed'),
    },
  },
  tumorSize: loinc('21889-1', 'Size Tumor', 'confirmed'),
  textPatterns: ['ct ', 'mri', 'mr ', 'computed tomography', 'magnetic resonance', 'ultrasound', 'radiology'],
} as const;

/** Every DocumentReference.type code of an imaging note: IMAGING.documentTypes plus the imaging study codes. */
export const IMAGING_DOCUMENT_TYPES: readonly ValueSetCoding[] = [
  ...IMAGING.documentTypes,
  ...Object.values(IMAGING.reportCodes),
];

// ---------------------------------------------------------------------------------------------------------------
// Systemic therapy — clinical-reference.md §5 ("Systemic therapy"): RxNorm ingredients, all "verify before relying
// on them"; ramucirumab, durvalumab and tremelimumab by text only.
// ---------------------------------------------------------------------------------------------------------------

export type SystemicAgentId = SystemicAgent;

const rx = (code: string, display: string): ValueSetCoding => ({
  system: SYSTEMS.rxnorm,
  code,
  display,
  confidence: 'verify',
});

export const SYSTEMIC_THERAPY: Readonly<Record<SystemicAgentId, ValueSetEntry>> = {
  sorafenib: {
    display: 'Sorafenib',
    codes: [rx('495881', 'sorafenib')],
    textPatterns: ['sorafenib', 'nexavar'],
  },
  lenvatinib: {
    display: 'Lenvatinib',
    codes: [rx('1603296', 'lenvatinib')],
    textPatterns: ['lenvatinib', 'lenvima'],
  },
  regorafenib: {
    display: 'Regorafenib',
    codes: [rx('1312397', 'regorafenib')],
    textPatterns: ['regorafenib', 'stivarga'],
  },
  cabozantinib: {
    display: 'Cabozantinib',
    codes: [rx('1363268', 'cabozantinib')],
    textPatterns: ['cabozantinib', 'cabometyx'],
  },
  atezolizumab: {
    display: 'Atezolizumab',
    codes: [rx('1792776', 'atezolizumab')],
    textPatterns: ['atezolizumab', 'tecentriq'],
  },
  bevacizumab: {
    display: 'Bevacizumab',
    codes: [rx('253337', 'bevacizumab')],
    textPatterns: ['bevacizumab', 'avastin'],
  },
  nivolumab: {
    display: 'Nivolumab',
    codes: [rx('1597876', 'nivolumab')],
    textPatterns: ['nivolumab', 'opdivo'],
  },
  pembrolizumab: {
    display: 'Pembrolizumab',
    codes: [rx('1547545', 'pembrolizumab')],
    textPatterns: ['pembrolizumab', 'keytruda'],
  },
  ramucirumab: { display: 'Ramucirumab', codes: [], textPatterns: ['ramucirumab', 'cyramza'] },
  durvalumab: { display: 'Durvalumab', codes: [], textPatterns: ['durvalumab', 'imfinzi'] },
  tremelimumab: { display: 'Tremelimumab', codes: [], textPatterns: ['tremelimumab', 'imjudo'] },
};

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

export interface CodingLike {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}
export interface CodeableConceptLike {
  readonly coding?: readonly CodingLike[];
  readonly text?: string;
}

/** The first coding of an entry in a given system (throws if absent: for building data, not for matching). */
export function codingOf(entry: ValueSetEntry, system: string, code?: string): ValueSetCoding {
  const found = entry.codes.find((c) => c.system === system && (code === undefined || c.code === code));
  if (!found) throw new Error(`No ${system}${code ? `|${code}` : ''} coding in value set "${entry.display}"`);
  return found;
}

/**
 * True when a coding matches the entry on system + code (never code alone); the system may be sent as its OID
 * (normalizeSystem). ICD-10 category codes match by prefix.
 */
export function codingMatches(entry: ValueSetEntry, coding: CodingLike): boolean {
  if (!coding.system || !coding.code) return false;
  const code = coding.code;
  const system = normalizeSystem(coding.system);
  return entry.codes.some(
    (c) =>
      c.system === system &&
      (c.code === code ||
        (c.system === SYSTEMS.icd10cm &&
          ICD10_PREFIX_CODES.includes(c.code) &&
          code.startsWith(`${c.code}.`))),
  );
}

/** True when one of the texts (lower-cased, space-padded) contains the pattern; short acronyms as whole words. */
function patternIn(texts: readonly string[], p: string): boolean {
  const pattern = p.toLowerCase();
  // Short acronyms (≤ 4 letters: "afp", "ast", "tace") must stand as words, not inside other words.
  if (/^[a-z0-9]{1,4}$/.test(pattern)) {
    const word = wordPattern(pattern);
    return texts.some((t) => word.test(t));
  }
  return texts.some((t) => t.includes(pattern));
}

/** The whole-word regex of a short acronym, compiled once per acronym (no flags: test keeps no state). */
const WORD_PATTERNS = new Map<string, RegExp>();
function wordPattern(acronym: string): RegExp {
  let re = WORD_PATTERNS.get(acronym);
  if (!re) {
    re = new RegExp(`[^a-z0-9]${acronym}[^a-z0-9]`);
    WORD_PATTERNS.set(acronym, re);
  }
  return re;
}

/**
 * True when the concept's text or any coding display contains one of the entry's text patterns (case-insensitive)
 * and none of its textExcludes.
 */
export function textMatches(entry: ValueSetEntry, concept: CodeableConceptLike): boolean {
  const texts = [concept.text, ...(concept.coding ?? []).map((c) => c.display)]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => ` ${t.toLowerCase()} `);
  if (!entry.textPatterns.some((p) => patternIn(texts, p))) return false;
  return !(entry.textExcludes ?? []).some((p) => patternIn(texts, p));
}

/** Code match first, then text fallback. */
export function conceptMatches(
  entry: ValueSetEntry,
  concept: CodeableConceptLike,
): 'code' | 'text' | undefined {
  if ((concept.coding ?? []).some((c) => codingMatches(entry, c))) return 'code';
  if (textMatches(entry, concept)) return 'text';
  return undefined;
}

/** `system|code` tokens of an entry, for FHIR `code=` search parameters. */
export function searchTokens(entry: ValueSetEntry): string[] {
  return entry.codes.map((c) => `${c.system}|${c.code}`);
}

/**
 * mCODE procedure intent (clinical-reference.md §1, European definition): SNOMED 373808002 curative,
 * 363676003 palliative.
 */
export const PROCEDURE_INTENT = {
  extensionUrl: 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-procedure-intent',
  curative: snomed('373808002', 'Curative - procedure intent', 'confirmed'),
  palliative: snomed('363676003', 'Palliative - procedure intent', 'confirmed'),
} as const;
