/**
 * Write-back of the clinician's note as a DocumentReference (US Core "writing clinical notes"): LOINC type from the
 * issuer, category clinical-note, text/plain; charset=utf-8 inline, author from fhirUser, encounter from the launch,
 * and an identifier unique to the draft so the create is conditional (If-None-Exist) and a retry cannot duplicate.
 * Epic: Clinical Notes create wants an encounter. Oracle Health: docStatus final, exactly one author, context.period
 * with an end, 201 with an empty body and a Location header (shared/ehr-integration.md).
 */
import { z } from 'zod';
import type { IssuerConfig } from '../config/issuers';
import type { FhirSession } from './client';
import { FhirError } from './errors';

export const NOTE_IDENTIFIER_SYSTEM = 'urn:tace-navigator:note-draft';
export const LOINC_SYSTEM = 'http://loinc.org';
export const US_CORE_DOC_CATEGORY_SYSTEM =
  'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
export const NOTE_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** LOINC clinical-note document types (US Core DocumentReference type binding examples). */
const LOINC_NOTE_TYPES: Record<string, string> = {
  '11506-3': 'Progress note',
  '11488-4': 'Consult note',
  '34117-2': 'History and physical note',
  '28570-0': 'Procedure note',
  '18842-5': 'Discharge summary',
  '34746-8': 'Nurse note',
};

export function noteTypeDisplay(loinc: string): string {
  return LOINC_NOTE_TYPES[loinc] ?? `LOINC ${loinc}`;
}

/** The clinician's draft: its text and the identifier minted when the draft was created (kept across retries). */
export interface NoteDraft {
  /** A UUID; the DocumentReference identifier value. */
  id: string;
  text: string;
  /**
   * A revision: the server id of the note already in the chart that this one replaces (US Core: a new document
   * with `relatesTo.code = replaces`, its own identifier).
   */
  replaces?: string | undefined;
}

export interface NoteWriteContext {
  patientId: string;
  encounterId: string | undefined;
  /** `Practitioner/123` (or an absolute URL ending so), from the id_token's fhirUser claim. */
  fhirUser: string | undefined;
  docStatus: IssuerConfig['writeBack']['docStatus'];
  typeLoinc: string;
  /** ISO instant of the write (the caller's clock). */
  now: string;
}

/** UTF-8 bytes → base64, safe for any Unicode (btoa alone throws on non-Latin-1 characters). */
export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToUtf8(data: string): string {
  const binary = atob(data);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** `Practitioner/123` from `Practitioner/123` or `https://ehr/fhir/Practitioner/123`; undefined otherwise. */
export function authorReference(fhirUser: string | undefined): string | undefined {
  if (!fhirUser) return undefined;
  const match =
    /(?:^|\/)((?:Practitioner|PractitionerRole|Patient|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64})$/.exec(
      fhirUser,
    );
  return match?.[1];
}

export function noteIfNoneExist(draftId: string): string {
  // As servers expect it (`identifier=system|value`); the system is a fixed URN and the value a UUID.
  return `identifier=${NOTE_IDENTIFIER_SYSTEM}|${draftId}`;
}

const reference = (pattern: RegExp) => z.object({ reference: z.string().regex(pattern) });
const FHIR_ID = '[A-Za-z0-9\\-.]{1,64}';

/** What we send, checked before sending: a bug here must fail in the app, not reach the chart. */
export const noteDocumentReferenceSchema = z.strictObject({
  resourceType: z.literal('DocumentReference'),
  identifier: z.array(z.object({ system: z.literal(NOTE_IDENTIFIER_SYSTEM), value: z.uuid() })).length(1),
  status: z.literal('current'),
  docStatus: z.enum(['preliminary', 'final']),
  type: z.object({
    coding: z
      .array(
        z.object({
          system: z.literal(LOINC_SYSTEM),
          code: z.string().regex(/^\d{1,7}-\d$/),
          display: z.string().min(1),
        }),
      )
      .length(1),
    text: z.string().min(1),
  }),
  category: z
    .array(
      z.object({
        coding: z
          .array(
            z.object({
              system: z.literal(US_CORE_DOC_CATEGORY_SYSTEM),
              code: z.literal('clinical-note'),
              display: z.string(),
            }),
          )
          .length(1),
      }),
    )
    .length(1),
  subject: reference(new RegExp(`^Patient/${FHIR_ID}$`)),
  date: z.iso.datetime({ offset: true }),
  author: z
    .array(reference(new RegExp(`^[A-Za-z]+/${FHIR_ID}$`)))
    .max(1)
    .optional(),
  description: z.string(),
  content: z
    .array(
      z.object({
        attachment: z.object({
          contentType: z.literal(NOTE_CONTENT_TYPE),
          language: z.string().optional(),
          data: z.base64().min(1),
          title: z.string(),
          creation: z.iso.datetime({ offset: true }),
        }),
      }),
    )
    .length(1),
  context: z.object({
    encounter: z
      .array(reference(new RegExp(`^Encounter/${FHIR_ID}$`)))
      .length(1)
      .optional(),
    period: z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }),
  }),
  relatesTo: z
    .array(
      z.object({
        code: z.literal('replaces'),
        target: reference(new RegExp(`^DocumentReference/${FHIR_ID}$`)),
      }),
    )
    .length(1)
    .optional(),
});
export type NoteDocumentReference = z.infer<typeof noteDocumentReferenceSchema>;

