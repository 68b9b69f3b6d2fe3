/**
 * Starts the compute worker. Its own module, loaded only where a Worker may run (never under jsdom), so the
 * Vite worker transform of the URL below is never met by the test runner.
 */
export function startComputeWorker(): Worker {
  return new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' });
}
