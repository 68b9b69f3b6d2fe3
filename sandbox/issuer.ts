import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The sandbox EHR's issuer registry entry. The shipped `public/config/issuers.json` trusts no loopback server
 * (a fake FHIR server on another localhost port would otherwise be sent the bearer token): the sandbox's own
 * servers (`npm start`, the Vite dev server, the e2e stack) add this entry at run time for the sandbox's EXACT
 * FHIR base URL, port included.
 */
export const SANDBOX_ISSUER_ID = 'local-sandbox';

export function sandboxIssuerEntry(fhirBaseUrl: string) {
  return {
    id: SANDBOX_ISSUER_ID,
    displayName: 'Local sandbox EHR (synthetic patients)',
    ehr: 'sandbox',
    issMatch: { exact: fhirBaseUrl },
    clientId: 'tace-navigator',
    scopeVersion: 'v2',
    refreshScope: 'online_access',
    standaloneLaunch: true,
    writeBack: { enabled: true, docStatus: 'preliminary', typeLoinc: '11506-3' },
    // The sandbox serves up to 200 per page (its documented maximum).
    options: { maxCount: { Observation: 200, DiagnosticReport: 200, Procedure: 200 } },
  } as const;
}

/**
 * The shipped registry document plus the sandbox's exact entry (first, replacing any entry with the same id).
 * The document is not validated here: the app validates what it is served, as it does in production.
 */
export function withSandboxIssuer(registry: unknown, fhirBaseUrl: string): { issuers: unknown[] } {
  const doc = (registry ?? {}) as { issuers?: unknown };
  const others = Array.isArray(doc.issuers)
    ? doc.issuers.filter((i) => (i as { id?: unknown } | null)?.id !== SANDBOX_ISSUER_ID)
    : [];
  return { ...(doc as object), issuers: [sandboxIssuerEntry(fhirBaseUrl), ...others] };
}

/** The body a sandbox app server answers `config/issuers.json` with: `<root>/config/issuers.json` + the entry. */
export async function sandboxRegistryBody(root: string, fhirBaseUrl: string): Promise<string> {
  const shipped: unknown = JSON.parse(await readFile(join(root, 'config', 'issuers.json'), 'utf8'));
  return JSON.stringify(withSandboxIssuer(shipped, fhirBaseUrl), null, 2);
}
