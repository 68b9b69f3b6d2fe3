import { lazy, Suspense, useMemo } from 'react';
import type { Timeline } from '../../domain/timeline';
import type { AssessmentResult } from '../../engine/result';
import { buildTimelineData, hasLabs } from './timeline-data';
import { TimelineTable } from './timeline-table';
import './timeline.css';

// uPlot lives in its own chunk: the verdicts render before the chart code has arrived.
const TimelineChart = lazy(() => import('./timeline-chart'));

export function ChartSkeleton() {
  return <div className="chart-area skeleton" aria-hidden="true" data-testid="chart-skeleton" />;
}

/** Tumour markers and liver function across TACE sessions, as a chart and as the same data in a table. */
export function TimelinePanel({ timeline, result }: { timeline: Timeline; result: AssessmentResult }) {
  const data = useMemo(() => buildTimelineData(timeline, result), [timeline, result]);
  return (
    <section aria-labelledby="timeline-heading" className="timeline-panel" data-testid="timeline-panel">
      <h2 id="timeline-heading">Tumour markers and liver function across TACE sessions</h2>
      {hasLabs(data) || data.events.length > 0 ? (
        <div className="chart-area">
          <Suspense fallback={<ChartSkeleton />}>
            <TimelineChart data={data} />
          </Suspense>
        </div>
      ) : (
        <p>No tumour marker, albumin or bilirubin value and no TACE session on file.</p>
      )}
      <TimelineTable data={data} />
    </section>
  );
}

/**
 * While the rest of the record loads: the lab chart from the labs alone, in the chart's final place (same height),
 * without treatment markers yet. Falls back to the skeleton when there is nothing to draw.
 */
export function LabsPreview({ timeline }: { timeline: Timeline | undefined }) {
  const data = useMemo(() => (timeline ? buildTimelineData(timeline, undefined) : undefined), [timeline]);
  if (!data || !hasLabs(data)) return <ChartSkeleton />;
  return (
    <div className="chart-area" data-testid="labs-preview">
      <Suspense fallback={<ChartSkeleton />}>
        <TimelineChart data={data} />
      </Suspense>
    </div>
  );
}