/** The DocumentReference for a draft (pure: the time is an input). Throws FhirError('client') if it fails the schema. */
export function buildNoteDocumentReference(draft: NoteDraft, ctx: NoteWriteContext): NoteDocumentReference {
  const display = noteTypeDisplay(ctx.typeLoinc);
  const author = authorReference(ctx.fhirUser);
  const resource = {
    resourceType: 'DocumentReference' as const,
    identifier: [{ system: NOTE_IDENTIFIER_SYSTEM, value: draft.id }],
    status: 'current' as const,
    docStatus: ctx.docStatus,
    type: {
      coding: [{ system: LOINC_SYSTEM, code: ctx.typeLoinc, display }],
      text: display,
    },
    category: [
      {
        coding: [{ system: US_CORE_DOC_CATEGORY_SYSTEM, code: 'clinical-note', display: 'Clinical Note' }],
      },
    ],
    subject: { reference: `Patient/${ctx.patientId}` },
    date: ctx.now,
    ...(author ? { author: [{ reference: author }] } : {}),
    description: draft.replaces
      ? 'TACE review (decision-support summary, edited by the clinician), revision'
      : 'TACE review (decision-support summary, edited by the clinician)',
    content: [
      {
        attachment: {
          contentType: NOTE_CONTENT_TYPE,
          data: utf8ToBase64(draft.text),
          title: 'TACE review note',
          creation: ctx.now,
        },
      },
    ],
    context: {
      ...(ctx.encounterId ? { encounter: [{ reference: `Encounter/${ctx.encounterId}` }] } : {}),
      // Oracle Health requires a period with an end.
      period: { start: ctx.now, end: ctx.now },
    },
    ...(draft.replaces
      ? {
          relatesTo: [
            { code: 'replaces' as const, target: { reference: `DocumentReference/${draft.replaces}` } },
          ],
        }
      : {}),
  };
  const parsed = noteDocumentReferenceSchema.safeParse(resource);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new FhirError(
      'client',
      `The note could not be prepared (${first ? first.path.join('.') || 'resource' : 'resource'}: ${first?.message ?? 'invalid'}).`,
      { resourceType: 'DocumentReference' },
    );
  }
  return parsed.data;
}

/** What the confirmation step shows: exactly what will be written, in words (no FHIR JSON in the UI). */
export interface NoteWritePreview {
  typeDisplay: string;
  typeCode: string;
  date: string;
  author: string | undefined;
  encounter: string | undefined;
  status: 'current';
  docStatus: IssuerConfig['writeBack']['docStatus'];
  identifier: string;
  /** `DocumentReference/<id>` when this note is a revision that replaces a note already in the chart. */
  replaces: string | undefined;
}

export function noteWritePreview(session: FhirSession, draft: NoteDraft, now: string): NoteWritePreview {
  return {
    typeDisplay: noteTypeDisplay(session.issuer.writeBack.typeLoinc),
    typeCode: session.issuer.writeBack.typeLoinc,
    date: now,
    author: authorReference(session.context.fhirUser),
    encounter: session.context.encounterId ? `Encounter/${session.context.encounterId}` : undefined,
    status: 'current',
    docStatus: session.issuer.writeBack.docStatus,
    identifier: `${NOTE_IDENTIFIER_SYSTEM}|${draft.id}`,
    replaces: draft.replaces ? `DocumentReference/${draft.replaces}` : undefined,
  };
}

export interface SavedNote {
  /** The server's id, from the body or the Location header; undefined when the server sent neither. */
  id: string | undefined;
  /** true when the server answered 200: a note with this draft's identifier was already in the chart. */
  existing: boolean;
  status: number;
  /**
   * Whether the chart holds exactly the draft's text: `same` on 201 (the server stored what we sent) or when the
   * existing note's attachment decodes to the draft's text; `different` when the clinician edited since that note
   * was written (a lost response, a reload, an edit); `unknown` when the existing note's text could not be read.
   * Only `same` lets the caller delete the draft.
   */
  chartText: 'same' | 'different' | 'unknown';
}

/** `…/DocumentReference/abc/_history/2` or `DocumentReference/abc` → `abc`. */
export function idFromLocation(
  location: string | undefined,
  resourceType = 'DocumentReference',
): string | undefined {
  if (!location) return undefined;
  const match = new RegExp(`(?:^|/)${resourceType}/(${FHIR_ID})(?:/_history/[^/?#]+)?/?(?:[?#].*)?$`).exec(
    location,
  );
  return match?.[1];
}

const createdBodySchema = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  id: z.string().min(1),
});

