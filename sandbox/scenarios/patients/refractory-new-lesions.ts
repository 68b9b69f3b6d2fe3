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

    // Japanese department style: Couinaud "S" notation, sizes in mm with series/image numbers, Vp/Vv grades,
    // LCSGJ / BCLC stage in the impression.
    imagingReport(b, {
      day: -320,
      code: 'ctAbdomenWoWContrast',
      history: 'Hepatitis C cirrhosis. Newly diagnosed HCC, staging.',
      findings:
        'Liver: cirrhotic morphology.\n' +
        'Three hypervascular nodules with early enhancement and washout in the portal venous/equilibrium phase:\n' +
        '  S8 38 mm (se 4, im 52)\n' +
        '  S7 24 mm (se 4, im 41)\n' +
        '  S4 16 mm (se 4, im 30)\n' +
        'Portal vein: no tumor thrombus (Vp0). Hepatic veins: no tumor thrombus (Vv0).\n' +
        'No ascites. No lymph node swelling. No extrahepatic metastasis in the scanned range.',
      impression:
        'Multiple HCC (3 nodules; maximum 38 mm in S8), LR-5. No portal vein thrombus (Vp0). ' +
        'No extrahepatic metastasis. LCSGJ stage III (T3N0M0), BCLC stage B.',
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
        `Post-TACE dynamic CT (cTACE ${b.date(-300)}: S4, S7, S8).\n` +
        'Treated nodules in S8, S7 and S4: dense lipiodol accumulation with small peripheral early enhancement.\n' +
        'New intrahepatic lesions: 2 hypervascular nodules with washout in S6, 14 mm (se 4, im 63) and 11 mm ' +
        '(se 4, im 70).\n' +
        'Tumor count: 5 (before TACE: 3).\n' +
        'Portal vein: no tumor thrombus (Vp0).',
      impression:
        '1. Intrahepatic recurrence: two new nodules in S6 (14 mm, 11 mm). Tumor count 5, previously 3.\n' +
        '2. mRECIST: PD (new lesions).\n' +
        '3. No portal vein thrombus (Vp0).',
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
        `EOB-MRI after cTACE ${b.date(-240)} (S6, S8; cisplatin).\n` +
        'Treated nodules in S8, S7, S4 and S6: largely without early enhancement (LR-TR Nonviable), except a ' +
        '6 mm enhancing rim at the S6 nodule.\n' +
        'New intrahepatic lesions: 2 nodules with arterial enhancement and hepatobiliary-phase hypointensity, ' +
        'S2 13 mm (se 11, im 22) and S3 9 mm (se 11, im 31).\n' +
        'Tumor count: 7 (previously 5).\n' +
        'S5: a small hepatobiliary-phase hypointense focus, possible new lesion; a perfusion anomaly cannot be ' +
        'excluded.\n' +
        'Portal vein: no tumor thrombus (Vp0).',
      impression:
        '1. Intrahepatic progression: two new nodules in S2 and S3 (13 mm, 9 mm). Tumor count 7, previously 5. ' +
        'mRECIST: PD.\n' +
        '2. S5 focus, indeterminate (possible new lesion versus perfusion anomaly); follow-up.\n' +
        '3. No portal vein thrombus (Vp0). No extrahepatic metastasis.',
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
