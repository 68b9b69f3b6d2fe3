import {
  EPIC_PROFILE,
  diseaseStatus,
  hccCondition,
  imagingReport,
  labPanel,
  launchEncounter,
  patient,
  routine,
  taceProcedure,
  type LabProfile,
  type ScenarioDef,
} from '../factories';

const ROUTINE = {
  albumin: 3.7,
  bilirubin: 1.1,
  inr: 1.15,
  platelets: 110,
  ast: 55,
  alt: 44,
  creatinine: 0.95,
  sodium: 137,
  crp: 4.1,
};

/** AFP under the immunoassay code 83073-7 at this site. */
const PROFILE: LabProfile = { ...EPIC_PROFILE, afp: 'afpNgIa' };

/** Most recent TACE day and marker series around it (exact values: the story depends on them). */
export const MARKER_RISE = {
  taceDay: -90,
  baselineDay: -95,
  afp: {
    baseline: 420,
    post: [
      { day: -83, value: 395 },
      { day: -69, value: 470 },
      { day: -55, value: 540 },
      { day: -40, value: 610 },
    ],
  },
  pivka: {
    baseline: 850,
    post: [
      { day: -83, value: 790 },
      { day: -69, value: 930 },
      { day: -55, value: 1100 },
      { day: -40, value: 1320 },
    ],
  },
  afpL3: {
    baseline: 18.2,
    post: [
      { day: -83, value: 17.6 },
      { day: -69, value: 20.5 },
      { day: -55, value: 22.8 },
      { day: -40, value: 24.9 },
    ],
  },
} as const;

export const refractoryMarkerRise: ScenarioDef = {
  id: 'refractory-marker-rise',
  title: 'Refractory — tumour markers keep rising after TACE',
  summary:
    'NASH cirrhosis, Child-Pugh A. TACE #1 day -260 (partial response). TACE #2 day -90: baseline AFP 420 ng/mL ' +
    '(day -95), PIVKA-II 850 mAU/mL; after TACE a slight transient dip (AFP 395, -6 %; PIVKA-II 790, -7 %) then a ' +
    'continuous rise to AFP 610 (+45 %) and PIVKA-II 1320 (+55 %) by day -40. CT day -45: mRECIST stable disease. ' +
    'Expected: tumour-marker-elevation item met.',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Refractory', 'Markerrise'],
      gender: 'male',
      birthDate: '1959-12-21',
      mrn: 'SYN-000103',
    });
    launchEncounter(b);
    hccCondition(b, -320, 'BCLC B');
    const p = PROFILE;

    // Terse narrative (community practice): short sentences, S-notation, abbreviations a radiologist reads at once.
    imagingReport(b, {
      day: -300,
      code: 'ctAbdomenWoWContrast',
      findings:
        'Cirrhotic liver. 4.0 cm arterially enhancing mass in S5 with washout. 2.8 cm arterially enhancing mass ' +
        'in S6 with washout. Portal veins patent. No adenopathy. No ascites.',
      impression: 'Two HCCs: S5 4.0 cm, S6 2.8 cm. Both LR-5. No PVT. No extrahepatic disease.',
    });
    labPanel(b, -263, p, { ...routine(b, ROUTINE), afp: 380, afpL3: 17.0, pivka: 760 });
    taceProcedure(b, { day: -260, coding: 'ctace', target: 'segments 5 and 6' });
    labPanel(b, -240, p, { ...routine(b, ROUTINE), afp: 210, afpL3: 14.1, pivka: 420 });
    const ct1 = imagingReport(b, {
      day: -215,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT ${b.date(-300)}.`,
      findings:
        'S5 mass: dense lipiodol, >90% of the tumor. S6 mass: now 1.6 cm residual enhancement. No new lesions. ' +
        'No PVT.',
      impression: 'Partial response (mRECIST). Dense lipiodol in >90% of the S5 tumor. No new lesions.',
      study: true,
    });
    diseaseStatus(b, -214, 'improved', ct1);
    labPanel(b, -180, p, { ...routine(b, ROUTINE), afp: 260, afpL3: 15.0, pivka: 540 });
    labPanel(b, -130, p, { ...routine(b, ROUTINE), afp: 350, afpL3: 16.9, pivka: 700 });

    const m = MARKER_RISE;
    labPanel(b, m.baselineDay, p, {
      ...routine(b, ROUTINE),
      afp: m.afp.baseline,
      afpL3: m.afpL3.baseline,
      pivka: m.pivka.baseline,
    });
    taceProcedure(b, { day: m.taceDay, coding: 'ctace', target: 'segments 5 and 6' });
    m.afp.post.forEach((afp, i) => {
      const pivka = m.pivka.post[i];
      const l3 = m.afpL3.post[i];
      labPanel(b, afp.day, p, {
        ...(i % 2 === 0 ? routine(b, ROUTINE) : {}),
        afp: afp.value,
        ...(pivka ? { pivka: pivka.value } : {}),
        ...(l3 ? { afpL3: l3.value } : {}),
      });
    });
    const ct2 = imagingReport(b, {
      day: -45,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT ${b.date(-215)}.`,
      findings:
        'S5 mass: dense lipiodol, ~70% necrosis, thin rim of residual enhancement. S6: 1.7 cm residual ' +
        'enhancement, unchanged. No new lesions. No PVT. No extrahepatic disease.',
      impression: 'Stable disease (mRECIST). ~70% necrosis of the S5 tumor. No new lesions. No PVT.',
      study: true,
    });
    diseaseStatus(b, -44, 'stable', ct2);
  },
};
