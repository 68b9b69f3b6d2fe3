import {
  EPIC_PROFILE,
  hccCondition,
  imagingReport,
  labObservation,
  labPanel,
  launchEncounter,
  patient,
  routine,
  taceProcedure,
  type ScenarioDef,
} from '../factories';

const ROUTINE = {
  albumin: 3.9,
  bilirubin: 0.9,
  inr: 1.1,
  platelets: 135,
  ast: 48,
  alt: 41,
  creatinine: 0.9,
  sodium: 139,
  crp: 2.4,
};

export const refractoryInsufficientResponse: ScenarioDef = {
  id: 'refractory-insufficient-response',
  title: 'Refractory — insufficient response twice',
  summary:
    'HBV cirrhosis, Child-Pugh A. Conventional TACE (day -250) followed 45 days later by CT with ~60 % residual ' +
    'arterial enhancement and poor lipiodol accumulation; DEB-TACE after drug change (day -190) followed 50 days ' +
    'later by MRI with ~70 % viable tumour (LR-TR Viable). AFP ~85-95 ng/mL and PIVKA-II ~210-240 mAU/mL roughly ' +
    'flat. Expected: JSH-LCSGJ 2014 insufficient response met (two consecutive sessions, viable > 50 %).',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Refractory', 'Insufficient'],
      gender: 'male',
      birthDate: '1956-03-14',
      mrn: 'SYN-000101',
    });
    launchEncounter(b);
    hccCondition(b, -300, 'BCLC B');
    const p = EPIC_PROFILE;

    labPanel(b, -298, p, { ...routine(b, ROUTINE), afp: 84.2, afpL3: 12.1, pivka: 205 });
    // Structured LI-RADS v2018 template (US academic department): one "Field: value" line per item.
    imagingReport(b, {
      day: -285,
      code: 'mrAbdomenWoWContrast',
      history: 'Cirrhosis, hepatitis B. Surveillance ultrasound showed a new liver mass.',
      findings: [
        'LIVER',
        'Morphology: Cirrhotic (nodular surface contour, caudate hypertrophy).',
        'Steatosis: None.',
        'Iron overload: None.',
        '',
        'LI-RADS OBSERVATIONS (v2018)',
        'Number of observations: 2',
        'Observation 1',
        '  Segment: 8',
        '  Size: 4.6 cm (series 11, image 58)',
        '  Arterial phase hyperenhancement: Nonrim',
        '  Nonperipheral washout: Present',
        '  Enhancing capsule: Present',
        '  Threshold growth: Not assessable (no prior cross-sectional imaging)',
        '  LI-RADS category: LR-5',
        'Observation 2',
        '  Segment: 7',
        '  Size: 2.1 cm (series 11, image 41)',
        '  Arterial phase hyperenhancement: Nonrim',
        '  Nonperipheral washout: Present',
        '  Enhancing capsule: Absent',
        '  LI-RADS category: LR-5',
        '',
        'VASCULATURE',
        'Tumor in vein: Absent',
        'Portal vein: Patent',
        'Hepatic veins: Patent',
        '',
        'OTHER',
        'Spleen: 13.5 cm',
        'Ascites: None',
        'Lymph nodes: Not enlarged',
        'Extrahepatic disease: None in the imaged field',
      ].join('\n'),
      impression: [
        '1. Two LR-5 observations, consistent with hepatocellular carcinoma: segment 8, 4.6 cm, and segment 7, ' +
          '2.1 cm.',
        '2. Tumor in vein: absent. Extrahepatic disease: none in the imaged field.',
      ].join('\n'),
      study: true,
    });
    labPanel(b, -253, p, { ...routine(b, ROUTINE), afp: 88.5, afpL3: 12.8, pivka: 214 });
    taceProcedure(b, { day: -250, coding: 'ctace', target: 'segments 7 and 8' });
    labPanel(b, -236, p, { ...routine(b, { ...ROUTINE, ast: 62, alt: 55 }), afp: 86.0, pivka: 221 });
    imagingReport(b, {
      day: -205,
      code: 'ctAbdomenWoWContrast',
      comparison: `MRI abdomen ${b.date(-285)}.`,
      findings: [
        'LI-RADS TREATMENT RESPONSE (v2018)',
        `Treatment: Conventional TACE (lipiodol), segments 7 and 8, ${b.date(-250)}`,
        'Treated observation 1',
        '  Segment: 8',
        '  Size: 4.4 cm (previously 4.6 cm)',
        '  Lipiodol deposition: Poor, less than 50% of the lesion',
        '  Viable tumor: Nodular arterial phase hyperenhancement along the medial margin, approximately 60% of ' +
          'the lesion',
        '  LR-TR category: Viable',
        'Treated observation 2',
        '  Segment: 7',
        '  Size: 2.0 cm (previously 2.1 cm)',
        '  Lipiodol deposition: Partial',
        'New observations: None',
        'Tumor in vein: Absent',
        'Portal vein: Patent',
      ].join('\n'),
      impression: [
        '1. Segment 8 HCC after conventional TACE: LR-TR Viable, with approximately 60% viable tumor (residual ' +
          'arterial enhancement) and poor lipiodol deposition (<50%). mRECIST: stable disease.',
        '2. Segment 7 treated observation: 2.0 cm, partial lipiodol deposition.',
        '3. New observations: none. Tumor in vein: absent.',
      ].join('\n'),
      study: true,
    });
    labPanel(b, -193, p, { ...routine(b, ROUTINE), afp: 91.3, afpL3: 13.0, pivka: 226 });
    taceProcedure(b, {
      day: -190,
      coding: 'debTace',
      target: 'segment 8 (re-selected feeding artery)',
      note: 'Drug changed to DEB-TACE after incomplete response to conventional TACE.',
    });
    labPanel(b, -176, p, {
      ...routine(b, { ...ROUTINE, ast: 70, alt: 58, crp: 9.5 }),
      afp: 89.9,
      pivka: 231,
    });
    imagingReport(b, {
      day: -140,
      code: 'mrAbdomenWoWContrast',
      comparison: `CT abdomen ${b.date(-205)}.`,
      findings: [
        'LI-RADS TREATMENT RESPONSE (v2018)',
        `Treatment: DEB-TACE, segment 8 (re-selected feeding artery), ${b.date(-190)}`,
        'Treated observation 1',
        '  Segment: 8',
        '  Size: 4.5 cm (previously 4.4 cm)',
        '  Viable tumor: Arterial phase hyperenhancement with washout involving approximately 70% of the lesion; ' +
          'central nonenhancing necrosis',
        '  LR-TR category: Viable',
        'Treated observation 2',
        '  Segment: 7',
        '  Size: 2.0 cm, stable',
        'New observations: None',
        'Tumor in vein: Absent',
        'Portal vein: Patent',
        'Extrahepatic disease: None in the imaged field',
      ].join('\n'),
      impression: [
        '1. Segment 8 HCC after DEB-TACE: LR-TR Viable, viable tumor approximately 70% of the lesion. ' +
          'mRECIST: stable disease.',
        '2. New observations: none. Tumor in vein: absent.',
      ].join('\n'),
      study: true,
    });
    labPanel(b, -100, p, { ...routine(b, ROUTINE), afp: 93.6, afpL3: 13.4, pivka: 238 });
    // A few lab-system realities: an amended value, an entered-in-error spike, a cancelled draw.
    labObservation(b, { variant: 'afpNg', day: -100, value: 98500, status: 'entered-in-error' });
    labObservation(b, {
      variant: 'crp',
      day: -100,
      value: 3.1,
      status: 'amended',
      note: 'Result amended: recalibrated',
    });
    labObservation(b, { variant: 'na', day: -60, status: 'cancelled', note: 'Specimen not received' });
    labPanel(b, -30, p, { ...routine(b, ROUTINE), afp: 92.0, afpL3: 13.1, pivka: 235 });
  },
};
