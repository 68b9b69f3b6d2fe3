import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess, InputError, labCodesFromConfig, type ResultLine } from '../../cli/assess';

/**
 * Issue 10, item 4: the shapes real exports arrive in. Each case failed on the CLI before the one loader: BOM and
 * truncated NDJSON lines aborted the run, bare entries and OperationOutcomes vanished, a CBC report was read as
 * imaging, a therapy by medicationReference and a narrative in a Binary of the same export were lost, unattributable
 * resources were copied into every patient's result.
 */
const AS_OF = '2026-11-01';
const dir = mkdtempSync(join(tmpdir(), 'export-shapes-'));
let n = 0;
function file(body: string, ext = 'json'): string {
  const path = join(dir, `case-${(n += 1)}.${ext}`);
  writeFileSync(path, body);
  return path;
}
const patient = (id = 'p1') => ({ resourceType: 'Patient', id, birthDate: '1955-05-05', gender: 'male' });
const bundle = (entry: unknown[]) => JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry });
const albumin = (id: string, value: number, subject = 'Patient/p1') => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
    },
  ],
  code: {
    coding: [
      { system: 'http://loinc.org', code: '1751-7', display: 'Albumin [Mass/volume] in Serum or Plasma' },
    ],
  },
  subject: { reference: subject },
  effectiveDateTime: '2026-10-01',
  valueQuantity: { value, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
});
const only = async (path: string): Promise<ResultLine> => {
  const { results } = await assess(path, AS_OF);
  expect(results).toHaveLength(1);
  return results[0] as ResultLine;
};
const issueTexts = (r: ResultLine) => r.dataIssues.map((i) => i.message).join('\n');

