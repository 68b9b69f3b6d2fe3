import {
  EPIC_PROFILE,
  hccCondition,
  imagingReport,
  labObservation,
  labPanel,
  launchEncounter,
  patient,
  taceProcedure,
  type ScenarioDef,
} from '../factories';

export const insufficientData: ScenarioDef = {
  id: 'insufficient-data',
  title: 'Insufficient data — TACE without response imaging',
  summary:
    'TACE #1 day -400 (text-only coding), TACE #2 day -200 (conventional). Only imaging: a CT 15 days after ' +
    'TACE #1 and a CT 110 days after TACE #2 (both outside the 28-95 day window); a TACE planned for day -60 was ' +
    'not done. Labs sparse (AFP at -410 and -30, one AFP with dataAbsentReason, no PIVKA-II). Expected: ' +
    'criteria indeterminate with the missing items named.',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Insufficient', 'Data'],
      gender: 'male',
      birthDate: '1949-11-08',
      mrn: 'SYN-000107',
    });
    launchEncounter(b);
    hccCondition(b, -430);
    const p = EPIC_PROFILE;

    labPanel(b, -410, p, { afp: 35.5, albumin: 3.9, bilirubin: 1.0 });
    taceProcedure(b, { day: -400, coding: 'textOnly', target: 'segment 8' });
    imagingReport(b, {
      day: -385,
      code: 'ctAbdomenWoWContrast',
      form: 'none',
      findings: 'Early post-procedural CT.',
      impression:
        'Early post-TACE CT (day 15): lipiodol deposition in the S8 lesion. Too early for response assessment; ' +
        'dynamic CT or MRI recommended 4-6 weeks after TACE.',
    });
    labPanel(b, -205, p, { albumin: 3.8, bilirubin: 1.1, inr: 1.1, platelets: 140 });
    taceProcedure(b, { day: -200, coding: 'ctace', target: 'segment 8' });
    labObservation(b, { variant: 'afpNg', day: -150, dataAbsent: 'error', note: 'Specimen hemolyzed' });
    imagingReport(b, {
      day: -90,
      code: 'ctAbdomenWoWContrast',
      findings:
        'S8 treated lesion with lipiodol. Small area of possible residual arterial enhancement at its margin, ' +
        'indeterminate.',
      impression:
        'LR-TR Equivocal at the S8 treated lesion: residual enhancement indeterminate. Short-interval MRI ' +
        'suggested.',
    });
    taceProcedure(b, {
      day: -60,
      coding: 'ctace',
      target: 'segment 8',
      status: 'not-done',
      statusReasonText: 'Postponed: patient admitted with pneumonia',
    });
    labPanel(b, -30, p, { afp: 41.0 });
  },
};
