import { z } from 'zod';
import type { FhirSession } from './client';

const capabilityStatementSchema = z.looseObject({
  resourceType: z.literal('CapabilityStatement'),
  rest: z
    .array(
      z.looseObject({
        resource: z
          .array(
            z.looseObject({
              type: z.string(),
              interaction: z.array(z.looseObject({ code: z.string() })).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

/**
 * Whether the server's CapabilityStatement lists `create` for the resource type (ehr-integration.md: check before
 * offering "Save to chart"). `undefined` when the statement cannot be read: the server still decides on the write,
 * so an unreadable statement never hides the action.
 */
export async function supportsCreate(
  session: FhirSession,
  resourceType: string,
  signal?: AbortSignal,
): Promise<boolean | undefined> {
  let body: unknown;
  try {
    body = await session.get('metadata', signal ? { signal } : {});
  } catch {
    return undefined;
  }
  const parsed = capabilityStatementSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const resources = (parsed.data.rest ?? []).flatMap((rest) => rest.resource ?? []);
  const entry = resources.find((r) => r.type === resourceType);
  return entry?.interaction?.some((i) => i.code === 'create') ?? false;
}
