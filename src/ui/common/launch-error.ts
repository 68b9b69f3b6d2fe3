import { FhirError } from '../../fhir/errors';

/**
 * Why the SMART launch could not be completed on the app page (after the authorization server sent the user
 * back), in terms of what to check. Built from the error fhirclient's `ready()` threw and from the redirect's
 * query parameters, read once at boot before fhirclient cleans the URL.
 */
export type LaunchProblemKind =
  | 'access_denied'
  | 'invalid_client'
  | 'invalid_scope'
  | 'invalid_grant'
  | 'oauth-other'
  | 'unreachable'
  | 'state-mismatch'
  | 'storage-blocked'
  | 'not-launched'
  | 'unknown';

export class LaunchError extends Error {
  readonly problem: LaunchProblemKind;
  /** The OAuth `error` code, as sent by the server. */
  readonly oauthError: string | undefined;
  /** The server's `error_description`: shown as text only, never as HTML. */
  readonly serverDescription: string | undefined;
  /** The token endpoint's HTTP status, when it answered without an OAuth error code. */
  readonly httpStatus: number | undefined;

  constructor(
    problem: LaunchProblemKind,
    options: { oauthError?: string; serverDescription?: string; httpStatus?: number; cause?: unknown } = {},
  ) {
    super(
      `SMART launch failed: ${problem}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'LaunchError';
    this.problem = problem;
    this.oauthError = options.oauthError;
    this.serverDescription = options.serverDescription;
    this.httpStatus = options.httpStatus;
  }
}

/** The parts of the redirect URL the explanation needs; no code, no token, nothing else is kept. */
export interface BootParams {
  hadState: boolean;
  error: string | undefined;
  errorDescription: string | undefined;
}

export function bootParams(search: string): BootParams {
  const params = new URLSearchParams(search);
  return {
    hadState: params.has('state'),
    error: params.get('error') ?? undefined,
    errorDescription: params.get('error_description') ?? undefined,
  };
}

const MAX_DESCRIPTION = 500;
const OAUTH_CODE = /^[a-z_]{3,64}$/;

function cleanDescription(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // Control characters out, one line, bounded: it is shown as text, but need not be a wall of it.
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (!flat) return undefined;
  return flat.length > MAX_DESCRIPTION ? `${flat.slice(0, MAX_DESCRIPTION)}…` : flat;
}

function problemForCode(code: string): LaunchProblemKind {
  switch (code) {
    case 'access_denied':
    case 'invalid_client':
    case 'invalid_scope':
    case 'invalid_grant':
      return code;
    default:
      return 'oauth-other';
  }
}

/**
 * fhirclient's token-exchange failure is an HttpError whose parsed message is
 * `400 Bad Request\nURL: <token url>\ninvalid_grant: <description>`.
 */
function oauthFromHttpError(error: Error): { code: string; description?: string } | undefined {
  if (error.name !== 'HttpError') return undefined;
  const lines = error.message.split('\n').slice(2);
  for (const line of lines) {
    const match = /^([a-z_]+)(?::\s?(.*))?$/s.exec(line.trim());
    if (match?.[1] && OAUTH_CODE.test(match[1])) {
      return { code: match[1], ...(match[2] ? { description: match[2] } : {}) };
    }
  }
  return undefined;
}

function isStorageError(error: Error): boolean {
  return (
    error.name === 'SecurityError' || /sessionStorage|Access is denied for this document/i.test(error.message)
  );
}

/**
 * Turns what `connectSmart()` rejected with into a LaunchError when the failure was the SMART launch itself;
 * any other error (configuration, registry) is returned unchanged.
 */
export function explainLaunchError(error: unknown, boot: BootParams): unknown {
  // connectSmart wraps every ready() failure in a FhirError with the original as `cause`.
  const launchWrapped =
    error instanceof FhirError &&
    (error.kind === 'not-launched' || error.kind === 'session-expired') &&
    error.cause !== undefined;
  if (!launchWrapped) return error;
  const cause = error.cause;
  if (boot.error && OAUTH_CODE.test(boot.error)) {
    const description = cleanDescription(boot.errorDescription);
    return new LaunchError(problemForCode(boot.error), {
      oauthError: boot.error,
      ...(description ? { serverDescription: description } : {}),
      cause,
    });
  }
  if (!(cause instanceof Error)) return new LaunchError('unknown', { cause });
  if (isStorageError(cause)) return new LaunchError('storage-blocked', { cause });
  const oauth = oauthFromHttpError(cause);
  if (oauth) {
    const description = cleanDescription(oauth.description);
    return new LaunchError(problemForCode(oauth.code), {
      oauthError: oauth.code,
      ...(description ? { serverDescription: description } : {}),
      cause,
    });
  }
  if (cause.name === 'HttpError') {
    const status = 'status' in cause && typeof cause.status === 'number' ? cause.status : undefined;
    return new LaunchError('oauth-other', { ...(status ? { httpStatus: status } : {}), cause });
  }
  // Browsers reject fetch with a TypeError ("Failed to fetch"); node-fetch (fhirclient outside a browser build)
  // with a FetchError.
  if (
    cause instanceof TypeError ||
    cause.name === 'FetchError' ||
    /Failed to fetch|NetworkError|Load failed/i.test(cause.message)
  ) {
    return new LaunchError('unreachable', { cause });
  }
  if (/No state found/i.test(cause.message)) {
    return new LaunchError(boot.hadState ? 'state-mismatch' : 'not-launched', { cause });
  }
  if (/No 'state' parameter found/i.test(cause.message)) return new LaunchError('not-launched', { cause });
  return new LaunchError('unknown', { cause });
}
