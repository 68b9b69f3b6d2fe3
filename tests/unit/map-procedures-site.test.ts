/**
 * Issue 9 item 4: a resection, ablation or embolization is a liver treatment only when its code, words or bodySite
 * place it in the liver; other organs are "not relevant"; a liver embolization that is not recognisably TACE / TAE
 * is "possible TACE not recognised". Resources are written the way EHRs send them: CPT or SNOMED codings with their
 * displays plus an order-name `code.text` (Epic, Oracle Health Millennium), SNOMED-only with display (Synthea,
 * Oracle), local codes with an upper-case display, bodySite as SNOMED + text.
 */
import { describe, expect, it } from 'vitest';
import { mapProcedures } from '../../src/fhir/map/procedures';
import { LIVER_SITE, NON_LIVER_PROCEDURE_CODES } from '../../src/fhir/codes';
import { CPT, SNOMED } from '../fixtures/factories';

const LOCAL = 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/200';
let n = 0;

function proc(
  code: { coding?: { system: string; code: string; display?: string }[]; text?: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceType: 'Procedure',
    id: `site-${++n}`,
    status: 'completed',
    subject: { reference: 'Patient/p1' },
    code,
    performedDateTime: '2026-02-10T09:30:00-05:00',
    ...extra,
  };
}

const one = (p: Record<string, unknown>) => mapProcedures([p]);
const reasons = (p: Record<string, unknown>) => one(p).issues.map((i) => i.reason);

describe('procedures of other organs are not liver treatments (listed "not relevant")', () => {
  it.each([
    [
      'colon resection, SNOMED (Synthea shape)',
      proc({
        coding: [{ system: SNOMED, code: '43075005', display: 'Partial resection of colon' }],
        text: 'Partial resection of colon',
      }),
    ],
    [
      'sigmoid colon resection, CPT 44140',
      proc({
        coding: [{ system: CPT, code: '44140', display: 'Colectomy, partial; with anastomosis' }],
        text: 'Laparoscopic sigmoid colon resection',
      }),
    ],
    [
      'AV-node ablation, SNOMED (Oracle Health Millennium example)',
      proc({
        coding: [{ system: SNOMED, code: '428663009', display: 'Ablation of AV Node' }],
        text: 'Ablation of AV Node',
      }),
    ],
    [
      'AF ablation, CPT 93656 with a bare order name',
      proc({
        coding: [
          {
            system: CPT,
            code: '93656',
            display:
              'Comprehensive electrophysiologic evaluation with intracardiac catheter ablation of atrial fibrillation by pulmonary vein isolation',
          },
        ],
        text: 'ABLATION',
      }),
    ],
    [
      'SVT ablation, CPT 93653 code + "Ablation"',
      proc({ coding: [{ system: CPT, code: '93653' }], text: 'Ablation' }),
    ],
    [
      'uterine fibroid embolization coded CPT 37243',
      proc({
        coding: [
          {
            system: CPT,
            code: '37243',
            display: 'Vascular embolization or occlusion; for tumors, organ ischemia, or infarction',
          },
        ],
        text: 'IR UTERINE ARTERY EMBOLIZATION (UFE)',
      }),
    ],
    [
      'endometrial ablation',
      proc({ coding: [{ system: CPT, code: '58563' }], text: 'Endometrial ablation' }),
    ],
    ['varicocele embolization', proc({ text: 'IR VARICOCELE EMBOLIZATION' })],
    ['bronchial artery embolization', proc({ text: 'Bronchial artery embolization' })],
    ['lung lobectomy', proc({ text: 'Partial lobectomy of lung' })],
    [
      'breast excision with a breast bodySite (mCODE shape)',
      proc(
        { text: 'Partial resection' },
        {
          bodySite: [
            {
              coding: [
                { system: SNOMED, code: '80248007', display: 'Left breast structure (body structure)' },
              ],
            },
          ],
        },
      ),
    ],
    ['Y-90 radiosynovectomy of the knee', proc({ text: 'Y-90 radiosynovectomy, right knee' })],
  ])('%s', (_name, p) => {
    const { sessions, issues } = one(p);
    expect(sessions).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ id: p.id, kind: 'excluded' });
    expect(issues[0]?.reason).toMatch(/^not relevant: /);
  });

  it('does not make a TACE out of technique words alone (drug-eluting stent, conventional radiotherapy)', () => {
    for (const text of [
      'Percutaneous coronary intervention with drug-eluting stent',
      'Conventional external beam radiotherapy',
    ]) {
      const { sessions, issues } = one(proc({ text }));
      expect(sessions).toEqual([]);
      expect(issues[0]?.reason).toMatch(/^not relevant: /);
    }
  });
});

