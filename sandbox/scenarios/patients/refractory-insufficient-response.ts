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
    imagingReport(b, {
      day: -285,
      code: 'mrAbdomenWoWContrast',
      history: 'Cirrhosis, hepatitis B. Surveillance ultrasound showed a new liver mass.',
      findings:
        'Cirrhotic liver morphology. 4.6 cm arterially enhancing mass in segment VIII with washout and capsule ' +
        '(LR-5). Second 2.1 cm LR-5 observation in segment VII. No portal vein thrombus. Spleen 13.5 cm. ' +
        'No ascites.',
      impression:
        '1. Two LR-5 lesions, the largest 4.6 cm in segment VIII, consistent with hepatocellular carcinoma.\n' +
        '2. No portal vein thrombus. No extrahepatic disease in the imaged field.',
      study: true,
    });
    labPanel(b, -253, p, { ...routine(b, ROUTINE), afp: 88.5, afpL3: 12.8, pivka: 214 });
    taceProcedure(b, { day: -250, coding: 'ctace', target: 'segments 7 and 8' });
    labPanel(b, -236, p, { ...routine(b, { ...ROUTINE, ast: 62, alt: 55 }), afp: 86.0, pivka: 221 });
    imagingReport(b, {
      day: -205,
      code: 'ctAbdomenWoWContrast',
      comparison: `MRI abdomen ${b.date(-285)}.`,
      findings:
        'Segment VIII treated lesion measures 4.4 cm. Poor lipiodol accumulation (<50%) within the lesion, with ' +
        'approximately 60% residual arterial enhancement along its medial margin. Segment VII lesion 2.0 cm with ' +
        'partial lipiodol deposition. No new hepatic lesions. No portal vein thrombus.',
      impression:
        'Incomplete response of the segment VIII HCC after TACE: approximately 60% residual arterial ' +
        'enhancement, poor lipiodol accumulation (<50%). mRECIST: stable disease. No new hepatic lesions. ' +
        'No portal vein thrombus.',
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
      findings:
        'Segment VIII lesion 4.5 cm with persistent arterial phase hyperenhancement and washout involving about ' +
        '70% of the lesion; central non-enhancing necrotic component. Segment VII lesion stable at 2.0 cm. No new ' +
        'hepatic lesions. Patent portal veins, no portal vein thrombus.',
      impression:
        'LR-TR Viable segment VIII HCC with viable tumour approximately 70% of the lesion after DEB-TACE. ' +
        'mRECIST: stable disease. No new hepatic lesions. No portal vein thrombus.',
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
