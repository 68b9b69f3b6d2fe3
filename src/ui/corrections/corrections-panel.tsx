import { useId, useState, type ReactNode } from 'react';
import type {
  ImagingAssessment,
  ImagingFinding,
  ImagingFindingType,
  Presence,
  ResponseCategory,
  ResponseScale,
  VpGrade,
} from '../../domain/imaging';
import { responseLabel } from '../../domain/display-labels';
import type { Timeline } from '../../domain/timeline';
import type { ClinicianInputs, GrossType, ImagingConfirmation, ImagingCorrection } from '../../engine/inputs';
import { confirmAllAsRead, readingFingerprint } from '../../engine/inputs';
import type { AssessmentResult } from '../../engine/result';
import type { ClinicianInputsApi } from '../hooks/use-clinician-inputs';
import { INPUT_IDS } from './input-links';
import { GROSS_TYPES } from './inputs-storage';

/** Response categories a clinician can enter, in words with their scale ("stable disease (mRECIST)"). */
const RESPONSE_OPTIONS: { value: string; label: string }[] = [
  ...(['CR', 'PR', 'SD', 'PD'] as const).map((c) => ({
    value: `mrecist:${c}`,
    label: responseLabel('mrecist', c),
  })),
  ...(['CR', 'PR', 'SD', 'PD'] as const).map((c) => ({
    value: `easl:${c}`,
    label: responseLabel('easl', c),
  })),
  ...(['viable', 'nonviable', 'equivocal', 'nonevaluable'] as const).map((c) => ({
    value: `lirads-tr:${c}`,
    label: responseLabel('lirads-tr', c),
  })),
  ...(['TE1', 'TE2', 'TE3', 'TE4'] as const).map((c) => ({
    value: `recicl:${c}`,
    label: responseLabel('recicl', c),
  })),
];
const PRESENCE_LABEL: Record<Presence, string> = {
  present: 'present',
  absent: 'absent',
  unknown: 'uncertain',
};
/** Gross types (JSH 2021 Table 10; Kudo 2025): the TACE-resistant ones are marked. */
const GROSS_LABEL: Record<GrossType, string> = {
  'simple-nodular': 'Simple nodular',
  'simple-nodular-extranodular-growth': 'Simple nodular, extranodular growth (TACE-resistant)',
  'confluent-multinodular': 'Confluent multinodular (TACE-resistant)',
  massive: 'Massive (TACE-resistant)',
  infiltrative: 'Infiltrative (TACE-resistant)',
  'multiple-disseminated': 'Multiple disseminated nodules (TACE-resistant)',
  'poorly-differentiated': 'Poorly differentiated (TACE-resistant)',
  'sarcomatous-change': 'Sarcomatous change after TACE (TACE-resistant)',
};
/** Finding names for screen readers ("Confirm as read: viable tumour"). */
const FINDING_NAME: Record<ImagingFindingType, string> = {
  response: 'response category',
  'viable-percent': 'viable tumour',
  'lipiodol-deposition': 'lipiodol deposition',
  'tumor-count': 'number of tumours',
  'largest-diameter': 'largest diameter',
  'new-lesions': 'new lesions',
  'vascular-invasion': 'vascular invasion',
  'extrahepatic-spread': 'extrahepatic spread',
};

/** Hedged or weakly inferred: the engine never counts it as positive, and a confirmation does not change that. */
function hedged(f: ImagingFinding): boolean {
  return (
    f.polarity === 'uncertain' || f.confidence === 'low' || ('presence' in f && f.presence === 'unknown')
  );
}

function findingWords(f: ImagingFinding): string {
  switch (f.type) {
    case 'response':
      return responseLabel(f.scale, f.category);
    case 'viable-percent':
    case 'lipiodol-deposition':
      return `${f.comparator ?? ''}${f.percent} %`;
    case 'tumor-count':
      return `${f.atLeast ? 'at least ' : ''}${f.count}${f.previous !== undefined ? ` (previously ${f.previous})` : ''}`;
    case 'largest-diameter':
      return `${f.lowerBound ? 'at least ' : ''}${f.cm} cm`;
    case 'vascular-invasion':
      return PRESENCE_LABEL[f.presence] + (f.vp ? ` ${f.vp}` : '');
    case 'new-lesions':
    case 'extrahepatic-spread':
      return PRESENCE_LABEL[f.presence];
  }
}