describe('liver procedures still count', () => {
  it('"Partial hepatectomy segment 6", text only and with CPT 47120', () => {
    const text = one(proc({ text: 'Partial hepatectomy segment 6' }));
    expect(text.sessions).toMatchObject([{ kind: 'resection', codedBy: 'text' }]);
    expect(text.issues).toEqual([]);
    const coded = one(
      proc({
        coding: [
          { system: CPT, code: '47120', display: 'Hepatectomy, resection of liver; partial lobectomy' },
        ],
        text: 'Partial hepatectomy segment 6',
      }),
    );
    expect(coded.sessions).toMatchObject([{ kind: 'resection', codedBy: 'cpt' }]);
  });

  it('RFA of liver, percutaneous (47382) and open (47380, code only)', () => {
    expect(one(proc({ text: 'RFA of liver' })).sessions).toMatchObject([{ kind: 'ablation' }]);
    expect(one(proc({ text: 'RFA of liver' })).issues).toEqual([]);
    expect(one(proc({ coding: [{ system: CPT, code: '47382' }], text: 'RFA' })).sessions).toMatchObject([
      { kind: 'ablation', codedBy: 'cpt' },
    ]);
    expect(one(proc({ coding: [{ system: CPT, code: '47380' }] })).sessions).toMatchObject([
      { kind: 'ablation', codedBy: 'cpt' },
    ]);
  });

  it('a bodySite coded liver (SNOMED 10200004) places an ablation or embolization in the liver', () => {
    const liver = {
      bodySite: [{ coding: [{ system: SNOMED, code: '10200004', display: 'Liver structure' }] }],
    };
    expect(one(proc({ text: 'Microwave ablation' }, liver))).toMatchObject({
      sessions: [{ kind: 'ablation' }],
      issues: [],
    });
    const embo = one(
      proc(
        { text: 'IR EMBOLIZATION' },
        { ...liver, note: [{ text: 'Embolization with 100-300 micron microspheres to the right lobe.' }] },
      ),
    );
    expect(embo.sessions).toMatchObject([{ kind: 'tae' }]);
  });

  it('a liver resection that also names the colon counts, with a warning', () => {
    const { sessions, issues } = one(proc({ text: 'Resection of liver metastasis from colon cancer' }));
    expect(sessions).toMatchObject([{ kind: 'resection' }]);
    expect(issues).toMatchObject([{ kind: 'warning' }]);
  });

  it('an ablation or resection with no site stated counts, with a warning to check the site', () => {
    const { sessions, issues } = one(proc({ text: 'RFA' }));
    expect(sessions).toMatchObject([{ kind: 'ablation' }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'warning' });
    expect(issues[0]?.reason).toContain('site not stated');
  });
});

describe('embolizations of the liver not recognised as TACE / TAE', () => {
  it('"hepatic artery embolization with particles" is a bland TAE', () => {
    expect(one(proc({ text: 'Hepatic artery embolization with particles' })).sessions).toMatchObject([
      { kind: 'tae', codedBy: 'text' },
    ]);
  });

  it.each([['Angio: hepatic arteriogram with embolization'], ['Transarterial therapy'], ['IR EMBOLIZATION']])(
    '"%s" stays on the timeline as other and is listed as possible TACE not recognised',
    (text) => {
      const p = proc({ coding: [{ system: LOCAL, code: '4173652', display: text.toUpperCase() }], text });
      const { sessions, issues } = one(p);
      expect(sessions).toMatchObject([{ id: p.id, kind: 'other' }]);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ id: p.id, kind: 'unsupported' });
      expect(issues[0]?.reason).toMatch(new RegExp(`^possible TACE not recognised: ${text}`));
    },
  );

  it.each([
    ['TRANS ARTERIAL CHEMO EMBOLISATION, RIGHT LOBE', 'tace-unspecified'],
    ['chemo-embolisation', 'tace-unspecified'],
    ['CHEMOEMBOLIZATION LIVER', 'tace-unspecified'],
    ['Chemo embolisation with lipiodol', 'tace-conventional'],
  ])('recognises TACE written "%s"', (display, kind) => {
    const p = proc({ coding: [{ system: LOCAL, code: '3620145', display }], text: display });
    expect(one(p).sessions).toMatchObject([{ kind }]);
    expect(reasons(p)).toEqual([]);
  });
});

describe('statuses that did not happen stay excluded, visibly', () => {
  it.each(['not-done', 'entered-in-error', 'cancelled'])('%s TACE and %s colonoscopy', (status) => {
    const tace = proc({ coding: [{ system: CPT, code: '37243' }], text: 'cTACE' }, { status });
    const colo = proc({ coding: [{ system: SNOMED, code: '73761001', display: 'Colonoscopy' }] }, { status });
    const { sessions, issues } = mapProcedures([tace, colo]);
    expect(sessions).toEqual([]);
    expect(issues.map((i) => [i.id, i.kind])).toEqual([
      [tace.id, 'excluded'],
      [colo.id, 'excluded'],
    ]);
    expect(issues[0]?.reason).toContain(`status ${status}`);
  });
});

describe('site value sets (codes.ts)', () => {
  it('no code is both a liver code and a non-liver code, and the non-§5 codes are marked verify', () => {
    const key = (c: { system: string; code: string }) => `${c.system}|${c.code}`;
    const liver = new Set(LIVER_SITE.codes.map(key));
    expect(NON_LIVER_PROCEDURE_CODES.filter((c) => liver.has(key(c)))).toEqual([]);
    expect(NON_LIVER_PROCEDURE_CODES.every((c) => c.confidence === 'verify' && c.site !== '')).toBe(true);
    expect(LIVER_SITE.bodySites.map(key)).toEqual([`${SNOMED}|10200004`]);
  });
});
