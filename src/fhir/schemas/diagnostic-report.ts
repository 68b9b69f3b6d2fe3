import { z } from 'zod';
import {
  attachmentSchema,
  codeableConceptSchema,
  identifierSchema,
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
  /**
   * Business identifiers (e.g. Oracle Health sends the accession number as a second identifier with an `/acsn`
   * system): versions of one report (preliminary → final → amended) share them.
   */
  identifier: z.array(identifierSchema).optional(),
  /** The order (ServiceRequest) the report fulfils: versions of one study share it. */
  basedOn: z.array(referenceSchema).optional(),
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
  /** Observations of the report: narrative ones (impression, findings as valueString) are read with the report. */
  result: z.array(referenceSchema).optional(),
  /**
   * Contained resources (a Binary or an Observation referenced `#id`). Parsed one by one by the mapper, so one bad
   * contained resource is a data issue, not a failure of the whole report. The narrative `text.div` is not read:
   * it is the server's rendering of the resource, not report text.
   */
  contained: z.array(z.unknown()).optional(),
});
export type DiagnosticReport = z.infer<typeof diagnosticReportSchema>;
