import {
  EPIC_PROFILE,
  diseaseStatus,
  hccCondition,
  imagingReport,
  labObservation,
  labPanel,
  launchEncounter,
  medicationRequest,
  patient,
  routine,
  taceProcedure,
  type LabValue,
  type ScenarioDef,
} from '../factories';

const ROUTINE = {
  albumin: 4.1,
  bilirubin: 0.7,
  inr: 1.02,
  platelets: 185,
  ast: 30,
  alt: 27,
  creatinine: 0.8,
  sodium: 141,
  crp: 1.2,
};

const lt = (value: number): LabValue => ({ value, comparator: '<' });

/**
 * ADVERSARIAL fixture: an HTML report carrying a <script> element and an onerror handler. The app must sanitise
 * it (DOMPurify) and never execute it; the clinical content is an ordinary CR follow-up.
 */
const ADVERSARIAL_HTML =
  '<html><head><script>window.__pwned = true; alert("xss")</script></head><body>' +
  '<h3>MRI ABDOMEN WITHOUT AND WITH CONTRAST</h3>' +
  '<p><b>FINDINGS:</b></p><p>Treated segment VI lesion without arterial enhancement. No new hepatic lesions.</p>' +
  '<img src="x" onerror="window.__pwned = true">' +
  '<p><b>IMPRESSION:</b></p><p>LR-TR Nonviable. mRECIST: complete response, maintained. No new hepatic lesions.</p>' +
  '<a href="javascript:alert(1)">viewer</a>' +
  '</body></html>';

export const responder: ScenarioDef = {
  id: 'responder',
  title: 'Responder — complete response on TACE + atezolizumab/bevacizumab',
  summary:
    'HBV, Child-Pugh A. Atezolizumab + bevacizumab from day -310; DEB-TACE day -290. MRI day -245: mRECIST ' +
    'complete response, LR-TR Nonviable, TE4; maintained on MRI days -150 (HTML report, ADVERSARIAL script/onerror ' +
    'markup) and -40. AFP 160 → <2.0 ng/mL from day -200, AFP-L3 <0.5 %, PIVKA-II < 40 mAU/mL from day -250: all ' +
    'normal > 12 weeks. Expected: clinical CR candidate; no refractoriness criterion met.',
  build(b) {
    patient(b, {
      family: 'Testpatient',
      given: ['Responder', 'Complete'],
      gender: 'female',
      birthDate: '1958-01-25',
      mrn: 'SYN-000106',
    });
    launchEncounter(b);
    hccCondition(b, -345, 'BCLC B');
    const p = EPIC_PROFILE;

    // European (UK/EU) department: millimetres, "in keeping with", segments 5/6, response by mRECIST with the
    // RECIST 1.1 reading given alongside, LR-TR and the Japanese RECICL treatment-effect grade.
    imagingReport(b, {
      day: -332,
      code: 'mrAbdomenWoWContrast',
      findings:
        'Cirrhotic liver. Two arterially hyperenhancing lesions with washout and an enhancing capsule, in keeping ' +
        'with HCC (LI-RADS 5): segment 6, 31 mm (series 12, image 40), and segment 5, 19 mm (series 12, image 33). ' +
        'Portal and hepatic veins patent. No lymphadenopathy. No extrahepatic disease.',
      impression:
        'Two HCCs in segments 5/6 (LR-5), the larger 31 mm in segment 6. No vascular invasion. ' +
        'No extrahepatic disease.',
      study: true,
    });
    labPanel(b, -318, p, { ...routine(b, ROUTINE), afp: 160, afpL3: 22.0, pivka: 320 });
    medicationRequest(b, {
      agent: 'atezolizumab',
      day: -310,
      status: 'active',
      dosage: 'Atezolizumab 1200 mg IV every 3 weeks',
    });
    medicationRequest(b, {
      agent: 'bevacizumab',
      day: -310,
      status: 'active',
      dosage: 'Bevacizumab 15 mg/kg IV every 3 weeks',
    });
    labPanel(b, -293, p, { ...routine(b, ROUTINE), afp: 92, afpL3: 17.5, pivka: 180 });
    taceProcedure(b, { day: -290, coding: 'debTace', target: 'segments 5 and 6' });
    labPanel(b, -270, p, { ...routine(b, { ...ROUTINE, ast: 58, alt: 61 }), afp: 35, afpL3: 9.0, pivka: 62 });
    labPanel(b, -250, p, { ...routine(b, ROUTINE), afp: 8.1, afpL3: lt(0.5), pivka: 28 });
    const mr1 = imagingReport(b, {
      day: -245,
      code: 'mrAbdomenWoWContrast',
      comparison: `MRI ${b.date(-332)}.`,
      findings:
        'Treated lesions in segments 5/6: no arterial phase hyperenhancement and no washout in either lesion; ' +
        'necrosis of about 100%. Overall lesion size essentially unchanged. No new hepatic lesions. Portal veins ' +
        'patent.',
      impression:
        'Response assessment after DEB-TACE: mRECIST: complete response (no intratumoural arterial enhancement ' +
        'in either target lesion). RECIST 1.1: stable disease (overall size unchanged, as expected after ' +
        'embolisation). LR-TR Nonviable. Treatment effect TE4 (RECICL). No new hepatic lesions. ' +
        'No extrahepatic disease.',
      study: true,
    });
    diseaseStatus(b, -244, 'improved', mr1);
    labPanel(b, -230, p, { ...routine(b, ROUTINE), afp: 3.0, afpL3: lt(0.5), pivka: 24 });
    for (const day of [-200, -170, -140, -110, -80, -50, -20]) {
      labPanel(b, day, p, { ...routine(b, ROUTINE), afp: lt(2.0), afpL3: lt(0.5), pivka: 18 + b.int(0, 8) });
    }
    labObservation(b, {
      variant: 'pivkaMau',
      day: -110,
      value: 21,
      status: 'amended',
      note: 'Corrected report',
    });
    const mr2 = imagingReport(b, {
      day: -150,
      code: 'mrAbdomenWoWContrast',
      form: 'html',
      rawHtml: ADVERSARIAL_HTML,
      findings: 'Treated segment VI lesion without arterial enhancement. No new hepatic lesions.',
      impression: 'LR-TR Nonviable. mRECIST: complete response, maintained. No new hepatic lesions.',
    });
    diseaseStatus(b, -149, 'improved', mr2);
    const mr3 = imagingReport(b, {
      day: -40,
      code: 'mrAbdomenWoWContrast',
      form: 'html',
      comparison: `MRI ${b.date(-150)}.`,
      findings:
        'Treatment zones in segments 5/6 unchanged, without arterial enhancement. No new hepatic lesions. ' +
        'No portal vein thrombus. No ascites.',
      impression:
        'Sustained complete response (mRECIST CR, LR-TR Nonviable), about 8 months after DEB-TACE. ' +
        'No new hepatic lesions.',
      study: true,
    });
    diseaseStatus(b, -39, 'improved', mr3);
  },
};
