import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { PRACTITIONER_ID } from '../../sandbox/scenarios/index';
import { ehrLaunchToken } from '../sandbox/smart-client';
import { useE2eHarness } from './support/harness';

/**
 * The note's round trip through the sandbox's real SMART flow: edit, save, confirm, then read the chart back with a
 * FHIR search and find the clinician's text in the decoded attachment. Double clicks and a 500 never duplicate.
 */
const SYSTEM = 'urn:tace-navigator:note-draft';
const e2e = useE2eHarness();

async function ehrLaunch(patientId: string): Promise<Page> {
  const page = await e2e.ehrLaunch(patientId, { width: 1366, height: 900 });
  await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
  await page.getByTestId('note-text').waitFor();
  return page;
}

/** A read token for `patient`, by the same EHR launch the app uses (PKCE S256, redirect to the app's origin). */
async function readToken(patientId: string): Promise<string> {
  const token = await ehrLaunchToken(e2e.stack.sandbox, patientId, undefined, `${e2e.stack.appOrigin}/`);
  return token.access_token;
}

interface DocRef {
  id: string;
  status: string;
  docStatus?: string;
  identifier?: { system?: string; value?: string }[];
  type?: { coding?: { system?: string; code?: string }[] };
  category?: { coding?: { system?: string; code?: string }[] }[];
  subject?: { reference?: string };
  author?: { reference?: string }[];
  date?: string;
  context?: { encounter?: { reference?: string }[]; period?: { start?: string; end?: string } };
  content?: { attachment?: { contentType?: string; data?: string } }[];
  relatesTo?: { code?: string; target?: { reference?: string } }[];
}

/** `GET {fhirBaseUrl}/DocumentReference?patient=<id>`: the app's notes (by identifier system) with decoded text. */
async function notesInChart(patientId: string): Promise<(DocRef & { text: string })[]> {
  const token = await readToken(patientId);
  const res = await fetch(
    `${e2e.stack.sandbox.fhirBaseUrl}/DocumentReference?patient=${patientId}&_count=200`,
    {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' },
    },
  );
  expect(res.status).toBe(200);
  const bundle = (await res.json()) as { entry?: { resource: DocRef }[] };
  return (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r) => r.identifier?.some((i) => i.system === SYSTEM))
    .map((r) => ({
      ...r,
      text: Buffer.from(r.content?.[0]?.attachment?.data ?? '', 'base64').toString('utf8'),
    }));
}

/** axe (WCAG 2.1 A/AA) over the note panel only: the rest of the screen is checked by review-screen.test.ts. */
async function noteAxeViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="note-panel"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** The element's box lies wholly inside the viewport (or, when taller than it, starts inside it). */
async function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const h = window.innerHeight;
    return (
      r.top >= 0 &&
      r.top < h &&
      (r.bottom <= h || r.height > h) &&
      r.left >= 0 &&
      r.right <= window.innerWidth
    );
  });
}

async function appendToNote(page: Page, line: string): Promise<string> {
  const area = page.getByTestId('note-text');
  const text = `${await area.inputValue()}\n${line}`;
  await area.fill(text);
  return text;
}

async function storedDraft(
  page: Page,
  patientId: string,
): Promise<{ id: string; text: string; replaces?: string } | null> {
  return page.evaluate(
    ([server, patient]) => {
      const raw = sessionStorage.getItem(`tace-navigator:note-draft:${server}|${patient}`);
      return raw ? (JSON.parse(raw) as { id: string; text: string; replaces?: string }) : null;
    },
    [e2e.stack.sandbox.fhirBaseUrl, patientId] as const,
  );
}

