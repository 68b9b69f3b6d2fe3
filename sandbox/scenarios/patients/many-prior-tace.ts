import {
  EPIC_PROFILE,
  hccCondition,
  imagingReport,
  labPanel,
  launchEncounter,
  patient,
  routine,
  taceProcedure,
  type ScenarioDef,
  type TaceCoding,
} from '../factories';

const ROUTINE = {
  albumin: 3.7,
  bilirubin: 1.0,
  inr: 1.1,
  platelets: 125,
  ast: 50,
  alt: 42,
  creatinine: 0.9,
  sodium: 138,
  crp: 3.5,
};

interface Session {
  day: number;
  coding: TaceCoding;
  findings: string;
  impression: string;
  /** An addendum issued two days later that corrects the report. */
  addendum?: string;
}

/**
 * Six TACE sessions over ~3 years; the last two fail (viable > 50 %, then new lesions). The session-5 report was
 * signed with a speech-recognition error ("16%" for "60%") and corrected by an addendum two days later.
 */
const SESSIONS: Session[] = [
  {
    day: -1100,
    coding: 'legacyCpt',
    findings: 'Dense lipiodol deposition in >90% of the segment VIII tumor. Segment IV lesion decreased.',
    impression:
      'Response category (mRECIST): partial response. Two treated lesions (segments 4/8). No new hepatic lesions.',
  },
  {
    day: -920,
    coding: 'ctace',
    findings: 'Segment IV lesion now without arterial enhancement. Segment VIII rim enhancement 0.8 cm.',
    impression: 'mRECIST: partial response. Treatment effect TE3 (RECICL). No new hepatic lesions.',
  },
  {
    day: -700,
    coding: 'ctace',
    findings: 'Segment VIII residual enhancement 1.0 cm, unchanged. No new lesions.',
    impression:
      'mRECIST: partial response, stable compared with the prior study. LR-TR Equivocal at segment VIII.',
  },
  {
    day: -480,
    coding: 'debTace',
    findings: 'Segment VIII residual enhancement 1.4 cm. No new hepatic lesions.',
    impression: 'mRECIST: stable disease. LR-TR Viable segment VIII. No new hepatic lesions.',
  },
  {
    day: -260,
    coding: 'debTace',
    findings:
      'Segment VIII tumor 3.2 cm with approximately 16% residual arterial enhancement. Segment IV lesion ' +
      'nonviable. Two lesions in total. No portal vein thrombus.',
    impression:
      'Approximately 16% residual arterial enhancement of the segment VIII tumor. mRECIST: stable disease. ' +
      'No new hepatic lesions.',
    addendum:
      'Correction of a speech-recognition error in the findings and impression: the segment VIII tumor shows ' +
      'approximately 60% residual arterial enhancement (sixty percent of the lesion), not 16% as transcribed. ' +
      'This represents an insufficient response of the segment VIII tumor. The mRECIST category (stable ' +
      'disease) and the remainder of the report are unchanged.',
  },
  {
    day: -130,
    coding: 'ctace',
    findings:
      'Segment VIII tumor with about 70% viable tumor. Two new arterially enhancing nodules in segment VI ' +
      '(1.2 and 0.9 cm). Now four lesions, previously two. No portal vein thrombus.',
    impression:
      '1. Approximately 70% viable tumor at segment VIII.\n' +
      '2. Two new nodules in segment VI: now four lesions, previously two.\n' +
      '3. mRECIST: progressive disease (new lesions).',
  },
];

export const manyPriorTace: ScenarioDef = {
  id: 'many-prior-tace',
  title: 'Six prior TACE sessions, now refractory',
  summary:
    'HBV, Child-Pugh A. Six TACE sessions over ~3 years (days -1100 … -130; the first coded with legacy CPT ' +
    '37204 + 75894, a duplicate entered-in-error record at day -480). Early sessions partial response; session 5 ' +
    '(day -260) → CT ~60 % residual enhancement (signed as "16%", corrected to 60 % by an addendum two days ' +
    'later); session 6 (day -130) → MRI ~70 % viable and now four lesions, previously two. Expected: > 4 prior ' +
    'TACE flag (Hien 2024) and JSH-LCSGJ 2014 met.',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Many', 'Priortace'],
      gender: 'male',
      birthDate: '1953-02-09',
      mrn: 'SYN-000109',
    });
    launchEncounter(b);
    hccCondition(b, -1150, 'BCLC B');
    const p = EPIC_PROFILE;
    imagingReport(b, {
      day: -1130,
      code: 'ctAbdomenWoWContrast',
      comparison: `Ultrasound ${b.date(-1145)}.`,
      findings:
        '4.0 x 3.6 cm arterially enhancing mass in segment 8 (series 5, image 22) and 2.2 x 1.9 cm arterially ' +
        'enhancing mass in segment 4 (series 5, image 31). No portal vein thrombus.',
      impression: 'Two masses, segment 8 (4.0 x 3.6 cm) and segment 4 (2.2 x 1.9 cm), consistent with HCC.',
    });
    let afp = 120;
    SESSIONS.forEach((s, i) => {
      labPanel(b, s.day - 3, p, { ...routine(b, ROUTINE), afp, afpL3: 12 + i, pivka: Math.round(afp * 2.1) });
      taceProcedure(b, { day: s.day, coding: s.coding, target: i < 4 ? 'segments 4 and 8' : 'segment 8' });
      if (s.day === -480) {
        taceProcedure(b, { day: s.day, coding: s.coding, target: 'segment 8', status: 'entered-in-error' });
      }
      labPanel(b, s.day + 21, p, { ...routine(b, ROUTINE), afp: afp * (i < 3 ? 0.6 : 0.95) });
      imagingReport(b, {
        day: s.day + 45 + (i % 3) * 5,
        code: i % 2 === 0 ? 'ctAbdomenWoWContrast' : 'mrAbdomenWoWContrast',
        findings: s.findings,
        impression: s.impression,
        study: i >= 4,
        ...(s.addendum ? { addendum: { daysLater: 2, text: s.addendum } } : {}),
      });
      afp = i < 3 ? afp * 0.8 : afp * 1.3;
    });
    labPanel(b, -25, p, { ...routine(b, ROUTINE), afp, afpL3: 19, pivka: Math.round(afp * 2.1) });
  },
};
