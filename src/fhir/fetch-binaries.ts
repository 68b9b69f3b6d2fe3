/**
 * Report narratives referenced by `DiagnosticReport.presentedForm.url` (Oracle Health serves them as Binary URLs):
 * fetched with `Accept` set to the attachment's contentType, de-duplicated by URL, only on the connected server.
 * A narrative that cannot be fetched is a DataIssue (the imaging mapper also notes the report it belonged to).
 */
import type { DataIssue } from '../domain/source';
import type { FhirSession } from './client';
import { FhirError } from './errors';
import type { FetchedBinary } from './map/imaging';

/** More than this many narrative URLs in one chart is not plausible for one review; the rest is left unread. */
export const MAX_BINARIES = 200;

export interface BinariesResult {
  readonly binaries: ReadonlyMap<string, FetchedBinary>;
  readonly issues: readonly DataIssue[];
  readonly requested: number;
  /**
   * The Observations the reports point at in `result` (impression / findings text on Epic-style reports), read by
   * id: the lab searches only return lab-coded ones. The loader reads the narrative ones with their report.
   */
  readonly results?: readonly unknown[];
}

/** `result` references of the given reports that name an Observation on this server, each once, in order. */
export function resultObservationRefs(reports: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const report of reports) {
    if (typeof report !== 'object' || report === null) continue;
    const results = (report as { result?: unknown }).result;
    if (!Array.isArray(results)) continue;
    for (const ref of results as unknown[]) {
      const reference =
        typeof ref === 'object' && ref !== null ? (ref as { reference?: unknown }).reference : undefined;
      if (typeof reference === 'string' && /(?:^|\/)Observation\/[A-Za-z0-9\-.]{1,64}$/.test(reference))
        out.add(reference);
    }
  }
  return [...out];
}

interface FormRef {
  readonly url: string;
  readonly contentType: string | undefined;
}

/**
 * The narrative URLs (without inline data) of the given reports and notes, in order, each once: a
 * DiagnosticReport's `presentedForm`, a DocumentReference's `content[].attachment`.
 */
export function narrativeUrls(reports: readonly unknown[]): FormRef[] {
  const out = new Map<string, FormRef>();
  for (const report of reports) {
    if (typeof report !== 'object' || report === null) continue;
    const r = report as { presentedForm?: unknown; content?: unknown };
    const attachments = Array.isArray(r.content)
      ? (r.content as unknown[]).map((c) =>
          typeof c === 'object' && c !== null ? (c as { attachment?: unknown }).attachment : undefined,
        )
      : [];
    const forms = [...(Array.isArray(r.presentedForm) ? (r.presentedForm as unknown[]) : []), ...attachments];
    for (const form of forms) {
      if (typeof form !== 'object' || form === null) continue;
      const { url, data, contentType } = form as { url?: unknown; data?: unknown; contentType?: unknown };
      if (typeof url !== 'string' || url.length === 0 || typeof data === 'string') continue;
      if (!out.has(url))
        out.set(url, { url, contentType: typeof contentType === 'string' ? contentType : undefined });
    }
  }
  return [...out.values()];
}

function decodeBase64Utf8(data: string): string {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8').decode(bytes);
}

/** A FHIR Binary in JSON (when the server ignores `Accept`) → its decoded content. */
function unwrapBinaryJson(text: string, contentType: string | undefined): FetchedBinary | undefined {
  if (!contentType || !/json/i.test(contentType)) return undefined;
  try {
    const body = JSON.parse(text) as { resourceType?: unknown; data?: unknown; contentType?: unknown };
    if (body.resourceType !== 'Binary' || typeof body.data !== 'string') return undefined;
    return {
      text: decodeBase64Utf8(body.data),
      ...(typeof body.contentType === 'string' ? { contentType: body.contentType } : {}),
    };
  } catch {
    return undefined;
  }
}

export async function fetchReportBinaries(
  session: FhirSession,
  reports: readonly unknown[],
  signal?: AbortSignal,
): Promise<BinariesResult> {
  const issues: DataIssue[] = [];
  const all = narrativeUrls(reports);
  const wanted = all.slice(0, MAX_BINARIES);
  if (all.length > wanted.length) {
    issues.push({
      resourceType: 'Binary',
      reason: `only the first ${MAX_BINARIES} of ${all.length} report narratives were fetched`,
      kind: 'warning',
    });
  }
  const binaries = new Map<string, FetchedBinary>();
  await Promise.all(
    wanted.map(async ({ url, contentType }) => {
      if (session.resolve(url) === undefined) {
        issues.push({
          resourceType: 'Binary',
          reason: 'a report narrative is stored on another server and was not fetched',
          kind: 'warning',
        });
        return;
      }
      try {
        const got = await session.getText(url, {
          accept: contentType ?? 'text/plain',
          ...(signal ? { signal } : {}),
        });
        const unwrapped = unwrapBinaryJson(got.text, got.contentType);
        // The server's Content-Type describes the body actually sent; the attachment's is the fallback.
        const type = got.contentType ?? contentType;
        binaries.set(url, unwrapped ?? { text: got.text, ...(type ? { contentType: type } : {}) });
      } catch (error: unknown) {
        const why = error instanceof FhirError && error.status ? ` (${error.status})` : '';
        issues.push({
          resourceType: 'Binary',
          reason: `a report narrative could not be fetched${why}`,
          kind: 'warning',
        });
      }
    }),
  );
  const results = await fetchResultObservations(session, reports, issues, signal);
  return { binaries, issues, requested: wanted.length, results };
}

async function fetchResultObservations(
  session: FhirSession,
  reports: readonly unknown[],
  issues: DataIssue[],
  signal?: AbortSignal,
): Promise<unknown[]> {
  const refs = resultObservationRefs(reports);
  const wanted = refs.slice(0, MAX_BINARIES);
  if (refs.length > wanted.length)
    issues.push({
      resourceType: 'Observation',
      reason: `only the first ${MAX_BINARIES} of ${refs.length} report result Observations were read`,
      kind: 'warning',
    });
  const out: unknown[] = [];
  let failed = 0;
  await Promise.all(
    wanted.map(async (ref) => {
      if (session.resolve(ref) === undefined) return;
      try {
        const body = await session.get(ref, signal ? { signal } : {});
        if ((body as { resourceType?: unknown } | undefined)?.resourceType === 'Observation') out.push(body);
        else failed += 1;
      } catch {
        failed += 1;
      }
    }),
  );
  if (failed > 0)
    issues.push({
      resourceType: 'Observation',
      reason: `${failed} report result Observation(s) could not be read: their report text may be incomplete`,
      kind: 'warning',
    });
  return out;
}
