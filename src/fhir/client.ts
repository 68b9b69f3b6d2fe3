import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { findIssuer, parseIssuerRegistry, type IssuerConfig } from '../config/issuers';
import { FhirError, kindForStatus } from './errors';

/** What the launch gave us, in plain terms: the rest of the app never sees the fhirclient object. */
export interface LaunchContext {
  serverUrl: string;
  patientId: string;
  encounterId: string | undefined;
  /** e.g. `Practitioner/123`, from the id_token's fhirUser claim. */
  fhirUser: string | undefined;
  /** SMART `need_patient_banner`: false when the EHR already shows whose chart this is. */
  needPatientBanner: boolean;
}

export interface FhirSession {
  context: LaunchContext;
  /** The registry entry of the server we are connected to: request plan and write-back options. */
  issuer: IssuerConfig;
  /** GET a FHIR URL (relative to the server base, or absolute on the same server); returns parsed JSON. */
  get(url: string, options?: { signal?: AbortSignal }): Promise<unknown>;
}

let readyOnce: Promise<FhirSession> | undefined;

/**
 * Completes the SMART launch once per page load. fhirclient's ready() exchanges the authorization code;
 * calling it twice (React StrictMode double effects) fails the second exchange with invalid_grant.
 */
export function connectSmart(): Promise<FhirSession> {
  readyOnce ??= Promise.all([
    FHIR.oauth2.ready().catch((error: unknown) => {
      throw toLaunchError(error);
    }),
    loadRegistryFile(),
  ]).then(([client, registryJson]) => sessionFromClient(client, registryJson));
  return readyOnce;
}

async function loadRegistryFile(): Promise<unknown> {
  const response = await fetch(new URL('config/issuers.json', document.baseURI), { cache: 'no-cache' });
  if (!response.ok) throw new FhirError('client', 'The app configuration (config/issuers.json) could not be loaded.');
  return response.json();
}

function toLaunchError(error: unknown): FhirError {
  const message = error instanceof Error ? error.message : '';
  if (/state/i.test(message)) {
    return new FhirError('not-launched', 'The app was opened without a SMART launch.', { cause: error });
  }
  return new FhirError('session-expired', 'The sign-in with the EHR could not be completed.', { cause: error });
}

function sessionFromClient(client: Client, registryJson: unknown): FhirSession {
  const registry = parseIssuerRegistry(registryJson);
  if (!registry.ok) throw new FhirError('client', registry.reason);
  const serverUrl = String(client.getState('serverUrl'));
  // The launch page checked the issuer already; checking again keeps a tampered session from being used.
  const issuer = findIssuer(registry.registry, serverUrl);
  if (!issuer) throw new FhirError('not-launched', 'The connected FHIR server is not in the issuer registry.');
  const patientId = client.getPatientId();
  if (!patientId) {
    throw new FhirError('not-launched', 'The EHR did not provide a patient for this launch.');
  }
  const tokenResponse: unknown = client.getState('tokenResponse');
  const needBanner =
    typeof tokenResponse === 'object' &&
    tokenResponse !== null &&
    'need_patient_banner' in tokenResponse &&
    tokenResponse.need_patient_banner === false
      ? false
      : true;
  return {
    issuer,
    context: {
      serverUrl,
      patientId,
      encounterId: client.getEncounterId() ?? undefined,
      fhirUser: client.getFhirUser() ?? undefined,
      needPatientBanner: needBanner,
    },
    get: (url, options) => requestJson(client, url, options?.signal),
  };
}

async function requestJson(client: Client, url: string, signal: AbortSignal | undefined): Promise<unknown> {
  try {
    return await client.request<unknown>({ url, ...(signal ? { signal } : {}) }, { flat: false, pageLimit: 1 });
  } catch (error: unknown) {
    throw await toFhirError(error);
  }
}

async function toFhirError(error: unknown): Promise<FhirError> {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') {
    const status = error.status;
    return new FhirError(kindForStatus(status), `The FHIR server answered ${status}.`, {
      status,
      outcomeText: error instanceof Error ? extractOutcomeText(error.message) : undefined,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new FhirError('network', 'The FHIR server sent an incomplete response.', { cause: error });
  }
  return new FhirError('network', 'The FHIR server could not be reached.', { cause: error });
}

/** fhirclient puts the OperationOutcome's text into the message after the status line. */
function extractOutcomeText(message: string): string | undefined {
  const text = message.replace(/^\d{3}\s+[^\n]*\n?/, '').trim();
  return text.length > 0 && text.length < 500 ? text : undefined;
}
