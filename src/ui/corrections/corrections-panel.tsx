import { useId } from 'react';
import type {
  ImagingAssessment,
  Presence,
  ResponseCategory,
  ResponseScale,
  VpGrade,
} from '../../domain/imaging';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs, ImagingCorrection } from '../../engine/inputs';
import type { AssessmentResult } from '../../engine/result';
import type { ClinicianInputsApi } from '../hooks/use-clinician-inputs';

const RESPONSE_OPTIONS: { value: string; label: string }[] = [
  ...(['CR', 'PR', 'SD', 'PD'] as const).map((c) => ({ value: `mrecist:${c}`, label: `mRECIST ${c}` })),
  ...(['viable', 'nonviable', 'equivocal', 'nonevaluable'] as const).map((c) => ({
    value: `lirads-tr:${c}`,
    label: `LI-RADS TR ${c}`,
  })),
  ...(['TE1', 'TE2', 'TE3', 'TE4'] as const).map((c) => ({ value: `recicl:${c}`, label: `RECICL ${c}` })),
];
const SCALE_LABEL: Record<ResponseScale, string> = {
  mrecist: 'mRECIST',
  easl: 'EASL',
  'lirads-tr': 'LI-RADS TR',
  recicl: 'RECICL',
  'mcode-status': 'mCODE status',
};
const PRESENCE_LABEL: Record<Presence, string> = {
  present: 'present',
  absent: 'absent',
  unknown: 'uncertain',
};

/** What the app read from the report, in words, before any correction. */
function readFromReport(a: ImagingAssessment) {
  const response = a.findings.find((f) => f.type === 'response' && f.polarity === 'positive');
  const viable = a.findings.find((f) => f.type === 'viable-percent');
  const presence = (type: 'new-lesions' | 'vascular-invasion' | 'extrahepatic-spread') => {
    const f = a.findings.find((x) => x.type === type);
    return f && 'presence' in f
      ? PRESENCE_LABEL[f.presence] + ('vp' in f && f.vp ? ` ${f.vp}` : '')
      : undefined;
  };
  return {
    response:
      response && response.type === 'response'
        ? `${SCALE_LABEL[response.scale]} ${response.category}`
        : undefined,
    viable:
      viable && viable.type === 'viable-percent'
        ? `${viable.comparator ?? ''}${viable.percent} %`.trim()
        : undefined,
    newLesions: presence('new-lesions'),
    vascularInvasion: presence('vascular-invasion'),
    extrahepaticSpread: presence('extrahepatic-spread'),
  };
}

/** The id of a report's correction form, so evidence read from that report can link to it. */
export function correctionAnchor(assessmentId: string): string {
  return `correction-form-${assessmentId}`;
}

/** Opens a report's correction form and moves focus to it (from a "Correct this reading" link). */
export function openCorrection(assessmentId: string): void {
  const el = document.getElementById(correctionAnchor(assessmentId));
  if (el instanceof HTMLDetailsElement) {
    el.open = true;
    el.querySelector('summary')?.focus();
  }
}

function PresenceSelect(props: {
  id: string;
  label: string;
  value: Presence | undefined;
  asRead: string | undefined;
  onChange: (v: Presence | undefined) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' ? undefined : (e.target.value as Presence))}
      >
        <option value="">As read: {props.asRead ?? 'not stated'}</option>
        <option value="present">Present</option>
        <option value="absent">Absent</option>
        <option value="unknown">Uncertain</option>
      </select>
    </div>
  );
}

function without<K extends keyof ImagingCorrection>(
  c: ImagingCorrection,
  k: K,
  v: ImagingCorrection[K],
): ImagingCorrection {
  const next: ImagingCorrection = { ...c };
  if (v === undefined) delete next[k];
  else next[k] = v;
  return next;
}

