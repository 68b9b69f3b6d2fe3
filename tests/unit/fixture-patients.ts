import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readInput } from '../../cli/assess';
import { groupByPatient, type PatientResources } from '../../src/fhir/patient-resources';
import { jsonFilesUnder } from './fixture-files';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const REAL_WORLD = fileURLToPath(new URL('../../../shared/real-world-fhir/', import.meta.url));

/** Whether ../shared/real-world-fhir is beside this checkout (a clean clone elsewhere has only tests/fixtures). */
export const HAS_REAL_WORLD = existsSync(REAL_WORLD);

/** Every JSON file of tests/fixtures and, where the checkout has it beside it, ../shared/real-world-fhir. */
export function fixtureAndRealWorldFiles(): string[] {
  return [...jsonFilesUnder(FIXTURES), ...(HAS_REAL_WORLD ? jsonFilesUnder(REAL_WORLD) : [])];
}

const STAND_IN = { resourceType: 'Patient', id: 'stand-in', birthDate: '1950-01-01', gender: 'male' };

/**
 * Each patient of every readable fixture and real-world file, as the CLI groups it (files that are not a readable
 * export — some fixtures are deliberately broken — are skipped). With `standIn`, a file without a Patient (a single
 * real-world resource) is read with a stand-in Patient that its resources refer to, as its export would have one.
 */
export async function* fixturePatients(
  options: { standIn?: boolean } = {},
): AsyncGenerator<{ file: string; patient: PatientResources }> {
  for (const file of fixtureAndRealWorldFiles()) {
    let patients: PatientResources[];
    try {
      const entries = await readInput(file);
      const hasPatient = entries.some(
        (e) => (e.resource as { resourceType?: unknown }).resourceType === 'Patient',
      );
      patients = groupByPatient(
        hasPatient || !options.standIn
          ? entries
          : [
              { resource: STAND_IN },
              ...entries.map((e) => ({
                resource: { ...(e.resource as object), subject: { reference: 'Patient/stand-in' } },
              })),
            ],
      ).patients;
    } catch {
      continue;
    }
    for (const patient of patients) yield { file, patient };
  }
}