/** What the app read from the report for one finding type, in words, before any correction. */
function asRead(a: ImagingAssessment, type: ImagingFindingType): string | undefined {
  const fs = a.findings.filter((f) => f.type === type);
  if (fs.length === 0) return undefined;
  const words = [...new Set(fs.map(findingWords))].join('; ');
  return fs.some(hedged) ? `${words} — hedged wording, not counted as positive` : words;
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

/** Which correction field replaces which finding type (a corrected type needs no confirmation). */
const CORRECTION_OF: Record<ImagingFindingType, keyof ImagingCorrection> = {
  response: 'response',
  'viable-percent': 'viablePercent',
  'lipiodol-deposition': 'lipiodolPercent',
  'tumor-count': 'tumorCount',
  'largest-diameter': 'largestDiameterCm',
  'new-lesions': 'newLesions',
  'vascular-invasion': 'vascularInvasion',
  'extrahepatic-spread': 'extrahepaticSpread',
};

interface FindingState {
  /** Words read from the report, undefined when nothing of this type was read. */
  read: string | undefined;
  /** Fingerprint of the text reading; undefined when nothing of this type was read from text. */
  fingerprint: string | undefined;
  confirmed: boolean;
  corrected: boolean;
}

function findingState(
  a: ImagingAssessment,
  type: ImagingFindingType,
  correction: ImagingCorrection,
  confirmation: ImagingConfirmation,
): FindingState {
  const fingerprint = readingFingerprint(a, type);
  return {
    read: asRead(a, type),
    fingerprint,
    confirmed: fingerprint !== undefined && confirmation[type] === fingerprint,
    corrected: correction[CORRECTION_OF[type]] !== undefined,
  };
}

/** "Confirm as read" for one finding read from text: shown only when there is a text reading and no correction. */
function ConfirmBox(props: {
  id: string;
  type: ImagingFindingType;
  state: FindingState;
  describedBy: string;
  onChange: (confirmed: boolean) => void;
}) {
  const { state } = props;
  if (state.fingerprint === undefined || state.corrected) return null;
  return (
    <label className="confirm-as-read" htmlFor={props.id}>
      <input
        id={props.id}
        type="checkbox"
        checked={state.confirmed}
        aria-describedby={props.describedBy}
        onChange={(e) => props.onChange(e.target.checked)}
      />{' '}
      Confirm as read<span className="visually-hidden">: {FINDING_NAME[props.type]}</span>
    </label>
  );
}

function AsReadHint({ id, state }: { id: string; state: FindingState }) {
  return (
    <span id={id} className="hint">
      As read: {state.read ?? 'not stated'}
      {state.confirmed && !state.corrected ? ' · confirmed by clinician' : ''}
    </span>
  );
}

function PresenceSelect(props: {
  id: string;
  describedBy: string;
  value: Presence | undefined;
  asRead: string | undefined;
  onChange: (v: Presence | undefined) => void;
}) {
  return (
    <select
      id={props.id}
      aria-describedby={props.describedBy}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.target.value === '' ? undefined : (e.target.value as Presence))}
    >
      <option value="">As read: {props.asRead ?? 'not stated'}</option>
      <option value="present">Present</option>
      <option value="absent">Absent</option>
      <option value="unknown">Uncertain</option>
    </select>
  );
}

/** A number field: empty or out of range keeps the reading; the value is used only when valid. */
function NumberInput(props: {
  id: string;
  value: number | undefined;
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  placeholder: string;
  describedBy: string;
  onChange: (v: number | undefined) => void;
}) {
  return (
    <input
      id={props.id}
      type="number"
      min={props.min}
      max={props.max}
      step={props.step}
      inputMode={props.integer ? 'numeric' : 'decimal'}
      placeholder={props.placeholder}
      aria-describedby={props.describedBy}
      value={props.value ?? ''}
      onChange={(e) => {
        const n = e.target.value === '' ? undefined : Number(e.target.value);
        const ok =
          n !== undefined &&
          Number.isFinite(n) &&
          n >= props.min &&
          n <= props.max &&
          (!props.integer || Number.isInteger(n));
        props.onChange(ok ? n : undefined);
      }}
    />
  );
}

