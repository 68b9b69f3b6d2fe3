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
  type LabProfile,
  type ScenarioDef,
} from '../factories';

const ROUTINE = {
  albumin: 3.8,
  bilirubin: 1.0,
  inr: 1.12,
  platelets: 118,
  ast: 52,
  alt: 38,
  creatinine: 0.85,
  sodium: 138,
  crp: 3.2,
};

/** AFP reported in IU/mL under 19176-7 at this site. */
const PROFILE: LabProfile = { ...EPIC_PROFILE, afp: 'afpIu' };

export const refractoryNewLesions: ScenarioDef = {
  id: 'refractory-new-lesions',
  title: 'Refractory — new intrahepatic lesions twice',
  summary:
    'HCV cirrhosis, Child-Pugh A. Three lesions before TACE #1 (day -300); CT day -255: now five lesions ' +
    '(two new in segment VI). TACE #2 day -240; MRI day -185: now seven lesions, previously five (two new in ' +
    'segments II/III). AFP reported in IU/mL (LOINC 19176-7). Expected: JSH-LCSGJ 2014 intrahepatic progression ' +
    'met (two consecutive sessions with more tumours than before the previous TACE).',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Refractory', 'Newlesions'],
      gender: 'female',
      birthDate: '1951-09-02',
      mrn: 'SYN-000102',
    });
    launchEncounter(b);
    hccCondition(b, -340, 'BCLC B');
    const p = PROFILE;

    imagingReport(b, {
      day: -320,
      code: 'ctAbdomenWoWContrast',
      history: 'Hepatitis C cirrhosis. Newly diagnosed HCC, staging.',
      findings:
        'Three arterially enhancing lesions with portal venous washout: segment VIII 3.8 cm, segment VII 2.4 cm, ' +
        'segment IVa 1.6 cm. No portal vein thrombus. No ascites. No extrahepatic disease.',
      impression:
        'Three arterially enhancing lesions, the largest 3.8 cm in segment VIII, consistent with multifocal HCC ' +
        '(LR-5). No portal vein thrombus. No extrahepatic disease.',
      study: true,
    });
    labPanel(b, -303, p, { ...routine(b, ROUTINE), afp: 145, afpL3: 15.2, pivka: 180 });
    taceProcedure(b, { day: -300, coding: 'ctace', target: 'segments 4, 7 and 8' });
    labPanel(b, -280, p, { ...routine(b, ROUTINE), afp: 120, pivka: 150 });
    imagingReport(b, {
      day: -255,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT abdomen ${b.date(-320)}.`,
      findings:
        'Treated lesions in segments VIII, VII and IVa show dense lipiodol retention with small peripheral ' +
        'enhancement. Two new arterially enhancing nodules in segment VI measuring 1.4 cm and 1.1 cm with washout. ' +
        'Now five lesions, previously three. No portal vein thrombus.',
      impression:
        'Two new arterially enhancing nodules in segment VI: now five lesions, previously three. ' +
        'Consistent with progressive disease per mRECIST (new lesions). No portal vein thrombus.',
      study: true,
    });
    labPanel(b, -243, p, { ...routine(b, ROUTINE), afp: 160, afpL3: 16.0, pivka: 205 });
    taceProcedure(b, { day: -240, coding: 'ctace', target: 'segments 6 and 8', drug: 'cisplatin' });
    labPanel(b, -220, p, { ...routine(b, { ...ROUTINE, ast: 66 }), afp: 150, pivka: 199 });
    imagingReport(b, {
      day: -185,
      code: 'mrAbdomenWoWContrast',
      comparison: `CT abdomen ${b.date(-255)}.`,
      findings:
        'Previously treated lesions in segments VIII, VII, IVa and VI are largely non-enhancing (LR-TR ' +
        'Nonviable), except a 6 mm enhancing rim at the segment VI nodule. Two new arterially enhancing ' +
        'hepatobiliary-phase hypointense nodules: segment II 1.3 cm and segment III 0.9 cm. Now seven lesions, ' +
        'previously five. Possible small new lesion in segment V, cannot exclude a perfusion anomaly. ' +
        'No portal vein thrombus.',
      impression:
        'Intrahepatic progression: two new nodules in segments II and III, now seven lesions, previously five. ' +
        'Consistent with progressive disease per mRECIST. Possible small new lesion in segment V, indeterminate. ' +
        'No portal vein thrombus. No extrahepatic disease.',
      study: true,
    });
    labPanel(b, -170, p, { ...routine(b, ROUTINE), afp: 210, afpL3: 18.4, pivka: 260 });
    labObservation(b, {
      variant: 'afpL3',
      day: -170,
      valueString: 'See comment',
      note: 'AFP too low for L3 fractionation',
    });
    labPanel(b, -60, p, { ...routine(b, ROUTINE), afp: 265, afpL3: 19.9, pivka: 310 });
    labPanel(b, -14, p, { ...routine(b, ROUTINE), afp: 290, afpL3: 21.0, pivka: 335 });
  },
};
