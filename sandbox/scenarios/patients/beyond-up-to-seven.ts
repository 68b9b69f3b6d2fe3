import {
  EPIC_PROFILE,
  hccCondition,
  imagingReport,
  labPanel,
  launchEncounter,
  patient,
  routine,
  tumorSize,
  type ScenarioDef,
} from '../factories';

const ROUTINE = {
  albumin: 3.9,
  bilirubin: 0.9,
  inr: 1.1,
  platelets: 150,
  ast: 40,
  alt: 36,
  creatinine: 0.85,
  sodium: 139,
  crp: 2.5,
};

export const beyondUpToSeven: ScenarioDef = {
  id: 'beyond-up-to-seven',
  title: 'TACE-naive, beyond up-to-seven',
  summary:
    'Newly diagnosed HCC, TACE-naive, Child-Pugh A (albumin 3.9 g/dL, bilirubin 0.9 mg/dL, INR 1.1, no ascites). ' +
    'MRI day -35: six lesions, largest 5.5 cm (5.5 + 6 = 11.5 > 7: beyond up-to-seven, and beyond up-to-11), ' +
    'bilobar; no vascular invasion, no extrahepatic disease (CT chest day -33). ' +
    'AFP 250 ng/mL. Expected: TACE unsuitability (beyond up-to-seven).',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Beyond', 'Uptoseven'],
      gender: 'female',
      birthDate: '1961-06-03',
      mrn: 'SYN-000110',
    });
    launchEncounter(b);
    hccCondition(b, -40, 'BCLC B');
    const p = EPIC_PROFILE;
    const mr = imagingReport(b, {
      day: -35,
      code: 'mrAbdomenWoWContrast',
      history: 'Cirrhosis, rising AFP. Characterize liver lesions.',
      findings:
        'Six arterially enhancing lesions with washout in both lobes: segment VII 5.5 cm, segment VIII 3.2 cm, ' +
        'segment VI 2.6 cm, segment IVa 2.0 cm, segment III 1.7 cm and segment II 1.2 cm. All LR-5. Portal and ' +
        'hepatic veins patent; no portal vein thrombus. No ascites.',
      impression:
        'Multifocal bilobar HCC: six lesions, the largest 5.5 cm in segment VII. No portal vein thrombus. ' +
        'No extrahepatic disease in the imaged field.',
      study: true,
    });
    tumorSize(b, -35, 5.5, mr);
    imagingReport(b, {
      day: -33,
      code: 'ctChestWContrast',
      history: 'HCC staging.',
      findings: 'Lungs clear. No pulmonary nodules. No lymphadenopathy. No osseous lesions.',
      impression: 'No extrahepatic disease.',
    });
    labPanel(b, -30, p, { ...routine(b, ROUTINE), afp: 250, afpL3: 18.0, pivka: 410 });
    labPanel(b, -8, p, { ...routine(b, ROUTINE), afp: 268, afpL3: 18.5, pivka: 445 });
  },
};
