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
    // Tabulated observations with series/image numbers and LI-RADS categories, numbered impression, BCLC stage.
    const mr = imagingReport(b, {
      day: -35,
      code: 'mrAbdomenWoWContrast',
      history: 'Cirrhosis, rising AFP. Characterize liver lesions.',
      findings: [
        'LIVER: Cirrhotic morphology. Six arterial phase hyperenhancing observations with',
        'nonperipheral washout, distributed in both lobes:',
        '  #1  Segment VII   5.5 cm  (series 1102, image 34)  LR-5',
        '  #2  Segment VIII  3.2 cm  (series 1102, image 21)  LR-5',
        '  #3  Segment VI    2.6 cm  (series 1102, image 52)  LR-5',
        '  #4  Segment IVa   2.0 cm  (series 1102, image 18)  LR-5',
        '  #5  Segment III   1.7 cm  (series 1102, image 40)  LR-5',
        '  #6  Segment II    1.2 cm  (series 1102, image 25)  LR-5',
        'No LR-4 or LR-M observations.',
        'VASCULATURE: Portal and hepatic veins patent; no tumor in vein.',
        'OTHER: No ascites.',
      ].join('\n'),
      impression: [
        '1. Multifocal bilobar HCC: six LR-5 observations, the largest 5.5 cm in segment VII (#1).',
        '2. No tumor in vein; no portal vein thrombus.',
        '3. No extrahepatic disease in the imaged field. BCLC stage B.',
      ].join('\n'),
      study: true,
    });
    tumorSize(b, -35, 5.5, mr);
    imagingReport(b, {
      day: -33,
      code: 'ctChestWContrast',
      history: 'HCC staging.',
      findings:
        'Lungs clear; no pulmonary nodules or masses. No thoracic lymphadenopathy. No osseous lesions.',
      impression: 'No evidence of extrahepatic disease in the chest.',
    });
    labPanel(b, -30, p, { ...routine(b, ROUTINE), afp: 250, afpL3: 18.0, pivka: 410 });
    labPanel(b, -8, p, { ...routine(b, ROUTINE), afp: 268, afpL3: 18.5, pivka: 445 });
  },
};
