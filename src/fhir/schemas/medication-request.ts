import { z } from 'zod';
import { codeableConceptSchema, periodSchema, referenceSchema, resourceBase } from './common';

export const medicationSchema = z.looseObject({
  resourceType: z.literal('Medication'),
  id: z.string().optional(),
  code: codeableConceptSchema.optional(),
});
export type Medication = z.infer<typeof medicationSchema>;

/** FHIR R4 MedicationRequest status (required binding). */
export const medicationRequestStatusSchema = z.enum([
  'active',
  'on-hold',
  'cancelled',
  'completed',
  'entered-in-error',
  'stopped',
  'draft',
  'unknown',
]);

export const medicationRequestSchema = z.looseObject({
  resourceType: z.literal('MedicationRequest'),
  ...resourceBase,
  status: medicationRequestStatusSchema,
  intent: z.string().optional(),
  medicationCodeableConcept: codeableConceptSchema.optional(),
  medicationReference: referenceSchema.optional(),
  /** Contained resources: only Medication is read; others pass through untouched. */
  contained: z.array(z.looseObject({ resourceType: z.string(), id: z.string().optional() })).optional(),
  subject: referenceSchema.optional(),
  authoredOn: z.string().optional(),
  dispenseRequest: z.looseObject({ validityPeriod: periodSchema.optional() }).optional(),
});
export type MedicationRequest = z.infer<typeof medicationRequestSchema>;
