import { z } from 'zod';
import { codeableConceptSchema, periodSchema, quantitySchema, referenceSchema, resourceBase } from './common';

/** FHIR R4 ObservationStatus (required binding). */
export const observationStatusSchema = z.enum([
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
]);

export const referenceRangeSchema = z.looseObject({
  low: quantitySchema.optional(),
  high: quantitySchema.optional(),
  text: z.string().optional(),
});

/** Observation parts read for labs and for mCODE disease status (97509-4). */
export const observationSchema = z.looseObject({
  resourceType: z.literal('Observation'),
  ...resourceBase,
  status: observationStatusSchema,
  category: z.array(codeableConceptSchema).optional(),
  code: codeableConceptSchema,
  subject: referenceSchema.optional(),
  effectiveDateTime: z.string().optional(),
  effectivePeriod: periodSchema.optional(),
  issued: z.string().optional(),
  valueQuantity: quantitySchema.optional(),
  valueString: z.string().optional(),
  valueCodeableConcept: codeableConceptSchema.optional(),
  dataAbsentReason: codeableConceptSchema.optional(),
  referenceRange: z.array(referenceRangeSchema).optional(),
  derivedFrom: z.array(referenceSchema).optional(),
  focus: z.array(referenceSchema).optional(),
  extension: z.array(z.looseObject({ url: z.string() })).optional(),
});
export type Observation = z.infer<typeof observationSchema>;
