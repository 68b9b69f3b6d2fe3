import { z } from 'zod';

/**
 * Searchset Bundle: entries are left `unknown` on purpose — each resource is validated by its own schema so that
 * one bad resource becomes one DataIssue instead of failing the whole page.
 */
export const bundleLinkSchema = z.looseObject({ relation: z.string(), url: z.string() });

export const bundleEntrySchema = z.looseObject({
  fullUrl: z.string().optional(),
  resource: z.unknown().optional(),
  search: z.looseObject({ mode: z.enum(['match', 'include', 'outcome']).optional() }).optional(),
});

export const bundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: z.string().optional(),
  type: z.string(),
  total: z.number().optional(),
  link: z.array(bundleLinkSchema).optional(),
  entry: z.array(bundleEntrySchema).optional(),
});
export type Bundle = z.infer<typeof bundleSchema>;

/** The URL of the `next` page, if any. */
export function nextLink(bundle: Bundle): string | undefined {
  return bundle.link?.find((l) => l.relation === 'next')?.url;
}
