/**
 * A small SMART App Launch 2.0 authorization server for the sandbox (public clients, PKCE S256 only), on jose.
 * State (launch ids, codes, refresh tokens) lives in memory and dies with the process.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  SignJWT,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
} from 'jose';
import { grantScopes } from './scopes';

export interface LaunchContext {
  patient?: string;
  encounter?: string;
  practitioner?: string;
  needPatientBanner: boolean;
}

export interface AuthorizeParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  aud?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  launch?: string;
}

export interface AccessClaims {
  sub: string;
  scope: string;
  patient?: string;
  encounter?: string;
  client_id: string;
}

/** What /authorize should do: show an error page (never redirect), redirect, or show the patient picker. */
export type AuthorizeOutcome =
  | { kind: 'error-page'; status: number; message: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'pick-patient'; params: AuthorizeParams };

export class TokenError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type',
    message: string,
  ) {
    super(message);
  }
}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly expired = false,
  ) {
    super(message);
  }
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string[];
  context: LaunchContext;
  expiresAt: number;
}

interface RefreshRecord {
  clientId: string;
  scope: string[];
  context: LaunchContext;
}

const CODE_LIFETIME_MS = 60_000;
const LAUNCH_LIFETIME_MS = 60 * 60_000;

const token = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export interface AuthServerOptions {
  issuer: string; // http://localhost:PORT
  fhirBaseUrl: string;
  clients: string[];
  allowedRedirectOrigins: string[];
  tokenLifetimeSeconds: number;
  /** The practitioner who is "signed in" for standalone launches. */
  defaultPractitioner?: string;
  /** Is this a patient in the sandbox? */
  isPatient: (id: string) => boolean;
}

export class AuthServer {
  private readonly launches = new Map<string, LaunchContext & { expiresAt: number }>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  private constructor(
    private readonly opts: AuthServerOptions,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly jwks: { keys: JWK[] },
    private readonly kid: string,
  ) {}

