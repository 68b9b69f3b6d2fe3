import { z } from 'zod';
import { codeableConceptSchema } from './common';

export const operationOutcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  id: z.string().optional(),
  issue: z.array(
    z.looseObject({
      severity: z.enum(['fatal', 'error', 'warning', 'information']),
      code: z.string(),
      details: codeableConceptSchema.optional(),
      diagnostics: z.string().optional(),
      expression: z.array(z.string()).optional(),
    }),
  ),
});
export type OperationOutcome = z.infer<typeof operationOutcomeSchema>;

/** The text a clinician can read: details.text, else diagnostics, joined. */
export function outcomeText(outcome: OperationOutcome): string {
  return outcome.issue
    .map((i) => i.details?.text ?? i.diagnostics ?? i.code)
    .filter((t) => t.length > 0)
    .join('; ');
}