function AssessmentForm(props: {
  assessment: ImagingAssessment;
  sessionLabel: string | undefined;
  correction: ImagingCorrection | undefined;
  onChange: (c: ImagingCorrection | undefined) => void;
}) {
  const { assessment: a, correction } = props;
  const c = correction ?? {};
  const base = useId();
  const read = readFromReport(a);
  const set = <K extends keyof ImagingCorrection>(k: K, v: ImagingCorrection[K]) =>
    props.onChange(without(c, k, v));
  const corrected = correction !== undefined;
  return (
    <details
      className="correction"
      id={correctionAnchor(a.id)}
      data-testid={`correction-${a.id}`}
      open={corrected || undefined}
    >
      <summary>
        {a.date.slice(0, 10)} · {a.title ?? a.source.display ?? 'Imaging'}
        {props.sessionLabel ? ` · ${props.sessionLabel}` : ''}
        {corrected ? <span className="origin origin-clinician"> entered by clinician</span> : null}
      </summary>
      <fieldset>
        <legend className="visually-hidden">
          Findings of {a.source.resourceType}/{a.source.id} on {a.date.slice(0, 10)}
        </legend>
        <p className="hint">
          Source{' '}
          <code>
            {a.source.resourceType}/{a.source.id}
          </code>
          . Leave a field on “As read” to keep what the app read from the report text.
        </p>
        <div className="field">
          <label htmlFor={`${base}-resp`}>Response category</label>
          <select
            id={`${base}-resp`}
            value={c.response ? `${c.response.scale}:${c.response.category}` : ''}
            onChange={(e) => {
              const [scale, category] = e.target.value.split(':') as [ResponseScale, ResponseCategory];
              set('response', e.target.value === '' ? undefined : { scale, category });
            }}
          >
            <option value="">As read: {read.response ?? 'not stated'}</option>
            {RESPONSE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-viable`}>Viable tumour (%)</label>
          <input
            id={`${base}-viable`}
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            placeholder={read.viable ? `as read: ${read.viable}` : 'not stated'}
            aria-describedby={`${base}-viable-hint`}
            value={c.viablePercent ?? ''}
            onChange={(e) => {
              const n = e.target.value === '' ? undefined : Number(e.target.value);
              set(
                'viablePercent',
                n !== undefined && Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined,
              );
            }}
          />
          <span id={`${base}-viable-hint`} className="hint">
            As read: {read.viable ?? 'not stated'}
          </span>
        </div>
        <PresenceSelect
          id={`${base}-nl`}
          label="New lesions"
          value={c.newLesions}
          asRead={read.newLesions}
          onChange={(v) => set('newLesions', v)}
        />
        <PresenceSelect
          id={`${base}-vi`}
          label="Vascular invasion"
          value={c.vascularInvasion?.presence}
          asRead={read.vascularInvasion}
          onChange={(v) =>
            set(
              'vascularInvasion',
              v === undefined
                ? undefined
                : v === 'present' && c.vascularInvasion?.vp
                  ? { presence: v, vp: c.vascularInvasion.vp }
                  : { presence: v },
            )
          }
        />
        {c.vascularInvasion?.presence === 'present' ? (
          <div className="field">
            <label htmlFor={`${base}-vp`}>Vp grade</label>
            <select
              id={`${base}-vp`}
              value={c.vascularInvasion.vp ?? ''}
              onChange={(e) =>
                set('vascularInvasion', {
                  presence: 'present',
                  ...(e.target.value ? { vp: e.target.value as VpGrade } : {}),
                })
              }
            >
              <option value="">Not given</option>
              {(['Vp1', 'Vp2', 'Vp3', 'Vp4'] as const).map((vp) => (
                <option key={vp} value={vp}>
                  {vp}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <PresenceSelect
          id={`${base}-ehs`}
          label="Extrahepatic spread"
          value={c.extrahepaticSpread}
          asRead={read.extrahepaticSpread}
          onChange={(v) => set('extrahepaticSpread', v)}
        />
        {corrected ? (
          <button type="button" className="no-print" onClick={() => props.onChange(undefined)}>
            Use the report’s reading again
          </button>
        ) : null}
      </fieldset>
    </details>
  );
}

/** Labels each imaging assessment with the TACE session whose response it is, from the engine's session table. */
function sessionLabels(result: AssessmentResult): Map<string, string> {
  const m = new Map<string, string>();
  result.taceSessions.forEach((s, i) => {
    if (s.response.assessmentId) m.set(s.response.assessmentId, `response to TACE ${i + 1} (${s.date})`);
  });
  return m;
}

function GradeSelect<T extends string>(props: {
  id: string;
  label: string;
  value: T | undefined;
  options: readonly { value: T; label: string }[];
  emptyLabel: string;
  onChange: (v: T | undefined) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(e.target.value === '' ? undefined : (e.target.value as T))}
      >
        <option value="">{props.emptyLabel}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Clinician inputs: treatment intent, the clinical grades the EHR rarely codes, and corrections of what the app
 * read from each imaging report. Every change re-runs the engine; corrected findings show as "entered by clinician".
 */
export function CorrectionsPanel(props: {
  timeline: Timeline;
  result: AssessmentResult;
  api: ClinicianInputsApi;
}) {
  const { inputs, update, setCorrection, reset } = props.api;
  const base = useId();
  const labels = sessionLabels(props.result);
  const imaging = [...props.timeline.imaging].sort((x, y) =>
    x.date < y.date ? 1 : x.date > y.date ? -1 : 0,
  );
  const count = countInputs(inputs);
  return (
    <section aria-labelledby="corrections-heading" className="corrections" data-testid="corrections">
      <h2 id="corrections-heading">Clinician inputs and corrections</h2>
      <p className="hint">
        Entered here, used at once by every criterion and shown as “entered by clinician”. Kept for this
        browser session only; nothing is written to the EHR.
      </p>
      <div className="grades">
        <GradeSelect
          id={`${base}-intent`}
          label="Treatment intent"
          value={inputs.intent}
          emptyLabel="Not given"
          options={[
            { value: 'curative', label: 'Curative' },
            { value: 'palliative', label: 'Palliative' },
          ]}
          onChange={(v) => update({ intent: v })}
        />
        <GradeSelect
          id={`${base}-ascites`}
          label="Ascites"
          value={inputs.ascites}
          emptyLabel="From the record"
          options={[
            { value: 'none', label: 'None' },
            { value: 'mild', label: 'Mild' },
            { value: 'moderate-severe', label: 'Moderate to severe' },
          ]}
          onChange={(v) => update({ ascites: v })}
        />
        <GradeSelect
          id={`${base}-enc`}
          label="Encephalopathy"
          value={inputs.encephalopathy}
          emptyLabel="From the record"
          options={[
            { value: 'none', label: 'None' },
            { value: 'grade-1-2', label: 'Grade 1–2' },
            { value: 'grade-3-4', label: 'Grade 3–4' },
          ]}
          onChange={(v) => update({ encephalopathy: v })}
        />
      </div>
      <h3>Imaging findings read from report text</h3>
      {imaging.length === 0 ? (
        <p>No imaging report on file.</p>
      ) : (
        imaging.map((a) => (
          <AssessmentForm
            key={a.id}
            assessment={a}
            sessionLabel={labels.get(a.id)}
            correction={inputs.corrections?.[a.id]}
            onChange={(c) => setCorrection(a.id, c)}
          />
        ))
      )}
      <p className="corrections-status" role="status" data-testid="corrections-count">
        {count === 0
          ? 'No clinician input in use.'
          : `${count} clinician input${count === 1 ? '' : 's'} in use.`}
      </p>
      <button
        type="button"
        className="no-print"
        onClick={reset}
        disabled={count === 0}
        data-testid="reset-corrections"
      >
        Reset corrections
      </button>
    </section>
  );
}

function countInputs(i: ClinicianInputs): number {
  return (
    (i.intent ? 1 : 0) +
    (i.ascites ? 1 : 0) +
    (i.encephalopathy ? 1 : 0) +
    Object.values(i.corrections ?? {}).reduce((n, c) => n + Object.keys(c).length, 0)
  );
}
