import { z } from 'zod';

/**
 * The issuer registry: which FHIR servers this deployment trusts, and how to talk to each.
 * Loaded at runtime from `config/issuers.json` so hospital IT edits one file, not the build.
 * An `iss` that matches no entry is refused before any redirect: a forged `iss` could otherwise
 * make the app send the user (and later the token) to an attacker's server.
 */
const issMatchSchema = z.union([
  z.object({ exact: z.url() }),
  // A regular expression source, anchored by us: hospital IT declares e.g. one per Epic instance path.
  z.object({ pattern: z.string().min(1) }),
]);

/** `https://host`, `https://*.host`, `http://localhost:8080`, `http://localhost:*` — never `*`, never a path. */
export const FRAME_ANCESTOR_ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?$/i;

export const issuerSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  displayName: z.string().min(1),
  ehr: z.enum(['sandbox', 'smarthealthit', 'epic', 'oracle', 'other']),
  issMatch: issMatchSchema,
  clientId: z.string().min(1),
  /** SMART v2 scopes (`patient/Observation.rs`) or v1 (`patient/Observation.read`): EHRs accept one form. */
  scopeVersion: z.enum(['v1', 'v2']).default('v2'),
  /** `online_access` lets the client refresh mid-review; some EHRs give public SPAs no refresh token. */
  refreshScope: z.enum(['online_access', 'offline_access', 'none']).default('online_access'),
  standaloneLaunch: z.boolean().default(false),
  writeBack: z
    .object({
      enabled: z.boolean().default(false),
      docStatus: z.enum(['preliminary', 'final']).default('preliminary'),
      typeLoinc: z.string().default('11506-3'),
    })
    .default({ enabled: false, docStatus: 'preliminary', typeLoinc: '11506-3' }),
  /**
   * Origins allowed to show the app in a frame (CSP `frame-ancestors`): the EHR's web origins, e.g.
   * `https://hyperspace.example-hospital.org`. Scheme + host (+ port, `:*` allowed), no path, never `*`.
   * Static hosts copy the union of every issuer's list into their `frame-ancestors` header.
   */
  frameAncestors: z
    .array(
      z
        .string()
        .regex(
          FRAME_ANCESTOR_ORIGIN,
          'must be an origin such as https://ehr.example.org (no path, no bare "*")',
        ),
    )
    .optional(),
  /** Free-form EHR specifics (page sizes, local code maps) read by the data layer. */
  options: z.record(z.string(), z.unknown()).default({}),
});

export const issuerRegistrySchema = z.object({
  issuers: z.array(issuerSchema).min(1),
});

export type IssuerConfig = z.infer<typeof issuerSchema>;
export type IssuerRegistry = z.infer<typeof issuerRegistrySchema>;

export type RegistryLoadResult = { ok: true; registry: IssuerRegistry } | { ok: false; reason: string };

/** Validates a registry document; the reason names the first bad field so IT can fix the file. */
export function parseIssuerRegistry(json: unknown): RegistryLoadResult {
  const parsed = issuerRegistrySchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? first.path.join('.') || '(root)' : '(root)';
    return { ok: false, reason: `Invalid issuer registry at ${where}: ${first?.message ?? 'unknown error'}` };
  }
  for (const issuer of parsed.data.issuers) {
    const budget = issuer.options.queryBudgetSeconds;
    if (budget !== undefined && !(typeof budget === 'number' && budget > 0 && budget <= 300)) {
      return {
        ok: false,
        reason: `Invalid issuer registry: issuer ${issuer.id} options.queryBudgetSeconds must be a number of seconds between 0 and 300`,
      };
    }
    if ('pattern' in issuer.issMatch) {
      try {
        new RegExp(issuer.issMatch.pattern);
      } catch {
        return { ok: false, reason: `Invalid issuer registry: issuer ${issuer.id} has an invalid pattern` };
      }
    }
  }
  return { ok: true, registry: parsed.data };
}

/** Default screen budget per query (retries and paging included): see `queryBudgetMs`. */
export const DEFAULT_QUERY_BUDGET_SECONDS = 20;

/**
 * How long the screen waits for one query of the request plan, retries and paging included
 * (`options.queryBudgetSeconds`, default 20 s). Past it the query is shown as "still loading": the verdicts are
 * computed from what has arrived and updated when it lands or fails (it keeps running in the background).
 */
export function queryBudgetMs(issuer: Pick<IssuerConfig, 'options'>): number {
  const value = issuer.options.queryBudgetSeconds;
  const seconds =
    typeof value === 'number' && value > 0 && value <= 300 ? value : DEFAULT_QUERY_BUDGET_SECONDS;
  return seconds * 1000;
}

function normalizeIss(iss: string): string {
  return iss.replace(/\/+$/, '');
}

/** Exact match ignores a trailing slash only; patterns are anchored at both ends. */
export function findIssuer(registry: IssuerRegistry, iss: string): IssuerConfig | undefined {
  const wanted = normalizeIss(iss);
  return registry.issuers.find((issuer) => {
    if ('exact' in issuer.issMatch) return normalizeIss(issuer.issMatch.exact) === wanted;
    return new RegExp(`^(?:${issuer.issMatch.pattern})$`).test(wanted);
  });
}

/** The resource types the app reads; scopes are requested for exactly these (least privilege). */
export const READ_RESOURCE_TYPES = [
  'Patient',
  'Observation',
  'DiagnosticReport',
  'ImagingStudy',
  'Procedure',
  'Condition',
  'MedicationRequest',
  'Medication',
  /** Imaging notes: radiology reports exposed as documents (fhir/queries.ts, `document-references`). */
  'DocumentReference',
] as const;

/**
 * Read, never searched: report and note narratives are Binary URLs (DiagnosticReport.presentedForm.url,
 * DocumentReference.content.attachment.url), fetched by URL — v2 `.r` only.
 */
export const READ_ONLY_RESOURCE_TYPES = ['Binary'] as const;

export function buildScopes(issuer: IssuerConfig, launchKind: 'ehr' | 'standalone'): string {
  const scopes = [launchKind === 'ehr' ? 'launch' : 'launch/patient', 'openid', 'fhirUser'];
  const read = issuer.scopeVersion === 'v2' ? 'rs' : 'read';
  for (const type of READ_RESOURCE_TYPES) scopes.push(`patient/${type}.${read}`);
  for (const type of READ_ONLY_RESOURCE_TYPES)
    scopes.push(`patient/${type}.${issuer.scopeVersion === 'v2' ? 'r' : 'read'}`);
  if (issuer.writeBack.enabled) {
    scopes.push(
      issuer.scopeVersion === 'v2' ? 'patient/DocumentReference.c' : 'patient/DocumentReference.write',
    );
  }
  if (issuer.refreshScope !== 'none') scopes.push(issuer.refreshScope);
  return scopes.join(' ');
}
