import { z } from 'zod';
import { codeableConceptSchema, periodSchema, referenceSchema, resourceBase } from './common';

export const conditionSchema = z.looseObject({
  resourceType: z.literal('Condition'),
  ...resourceBase,
  clinicalStatus: codeableConceptSchema.optional(),
  verificationStatus: codeableConceptSchema.optional(),
  category: z.array(codeableConceptSchema).optional(),
  /** Condition.severity (SNOMED 255604002 mild, 6736007 moderate, 24484000 severe): read for Child-Pugh grades. */
  severity: codeableConceptSchema.optional(),
  code: codeableConceptSchema.optional(),
  subject: referenceSchema.optional(),
  onsetDateTime: z.string().optional(),
  onsetPeriod: periodSchema.optional(),
  recordedDate: z.string().optional(),
});
export type Condition = z.infer<typeof conditionSchema>;
