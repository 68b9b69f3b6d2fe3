/** A minimal SMART client for the sandbox tests: EHR or standalone launch, PKCE S256, code exchange. */
import { createHash, randomBytes } from 'node:crypto';

export const CLIENT_ID = 'tace-navigator';
export const APP_ORIGIN = 'http://localhost:5999';
export const REDIRECT_URI = `${APP_ORIGIN}/`;

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  // Computed here, independently of the server: BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).
  const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  return { verifier, challenge };
}

export function authorizeUrl(
  baseUrl: string,
  fhirBaseUrl: string,
  opts: {
    scope: string;
    challenge: string;
    launch?: string;
    state?: string;
    aud?: string;
    method?: string;
    redirectUri?: string;
    clientId?: string;
  },
): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: opts.clientId ?? CLIENT_ID,
    redirect_uri: opts.redirectUri ?? REDIRECT_URI,
    scope: opts.scope,
    state: opts.state ?? randomBytes(16).toString('hex'),
    aud: opts.aud ?? fhirBaseUrl,
    code_challenge: opts.challenge,
    code_challenge_method: opts.method ?? 'S256',
  });
  if (opts.launch) q.set('launch', opts.launch);
  return `${baseUrl}/authorize?${q.toString()}`;
}

/** POST /ehr-launch like the launcher's button; returns the launch id from the redirect. */
export async function mintLaunch(baseUrl: string, patient: string): Promise<string> {
  const res = await fetch(`${baseUrl}/ehr-launch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ patient }),
    redirect: 'manual',
  });
  const location = new URL(res.headers.get('location') ?? '');
  return location.searchParams.get('launch') ?? '';
}

/** Follows /authorize (no redirects) and returns the code from the redirect to the app. */
export async function getCode(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const location = new URL(res.headers.get('location') ?? '');
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location.toString()}`);
  return code;
}

export function exchange(baseUrl: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      ...form,
    }),
  });
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  patient?: string;
  encounter?: string;
  need_patient_banner?: boolean;
  id_token?: string;
  refresh_token?: string;
}

/** A whole EHR launch for `patient`: launch id → code → token. */
export async function ehrLaunchToken(
  sandbox: { baseUrl: string; fhirBaseUrl: string },
  patient: string,
  scope = 'launch openid fhirUser patient/*.rs',
  redirectUri = REDIRECT_URI,
  clientId = CLIENT_ID,
): Promise<TokenResponse> {
  const launch = await mintLaunch(sandbox.baseUrl, patient);
  const { verifier, challenge } = pkce();
  const code = await getCode(
    authorizeUrl(sandbox.baseUrl, sandbox.fhirBaseUrl, { scope, challenge, launch, redirectUri, clientId }),
  );
  const res = await exchange(sandbox.baseUrl, {
    code,
    code_verifier: verifier,
    redirect_uri: redirectUri,
    client_id: clientId,
  });
  if (res.status !== 200) throw new Error(`token answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as TokenResponse;
}
