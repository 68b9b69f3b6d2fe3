import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { App } from './ui/app';
import { connectSmart } from './fhir/client';
import { PanelBoundary } from './ui/common/panel-boundary';
import { bootParams, explainLaunchError } from './ui/common/launch-error';
import './ui/app.css';
import './ui/print.css';
import { warmUpCompute } from './ui/worker/compute-client';
import { startPlan } from './ui/hooks/use-patient-timeline';
import { createAppQueryClient } from './ui/query-client';

const queryClient = createAppQueryClient();

// Read before fhirclient's ready() cleans the URL: whether the redirect carried a state, and its OAuth error.
const boot = bootParams(window.location.search);
const connect = () =>
  connectSmart().then(
    (session) => {
      startPlan(queryClient, session);
      // The chart's chunk (loaded lazily by the timeline panel) is fetched and evaluated now, while the record is
      // on its way: one wave less than after the verdicts, and its evaluation no longer holds up the token exchange.
      setTimeout(() => void import('./ui/timeline/timeline-chart').catch(() => undefined), 0);
      return session;
    },
    (error: unknown) => {
      throw explainLaunchError(error, boot);
    },
  );

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
}
