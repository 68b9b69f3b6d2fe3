import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './ui/app';
import { connectSmart } from './fhir/client';
import { PanelBoundary } from './ui/common/panel-boundary';
import { bootParams, explainLaunchError } from './ui/common/launch-error';
import './ui/app.css';
import './ui/print.css';
import { warmUpCompute } from './ui/worker/compute-client';

const queryClient = new QueryClient({
  defaultOptions: {
    // The data layer does its own bounded, Retry-After-aware retries; react-query must not multiply them.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5 * 60_000 },
  },
});

// Read before fhirclient's ready() cleans the URL: whether the redirect carried a state, and its OAuth error.
const boot = bootParams(window.location.search);
const connect = () =>
  connectSmart().catch((error: unknown) => {
    throw explainLaunchError(error, boot);
  });

// Mapping and the engine run in a Web Worker: its module loads while the launch completes and the record is fetched.
warmUpCompute();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        {/* Last line of defence: never a blank page or a stack trace. */}
        <PanelBoundary name="app">
          <App connect={connect} />
        </PanelBoundary>
      </QueryClientProvider>
    </StrictMode>,
  );
  // The chart's chunk (loaded lazily by the timeline panel) is fetched now, not after the verdicts: one wave less.
  void import('./ui/timeline/timeline-chart').catch(() => undefined);
}
