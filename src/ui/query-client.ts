import { QueryClient } from '@tanstack/react-query';

/** The app's query client: what the data layer already does (retries, freshness) React Query must not repeat. */
export function createAppQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // The data layer does its own bounded, Retry-After-aware retries; react-query must not multiply them. The
      // record is read once per launch: a screen that mounts after `startPlan` uses what is in flight or in.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5 * 60_000 },
    },
  });
}
