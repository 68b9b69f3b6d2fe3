import { useMemo, useState } from 'react';
import type { FhirSession } from '../../fhir/client';
import { CriteriaDetail } from '../evidence/criteria-detail';
import { buildSourceIndex, SourceIndexContext } from '../evidence/source-index';
import { ErrorView } from '../common/error-view';
import { PanelBoundary } from '../common/panel-boundary';
import { CorrectionsPanel } from '../corrections/corrections-panel';
import { DataIssuesPanel } from '../data-issues/data-issues-panel';
import { DataStatusPanel } from '../data-issues/data-status-panel';
import { EmptySearchesNotice } from '../data-issues/empty-searches-notice';
import { useAssessment, type StillLoading } from '../hooks/use-assessment';
import { useClinicianInputs } from '../hooks/use-clinician-inputs';
import { usePatientTimeline, usePlan } from '../hooks/use-patient-timeline';
import { NotePanel } from '../note/note-panel';
import { LabsPreview, TimelinePanel } from '../timeline/timeline-panel';
import { VerdictStrip } from '../verdicts/verdict-strip';
import { AboutPanel } from '../about/about-panel';
import { ApplicabilityNotice } from './applicability-notice';
import { Headline } from './headline';
import { LiverBurdenPanel } from './liver-burden-panel';
import { OptionsPanel } from './options-panel';
import { sourceNamer } from './source-names';
import './first-screen.css';

/**
 * Verdict strip, timeline, criteria detail, clinician inputs, data status, note: one screen. While the record
 * loads, each part keeps a fixed-height skeleton of its final size so nothing shifts when the data arrives.
 */
export function ReviewScreen({ session, asOf }: { session: FhirSession; asOf: string }) {
  const plan = usePlan(session);
  const state = usePatientTimeline(session, asOf);
  const inputsApi = useClinicianInputs(session.context.serverUrl, session.context.patientId);
  const timeline = state.status === 'ready' ? state.timeline : undefined;
  // Past the budget: what has not answered yet, named in the verdicts that wait for it and near them.
  const readyQueries = state.status === 'ready' ? state.queries : undefined;
  const narrativesLoading = state.status === 'ready' && state.narrativesLoading;
  const loading = useMemo((): StillLoading[] => {
    const late = (readyQueries ?? []).flatMap((q) => {
      const spec = plan.find((s) => s.key === q.key);
      return q.status === 'loading' ? [{ group: spec?.group ?? 'patient', label: spec?.label ?? q.key }] : [];
    });
    return narrativesLoading ? [...late, { group: 'narratives', label: 'report narratives' }] : late;
  }, [readyQueries, narrativesLoading, plan]);
  const result = useAssessment(timeline, asOf, inputsApi.inputs, loading);
  const sourceIndex = useMemo(() => buildSourceIndex(timeline), [timeline]);
  const summaryOptions = useMemo(() => ({ sourceName: sourceNamer(sourceIndex) }), [sourceIndex]);
  const [aboutOpen, setAboutOpen] = useState(false);

  if (state.status === 'session-expired') return <ErrorView error={state.error} />;
  if (state.status === 'loading' || !result || !timeline) {
    const done = state.status === 'loading' ? state.done : 0;
    const total = state.status === 'loading' ? state.total : plan.length;
    return (
      <div className="review" aria-busy="true" data-testid="timeline-loading">
        <div className="skeleton verdict-skeleton">
          <p role="status" className="loading-status">
            Loading the patient’s record… {done} of {total} data sets
          </p>
        </div>
        <section className="timeline-panel">
          <div className="skeleton heading-skeleton" aria-hidden="true" />
          <PanelBoundary name="lab chart">
            <LabsPreview timeline={state.status === 'loading' ? state.labs : undefined} />
          </PanelBoundary>
          <div className="table-skeleton" aria-hidden="true" />
        </section>
        <div className="skeleton criteria-skeleton" aria-hidden="true" />
      </div>
    );
  }
  return (
    <SourceIndexContext.Provider value={sourceIndex}>
      <div className="review" data-testid="timeline-loaded">
        {/* First: whether the definitions apply to this patient at all; then the verdicts and what is missing. */}
        <ApplicabilityNotice applicability={result.applicability} />
        {/* The first screen (no scrolling at 1024×768): the answer, the verdicts with their reasons, liver
            function and burden, the options. */}
        <div className="first-screen" data-testid="first-screen">
          <Headline result={result} options={summaryOptions} onAbout={() => setAboutOpen((o) => !o)} />
          {aboutOpen ? (
            <AboutPanel
              result={result}
              onClose={() => {
                setAboutOpen(false);
                document.querySelector<HTMLButtonElement>('[data-testid="about-open"]')?.focus();
              }}
            />
          ) : null}
          <div className="first-screen-grid">
            <VerdictStrip result={result} options={{ ...summaryOptions, markText: false }} />
            <div className="first-screen-side">
              <PanelBoundary name="liver and burden">
                <LiverBurdenPanel result={result} />
              </PanelBoundary>
              <PanelBoundary name="options">
                <OptionsPanel result={result} />
              </PanelBoundary>
            </div>
          </div>
        </div>
        <StillLoadingNotice labels={loading.map((l) => l.label)} />
        <FailedNotice
          labels={state.queries
            .filter((q) => q.status === 'error')
            .map((q) => plan.find((spec) => spec.key === q.key)?.label ?? q.key)}
        />
        <EmptySearchesNotice plan={plan} queries={state.queries} />
        <PanelBoundary name="timeline chart">
          <TimelinePanel timeline={timeline} result={result} />
        </PanelBoundary>
        <div className="review-columns">
          <PanelBoundary name="criteria detail">
            <CriteriaDetail result={result} />
          </PanelBoundary>
          <aside aria-label="Inputs and data">
            <PanelBoundary name="corrections panel">
              <CorrectionsPanel timeline={timeline} result={result} api={inputsApi} />
            </PanelBoundary>
            <PanelBoundary name="data status">
              <DataStatusPanel plan={plan} queries={state.queries} onRetry={state.retryFailed} />
            </PanelBoundary>
            <PanelBoundary name="data issues list">
              <DataIssuesPanel issues={timeline.dataIssues} />
            </PanelBoundary>
          </aside>
        </div>
        {/* ── NOTE PANEL SLOT (owned by the note engineer): <NotePanel …/> goes inside this div. ── */}
        <div className="note-slot" data-testid="note-slot">
          <PanelBoundary name="note panel">
            <NotePanel session={session} result={result} inputs={inputsApi.inputs} date={asOf} />
          </PanelBoundary>
        </div>
      </div>
    </SourceIndexContext.Provider>
  );
}

/**
 * Data past its budget, said once near the verdicts: they are computed from what has arrived and update by
 * themselves when it lands (a status region: announced without stealing focus).
 */
function StillLoadingNotice({ labels }: { labels: readonly string[] }) {
  if (labels.length === 0) return null;
  return (
    <p role="status" className="still-loading-notice" data-testid="still-loading-notice">
      Still loading: {labels.join(', ')}. The verdicts below use what has arrived; criteria that need these
      data are shown as indeterminate and update when they arrive.
    </p>
  );
}

/** A failed query, said once near the verdicts it affects; the details and the retry are in the data panel. */
function FailedNotice({ labels }: { labels: readonly string[] }) {
  if (labels.length === 0) return null;
  return (
    <p className="failed-notice" data-testid="failed-notice">
      Not loaded: {labels.join(', ')}. Criteria that need these data are shown as indeterminate.{' '}
      <a href="#data-status-heading">Details and retry</a>
    </p>
  );
}
