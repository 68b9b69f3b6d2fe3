/**
 * What crosses between the page and the compute worker (src/ui/worker/compute.ts): plain data only (structured
 * clone). Typed errors travel as `WireError` and become FhirError again on each side. This module imports no
 * mapping and no engine code, so the page's chunk does not carry them.
 */
import type { IssuerConfig } from '../../config/issuers';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs } from '../../engine/inputs';
import type { AssessmentResult } from '../../engine/result';
import { FhirError, type FhirErrorKind } from '../../fhir/errors';
import type { BinariesResult } from '../../fhir/fetch-binaries';
import type { QueryOutcome, QueryResult } from '../../fhir/fetch-queries';
import type { FetchedBinary } from '../../fhir/map/imaging';
import type { Accounting } from '../../fhir/loader';
import type { QueryStatus } from '../../fhir/load-timeline';
import type { QuerySpec } from '../../fhir/queries';

/** A FhirError as plain data (message and codes only: no cause, no PHI). */
export interface WireError {
  readonly kind: FhirErrorKind;
  readonly message: string;
  readonly status?: number;
  readonly outcomeText?: string;
  readonly resourceType?: string;
}

export type WireOutcome =
  | { readonly status: 'ok'; readonly result: QueryResult }
  /** A result the worker already holds: sent once, as its query answered (`StoreMessage`), cited here by ref. */
  | { readonly status: 'stored'; readonly ref: number }
  | { readonly status: 'error'; readonly error: WireError }
  | { readonly status: 'loading' };

export interface WireQueryStatus extends Omit<QueryStatus, 'error'> {
  readonly error?: WireError;
}

export interface WireBinaries {
  readonly binaries: readonly (readonly [string, FetchedBinary])[];
  readonly issues: BinariesResult['issues'];
  readonly requested: number;
  readonly results?: readonly unknown[];
}

export interface AssembleRequest {
  readonly op: 'assemble';
  readonly issuer: IssuerConfig;
  readonly plan: readonly QuerySpec[];
  readonly outcomes: readonly (readonly [string, WireOutcome | undefined])[];
  readonly asOf?: string;
  readonly binaries?: WireBinaries;
  readonly binariesLoading?: boolean;
  /** Keep the timeline in the worker for later `evaluate` requests (the full record; not the labs preview). */
  readonly keep: boolean;
}

export interface AssembleResponse {
  readonly timeline: Timeline;
  readonly queries: readonly WireQueryStatus[];
  readonly accounting?: Accounting;
  /** The id of the kept timeline, for `evaluate` by reference. */
  readonly timelineId?: number;
  /**
   * The kept timeline already evaluated as of the request's `asOf` with no clinician inputs (the usual first
   * screen), so the verdicts need no second trip to the worker; a screen with inputs asks `evaluate` as before.
   */
  readonly result?: AssessmentResult;
}

export interface EvaluateRequest {
  readonly op: 'evaluate';
  /** The timeline itself, or the id of one the worker kept. */
  readonly timeline: Timeline | { readonly id: number };
  readonly asOf: string;
  readonly inputs: ClinicianInputs;
}

/** `unknown-timeline`: the worker no longer holds that id; send the timeline itself. */
export type EvaluateResponse = { readonly result: AssessmentResult } | { readonly unknownTimeline: true };

export type ComputeRequest = AssembleRequest | EvaluateRequest;
export type ComputeResponse = AssembleResponse | EvaluateResponse;

/** Messages between the page and the worker. */
export interface RequestMessage {
  readonly id: number;
  readonly request: ComputeRequest;
}

/**
 * One query's result, posted to the worker the moment it answers (issue 13): the copy is made in small pieces while
 * the rest of the record is still on its way, not in one long task when everything is in; requests then cite it.
 * No answer is sent back.
 */
export interface StoreMessage {
  readonly store: number;
  readonly result: QueryResult;
  /** The screen's evaluation date, for the worker's warm-up run on this result (compute.worker.ts). */
  readonly asOf?: string;
}

/** The page no longer holds that result (garbage-collected): the worker may drop its copy. */
export interface ReleaseMessage {
  readonly release: number;
}

export type PageMessage = RequestMessage | StoreMessage | ReleaseMessage;
export type ResponseMessage =
  | { readonly id: number; readonly ok: true; readonly response: ComputeResponse }
  | { readonly id: number; readonly ok: false; readonly message: string };

export function toWireError(error: FhirError): WireError {
  return {
    kind: error.kind,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.outcomeText !== undefined ? { outcomeText: error.outcomeText } : {}),
    ...(error.resourceType !== undefined ? { resourceType: error.resourceType } : {}),
  };
}

export function fromWireError(error: WireError): FhirError {
  return new FhirError(error.kind, error.message, {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.outcomeText !== undefined ? { outcomeText: error.outcomeText } : {}),
    ...(error.resourceType !== undefined ? { resourceType: error.resourceType } : {}),
  });
}

export function toWireOutcome(outcome: QueryOutcome | undefined): WireOutcome | undefined {
  return outcome?.status === 'error' ? { status: 'error', error: toWireError(outcome.error) } : outcome;
}

/** `stored`: the result the worker holds under that ref (`resolve`); a ref it does not hold is a bug, thrown. */
export function fromWireOutcome(
  outcome: WireOutcome | undefined,
  resolve: (ref: number) => QueryResult | undefined = () => undefined,
): QueryOutcome | undefined {
  if (outcome?.status === 'error') return { status: 'error', error: fromWireError(outcome.error) };
  if (outcome?.status === 'stored') {
    const result = resolve(outcome.ref);
    if (!result) throw new Error('A query result was cited that the computation does not hold.');
    return { status: 'ok', result };
  }
  return outcome;
}

export function toWireBinaries(b: BinariesResult): WireBinaries {
  return {
    binaries: [...b.binaries],
    issues: b.issues,
    requested: b.requested,
    ...(b.results ? { results: b.results } : {}),
  };
}

export function fromWireQueryStatus(q: WireQueryStatus): QueryStatus {
  const { error, ...rest } = q;
  return error ? { ...rest, error: fromWireError(error) } : rest;
}
