/**
 * Patient → PatientSummary: name for the banner ("Family, Given" from the official name), MRN from the identifier
 * whose type is v2-0203 MR. Nothing else is read (least data).
 */
import type { PatientSummary } from '../../domain/patient';
import { SYSTEMS } from '../codes';
import type { HumanName } from '../schemas/common';
import { patientSchema } from '../schemas/patient';
import type { Parsed } from './common';
import { parseResource } from './common';

function formatName(n: HumanName): string | undefined {
  const family = n.family?.trim();
  const given = (n.given ?? [])
    .map((g) => g.trim())
    .filter((g) => g.length > 0)
    .join(' ');
  if (family && given) return `${family}, ${given}`;
  if (family || given) return family || given;
  const text = n.text?.trim();
  return text && text.length > 0 ? text : undefined;
}

/** Official name first, then usual, then any; "(no name)" rather than a guess. */
export function displayName(names: readonly HumanName[] | undefined): string {
  const list = names ?? [];
  const ordered = [
    ...list.filter((n) => n.use === 'official'),
    ...list.filter((n) => n.use === 'usual'),
    ...list.filter((n) => n.use !== 'official' && n.use !== 'usual' && n.use !== 'old'),
  ];
  for (const n of ordered) {
    const f = formatName(n);
    if (f) return f;
  }
  return '(no name)';
}

export function mapPatient(raw: unknown): Parsed<PatientSummary> {
  const parsed = parseResource(patientSchema, raw, 'Patient');
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const mrn = p.identifier?.find((i) =>
    (i.type?.coding ?? []).some(
      (c) => c.code === 'MR' && (c.system === undefined || c.system === SYSTEMS.v2IdentifierType),
    ),
  )?.value;
  return {
    ok: true,
    value: {
      id: p.id,
      name: displayName(p.name),
      ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(p.gender ? { gender: p.gender } : {}),
      ...(mrn ? { mrn } : {}),
    },
  };
}
