import {
  EPIC_PROFILE,
  ICD,
  diseaseStatus,
  hccCondition,
  imagingReport,
  labPanel,
  launchEncounter,
  millenniumLocalAfp,
  otherCondition,
  patient,
  procedure,
  routine,
  taceProcedure,
  type LabProfile,
  type ScenarioDef,
} from '../factories';

const ROUTINE = {
  albumin: 3.8,
  bilirubin: 0.9,
  inr: 1.08,
  platelets: 160,
  ast: 45,
  alt: 39,
  creatinine: 0.8,
  sodium: 140,
  crp: 2.0,
};

/**
 * Oracle-Health-like site: albumin g/L (61151-7), bilirubin µmol/L (14631-6), PIVKA-II as DCP in ng/mL (34444-0,
 * the only patient with the ng/mL family), plus one AFP coded only with a local Millennium code.
 */
const PROFILE: LabProfile = { ...EPIC_PROFILE, albumin: 'albGl', bilirubin: 'biliUmol', pivka: 'pivkaNg' };

export const vascularInvasion: ScenarioDef = {
  id: 'vascular-invasion',
  title: 'Refractory — portal vein tumour thrombus after TACE',
  summary:
    'Alcohol-related cirrhosis, Child-Pugh A. TACE #1 day -240 (CT day -195: partial response, no portal vein ' +
    'thrombus). TACE #2 day -150; CT day -100: enhancing tumour thrombus in the right portal vein (Vp3), mRECIST ' +
    'progressive disease; I81 condition recorded. Oracle-Health flavour: g/L albumin, µmol/L bilirubin, DCP in ' +
    'ng/mL, one AFP with only a Millennium code, one text-only procedure. Expected: vascular-invasion item met.',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Vascular', 'Invasion'],
      gender: 'male',
      birthDate: '1962-05-30',
      mrn: 'SYN-000104',
    });
    launchEncounter(b);
    hccCondition(b, -280, 'BCLC B');
    const p = PROFILE;

    // Oncology-imaging-core style: mRECIST target-lesion table with sums and percentage change, LCSGJ Vp grade.
    imagingReport(b, {
      day: -262,
      code: 'ctAbdomenWoWContrast',
      history: 'HCC, pre-treatment baseline for mRECIST.',
      findings: [
        'Two arterially enhancing lesions with portal venous washout (LR-5).',
        'mRECIST BASELINE - TARGET LESIONS (longest viable diameter, late arterial phase):',
        '  Target lesion 1 (segment VII): 5.1 cm (series 3, image 28)',
        '  Target lesion 2 (segment VI): 1.8 cm (series 3, image 47)',
        '  Sum of viable diameters: 6.9 cm',
        'Non-target lesions: none.',
        'Portal veins patent, no tumor thrombus (Vp0). Hepatic veins patent.',
        'No extrahepatic disease.',
      ].join('\n'),
      impression:
        'Two LR-5 target lesions, the largest 5.1 cm in segment VII; sum of viable diameters 6.9 cm. ' +
        'No portal vein thrombus. No extrahepatic disease.',
      study: true,
    });
    labPanel(b, -243, p, { ...routine(b, ROUTINE), afp: 240, afpL3: 21.0, pivka: 35.2 });
    taceProcedure(b, { day: -240, coding: 'ctace', target: 'segments 6 and 7' });
    labPanel(b, -225, p, { ...routine(b, ROUTINE), afp: 150, pivka: 21.4 });
    const ct1 = imagingReport(b, {
      day: -195,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT abdomen ${b.date(-262)} (mRECIST baseline).`,
      findings: [
        `mRECIST - TARGET LESIONS (baseline ${b.date(-262)} → current):`,
        '  Target lesion 1 (segment VII): 5.1 cm → 2.4 cm viable (lipiodol deposition in about 80% of the lesion)',
        '  Target lesion 2 (segment VI): 1.8 cm → 0 cm viable (completely lipiodolized)',
        '  Sum of viable diameters: 6.9 cm → 2.4 cm (decreased by 65 %)',
        'New lesions: none.',
        'Portal veins patent, no tumor thrombus.',
      ].join('\n'),
      impression:
        'Response category (mRECIST): partial response (sum of viable diameters decreased by 65 %). ' +
        'No new hepatic lesions. No portal vein thrombus.',
      study: true,
    });
    diseaseStatus(b, -194, 'improved', ct1);
    millenniumLocalAfp(b, -175, 96.4);
    labPanel(b, -153, p, { ...routine(b, ROUTINE), afp: 110, afpL3: 16.5, pivka: 18.9 });
    taceProcedure(b, { day: -150, coding: 'cptOnly', target: 'segment 7' });
    // Oracle Health flavour: a procedure documented with text only (no codes at all).
    procedure(b, {
      day: -150,
      code: { text: 'Hepatic angiogram, selective right hepatic artery' },
      bodySiteText: 'Right hepatic artery',
    });
    labPanel(b, -130, p, { ...routine(b, { ...ROUTINE, bilirubin: 1.2 }), afp: 310, pivka: 48.0 });
    const ct2 = imagingReport(b, {
      day: -100,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT abdomen ${b.date(-195)} (nadir).`,
      findings: [
        `mRECIST - TARGET LESIONS (nadir ${b.date(-195)} → current):`,
        '  Target lesion 1 (segment VII): 2.4 cm → 4.3 cm viable (enlarging arterially enhancing tissue)',
        '  Target lesion 2 (segment VI): 0 cm → 0 cm viable',
        '  Sum of viable diameters: 2.4 cm → 4.3 cm (increased by 79 % from nadir)',
        'Non-target lesions: expansile enhancing tumor thrombus in the right portal vein extending to the portal ' +
          'bifurcation (Vp3, first-order branch), new. Left portal vein patent.',
        'New lesions: no new intrahepatic lesions. No extrahepatic disease.',
      ].join('\n'),
      impression: [
        '1. Enhancing tumor thrombus in the right portal vein (Vp3), new since the prior examination.',
        '2. Modified RECIST: PD (sum of viable diameters increased by 79 % from nadir; new tumor in vein).',
      ].join('\n'),
      study: true,
    });
    diseaseStatus(b, -99, 'worsened', ct2);
    otherCondition(b, {
      day: -98,
      code: ICD.pvt,
      text: 'Portal vein tumor thrombus, right portal vein (Vp3)',
      category: 'encounter-diagnosis',
    });
    labPanel(b, -96, p, {
      ...routine(b, { ...ROUTINE, bilirubin: 1.3, albumin: 3.5 }),
      afp: 520,
      afpL3: 28.0,
      pivka: 96.5,
    });
    labPanel(b, -20, p, {
      ...routine(b, { ...ROUTINE, bilirubin: 1.4, albumin: 3.4 }),
      afp: 880,
      afpL3: 31.0,
      pivka: 150,
    });
  },
};
