import type { FhirSession } from '../../fhir/client';
import { CriteriaDetail } from '../evidence/criteria-detail';
import { ErrorView } from '../common/error-view';
import { DataIssuesPanel } from '../data-issues/data-issues-panel';
import { DataStatusPanel } from '../data-issues/data-status-panel';
import { useAssessment } from '../hooks/use-assessment';
import { usePatientTimeline, usePlan } from '../hooks/use-patient-timeline';
import { NotePanel } from '../note/note-panel';
import { VerdictStrip } from '../verdicts/verdict-strip';

export function ReviewScreen({ session, asOf }: { session: FhirSession; asOf: string }) {
  const plan = usePlan(session);
  const state = usePatientTimeline(session, asOf);
  const result = useAssessment(state.status === 'ready' ? state.timeline : undefined, asOf);

  if (state.status === 'session-expired') return <ErrorView error={state.error} />;
  if (state.status === 'loading' || !result) {
    const done = state.status === 'loading' ? state.done : 0;
    const total = state.status === 'loading' ? state.total : plan.length;
    return (
      <div className="skeleton review-skeleton" aria-busy="true" role="status" data-testid="timeline-loading">
        Loading the patient’s record… {done} of {total} data sets
      </div>
    );
  }
  return (
    <div className="review" data-testid="timeline-loaded">
      <VerdictStrip result={result} />
      <div className="review-columns">
        <CriteriaDetail result={result} />
        <NotePanel session={session} result={result} date={asOf} />
        <aside>
          <DataStatusPanel plan={plan} queries={state.queries} onRetry={state.retryFailed} />
          <DataIssuesPanel issues={state.timeline.dataIssues} />
        </aside>
      </div>
    </div>
  );
}
