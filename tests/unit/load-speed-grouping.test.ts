import { describe, expect, it } from 'vitest';
import { entriesFromJson, entriesFromNdjson, InputError, type ReadIssues } from '../../cli/assess';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { patientIdInReference, type FlatEntry } from '../../src/fhir/patient-resources';
import { pick, seededRandom } from './seeded-random';

/**
 * Reading and grouping skip work for the usual case: a Patient reference "Patient/<id>" is read without the
 * regex, and an NDJSON line holding one plain resource is taken without building its name for messages. These
 * tests pin both against the general code over generated inputs.
 */
const REGEX = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

describe('patientIdInReference', () => {
  const PARTS = [
    'Patient/',
    'patient/',
    'Patient',
    '/',
    'a',
    'Z',
    '0',
    '9',
    '-',
    '.',
    '_',
    ' ',
    'é',
    '_history/',
    'x',
  ];

  it('reads the id exactly as the regex does (generated references)', () => {
    const rnd = seededRandom(5);
    let ids = 0;
    for (let n = 0; n < 20000; n += 1) {
      const count = Math.floor(rnd() * 8);
      let ref = rnd() < 0.7 ? 'Patient/' : '';
      for (let i = 0; i < count; i += 1) ref += pick(rnd, PARTS);
      const expected = REGEX.exec(ref)?.[1];
      if (expected !== undefined) ids += 1;
      expect(patientIdInReference(ref), ref).toBe(expected);
    }
    expect(ids).toBeGreaterThan(2000);
  });

  it('bounds the id at 64 characters as the regex does', () => {
    for (const n of [0, 1, 63, 64, 65, 100]) {
      const ref = `Patient/${'a'.repeat(n)}`;
      expect(patientIdInReference(ref), String(n)).toBe(REGEX.exec(ref)?.[1]);
      const abs = `https://x.org/fhir/Patient/${'b'.repeat(n)}/_history/2`;
      expect(patientIdInReference(abs), `abs ${n}`).toBe(REGEX.exec(abs)?.[1]);
    }
  });
});

describe('entriesFromNdjson', () => {
  /** The general path: every line through entriesFromJson with its name. */
  function reference(text: string, where: string): { entries: FlatEntry[]; read: ReadIssues } {
    const read: ReadIssues = { issues: [] };
    const entries: FlatEntry[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        read.issues.push({
          resourceType: 'unknown',
          reason: `${where} line ${i + 1} is not valid JSON: skipped`,
          kind: 'malformed',
        });
        return;
      }
      try {
        entriesFromJson(json, `${where} line ${i + 1}`, entries, read);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        read.issues.push({ resourceType: 'unknown', reason: `${error.message}: skipped`, kind: 'malformed' });
      }
    });
    return { entries, read };
  }

  const resources = buildScenarios().flatMap((s) => s.resources);
  const ODD: readonly string[] = [
    '{"resourceType":"OperationOutcome","issue":[{"severity":"error","diagnostics":"x"}]}',
    '{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"b1"}},{"resourceType":"Binary","id":"bare"},{}]}',
    '{"resourceType":"Bundle"}',
    '{"resourceType":5,"id":"n"}',
    '{"id":"no-type"}',
    '[{"resourceType":"Patient","id":"in-array"}]',
    '"text"',
    '42',
    'null',
    '{not json',
    '',
    '   ',
  ];

  it('gives the entries and issues of the general path, line for line (generated)', () => {
    const rnd = seededRandom(17);
    let odd = 0;
    for (let n = 0; n < 150; n += 1) {
      const lines: string[] = [];
      const count = 1 + Math.floor(rnd() * 12);
      for (let i = 0; i < count; i += 1) {
        if (rnd() < 0.3) {
          lines.push(pick(rnd, ODD));
          odd += 1;
        } else lines.push(JSON.stringify(pick(rnd, resources)));
      }
      const text = lines.join('\n');
      const read: ReadIssues = { issues: [] };
      const entries = entriesFromNdjson(text, 'f.ndjson', [], read);
      const expected = reference(text, 'f.ndjson');
      expect(entries).toEqual(expected.entries);
      expect(read.issues).toEqual(expected.read.issues);
    }
    expect(odd).toBeGreaterThan(200);
  });
});