describe('note write-back through the sandbox', () => {
  it('edit → save → confirm; the note is retrievable by a FHIR search with the write-back fields', async () => {
    const patientId = 'refractory-insufficient-response';
    const page = await ehrLaunch(patientId);
    try {
      const marker = `E2E note ${crypto.randomUUID()} — reviewed ✓ (µ, ≥)`;
      const text = await appendToNote(page, marker);
      const draft = await storedDraft(page, patientId);
      expect(draft?.text).toBe(text);
      await page.getByTestId('note-save').click();
      // The confirmation step takes the focus and is in view (not below the fold with focus on the page body).
      const confirm = page.getByTestId('note-confirm');
      await confirm.waitFor();
      expect(await isFocused(confirm)).toBe(true);
      await expect.poll(() => inViewport(confirm)).toBe(true);
      // Kept as a CI artifact (tests/e2e/__screenshots__): the editor with its label, count and the confirmation.
      await page
        .getByTestId('note-panel')
        .screenshot({ path: 'tests/e2e/__screenshots__/note-panel-confirm.png' });
      expect(await noteAxeViolations(page)).toEqual([]); // the editor and the open confirmation
      expect(await page.getByTestId('confirm-type').textContent()).toContain('Progress note (LOINC 11506-3)');
      expect(await page.getByTestId('confirm-author').textContent()).toBe(`Practitioner/${PRACTITIONER_ID}`);
      expect(await page.getByTestId('confirm-encounter').textContent()).toBe(`Encounter/${patientId}-enc`);
      expect(await page.getByTestId('confirm-status').textContent()).toBe(
        'current, document status preliminary',
      );
      await page.getByTestId('note-confirm-save').click();
      const saved = page.getByTestId('note-saved');
      await saved.waitFor({ timeout: 20_000 });
      // Then the outcome message has the focus, in view.
      await expect.poll(() => isFocused(saved)).toBe(true);
      await expect.poll(() => inViewport(saved)).toBe(true);
      expect(await noteAxeViolations(page)).toEqual([]); // the read-only note and the saved message
      const id = await saved.getAttribute('data-note-id');
      expect(id).toBeTruthy();
      expect(await page.getByTestId('note-save').isDisabled()).toBe(true);
      expect(await storedDraft(page, patientId)).toBeNull(); // confirmed: the stored draft is cleared

      const notes = await notesInChart(patientId);
      expect(notes).toHaveLength(1);
      const note = notes[0]!;
      expect(note.id).toBe(id);
      expect(note.text).toBe(text);
      expect(note.text).toMatch(/JSH-LCSGJ 2014 [^\n]*:\s+criteria met/);
      expect(note.text).toContain(marker);
      expect(note.status).toBe('current');
      expect(note.docStatus).toBe('preliminary');
      expect(note.identifier).toEqual([{ system: SYSTEM, value: draft?.id }]);
      expect(note.type?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '11506-3' });
      expect(note.category?.[0]?.coding?.[0]).toMatchObject({
        system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
        code: 'clinical-note',
      });
      expect(note.subject?.reference).toBe(`Patient/${patientId}`);
      expect(note.author?.[0]?.reference).toBe(`Practitioner/${PRACTITIONER_ID}`);
      expect(note.context?.encounter?.[0]?.reference).toBe(`Encounter/${patientId}-enc`);
      expect(note.context?.period?.end).toBeTruthy();
      expect(note.date).toBeTruthy();
      expect(note.content?.[0]?.attachment?.contentType).toBe('text/plain; charset=utf-8');
    } finally {
      await page.context().close();
    }
  });

  it('two fast clicks on "Confirm and save" create exactly one note', async () => {
    const patientId = 'responder';
    const page = await ehrLaunch(patientId);
    try {
      await appendToNote(page, 'double click check');
      await page.getByTestId('note-save').click();
      await page.getByTestId('note-confirm').waitFor();
      // Two clicks in the same task, before React can re-render, and a real double click.
      await page.evaluate(() => {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="note-confirm-save"]');
        button?.click();
        button?.click();
      });
      await page.getByTestId('note-saved').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('note-save').isDisabled()).toBe(true);
      await page.getByTestId('note-save').dblclick({ force: true });
      const notes = await notesInChart(patientId);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.text).toContain('double click check');
    } finally {
      await page.context().close();
    }
  });

  it('a 500 on create is retried automatically with the same identifier: one note', async () => {
    const patientId = 'liver-decline';
    e2e.stack.sandbox.setFaultPlan([
      { kind: '500', match: { method: 'POST', resourceType: 'DocumentReference' }, times: 1 },
    ]);
    const page = await ehrLaunch(patientId);
    try {
      const text = await appendToNote(page, 'saved after one 500');
      await page.getByTestId('note-save').click();
      await page.getByTestId('note-confirm-save').click();
      await page.getByTestId('note-saved').waitFor({ timeout: 20_000 });
      const notes = await notesInChart(patientId);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.text).toBe(text);
    } finally {
      e2e.stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });

  it('500s beyond the retries: a clear failure, the draft intact, saved on "Try again" (one note)', async () => {
    const patientId = 'vascular-invasion';
    e2e.stack.sandbox.setFaultPlan([
      { kind: '500', match: { method: 'POST', resourceType: 'DocumentReference' }, times: 3 },
    ]);
    const page = await ehrLaunch(patientId);
    try {
      const text = await appendToNote(page, 'must survive three 500s');
      const draft = await storedDraft(page, patientId);
      await page.getByTestId('note-save').click();
      await page.getByTestId('note-confirm-save').click();
      const error = page.getByTestId('note-error');
      await error.waitFor({ timeout: 30_000 });
      expect(await error.textContent()).toContain('The note could not be saved.');
      expect(await page.getByTestId('note-text').inputValue()).toBe(text);
      expect(await storedDraft(page, patientId)).toEqual({ ...draft, text });
      expect(await notesInChart(patientId)).toHaveLength(0);

      await page.getByTestId('note-try-again').click();
      await page.getByTestId('note-saved').waitFor({ timeout: 20_000 });
      const notes = await notesInChart(patientId);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.text).toBe(text);
      expect(notes[0]!.identifier?.[0]?.value).toBe(draft?.id);
    } finally {
      e2e.stack.sandbox.setFaultPlan([]);
      await page.context().close();
    }
  });

  it('a save committed but never answered, a reload, an edit, a second save: a confirmed revision replaces it', async () => {
    // No sandbox fault kind loses a committed answer ('truncate' still sends 201 + Location, 'slow' waits before
    // the store), so the browser drops it: the request goes to the sandbox (which stores the note), the answer
    // is thrown away and the app sees a reset connection, for the first try and both retries.
    const patientId = 'refractory-new-lesions';
    const page = await ehrLaunch(patientId);
    try {
      let lost = 0;
      await page.route('**/fhir/DocumentReference', async (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        await route.fetch();
        lost++;
        return route.abort('connectionreset');
      });
      const v1 = await appendToNote(page, 'first version, answer lost');
      const draft = await storedDraft(page, patientId);
      await page.getByTestId('note-save').click();
      await page.getByTestId('note-confirm-save').click();
      await page.getByTestId('note-error').waitFor({ timeout: 30_000 });
      expect(lost).toBe(3);
      const committed = await notesInChart(patientId);
      expect(committed).toHaveLength(1); // in the chart, though the app was never told
      expect(committed[0]!.text).toBe(v1);
      await page.unroute('**/fhir/DocumentReference');

      await page.reload();
      await page.getByTestId('timeline-loaded').waitFor({ timeout: 45_000 });
      expect(await page.getByTestId('note-text').inputValue()).toBe(v1); // the kept draft
      const v2 = await appendToNote(page, 'edited after the reload');
      await page.getByTestId('note-save').click();
      await page.getByTestId('note-confirm-save').click();
      const differs = page.getByTestId('note-in-chart-differs');
      await differs.waitFor({ timeout: 20_000 });
      expect(await differs.textContent()).toContain(`DocumentReference/${committed[0]!.id}`);
      expect(await page.getByTestId('note-saved').count()).toBe(0);
      expect(await storedDraft(page, patientId)).toMatchObject({ id: draft?.id, text: v2 }); // kept
      expect(await notesInChart(patientId)).toHaveLength(1);

      await page.getByTestId('note-revise').click();
      expect(await page.getByTestId('confirm-revision').textContent()).toContain(
        `DocumentReference/${committed[0]!.id}`,
      );
      expect(await notesInChart(patientId)).toHaveLength(1); // nothing written before the confirmation
      const revisionDraft = await storedDraft(page, patientId);
      expect(revisionDraft).toMatchObject({ text: v2, replaces: committed[0]!.id });
      await page.getByTestId('note-confirm-save').click();
      const saved = page.getByTestId('note-saved');
      await saved.waitFor({ timeout: 20_000 });

      const notes = await notesInChart(patientId);
      expect(notes).toHaveLength(2);
      const first = notes.find((n) => n.id === committed[0]!.id)!;
      const second = notes.find((n) => n.id !== committed[0]!.id)!;
      expect(first.text).toBe(v1);
      expect(second.text).toBe(v2);
      expect(second.id).toBe(await saved.getAttribute('data-note-id'));
      expect(second.relatesTo).toEqual([
        { code: 'replaces', target: { reference: `DocumentReference/${first.id}` } },
      ]);
      expect(second.identifier).toEqual([{ system: SYSTEM, value: revisionDraft?.id }]);
      expect(revisionDraft?.id).not.toBe(draft?.id);
      expect(await storedDraft(page, patientId)).toBeNull(); // the chart holds exactly the draft's text
    } finally {
      await page.context().close();
    }
  });

  it('after a save, "Edit and save a revision" writes a second note that replaces the first', async () => {
    const patientId = 'beyond-up-to-seven';
    const page = await ehrLaunch(patientId);
    try {
      const v1 = await appendToNote(page, 'saved once');
      await page.getByTestId('note-save').click();
      await page.getByTestId('note-confirm-save').click();
      await page.getByTestId('note-saved').waitFor({ timeout: 20_000 });
      const firstId = await page.getByTestId('note-saved').getAttribute('data-note-id');
      await page.getByTestId('note-edit-revision').click();
      const v2 = await appendToNote(page, 'and revised');
      await page.getByTestId('note-save').click();
      await page.getByTestId('confirm-revision').waitFor();
      await page.getByTestId('note-confirm-save').click();
      await page.locator(`[data-testid="note-saved"]:not([data-note-id="${firstId}"])`).waitFor({
        timeout: 20_000,
      });
      const notes = await notesInChart(patientId);
      expect(notes.map((n) => n.text).sort()).toEqual([v1, v2].sort());
      const second = notes.find((n) => n.id !== firstId)!;
      expect(second.text).toBe(v2);
      expect(second.relatesTo).toEqual([
        { code: 'replaces', target: { reference: `DocumentReference/${firstId}` } },
      ]);
    } finally {
      await page.context().close();
    }
  });
});
