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
  return { binaries, issues, requested: wanted.length };
}
