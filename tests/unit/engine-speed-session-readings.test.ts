/**
 * readSession (session-readings.ts) reads every report of the window once and gathers the hedged evidence only when
 * no report decides, with one default agreement key instead of a closure per call. It must give exactly what the
 * earlier readSession gave (kept below as the reference) — the reading and the conflicts it records on the
 * session — for the scenario sessions with the engine's own readers, and for generated windows whose reports read
 * positive, negative or unknown at random (all unknown, all decided, mixed, disagreeing, a custom agreement key,
 * one reading object shared by two reports).
 */
import { describe, expect, it } from 'vitest';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { groupByPatient } from '../../src/fhir/patient-resources';
import { loadPatient } from '../../src/fhir/loader';
import type { ImagingAssessment } from '../../src/domain/imaging';
import type { EvidenceItem } from '../../src/engine/result';
import {
  insufficientReading,
  intrahepaticIncreaseReading,
  lipiodolReading,
  presenceReading,
  responseClass,
  withAssessmentReadings,
  type Reading,
  type Tri,
} from '../../src/engine/findings';
import { appendAll } from '../../src/engine/arrays';
import {
  readSession,
  recordConflict,
  type ReadSessionOptions,
  type SessionReading,
} from '../../src/engine/session-readings';
import { buildSessions, sortedImaging, windowText, type SessionView } from '../../src/engine/sessions';
import { resolveSettings } from '../../src/engine/settings';
import { withEvidenceItems } from '../../src/engine/evidence';

// ---- the reference: readSession as it was ----
interface Party {
  a: ImagingAssessment;
  r: Reading;
}

function allAgree(parties: readonly Party[], keyOf: (p: Party) => string): boolean {
  const first = keyOf(parties[0] as Party);
  let same = true;
  for (let i = 1; i < parties.length; i++) if (keyOf(parties[i] as Party) !== first) same = false;
  return same;
}

function refReadSession(
  s: SessionView,
  read: (a: ImagingAssessment) => Reading,
  what: string,
  options: ReadSessionOptions = {},
): SessionReading {
  const hedgedEvidence: EvidenceItem[] = [];
  const hedgedNotes: string[] = [];
  const decided: Party[] = [];
  for (const a of s.windowImaging) {
    const r = read(a);
    if (r.state !== 'unknown') decided.push({ a, r });
    else {
      appendAll(hedgedEvidence, r.evidence);
      appendAll(hedgedNotes, r.notes);
    }
  }
  if (decided.length === 0) {
    const missing =
      s.windowImaging.length === 0
        ? [`${what}: ${windowText(s)}${s.windowClosed ? '' : ' (window still open)'}`]
        : [`${what}: an unambiguous statement on ${windowText(s)}`];
    return {
      session: s,
      state: 'unknown',
      assessment: null,
      assessments: [],
      evidence: hedgedEvidence,
      notes: hedgedNotes,
      missing,
    };
  }
  const keyOf = (p: Party): string => (options.agreeKey ? options.agreeKey(p.a, p.r) : p.r.state);
  const evidence: EvidenceItem[] = [];
  const notes: string[] = [];
  for (const p of decided) {
    appendAll(evidence, p.r.evidence);
    appendAll(notes, p.r.notes);
  }
  if (allAgree(decided, keyOf)) {
    const latest = decided[decided.length - 1] as Party;
    return {
      session: s,
      state: latest.r.state,
      assessment: latest.a,
      assessments: decided.map((p) => p.a),
      evidence,
      notes,
      missing: [],
    };
  }
  const missing = recordConflict(s, what, decided, keyOf, options.keyWords);
  return {
    session: s,
    state: 'unknown',
    assessment: null,
    assessments: [],
    evidence,
    notes: [...notes, `reports in the response window disagree on ${what}: indeterminate for this session`],
    missing: [missing],
  };
}

// ---- the comparison ----
/** The session with its own (empty) conflicts, so each reading records on its own copy. */
const fresh = (s: SessionView): SessionView => ({ ...s, conflicts: new Map() });

/** A reading and the conflicts it recorded, in words (the session itself by its day and ref). */
function outcome(r: SessionReading): string {
  const conflicts = [...r.session.conflicts.entries()].map(([k, c]) => [
    k,
    c.reports,
    [...c.findings.entries()],
  ]);
  return JSON.stringify({ ...r, session: [r.session.day, r.session.ref], conflicts });
}

type Case = { read: (a: ImagingAssessment) => Reading; what: string; options?: ReadSessionOptions };

function compare(sessions: readonly SessionView[], cases: readonly Case[]): number {
  let n = 0;
  for (const s of sessions)
    for (const c of cases) {
      const want = refReadSession(fresh(s), c.read, c.what, c.options);
      const got = readSession(fresh(s), c.read, c.what, c.options);
      expect(outcome(got)).toBe(outcome(want));
      expect(got.assessments).toEqual(want.assessments);
      n += 1;
    }
  return n;
}