describe('export shapes', () => {
  it('a UTF-8 byte-order mark before a Bundle is accepted', async () => {
    const r = await only(
      file('\uFEFF' + bundle([{ resource: patient() }, { resource: albumin('a1', 4.1) }])),
    );
    expect(r.accounting.Observation).toMatchObject({ read: 1, used: 1 });
  });

  it('CRLF line ends and a BOM in NDJSON are accepted; one truncated line is listed and the rest is read', async () => {
    const lines = [
      JSON.stringify(patient()),
      JSON.stringify(albumin('a1', 4.1)),
      '{"resourceType":"Observ',
      JSON.stringify(albumin('a2', 3.9)),
    ];
    const { results, summary } = await assess(file('\uFEFF' + lines.join('\r\n') + '\r\n', 'ndjson'), AS_OF);
    expect(results).toHaveLength(1);
    expect((results[0] as ResultLine).accounting.Observation).toMatchObject({ read: 2, used: 2 });
    expect(summary.runIssues.map((i) => i.reason).join('\n')).toMatch(/line 3 is not valid JSON/);
  });

  it('bare entries without a resource wrapper are read (Oracle Health Patient+Condition bundle shape)', async () => {
    const r = await only(file(bundle([patient(), albumin('a1', 4.1)])));
    expect(r.accounting.Observation).toMatchObject({ read: 1, used: 1 });
  });

  it('an OperationOutcome in a searchset is reported, not ignored', async () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'warning', code: 'incomplete', details: { text: 'Results incomplete' } }],
    };
    const { summary } = await assess(
      file(bundle([{ resource: patient() }, { resource: outcome, search: { mode: 'outcome' } }])),
      AS_OF,
    );
    expect(summary.runIssues.map((i) => i.reason).join('\n')).toMatch(/Results incomplete/);
  });

  it('a transaction with urn:uuid references and POST entries without ids is read', async () => {
    const body = JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111',
          resource: { resourceType: 'Patient', birthDate: '1950-01-01' },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222',
          resource: { ...albumin('x', 4.0, 'urn:uuid:11111111-1111-4111-8111-111111111111'), id: undefined },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    const r = await only(file(body));
    expect(r.accounting.Observation).toMatchObject({ read: 1, used: 1 });
  });

  it('resources of no patient in the input are listed once for the run, not copied into each result', async () => {
    const entries = [
      patient('p1'),
      patient('p2'),
      albumin('a1', 4.1),
      albumin('orphan', 4.0, 'Patient/elsewhere'),
    ];
    const { results, summary } = await assess(file(bundle(entries.map((resource) => ({ resource })))), AS_OF);
    expect(results).toHaveLength(2);
    for (const r of results) expect(issueTexts(r)).not.toMatch(/not in the input/);
    expect(summary.runIssues.filter((i) => i.id === 'orphan')).toHaveLength(1);
  });

  it('a CBC DiagnosticReport is listed as not an imaging report (the app searches radiology only)', async () => {
    const cbc = {
      resourceType: 'DiagnosticReport',
      id: 'cbc1',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'HM' }] }],
      code: {
        coding: [
          { system: 'http://loinc.org', code: '58410-2', display: 'CBC panel - Blood by Automated count' },
        ],
      },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-10-01',
      conclusion: 'No new lesions.',
    };
    const r = await only(file(bundle([{ resource: patient() }, { resource: cbc }])));
    expect(r.accounting.DiagnosticReport).toMatchObject({ read: 1, used: 0, listed: 1 });
    expect(issueTexts(r)).toMatch(/not an imaging report/);
  });

  it('a therapy given by medicationReference to a Medication elsewhere in the export is read', async () => {
    const med = {
      resourceType: 'Medication',
      id: 'lenva',
      code: {
        coding: [
          { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1603296', display: 'lenvatinib' },
        ],
      },
    };
    const order = {
      resourceType: 'MedicationRequest',
      id: 'mr1',
      status: 'active',
      intent: 'order',
      medicationReference: { reference: 'Medication/lenva' },
      subject: { reference: 'Patient/p1' },
      authoredOn: '2026-09-01',
    };
    const r = await only(file(bundle([patient(), med, order].map((resource) => ({ resource })))));
    expect(r.accounting.Medication).toMatchObject({ read: 1, used: 1 });
    expect(r.accounting.MedicationRequest).toMatchObject({ read: 1, used: 1 });
  });

  it('a report narrative stored as a Binary in the same export is read, by relative or absolute URL', async () => {
    const text = Buffer.from('IMPRESSION: Portal vein invasion: absent. LR-TR Viable.').toString('base64');
    const binary = { resourceType: 'Binary', id: 'b1', contentType: 'text/plain', data: text };
    const report = {
      resourceType: 'DiagnosticReport',
      id: 'dr1',
      status: 'final',
      category: [{ coding: [{ system: 'http://loinc.org', code: 'LP29684-5', display: 'Radiology' }] }],
      code: { text: 'CT abdomen' },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-10-01',
      presentedForm: [{ contentType: 'text/plain', url: 'https://ehr.example.org/fhir/Binary/b1' }],
    };
    const r = await only(file(bundle([patient(), report, binary].map((resource) => ({ resource })))));
    expect(r.accounting.Binary).toMatchObject({ read: 1, used: 1 });
    expect(issueTexts(r)).not.toMatch(/was not fetched/);
  });

  it('a path that is not a regular file or folder is refused with one line', async () => {
    await expect(assess('/dev/null', AS_OF)).rejects.toBeInstanceOf(InputError);
  });

  it('output does not grow with the number of patients in the export', async () => {
    const size = async (patients: number) => {
      const folder = join(dir, `many-${patients}`);
      mkdirSync(folder);
      const lines: string[] = [];
      for (let i = 0; i < patients; i += 1) {
        lines.push(JSON.stringify(patient(`p${i}`)));
        lines.push(JSON.stringify(albumin(`a${i}`, 4, `Patient/p${i}`)));
      }
      lines.push(JSON.stringify(albumin('orphan', 4, 'Patient/nobody')));
      writeFileSync(join(folder, 'all.ndjson'), lines.join('\n'));
      const { results } = await assess(folder, AS_OF);
      return JSON.stringify(results[0]).length;
    };
    expect(await size(20)).toBe(await size(2));
  });
});

describe('--config / --issuer', () => {
  it("applies the issuer's extraLabCodes: a local-coded albumin is read only with the config", async () => {
    const local = {
      ...albumin('loc1', 4.0),
      code: {
        coding: [
          {
            system: 'https://fhir.cerner.com/ec2458f2/codeSet/72',
            code: '3015638',
            display: 'CHEM PANEL ITEM 17',
          },
        ],
      },
    };
    const config = join(dir, 'issuers.json');
    const registry = JSON.parse(readFileSync('public/config/issuers.json', 'utf8')) as {
      issuers: { id: string; options?: Record<string, unknown> }[];
    };
    const issuer = registry.issuers[0];
    if (!issuer) throw new Error('no issuer in the shipped config');
    issuer.options = {
      ...(issuer.options ?? {}),
      extraLabCodes: { albumin: ['https://fhir.cerner.com/ec2458f2/codeSet/72|3015638'] },
    };
    writeFileSync(config, JSON.stringify(registry));
    const input = file(bundle([{ resource: patient() }, { resource: local }]));
    const without = await only(input);
    expect(without.accounting.Observation).toMatchObject({ used: 0, listed: 1 });
    const { results } = await assess(input, AS_OF, { labCodes: await labCodesFromConfig(config, issuer.id) });
    expect((results[0] as ResultLine).accounting.Observation).toMatchObject({ used: 1 });
    await expect(labCodesFromConfig(config, 'no-such-issuer')).rejects.toBeInstanceOf(InputError);
  });
});
