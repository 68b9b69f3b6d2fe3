/**
 * Typed errors the data layer throws; the UI decides what to show. Messages never carry PHI
 * (no resource content, no patient identifiers), so they are safe to log.
 */
export type FhirErrorKind =
  | 'not-launched' // no SMART state: the page was opened directly
  | 'session-expired' // 401, or the token could not be refreshed
  | 'forbidden' // 403: the EHR did not grant this data
  | 'rate-limited' // 429 / 503 after bounded retries
  | 'server' // 5xx
  | 'network' // no answer / aborted / truncated body
  | 'invalid-response' // the body was not what FHIR promised
  | 'client'; // other 4xx

export class FhirError extends Error {
  readonly kind: FhirErrorKind;
  readonly status: number | undefined;
  /** The server's OperationOutcome diagnostics/details text, when it sent one. */
  readonly outcomeText: string | undefined;
  readonly resourceType: string | undefined;

  constructor(
    kind: FhirErrorKind,
    message: string,
    options: { status?: number; outcomeText?: string; resourceType?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FhirError';
    this.kind = kind;
    this.status = options.status;
    this.outcomeText = options.outcomeText;
    this.resourceType = options.resourceType;
  }
}

export function kindForStatus(status: number): FhirErrorKind {
  if (status === 401) return 'session-expired';
  if (status === 403) return 'forbidden';
  if (status === 429 || status === 503) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'client';
}
