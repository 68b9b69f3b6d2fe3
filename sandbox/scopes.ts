/**
 * SMART scopes, v1 (`patient/Observation.read`, `user/*.write`) and v2 (`patient/Observation.rs`,
 * `user/*.cruds`). v2 query restrictions (`patient/Observation.rs?category=laboratory`) are accepted and the
 * query part is ignored: the sandbox grants the whole type (documented limitation).
 */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';
export type Level = 'patient' | 'user';

export interface ResourceGrant {
  level: Level;
  resourceType: string; // '*' for all
  interactions: Set<Interaction>;
}

/** Context and identity scopes the sandbox understands. */
export const CONTEXT_SCOPES = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
] as const;

const RESOURCE_SCOPE = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|[cruds]+)(\?.*)?$/;

export function parseResourceScope(scope: string): ResourceGrant | undefined {
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m) return undefined;
  const [, level, resourceType, access] = m as unknown as [string, Level, string, string];
  let interactions: Interaction[];
  if (access === 'read') interactions = ['r', 's'];
  else if (access === 'write') interactions = ['c', 'u', 'd'];
  else if (access === '*') interactions = ['c', 'r', 'u', 'd', 's'];
  else {
    // v2 letters must appear in the order c, r, u, d, s, each at most once.
    if (!/^c?r?u?d?s?$/.test(access)) return undefined;
    interactions = access.split('') as Interaction[];
  }
  return { level, resourceType, interactions: new Set(interactions) };
}

/** The scopes of `requested` that the sandbox grants (requested ∩ supported), in request order, deduplicated. */
export function grantScopes(requested: string): string[] {
  const out: string[] = [];
  for (const scope of requested.split(/\s+/).filter(Boolean)) {
    if (out.includes(scope)) continue;
    if ((CONTEXT_SCOPES as readonly string[]).includes(scope) || parseResourceScope(scope)) out.push(scope);
  }
  return out;
}

export function grantsOf(scope: string): ResourceGrant[] {
  return scope
    .split(/\s+/)
    .map(parseResourceScope)
    .filter((g): g is ResourceGrant => g !== undefined);
}

/**
 * How the token may perform `interaction` on `resourceType`: 'user' (any patient), 'patient' (only the
 * token's patient), or undefined (not granted). A user-level grant wins over a patient-level one.
 */
export function accessLevel(
  grants: ResourceGrant[],
  resourceType: string,
  interaction: Interaction,
): Level | undefined {
  let level: Level | undefined;
  for (const g of grants) {
    if ((g.resourceType === '*' || g.resourceType === resourceType) && g.interactions.has(interaction)) {
      if (g.level === 'user') return 'user';
      level = 'patient';
    }
  }
  return level;
}
