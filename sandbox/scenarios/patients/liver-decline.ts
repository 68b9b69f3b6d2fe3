import {
  EPIC_PROFILE,
  ICD,
  hccCondition,
  imagingReport,
  labPanel,
  launchEncounter,
  otherCondition,
  patient,
  taceProcedure,
  type ScenarioDef,
} from '../factories';

/**
 * Pre-TACE liver function at the three sessions (exact values; tests recompute ALBI from them).
 * ALBI = 0.66·log10(bili µmol/L) − 0.085·alb g/L (Johnson 2015; clinical-reference.md §3):
 *   0.7 mg/dL, 4.2 g/dL → −2.86 (grade 1); 1.5, 3.3 → −1.88 (grade 2b); 2.6, 2.7 → −1.21 (grade 3).
 * Child-Pugh: 5 (A) → 6 (A) → 9 (B; bilirubin 2, albumin 3, INR 1, mild ascites 2, no encephalopathy 1).
 */
export const LIVER_DECLINE_POINTS = [
  { taceDay: -330, labDay: -333, albumin: 4.2, bilirubin: 0.7, inr: 1.05 },
  { taceDay: -210, labDay: -213, albumin: 3.3, bilirubin: 1.5, inr: 1.3 },
  { taceDay: -90, labDay: -93, albumin: 2.7, bilirubin: 2.6, inr: 1.6 },
] as const;

export const liverDecline: ScenarioDef = {
  id: 'liver-decline',
  title: 'Liver function decline across repeated TACE',
  summary:
    'Alcohol-related cirrhosis. Three TACE sessions (days -330, -210, -90) with pre-TACE albumin 4.2 → 3.3 → ' +
    '2.7 g/dL, bilirubin 0.7 → 1.5 → 2.6 mg/dL, INR 1.05 → 1.30 → 1.60: ALBI grade 1 → 2b → 3, Child-Pugh A5 → ' +
    'A6 → B9 (mild ascites recorded day -100). Tumour response partial then stable. Expected: liver-function ' +
    'decline flag; TACE unsuitability by mALBI 2b before the second session.',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Liver', 'Decline'],
      gender: 'male',
      birthDate: '1954-04-17',
      mrn: 'SYN-000108',
    });
    launchEncounter(b);
    hccCondition(b, -360, 'BCLC B');
    otherCondition(b, { day: -2000, code: ICD.cirrhosis, text: 'Alcohol-related cirrhosis' });
    const p = EPIC_PROFILE;
    const [s1, s2, s3] = LIVER_DECLINE_POINTS;
    const other = (ast: number, plt: number, crp: number) => ({
      platelets: plt,
      ast,
      alt: ast * 0.8,
      creatinine: 0.9,
      sodium: 137,
      crp,
      afp: 45,
      pivka: 120,
    });

    // Hepatology-unit style: "segments 6/7", one "Response category (mRECIST)" line per follow-up with the change
    // in the sum of viable diameters, ascites graded in every report.
    imagingReport(b, {
      day: -345,
      code: 'ctAbdomenWoWContrast',
      findings:
        'Three arterially enhancing lesions with washout confined to the right lobe (segments 6/7), the largest ' +
        '3.5 cm in segment VI. Portal veins patent. No ascites.',
      impression:
        'Multifocal HCC: three lesions in segments 6/7, the largest 3.5 cm (segment VI). No portal vein thrombus. ' +
        'No ascites.',
    });
    labPanel(b, s1.labDay, p, {
      albumin: s1.albumin,
      bilirubin: s1.bilirubin,
      inr: s1.inr,
      ...other(42, 150, 2.1),
    });
    taceProcedure(b, { day: s1.taceDay, coding: 'ctace', target: 'segments 6 and 7' });
    imagingReport(b, {
      day: s1.taceDay + 42,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT ${b.date(-345)}.`,
      findings:
        'Segment VI tumor: dense lipiodol deposition in >90% of the lesion. Segment VII: small residual ' +
        'enhancement. No new lesions. No ascites.',
      impression:
        'Response category (mRECIST): partial response; sum of viable diameters decreased by 45 %. ' +
        'No new hepatic lesions. Ascites: none.',
    });
    labPanel(b, s2.labDay, p, {
      albumin: s2.albumin,
      bilirubin: s2.bilirubin,
      inr: s2.inr,
      ...other(58, 120, 4.0),
    });
    taceProcedure(b, { day: s2.taceDay, coding: 'ctace', target: 'segment 7' });
    imagingReport(b, {
      day: s2.taceDay + 45,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT ${b.date(s1.taceDay + 42)}.`,
      findings:
        'Treated lesions stable. Segment VII lesion: approximately 30% residual enhancement. Trace ascites.',
      impression:
        'Response category (mRECIST): stable disease; sum of viable diameters increased by 8 % compared with ' +
        'the nadir. No new hepatic lesions. Ascites: trace, perihepatic.',
    });
    otherCondition(b, {
      day: -100,
      code: ICD.otherAscites,
      text: 'Ascites, mild',
      category: 'encounter-diagnosis',
    });
    labPanel(b, s3.labDay, p, {
      albumin: s3.albumin,
      bilirubin: s3.bilirubin,
      inr: s3.inr,
      ...other(71, 95, 6.5),
    });
    taceProcedure(b, { day: s3.taceDay, coding: 'ctace', target: 'segment 7 (superselective)' });
    imagingReport(b, {
      day: s3.taceDay + 44,
      code: 'ctAbdomenWoWContrast',
      comparison: `CT ${b.date(s2.taceDay + 45)}.`,
      findings: 'Treated lesions without significant change. Mild ascites.',
      impression:
        'Response category (mRECIST): stable; sum of viable diameters unchanged (+3 %). Ascites: mild, increased.',
    });
    labPanel(b, -20, p, { albumin: 2.6, bilirubin: 2.9, inr: 1.65, ...other(75, 90, 7.0) });
  },
};
