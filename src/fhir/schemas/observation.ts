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

/**
 * One `Observation.component` (FHIR R4: code 1..1, value[x] 0..1): a panel such as a hepatic function panel may
 * carry each result as a component with its own LOINC code and value instead of as separate Observations.
 */
export const observationComponentSchema = z.looseObject({
  // Required by FHIR; optional here so that one malformed component is listed on its own (map/labs.ts) rather
  // than failing the whole panel (and the imaging mapper, which reads the same schema).
  code: codeableConceptSchema.optional(),
  valueQuantity: quantitySchema.optional(),
  valueString: z.string().optional(),
  valueCodeableConcept: codeableConceptSchema.optional(),
  dataAbsentReason: codeableConceptSchema.optional(),
  referenceRange: z.array(referenceRangeSchema).optional(),
});
export type ObservationComponent = z.infer<typeof observationComponentSchema>;

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
  effectiveInstant: z.string().optional(),
  issued: z.string().optional(),
  valueQuantity: quantitySchema.optional(),
  valueString: z.string().optional(),
  valueCodeableConcept: codeableConceptSchema.optional(),
  dataAbsentReason: codeableConceptSchema.optional(),
  referenceRange: z.array(referenceRangeSchema).optional(),
  derivedFrom: z.array(referenceSchema).optional(),
  focus: z.array(referenceSchema).optional(),
  component: z.array(observationComponentSchema).optional(),
  extension: z.array(z.looseObject({ url: z.string() })).optional(),
  modifierExtension: z.array(z.looseObject({ url: z.string() })).optional(),
});
export type Observation = z.infer<typeof observationSchema>;
