import { buildScopes, findIssuer, type IssuerConfig, type IssuerRegistry } from '../src/config/issuers';

/**
 * What the launch page should do with the URL it was opened with. Kept pure (no window, no fhirclient)
 * so the refusal rules are unit-tested: a refusal must never be followed by a redirect.
 */
export type LaunchDecision =
  | { kind: 'authorize'; issuer: IssuerConfig; iss: string; launch?: string; scope: string }
  | { kind: 'refuse'; title: string; detail: string }
  | { kind: 'choose-issuer'; issuers: IssuerConfig[] };

// fhirclient lets these URL parameters override the options we pass to authorize(); we never want an
// attacker-controlled URL to pick the server or the client, so their presence is refused outright.
const OVERRIDING_PARAMS = ['fhirServiceUrl', 'clientId', 'patientId'];

export function decideLaunch(search: URLSearchParams, registry: IssuerRegistry): LaunchDecision {
  const overriding = OVERRIDING_PARAMS.filter((p) => search.has(p));
  if (overriding.length > 0) {
    return {
      kind: 'refuse',
      title: 'This launch link is not accepted',
      detail: `The link carries parameter(s) the app does not accept from a URL: ${overriding.join(', ')}.`,
    };
  }
  const iss = search.get('iss');
  const launch = search.get('launch') ?? undefined;
  if (!iss) {
    if (launch) {
      return {
        kind: 'refuse',
        title: 'The EHR did not say which server to use',
        detail:
          'The launch request has a launch context but no "iss" parameter. Relaunch the app from the EHR.',
      };
    }
    return { kind: 'choose-issuer', issuers: registry.issuers.filter((i) => i.standaloneLaunch) };
  }
  const issuer = findIssuer(registry, iss);
  if (!issuer) {
    return {
      kind: 'refuse',
      title: 'This EHR is not registered for TACE Navigator',
      detail:
        'The launch came from a FHIR server that is not in this deployment’s issuer registry, so the app did not ' +
        'connect to it and no sign-in was started. If this server should be allowed, ask your IT team to add it ' +
        'to config/issuers.json.',
    };
  }
  if (!launch && !issuer.standaloneLaunch) {
    return {
      kind: 'refuse',
      title: 'Standalone launch is not enabled for this EHR',
      detail: `Open TACE Navigator from within ${issuer.displayName}.`,
    };
  }
  return {
    kind: 'authorize',
    issuer,
    iss,
    ...(launch ? { launch } : {}),
    scope: buildScopes(issuer, launch ? 'ehr' : 'standalone'),
  };
}