function AssessmentForm(props: {
  assessment: ImagingAssessment;
  sessionLabel: string | undefined;
  correction: ImagingCorrection | undefined;
  confirmation: ImagingConfirmation | undefined;
  onChange: (c: ImagingCorrection | undefined) => void;
  onConfirm: (c: ImagingConfirmation | undefined) => void;
}) {
  const { assessment: a, correction } = props;
  const c = correction ?? {};
  const conf = props.confirmation ?? {};
  const base = useId();
  const set = <K extends keyof ImagingCorrection>(k: K, v: ImagingCorrection[K]) =>
    props.onChange(without(c, k, v));
  const st = (type: ImagingFindingType) => findingState(a, type, c, conf);
  const confirm = (type: ImagingFindingType, fingerprint: string | undefined, on: boolean) => {
    const next: Partial<Record<ImagingFindingType, string>> = { ...conf };
    if (on && fingerprint !== undefined) next[type] = fingerprint;
    else delete next[type];
    props.onConfirm(Object.keys(next).length > 0 ? next : undefined);
  };
  const corrected = correction !== undefined;
  // The form is built when the report is opened, not for every closed report: a 10-year record has some 60
  // reports, and their closed forms were half the review screen's DOM (issue 13). Print hides the forms anyway.
  const [opened, setOpened] = useState(corrected);
  const types = Object.keys(CORRECTION_OF) as ImagingFindingType[];
  const states = types.map((t) => st(t));
  const toConfirm = states.filter((s) => s.fingerprint !== undefined && !s.corrected && !s.confirmed).length;
  const confirmedCount = states.filter((s) => s.confirmed && !s.corrected).length;

  /** One finding row: label, control, "As read" hint, and the "Confirm as read" box. */
  const row = (
    type: ImagingFindingType,
    label: string,
    control: (id: string, hintId: string) => ReactNode,
  ) => {
    const id = `${base}-${type}`;
    const hintId = `${id}-hint`;
    const s = st(type);
    return (
      <div className="field" data-finding={type}>
        <label htmlFor={id}>{label}</label>
        {control(id, hintId)}
        <AsReadHint id={hintId} state={s} />
        <ConfirmBox
          id={`${id}-confirm`}
          type={type}
          state={s}
          describedBy={hintId}
          onChange={(on) => confirm(type, s.fingerprint, on)}
        />
      </div>
    );
  };

  return (
    <details
      className="correction"
      id={correctionAnchor(a.id)}
      data-testid={`correction-${a.id}`}
      open={corrected || undefined}
      onToggle={(event) => setOpened(event.currentTarget.open)}
    >
      <summary>
        {a.date.slice(0, 10)} · {a.title ?? a.source.display ?? 'Imaging'}
        {props.sessionLabel ? ` · ${props.sessionLabel}` : ''}
        {corrected ? <span className="origin origin-clinician"> entered by clinician</span> : null}
        {toConfirm > 0 ? (
          <span className="origin origin-text" data-testid={`to-confirm-${a.id}`}>
            {' '}
            {toConfirm} reading{toConfirm === 1 ? '' : 's'} not confirmed
          </span>
        ) : confirmedCount > 0 ? (
          <span className="origin origin-confirmed"> confirmed by clinician</span>
        ) : null}
      </summary>
      {opened || corrected ? (
        <fieldset>
          <legend className="visually-hidden">
            Findings of {a.source.resourceType}/{a.source.id} on {a.date.slice(0, 10)}
          </legend>
          <p className="hint">
            Source{' '}
            <code>
              {a.source.resourceType}/{a.source.id}
            </code>
            . Leave a field on “As read” to keep what the app read from the report text; tick “Confirm as
            read” when the reading matches the report. Confirming never changes a reading: hedged wording
            stays uncounted.
          </p>
          {toConfirm > 0 ? (
            <button
              type="button"
              className="no-print"
              data-testid={`confirm-all-${a.id}`}
              onClick={() => props.onConfirm({ ...conf, ...confirmAllAsRead(a) })}
            >
              Confirm all readings of this report as read
            </button>
          ) : null}
          {row('response', 'Response category', (id, hintId) => (
            <select
              id={id}
              aria-describedby={hintId}
              value={c.response ? `${c.response.scale}:${c.response.category}` : ''}
              onChange={(e) => {
                const [scale, category] = e.target.value.split(':') as [ResponseScale, ResponseCategory];
                set('response', e.target.value === '' ? undefined : { scale, category });
              }}
            >
              <option value="">As read: {asRead(a, 'response') ?? 'not stated'}</option>
              {RESPONSE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ))}
          {row('viable-percent', 'Viable tumour (%)', (id, hintId) => (
            <NumberInput
              id={id}
              value={c.viablePercent}
              min={0}
              max={100}
              step={1}
              placeholder={
                asRead(a, 'viable-percent') ? `as read: ${asRead(a, 'viable-percent')}` : 'not stated'
              }
              describedBy={hintId}
              onChange={(v) => set('viablePercent', v)}
            />
          ))}
          {row('lipiodol-deposition', 'Lipiodol deposition (%)', (id, hintId) => (
            <NumberInput
              id={id}
              value={c.lipiodolPercent}
              min={0}
              max={100}
              step={1}
              placeholder={
                asRead(a, 'lipiodol-deposition')
                  ? `as read: ${asRead(a, 'lipiodol-deposition')}`
                  : 'not stated'
              }
              describedBy={hintId}
              onChange={(v) => set('lipiodolPercent', v)}
            />
          ))}
          {row('tumor-count', 'Number of tumours', (id, hintId) => (
            <NumberInput
              id={id}
              value={c.tumorCount}
              min={0}
              max={100}
              step={1}
              integer
              placeholder={asRead(a, 'tumor-count') ? `as read: ${asRead(a, 'tumor-count')}` : 'not stated'}
              describedBy={hintId}
              onChange={(v) => set('tumorCount', v)}
            />
          ))}
          {row('largest-diameter', 'Largest diameter (cm)', (id, hintId) => (
            <NumberInput
              id={id}
              value={c.largestDiameterCm}
              min={0.1}
              max={40}
              step={0.1}
              placeholder={
                asRead(a, 'largest-diameter') ? `as read: ${asRead(a, 'largest-diameter')}` : 'not stated'
              }
              describedBy={hintId}
              onChange={(v) => set('largestDiameterCm', v)}
            />
          ))}
          {row('new-lesions', 'New lesions', (id, hintId) => (
            <PresenceSelect
              id={id}
              describedBy={hintId}
              value={c.newLesions}
              asRead={asRead(a, 'new-lesions')}
              onChange={(v) => set('newLesions', v)}
            />
          ))}
          {row('vascular-invasion', 'Vascular invasion', (id, hintId) => (
            <PresenceSelect
              id={id}
              describedBy={hintId}
              value={c.vascularInvasion?.presence}
              asRead={asRead(a, 'vascular-invasion')}
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
          ))}
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
          {row('extrahepatic-spread', 'Extrahepatic spread', (id, hintId) => (
            <PresenceSelect
              id={id}
              describedBy={hintId}
              value={c.extrahepaticSpread}
              asRead={asRead(a, 'extrahepatic-spread')}
              onChange={(v) => set('extrahepaticSpread', v)}
            />
          ))}
          {corrected ? (
            <button type="button" className="no-print" onClick={() => props.onChange(undefined)}>
              Use the report’s reading again
            </button>
          ) : null}
          {confirmedCount > 0 ? (
            <button type="button" className="no-print" onClick={() => props.onConfirm(undefined)}>
              Withdraw the confirmations of this report
            </button>
          ) : null}
        </fieldset>
      ) : null}
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
  hint?: string;
  onChange: (v: T | undefined) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onChange={(e) => props.onChange(e.target.value === '' ? undefined : (e.target.value as T))}
      >
        <option value="">{props.emptyLabel}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint ? (
        <span id={`${props.id}-hint`} className="hint">
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}

const yesNo = (v: boolean | undefined): 'yes' | 'no' | undefined =>
  v === undefined ? undefined : v ? 'yes' : 'no';
const fromYesNo = (v: 'yes' | 'no' | undefined): boolean | undefined =>
  v === undefined ? undefined : v === 'yes';

/**
 * Clinician inputs: treatment intent, the clinical grades the EHR rarely codes, the other inputs criteria name as
 * missing (gross type, contrast ultrasound, BCLC stage), and confirmations or corrections of what the app read
 * from each imaging report. Every change re-runs the engine; corrected findings show as "entered by clinician",
 * confirmed ones as "confirmed by clinician".
 */
export function CorrectionsPanel(props: {
  timeline: Timeline;
  result: AssessmentResult;
  api: ClinicianInputsApi;
}) {
  const { inputs, update, setCorrection, setConfirmation, reset } = props.api;
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
          id={INPUT_IDS.intent}
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
          id={INPUT_IDS.ascites}
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
          id={INPUT_IDS.encephalopathy}
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
        <GradeSelect
          id={INPUT_IDS.bclcStage}
          label="BCLC stage"
          value={inputs.bclcStage}
          emptyLabel="Not given"
          options={[
            { value: 'A', label: 'A' },
            { value: 'B', label: 'B' },
            { value: 'C', label: 'C' },
          ]}
          onChange={(v) => update({ bclcStage: v })}
        />
        <GradeSelect
          id={INPUT_IDS.grossType}
          label="Gross type of the tumour"
          value={inputs.grossType}
          emptyLabel="Not given"
          options={GROSS_TYPES.map((g) => ({ value: g, label: GROSS_LABEL[g] }))}
          hint="JSH 2021 Table 10: the marked types are unlikely to respond to TACE."
          onChange={(v) => update({ grossType: v })}
        />
        <GradeSelect
          id={INPUT_IDS.ceus}
          label="Contrast ultrasound (CEUS)"
          value={yesNo(inputs.noIntranodularFlowOnCeus)}
          emptyLabel="Not given"
          options={[
            { value: 'yes', label: 'No intranodular arterial flow' },
            { value: 'no', label: 'Intranodular arterial flow seen' },
          ]}
          hint="For the drug-off criteria (Kudo 2025)."
          onChange={(v) => update({ noIntranodularFlowOnCeus: fromYesNo(v) })}
        />
        <GradeSelect
          id={INPUT_IDS.dialysis}
          label="Dialysis"
          value={yesNo(inputs.dialysis)}
          emptyLabel="Not given"
          options={[
            { value: 'yes', label: 'Yes (≥ 2 times in the past week)' },
            { value: 'no', label: 'No' },
          ]}
          hint="For MELD-Na (creatinine set to 4.0 mg/dL on dialysis)."
          onChange={(v) => update({ dialysis: fromYesNo(v) })}
        />
      </div>
      <h3 id={INPUT_IDS.imaging} tabIndex={-1}>
        Imaging findings read from report text
      </h3>
      {imaging.length === 0 ? (
        <p>No imaging report on file.</p>
      ) : (
        imaging.map((a) => (
          <AssessmentForm
            key={a.id}
            assessment={a}
            sessionLabel={labels.get(a.id)}
            correction={inputs.corrections?.[a.id]}
            confirmation={inputs.confirmations?.[a.id]}
            onChange={(c) => setCorrection(a.id, c)}
            onConfirm={(c) => setConfirmation(a.id, c)}
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
    (i.bclcStage ? 1 : 0) +
    (i.grossType ? 1 : 0) +
    (i.noIntranodularFlowOnCeus !== undefined ? 1 : 0) +
    (i.dialysis !== undefined ? 1 : 0) +
    Object.values(i.corrections ?? {}).reduce((n, c) => n + Object.keys(c).length, 0) +
    Object.values(i.confirmations ?? {}).reduce((n, c) => n + Object.keys(c).length, 0)
  );
}
