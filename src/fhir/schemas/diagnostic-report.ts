import { z } from 'zod';
import {
  attachmentSchema,
  codeableConceptSchema,
  periodSchema,
  referenceSchema,
  resourceBase,
} from './common';

/** FHIR R4 DiagnosticReportStatus (required binding). */
export const diagnosticReportStatusSchema = z.enum([
  'registered',
  'partial',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'appended',
  'cancelled',
  'entered-in-error',
  'unknown',
]);

export const diagnosticReportSchema = z.looseObject({
  resourceType: z.literal('DiagnosticReport'),
  ...resourceBase,
  status: diagnosticReportStatusSchema,
  category: z.array(codeableConceptSchema).optional(),
  code: codeableConceptSchema,
  subject: referenceSchema.optional(),
  effectiveDateTime: z.string().optional(),
  effectivePeriod: periodSchema.optional(),
  issued: z.string().optional(),
  imagingStudy: z.array(referenceSchema).optional(),
  conclusion: z.string().optional(),
  conclusionCode: z.array(codeableConceptSchema).optional(),
  presentedForm: z.array(attachmentSchema).optional(),
});
export type DiagnosticReport = z.infer<typeof diagnosticReportSchema>;