const AS_OF = '2026-11-01';
const settings = resolveSettings(undefined);
const keyWords = { positive: 'present', negative: 'absent' };
const engineCases: Case[] = [
  { read: (a) => insufficientReading(a, settings), what: 'response' },
  { read: (a) => insufficientReading(a, settings), what: 'viable tumour %', options: { keyWords } },
  { read: (a) => lipiodolReading(a, settings), what: 'lipiodol deposition %', options: { keyWords } },
  {
    read: (a) => intrahepaticIncreaseReading(a, null),
    what: 'new intrahepatic lesions',
    options: { keyWords },
  },
  { read: (a) => intrahepaticIncreaseReading(a, 1), what: 'intrahepatic tumour count' },
  { read: (a) => presenceReading(a, 'vascular-invasion'), what: 'vascular invasion', options: { keyWords } },
  { read: (a) => presenceReading(a, 'extrahepatic-spread'), what: 'extrahepatic spread' },
  {
    read: (a) => {
      const r = responseClass(a);
      const state: Tri = r.cls === 'unknown' ? 'unknown' : r.cls === 'PD' ? 'positive' : 'negative';
      return { state, evidence: r.evidence, notes: r.notes };
    },
    what: 'objective response',
    options: {
      agreeKey: (a) => responseClass(a).cls,
      keyWords: { PD: 'progression', SD: 'stable', OR: 'response' },
    },
  },
];

describe('readSession gives what the earlier readSession gave', () => {
  it('the scenario sessions, with the engine readers', () => {
    let n = 0;
    for (const scenario of buildScenarios()) {
      const [group] = groupByPatient(scenario.resources.map((resource) => ({ resource }))).patients;
      if (!group) continue;
      const timeline = loadPatient(group.patient, group.resources, { asOf: AS_OF }).timeline;
      const imaging = sortedImaging(timeline.imaging, AS_OF);
      const sessions = buildSessions(timeline, imaging, AS_OF, settings);
      n += withAssessmentReadings(() => withEvidenceItems(() => compare(sessions, engineCases)));
    }
    expect(n).toBeGreaterThan(100);
  });

  it('generated windows of positive, negative and unknown readings', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const base: SessionView = {
      index: 0,
      session: {
        date: '2026-01-10',
        kind: 'tace-conventional',
        status: 'completed',
        source: { resourceType: 'Procedure', id: 'p1' },
      },
      ref: 'Procedure/p1',
      day: '2026-01-10',
      dayNum: 20463,
      nextTreatmentDayNum: null,
      windowStart: 20491,
      windowEnd: 20558,
      windowClosed: true,
      windowImaging: [],
      preImaging: [],
      conflicts: new Map(),
    } as unknown as SessionView;
    const sessions: SessionView[] = [{ ...base, windowClosed: false }];
    const states: Tri[] = ['positive', 'negative', 'unknown'];
    const readings = new Map<ImagingAssessment, Reading>();
    for (let k = 0; k < 300; k++) {
      const size = 1 + Math.floor(random() * 5);
      const windowImaging: ImagingAssessment[] = [];
      for (let j = 0; j < size; j++) {
        const a: ImagingAssessment = {
          id: `r${k}-${j}`,
          date: `2026-02-${String(10 + ((j * 3 + k) % 18)).padStart(2, '0')}`,
          source: { resourceType: 'DiagnosticReport', id: `r${k}-${j}`, ...(j % 2 ? { display: 'CT' } : {}) },
          ...(j % 3 === 0 ? { title: 'CT abdomen' } : {}),
          findings: [],
        };
        const state = states[
          Math.floor(random() * (k % 4 === 0 ? 1 : k % 4 === 1 ? 2 : 3)) + (k % 4 === 0 ? 2 : 0)
        ] as Tri;
        const item: EvidenceItem = {
          ref: `DiagnosticReport/${a.id}`,
          date: a.date,
          label: `${state} ${j}`,
          origin: 'text',
        };
        const previous = windowImaging[windowImaging.length - 1];
        // Now and then two reports share one reading object.
        const shared = previous && k % 7 === 0 ? readings.get(previous) : undefined;
        readings.set(
          a,
          shared ?? {
            state,
            evidence: j % 4 === 3 ? [] : [item],
            notes: state === 'unknown' ? ['hedged'] : [`note ${j}`],
          },
        );
        windowImaging.push(a);
      }
      sessions.push({ ...base, ref: `Procedure/p${k}`, windowImaging });
    }
    const read = (a: ImagingAssessment): Reading => readings.get(a) as Reading;
    const n = compare(sessions, [
      { read, what: 'finding' },
      { read, what: 'finding', options: { keyWords } },
      { read, what: 'finding', options: { agreeKey: (a, r) => `${r.state}${a.id.length % 2}` } },
    ]);
    expect(n).toBe(903);
    // The generated windows include every outcome.
    const kinds = new Set(
      sessions.map((s) => {
        const r = refReadSession(fresh(s), read, 'finding');
        return r.state === 'unknown'
          ? r.missing[0]?.includes('disagree')
            ? 'conflict'
            : 'unknown'
          : 'decided';
      }),
    );
    expect([...kinds].sort()).toEqual(['conflict', 'decided', 'unknown']);
  });
});
