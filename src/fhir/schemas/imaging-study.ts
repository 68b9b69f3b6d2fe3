import { z } from 'zod';
import { codingSchema, identifierSchema, referenceSchema, resourceBase } from './common';

export const imagingStudySchema = z.looseObject({
  resourceType: z.literal('ImagingStudy'),
  ...resourceBase,
  /** Study Instance UID and accession number (type ACSN): reports of the same study share them. */
  identifier: z.array(identifierSchema).optional(),
  status: z.enum(['registered', 'available', 'cancelled', 'entered-in-error', 'unknown']),
  subject: referenceSchema.optional(),
  started: z.string().optional(),
  modality: z.array(codingSchema).optional(),
  description: z.string().optional(),
  numberOfSeries: z.number().optional(),
});
export type ImagingStudy = z.infer<typeof imagingStudySchema>;
