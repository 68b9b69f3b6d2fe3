import { z } from 'zod';
import {
  attachmentSchema,
  codeableConceptSchema,
  periodSchema,
  referenceSchema,
  resourceBase,
} from './common';

/** FHIR R4 DocumentReferenceStatus (required binding): current | superseded | entered-in-error. */
export const documentReferenceStatusSchema = z.enum(['current', 'superseded', 'entered-in-error']);

/** FHIR R4 CompositionStatus, bound to DocumentReference.docStatus: preliminary | final | amended | entered-in-error. */
export const documentStatusSchema = z.enum(['preliminary', 'final', 'amended', 'entered-in-error']);

/**
 * The DocumentReference parts read for imaging notes (radiology reports exposed as documents). The narrative
 * `text.div` is not read: it is the server's rendering of the resource, not the document.
 */
export const documentReferenceSchema = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  ...resourceBase,
  status: documentReferenceStatusSchema,
  docStatus: documentStatusSchema.optional(),
  type: codeableConceptSchema.optional(),
  category: z.array(codeableConceptSchema).optional(),
  subject: referenceSchema.optional(),
  date: z.string().optional(),
  description: z.string().optional(),
  /** One entry per format of the same document (PDF, HTML, plain text …). */
  content: z
    .array(
      z.looseObject({
        attachment: attachmentSchema,
        format: z.looseObject({ system: z.string().optional(), code: z.string().optional() }).optional(),
      }),
    )
    .min(1),
  context: z
    .looseObject({
      encounter: z.array(referenceSchema).optional(),
      period: periodSchema.optional(),
      /** Related resources, e.g. the DiagnosticReport this document renders. */
      related: z.array(referenceSchema).optional(),
    })
    .optional(),
  relatesTo: z
    .array(z.looseObject({ code: z.string().optional(), target: referenceSchema.optional() }))
    .optional(),
  /** Contained resources (a contained Binary referenced `#id` from an attachment); parsed one by one. */
  contained: z.array(z.unknown()).optional(),
});
export type DocumentReference = z.infer<typeof documentReferenceSchema>;
