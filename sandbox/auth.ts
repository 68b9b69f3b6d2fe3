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
import { CONTEXT_SCOPES, grantScopes, grantsOf, parseResourceScope, type ResourceGrant } from './scopes';

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
  /** The grant (one code exchange) this token descends from. */
  family: string;
  /** Set once the token has been exchanged: presenting it again is a replay and revokes the family. */
  used: boolean;
}

/** A public client's registration: the most it may be granted. */
export interface ClientRegistration {
  id: string;
  /** Space-separated scopes: context scopes (`launch`, `openid`, …) and resource scopes (`patient/*.cruds`). */
  scope: string;
}

/** What the app (and any extra client registered without a scope) may be granted: patient-level access only. */
export const DEFAULT_CLIENT_SCOPE = [...CONTEXT_SCOPES, 'patient/*.cruds'].join(' ');

const CODE_LIFETIME_MS = 60_000;
/** How long an exchanged code is remembered, so that its replay can revoke what it issued. */
const USED_CODE_MEMORY_MS = 10 * 60_000;
const LAUNCH_LIFETIME_MS = 60 * 60_000;

const token = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export interface AuthServerOptions {
  issuer: string; // http://localhost:PORT
  fhirBaseUrl: string;
  clients: ClientRegistration[];
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
  /** Exchanged codes → the family they started (kept for a while to detect replays). */
  private readonly usedCodes = new Map<string, { family: string; until: number }>();
  /** Access-token jti → family, and the families revoked by a replay. */
  private readonly accessFamilies = new Map<string, string>();
  private readonly revokedFamilies = new Set<string>();

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

  private client(id: string | undefined): ClientRegistration | undefined {
    return this.opts.clients.find((c) => c.id === id);
  }

  /** Requested ∩ supported ∩ the client's registration. */
  private clientScopes(client: ClientRegistration, requested: string): string[] {
    const registered = client.scope.split(/\s+/).filter(Boolean);
    const resourceGrants = grantsOf(client.scope);
    const covered = (g: ResourceGrant) =>
      resourceGrants.some(
        (r) =>
          r.level === g.level &&
          (r.resourceType === '*' || r.resourceType === g.resourceType) &&
          [...g.interactions].every((i) => r.interactions.has(i)),
      );
    return grantScopes(requested).filter((scope) => {
      const grant = parseResourceScope(scope);
      return grant ? covered(grant) : registered.includes(scope);
    });
  }

  /** Revokes every access and refresh token of a family (a replayed code or refresh token). */
  private revokeFamily(family: string): void {
    this.revokedFamilies.add(family);
    for (const [refresh, record] of this.refreshTokens) {
      if (record.family === family) this.refreshTokens.delete(refresh);
    }
  }

  mintLaunch(context: LaunchContext): string {
    const id = token(16);
    this.launches.set(id, { ...context, expiresAt: Date.now() + LAUNCH_LIFETIME_MS });
    return id;
  }

  /** Validates an /authorize request (and /authorize/pick when `pickedPatient` is given). */
  authorize(p: AuthorizeParams, pickedPatient?: string): AuthorizeOutcome {
    const client = this.client(p.client_id);
    if (!p.client_id || !client) {
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
    const scope = this.clientScopes(client, p.scope ?? '');

    let context: LaunchContext;
    if (p.launch) {
      const launch = this.launches.get(p.launch);
      // Single use: a launch id opens one authorization, whatever happens next.
      this.launches.delete(p.launch);
      if (!launch || launch.expiresAt < Date.now())
        return fail('invalid_request', 'Unknown, expired or already used launch.');
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
      const now = Date.now();
      for (const [used, { until }] of this.usedCodes) if (until < now) this.usedCodes.delete(used);
      const replayed = this.usedCodes.get(code);
      if (replayed) {
        // RFC 6749 §4.1.2: a code used twice revokes the tokens issued for it.
        this.revokeFamily(replayed.family);
        throw new TokenError(
          'invalid_grant',
          'The code was already used; the tokens issued for it are revoked.',
        );
      }
      const record = this.codes.get(code);
      // Single use: the code is gone whatever happens next.
      this.codes.delete(code);
      if (!record) throw new TokenError('invalid_grant', 'Unknown or already used code.');
      const family = token(12);
      this.usedCodes.set(code, { family, until: now + USED_CODE_MEMORY_MS });
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
      return this.issue(record.clientId, record.scope, record.context, family);
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const record = this.refreshTokens.get(presented);
      if (!record) throw new TokenError('invalid_grant', 'Unknown or revoked refresh_token.');
      // A public client identifies itself on every grant (RFC 6749 §3.2.1).
      if (!clientId) throw new TokenError('invalid_request', 'client_id is required.');
      if (clientId !== record.clientId) throw new TokenError('invalid_client', 'client_id mismatch.');
      if (record.used) {
        // Rotation: an old refresh token presented again means it leaked; end the whole grant.
        this.revokeFamily(record.family);
        throw new TokenError('invalid_grant', 'The refresh_token was already used; the grant is revoked.');
      }
      record.used = true;
      return this.issue(record.clientId, record.scope, record.context, record.family, true);
    }
    if (!grantType) throw new TokenError('invalid_request', 'grant_type is required.');
    throw new TokenError('unsupported_grant_type', `grant_type ${grantType} is not supported.`);
  }

  private async issue(
    clientId: string,
    scope: string[],
    context: LaunchContext,
    family: string,
    refreshing = false,
  ) {
    const now = Math.floor(Date.now() / 1000);
    const jti = token(12);
    this.accessFamilies.set(jti, family);
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
      .setJti(jti)
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
    if (refreshing || scope.includes('offline_access') || scope.includes('online_access')) {
      // A new refresh token on every grant (rotation), in the same family.
      const refreshToken = token();
      this.refreshTokens.set(refreshToken, { clientId, scope, context, family, used: false });
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
      const family = this.accessFamilies.get(String(payload.jti ?? ''));
      if (family === undefined || this.revokedFamilies.has(family)) {
        throw new AuthError('The access token has been revoked.');
      }
      return {
        sub: String(payload.sub ?? ''),
        scope: typeof payload.scope === 'string' ? payload.scope : '',
        client_id: String(payload.client_id ?? ''),
        ...(typeof payload.patient === 'string' ? { patient: payload.patient } : {}),
        ...(typeof payload.encounter === 'string' ? { encounter: payload.encounter } : {}),
      };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthError('The access token has expired.', true);
      throw new AuthError('Invalid access token.');
    }
  }
}
