import { z } from 'zod';
import { humanNameSchema, identifierSchema, resourceBase } from './common';

export const patientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  ...resourceBase,
  name: z.array(humanNameSchema).optional(),
  birthDate: z.string().optional(),
  gender: z.string().optional(),
  identifier: z.array(identifierSchema).optional(),
});
export type Patient = z.infer<typeof patientSchema>;
