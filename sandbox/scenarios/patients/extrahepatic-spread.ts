import {
  EPIC_PROFILE,
  ICD,
  diseaseStatus,
  hccCondition,
  imagingReport,
  labPanel,
  launchEncounter,
  medicationRequest,
  otherCondition,
  patient,
  routine,
  taceProcedure,
  type LabProfile,
  type ScenarioDef,
} from '../factories';

const ROUTINE = {
  albumin: 4.0,
  bilirubin: 0.8,
  inr: 1.05,
  platelets: 170,
  ast: 38,
  alt: 35,
  creatinine: 0.9,
  sodium: 140,
  crp: 1.8,
};

/** This site reports bilirubin in µmol/L but under the mass code 1975-2 (the unit decides, not the code). */
const PROFILE: LabProfile = { ...EPIC_PROFILE, bilirubin: 'biliUmolMassCode' };

export const extrahepaticSpread: ScenarioDef = {
  id: 'extrahepatic-spread',
  title: 'Refractory — lung metastases after TACE',
  summary:
    'HBV, Child-Pugh A. TACE #1 day -280 (legacy CPT 37204 + 75894 coding), CT day -235 partial response, CT ' +
    'chest no extrahepatic disease. TACE #2 day -200; CT chest day -150: multiple new pulmonary nodules consistent ' +
    'with metastases (C78.00 recorded); lenvatinib started day -130. Bilirubin in µmol/L under LOINC 1975-2. ' +
    'Expected: extrahepatic-spread item met.',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Extrahepatic', 'Spread'],
      gender: 'female',
      birthDate: '1964-07-11',
      mrn: 'SYN-000105',
    });
    launchEncounter(b);
    hccCondition(b, -320, 'BCLC B');
    const p = PROFILE;

    // Dictated reports, hard-wrapped by the transcription system at ~70 columns (breaks inside sentences, one
    // hyphenated word break, numbered impressions); the CT chest that found the metastases came through with CRLF.
    imagingReport(b, {
      day: -300,
      code: 'ctAbdomenPelvisWContrast',
      findings: [
        'Liver: Cirrhotic contour. There is a 3.9 cm arterially enhancing',
        'mass with portal venous washout in segment IVb, and a 1.5 cm satellite',
        'nodule in segment V with the same enhancement pattern. The portal and',
        'hepatic veins are patent without thrombus.',
        'Lymph nodes: No lymphadenopathy.',
      ].join('\n'),
      impression: [
        '1. Two lesions consistent with HCC: the dominant 3.9 cm mass in',
        'segment IVb and a 1.5 cm satellite nodule in segment V.',
        '2. No portal vein thrombus.',
      ].join('\n'),
      study: true,
    });
    imagingReport(b, {
      day: -300,
      code: 'ctChestWContrast',
      history: 'HCC staging.',
      findings: [
        'Lungs: Clear. No pulmonary nodules.',
        'Mediastinum: No mediastinal or hilar lymphadenopathy.',
        'Pleura: No pleural effusion.',
      ].join('\n'),
      impression: '1. No pulmonary nodules.\n2. No extrahepatic disease in the chest.',
    });
    labPanel(b, -283, p, { ...routine(b, ROUTINE), afp: 65, afpL3: 11.5, pivka: 140 });
    taceProcedure(b, { day: -280, coding: 'legacyCpt', target: 'segments 4b and 5' });
    labPanel(b, -262, p, { ...routine(b, ROUTINE), afp: 40, pivka: 90 });
    imagingReport(b, {
      day: -235,
      code: 'ctAbdomenPelvisWContrast',
      comparison: `CT ${b.date(-300)}.`,
      findings: [
        'The treated segment IVb tumor now contains dense lipiodol with a',
        '1.2 cm nodular area of residual arterial enhancement along its',
        'lateral margin (previously 3.9 cm of enhancing tumor). The segment V',
        'satellite is fully lipio-',
        'dolized without residual enhancement. No new hepatic lesions. The',
        'portal veins are patent without thrombus.',
      ].join('\n'),
      impression: [
        '1. Partial response of the treated segment IVb HCC by mRECIST',
        '(enhancing tumor 3.9 cm, now 1.2 cm). Treatment effect TE3.',
        '2. No new hepatic lesions. No portal vein thrombus.',
      ].join('\n'),
    });
    imagingReport(b, {
      day: -235,
      code: 'ctChest',
      findings: 'Lungs are clear. No pulmonary nodules.',
      impression: '1. No extrahepatic disease.',
    });
    labPanel(b, -203, p, { ...routine(b, ROUTINE), afp: 58, afpL3: 10.9, pivka: 120 });
    taceProcedure(b, { day: -200, coding: 'ctace', target: 'segment 4b' });
    labPanel(b, -180, p, { ...routine(b, ROUTINE), afp: 75, pivka: 150 });
    const abd = imagingReport(b, {
      day: -150,
      code: 'ctAbdomenPelvisWContrast',
      comparison: `CT ${b.date(-235)}.`,
      findings: [
        'The treated segment IVb tumor shows 1.3 cm of residual arterial',
        'enhancement, stable compared with the prior exam. No new hepatic',
        'lesions. No portal vein thrombus.',
      ].join('\n'),
      impression: [
        '1. Treated segment IVb HCC, mRECIST: stable disease. LR-TR Viable.',
        '2. No new hepatic lesions.',
      ].join('\n'),
    });
    imagingReport(b, {
      day: -150,
      code: 'ctChestWContrast',
      comparison: `CT chest ${b.date(-235)}.`,
      lineEnding: 'crlf',
      findings: [
        'Lungs: There are multiple new bilateral pulmonary nodules, the',
        'largest 1.4 cm in the right lower lobe (series 2, image 88), the',
        'others measuring 4-9 mm.',
        'Pleura: No pleural effusion.',
        'Mediastinum: No mediastinal lymphadenopathy.',
      ].join('\n'),
      impression: [
        '1. Multiple new bilateral pulmonary nodules, consistent with',
        'metastases.',
        '2. No pleural effusion.',
      ].join('\n'),
      study: true,
    });
    diseaseStatus(b, -149, 'worsened', abd);
    otherCondition(b, { day: -148, code: ICD.lungMets, text: 'Pulmonary metastases from HCC' });
    labPanel(b, -135, p, { ...routine(b, ROUTINE), afp: 140, afpL3: 14.8, pivka: 260 });
    medicationRequest(b, {
      agent: 'lenvatinib',
      day: -130,
      status: 'active',
      dosage: 'Lenvatinib 8 mg orally once daily',
    });
    labPanel(b, -100, p, { ...routine(b, { ...ROUTINE, ast: 44 }), afp: 120, pivka: 230 });
    labPanel(b, -40, p, { ...routine(b, ROUTINE), afp: 98, afpL3: 12.2, pivka: 190 });
    imagingReport(b, {
      day: -45,
      code: 'ctChestWContrast',
      comparison: `CT chest ${b.date(-150)}.`,
      findings: [
        'Lungs: The pulmonary nodules have slightly decreased; the right',
        'lower lobe nodule now measures 1.1 cm.',
      ].join('\n'),
      impression: '1. Pulmonary metastases, slightly decreased on lenvatinib.',
    });
  },
};