  static async create(opts: AuthServerOptions): Promise<AuthServer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = token(8);
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    return new AuthServer(opts, privateKey, publicKey, { keys: [jwk] }, kid);
  }

  mintLaunch(context: LaunchContext): string {
    const id = token(16);
    this.launches.set(id, { ...context, expiresAt: Date.now() + LAUNCH_LIFETIME_MS });
    return id;
  }

  /** Validates an /authorize request (and /authorize/pick when `pickedPatient` is given). */
  authorize(p: AuthorizeParams, pickedPatient?: string): AuthorizeOutcome {
    if (!p.client_id || !this.opts.clients.includes(p.client_id)) {
      return { kind: 'error-page', status: 400, message: `Unknown client_id "${p.client_id ?? ''}".` };
    }
    let redirect: URL;
    try {
      redirect = new URL(p.redirect_uri ?? '');
    } catch {
      return { kind: 'error-page', status: 400, message: 'Missing or malformed redirect_uri.' };
    }
    if (!this.opts.allowedRedirectOrigins.includes(redirect.origin)) {
      return {
        kind: 'error-page',
        status: 400,
        message: `redirect_uri origin ${redirect.origin} is not registered.`,
      };
    }
    // From here on, errors go back to the (registered) client, per OAuth 2.0 §4.1.2.1.
    const fail = (error: string, description: string): AuthorizeOutcome => {
      const to = new URL(redirect);
      to.searchParams.set('error', error);
      to.searchParams.set('error_description', description);
      if (p.state) to.searchParams.set('state', p.state);
      return { kind: 'redirect', location: to.toString() };
    };
    if (p.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be "code".');
    if (p.aud !== this.opts.fhirBaseUrl)
      return fail('invalid_request', `aud must be ${this.opts.fhirBaseUrl}.`);
    if (!p.code_challenge || p.code_challenge_method !== 'S256') {
      return fail('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256.');
    }
    if (!p.state) return fail('invalid_request', 'state is required.');
    const scope = grantScopes(p.scope ?? '');

    let context: LaunchContext;
    if (p.launch) {
      const launch = this.launches.get(p.launch);
      if (!launch || launch.expiresAt < Date.now())
        return fail('invalid_request', 'Unknown or expired launch.');
      const { expiresAt: _expiresAt, ...rest } = launch;
      context = rest;
    } else if (scope.includes('launch/patient')) {
      if (pickedPatient === undefined) return { kind: 'pick-patient', params: p };
      if (!this.opts.isPatient(pickedPatient)) return fail('invalid_request', 'Unknown patient.');
      context = {
        patient: pickedPatient,
        practitioner: this.opts.defaultPractitioner,
        needPatientBanner: true,
      };
    } else {
      context = { practitioner: this.opts.defaultPractitioner, needPatientBanner: false };
    }

    const code = token();
    this.codes.set(code, {
      clientId: p.client_id,
      redirectUri: redirect.toString(),
      codeChallenge: p.code_challenge,
      scope,
      context,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    const to = new URL(redirect);
    to.searchParams.set('code', code);
    to.searchParams.set('state', p.state);
    return { kind: 'redirect', location: to.toString() };
  }

  /** POST /token. Throws TokenError for OAuth errors. */
  async token(form: URLSearchParams): Promise<Record<string, unknown>> {
    const grantType = form.get('grant_type');
    const clientId = form.get('client_id');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const record = this.codes.get(code);
      // Single use: the code is gone whatever happens next.
      this.codes.delete(code);
      if (!record) throw new TokenError('invalid_grant', 'Unknown or already used code.');
      if (record.expiresAt < Date.now()) throw new TokenError('invalid_grant', 'The code has expired.');
      if (clientId !== record.clientId)
        throw new TokenError('invalid_client', 'client_id does not match the code.');
      if (form.get('redirect_uri') !== record.redirectUri) {
        throw new TokenError('invalid_grant', 'redirect_uri does not match the authorization request.');
      }
      const verifier = form.get('code_verifier');
      if (!verifier) throw new TokenError('invalid_request', 'code_verifier is required (PKCE).');
      if (s256(verifier) !== record.codeChallenge)
        throw new TokenError('invalid_grant', 'PKCE verification failed.');
      return this.issue(record.clientId, record.scope, record.context, true);
    }
    if (grantType === 'refresh_token') {
      const record = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!record) throw new TokenError('invalid_grant', 'Unknown refresh_token.');
      if (clientId && clientId !== record.clientId)
        throw new TokenError('invalid_client', 'client_id mismatch.');
      const refreshToken = form.get('refresh_token') ?? '';
      return {
        ...(await this.issue(record.clientId, record.scope, record.context, false)),
        refresh_token: refreshToken,
      };
    }
    if (!grantType) throw new TokenError('invalid_request', 'grant_type is required.');
    throw new TokenError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
  }

  private async issue(clientId: string, scope: string[], context: LaunchContext, first: boolean) {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = this.opts.tokenLifetimeSeconds;
    const sub = context.practitioner ? `Practitioner/${context.practitioner}` : clientId;
    const accessToken = await new SignJWT({
      scope: scope.join(' '),
      client_id: clientId,
      ...(context.patient ? { patient: context.patient } : {}),
      ...(context.encounter ? { encounter: context.encounter } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'at+jwt' })
      .setIssuer(this.opts.issuer)
      .setAudience(this.opts.fhirBaseUrl)
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .setJti(token(12))
      .sign(this.privateKey);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: scope.join(' '),
      need_patient_banner: context.needPatientBanner,
    };
    if (context.patient) body.patient = context.patient;
    if (context.encounter) body.encounter = context.encounter;
    if (scope.includes('openid') && scope.includes('fhirUser') && context.practitioner) {
      // SMART App Launch 2: fhirUser is the absolute URL of the user's FHIR resource.
      body.id_token = await new SignJWT({
        fhirUser: `${this.opts.fhirBaseUrl}/Practitioner/${context.practitioner}`,
      })
        .setProtectedHeader({ alg: 'ES256', kid: this.kid })
        .setIssuer(this.opts.issuer)
        .setAudience(clientId)
        .setSubject(context.practitioner)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(this.privateKey);
    }
    if (first && (scope.includes('offline_access') || scope.includes('online_access'))) {
      const refreshToken = token();
      this.refreshTokens.set(refreshToken, { clientId, scope, context });
      body.refresh_token = refreshToken;
    }
    return body;
  }

  /** Verifies a bearer access token. Throws AuthError. */
  async verify(authorization: string | undefined): Promise<AccessClaims> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m?.[1]) throw new AuthError('Missing bearer token.');
    try {
      const { payload } = await jwtVerify(m[1], this.publicKey, {
        issuer: this.opts.issuer,
        audience: this.opts.fhirBaseUrl,
        algorithms: ['ES256'],
      });
      return {
        sub: String(payload.sub ?? ''),
        scope: typeof payload.scope === 'string' ? payload.scope : '',
        client_id: String(payload.client_id ?? ''),
        ...(typeof payload.patient === 'string' ? { patient: payload.patient } : {}),
        ...(typeof payload.encounter === 'string' ? { encounter: payload.encounter } : {}),
      };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthError('The access token has expired.', true);
      throw new AuthError('Invalid access token.');
    }
  }
}