const storedNoteSchema = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  id: z.string().min(1),
  identifier: z
    .array(z.looseObject({ system: z.string().optional(), value: z.string().optional() }))
    .optional(),
  content: z
    .array(z.looseObject({ attachment: z.looseObject({ data: z.string().optional() }).optional() }))
    .optional(),
});
type StoredNote = z.infer<typeof storedNoteSchema>;

/** The decoded text of a stored note's first inline attachment; undefined when it has none or it is not base64. */
export function storedNoteText(resource: unknown): string | undefined {
  const parsed = storedNoteSchema.safeParse(resource);
  const data = parsed.success ? parsed.data.content?.[0]?.attachment?.data : undefined;
  if (data === undefined) return undefined;
  try {
    return base64ToUtf8(data);
  } catch {
    return undefined;
  }
}

const holdsIdentifier = (note: StoredNote, draftId: string) =>
  note.identifier?.some((i) => i.system === NOTE_IDENTIFIER_SYSTEM && i.value === draftId) === true;

/**
 * The note already in the chart under the draft's identifier, when the create's answer did not carry its text
 * (Oracle-like empty bodies): read by id when the server named it, else searched by identifier. Undefined when it
 * cannot be found or read (the caller then keeps the draft).
 */
export async function findExistingNote(
  session: FhirSession,
  draftId: string,
  id: string | undefined,
  signal?: AbortSignal,
): Promise<{ id: string; text: string | undefined } | undefined> {
  const opts = signal ? { signal } : {};
  try {
    if (id) {
      const read = storedNoteSchema.safeParse(await session.get(`DocumentReference/${id}`, opts));
      if (read.success) return { id: read.data.id, text: storedNoteText(read.data) };
    }
    const query = new URLSearchParams({
      patient: session.context.patientId,
      identifier: `${NOTE_IDENTIFIER_SYSTEM}|${draftId}`,
    });
    const bundle = (await session.get(`DocumentReference?${query.toString()}`, opts)) as {
      entry?: { resource?: unknown }[];
    } | null;
    for (const entry of bundle?.entry ?? []) {
      const note = storedNoteSchema.safeParse(entry.resource);
      if (note.success && holdsIdentifier(note.data, draftId)) {
        return { id: note.data.id, text: storedNoteText(note.data) };
      }
    }
  } catch {
    // Not readable: unknown, so the draft is kept.
  }
  return undefined;
}

export interface SaveNoteOptions {
  /** ISO instant for `date` and `context.period` (default: now). */
  now?: () => string;
  /** Waits between attempts after a 5xx/429/network failure (default [1000, 3000]: two retries). */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  /** Called before each attempt (1-based), for progress display. */
  onAttempt?: (attempt: number) => void;
}

const RETRIABLE = new Set(['server', 'network', 'rate-limited']);

/**
 * Conditional create of the draft's note, with bounded retries of transient failures (the identifier makes them
 * safe). Throws FhirError: session-expired (401), forbidden (403), client (4xx, with the OperationOutcome text),
 * server / network / rate-limited after the retries.
 */
export async function saveNote(
  session: FhirSession,
  draft: NoteDraft,
  options: SaveNoteOptions = {},
): Promise<SavedNote> {
  const now = options.now ?? (() => new Date().toISOString());
  const delays = options.retryDelaysMs ?? [1000, 3000];
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const resource = buildNoteDocumentReference(draft, {
    patientId: session.context.patientId,
    encounterId: session.context.encounterId,
    fhirUser: session.context.fhirUser,
    docStatus: session.issuer.writeBack.docStatus,
    typeLoinc: session.issuer.writeBack.typeLoinc,
    now: now(),
  });
  for (let attempt = 1; ; attempt++) {
    options.onAttempt?.(attempt);
    try {
      const response = await session.create('DocumentReference', resource, {
        ifNoneExist: noteIfNoneExist(draft.id),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const body = createdBodySchema.safeParse(response.body);
      const id = body.success ? body.data.id : idFromLocation(response.location);
      if (response.status !== 200) return { id, existing: false, status: response.status, chartText: 'same' };
      // 200: a note with this identifier was already there (an earlier save whose answer was lost). It holds the
      // text of that save, which may not be the text the clinician has now.
      let existingId = id;
      let text = storedNoteText(response.body);
      if (text === undefined) {
        const found = await findExistingNote(session, draft.id, id, options.signal);
        existingId = found?.id ?? id;
        text = found?.text;
      }
      const chartText = text === undefined ? 'unknown' : text === draft.text ? 'same' : 'different';
      return { id: existingId, existing: true, status: response.status, chartText };
    } catch (error: unknown) {
      const fhirError =
        error instanceof FhirError
          ? error
          : new FhirError('network', 'The note could not be sent.', {
              resourceType: 'DocumentReference',
              cause: error,
            });
      const delay = delays[attempt - 1];
      if (!RETRIABLE.has(fhirError.kind) || delay === undefined || options.signal?.aborted) throw fhirError;
      await sleep(delay);
    }
  }
}
