import { z } from 'zod';
import { codeableConceptSchema, periodSchema, referenceSchema, resourceBase } from './common';

/** FHIR R4 EventStatus (required binding). */
export const procedureStatusSchema = z.enum([
  'preparation',
  'in-progress',
  'not-done',
  'on-hold',
  'stopped',
  'completed',
  'entered-in-error',
  'unknown',
]);

export const procedureSchema = z.looseObject({
  resourceType: z.literal('Procedure'),
  ...resourceBase,
  status: procedureStatusSchema,
  statusReason: codeableConceptSchema.optional(),
  code: codeableConceptSchema.optional(),
  subject: referenceSchema.optional(),
  performedDateTime: z.string().optional(),
  performedPeriod: periodSchema.optional(),
  bodySite: z.array(codeableConceptSchema).optional(),
  note: z.array(z.looseObject({ text: z.string().optional() })).optional(),
  extension: z.array(z.looseObject({ url: z.string() })).optional(),
});
export type Procedure = z.infer<typeof procedureSchema>;
