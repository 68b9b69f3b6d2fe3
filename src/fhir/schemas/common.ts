/**
 * zod schemas for the FHIR R4 datatypes we read. Loose on unknown fields (EHRs add extensions and elements we do
 * not use), strict on the fields we read: a wrong type there fails the resource, which becomes a DataIssue.
 */
import { z } from 'zod';

export const codingSchema = z.looseObject({
  system: z.string().optional(),
  version: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});

export const codeableConceptSchema = z.looseObject({
  coding: z.array(codingSchema).optional(),
  text: z.string().optional(),
});

export const referenceSchema = z.looseObject({
  reference: z.string().optional(),
  display: z.string().optional(),
  type: z.string().optional(),
});

export const periodSchema = z.looseObject({
  start: z.string().optional(),
  end: z.string().optional(),
});

export const comparatorSchema = z.enum(['<', '<=', '>=', '>']);

export const quantitySchema = z.looseObject({
  value: z.number().optional(),
  comparator: comparatorSchema.optional(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});

export const attachmentSchema = z.looseObject({
  contentType: z.string().optional(),
  language: z.string().optional(),
  /** base64 */
  data: z.string().optional(),
  url: z.string().optional(),
  title: z.string().optional(),
});

export const identifierSchema = z.looseObject({
  use: z.string().optional(),
  type: codeableConceptSchema.optional(),
  system: z.string().optional(),
  value: z.string().optional(),
});

export const humanNameSchema = z.looseObject({
  use: z.string().optional(),
  text: z.string().optional(),
  family: z.string().optional(),
  given: z.array(z.string()).optional(),
});

/** Every resource we accept must say what it is and have an id: evidence must point back to it. */
export const resourceBase = {
  id: z.string().min(1),
};

export type Coding = z.infer<typeof codingSchema>;
export type CodeableConcept = z.infer<typeof codeableConceptSchema>;
export type Reference = z.infer<typeof referenceSchema>;
export type Quantity = z.infer<typeof quantitySchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
export type HumanName = z.infer<typeof humanNameSchema>;
export type Identifier = z.infer<typeof identifierSchema>;
