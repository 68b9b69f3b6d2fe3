import type { BrowserContext } from 'playwright-core';

/**
 * Serves the app's `config/issuers.json` with extra `options` on one issuer entry (default: the sandbox's), for this
 * browser context only: e.g. a short `queryBudgetSeconds` so a test need not wait the production 20 s.
 */
export async function withIssuerOptions(
  context: BrowserContext,
  options: Record<string, unknown>,
  issuerId = 'local-sandbox',
): Promise<void> {
  await context.route('**/config/issuers.json', async (route) => {
    const response = await route.fetch();
    const doc = (await response.json()) as { issuers?: { id?: string; options?: Record<string, unknown> }[] };
    for (const issuer of doc.issuers ?? []) {
      if (issuer.id === issuerId) issuer.options = { ...issuer.options, ...options };
    }
    await route.fulfill({ response, json: doc });
  });
}
