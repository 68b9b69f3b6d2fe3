import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assess, mayNameModifierExtension } from '../../cli/assess';
import { buildScenarios } from '../../sandbox/scenarios/index';
import { evaluate } from '../../src/engine/index';
import { loadPatient } from '../../src/fhir/loader';
import { groupByPatient } from '../../src/fhir/patient-resources';
import { pick, seededRandom } from './seeded-random';

/**
 * The CLI skips the loader's per-resource modifier-extension scan when the export's text cannot name one
 * (mayNameModifierExtension). These tests pin that the text test never misses a `modifierExtension` key, however
 * the key is spelled in JSON, and that skipping the scan changes no result.
 */
const AS_OF = '2026-11-01';
const scenarios = buildScenarios();
const resources = scenarios.flatMap((s) => s.resources);

/** Whether any object at any depth (no bound, `contained` included) has the key: stricter than the loader's scan. */
function hasModifierKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasModifierKey);
  return Object.entries(value).some(([k, v]) => k === 'modifierExtension' || hasModifierKey(v));
}

/** The key as JSON text: literal, or with some letters written as `\uXXXX` escapes (either hex case). */
function spelled(rnd: () => number): string {
  const name = 'modifierExtension';
  let out = '';
  for (const ch of name) {
    if (rnd() < 0.15) {
      const hex = ch.charCodeAt(0).toString(16).padStart(4, '0');
      out += `\\u${rnd() < 0.5 ? hex : hex.toUpperCase()}`;
    } else out += ch;
  }
  return out;
}

/**
 * Puts `"<key>":[…]` into a random non-empty object of the resource's JSON text: a `{"` is always an object's
 * opening (inside a JSON string a quote is escaped).
 */
function withModifier(text: string, rnd: () => number): string {
  const braces: number[] = [];
  for (let i = text.indexOf('{"'); i !== -1; i = text.indexOf('{"', i + 1)) braces.push(i);
  const at = pick(rnd, braces) + 1;
  return `${text.slice(0, at)}"${spelled(rnd)}":[{"url":"http://example.org/x"}],${text.slice(at)}`;
}

describe('mayNameModifierExtension', () => {
  it('says no for the sandbox export, which has no modifier extension (so the fast path is taken)', () => {
    const text = resources.map((r) => JSON.stringify(r)).join('\n');
    expect(hasModifierKey(resources)).toBe(false);
    expect(mayNameModifierExtension(text)).toBe(false);
  });

  it('says yes whenever the parsed text has the key, literal or escaped, at any depth (generated)', () => {
    const rnd = seededRandom(13);
    let escaped = 0;
    for (let n = 0; n < 600; n += 1) {
      const text = withModifier(JSON.stringify(pick(rnd, resources)), rnd);
      const parsed: unknown = JSON.parse(text);
      expect(hasModifierKey(parsed)).toBe(true);
      expect(mayNameModifierExtension(text), text).toBe(true);
      // Also as one line among others, at any position of an NDJSON text.
      const lines = [pick(rnd, resources), pick(rnd, resources)].map((r) => JSON.stringify(r));
      lines.splice(Math.floor(rnd() * 3), 0, text);
      expect(mayNameModifierExtension(lines.join('\n'))).toBe(true);
      if (text.includes('\\u')) escaped += 1;
    }
    expect(escaped).toBeGreaterThan(50); // the escaped spellings were exercised
  });

  it('finds the name at the very start and end of a text, and after other capital Es', () => {
    expect(mayNameModifierExtension('modifierExtension')).toBe(true);
    expect(mayNameModifierExtension('EEEE modifierEEmodifierExtension')).toBe(true);
    expect(mayNameModifierExtension('{"Extension":1,"modifierExtensio":2}')).toBe(false);
  });
});

describe('the CLI without the modifier scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-speed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What loadPatient gives with the scan (the app's path), for each patient of the resources. */
  function reference(all: readonly unknown[]): string[] {
    return groupByPatient(all.map((resource) => ({ resource }))).patients.map((p) => {
      const { timeline, accounting } = loadPatient(p.patient, p.resources, {
        asOf: AS_OF,
        fullUrls: p.fullUrls,
      });
      return JSON.stringify({ ...evaluate(timeline, { asOf: AS_OF }), accounting });
    });
  }

  it('gives the scanning loader’s results for an export without modifier extensions', async () => {
    const file = join(dir, 'plain.ndjson');
    writeFileSync(file, resources.map((r) => JSON.stringify(r)).join('\n'));
    const { results } = await assess(file, AS_OF);
    expect(results.map((r) => JSON.stringify(r))).toEqual(reference(resources));
  });

  it('still lists a resource whose modifier extension is spelled with an escape', async () => {
    const procedure = resources.find(
      (r) => (r as { resourceType?: string }).resourceType === 'Procedure',
    ) as {
      id: string;
    };
    const lines = resources.map((r) =>
      r === procedure
        ? JSON.stringify(r).replace('{', '{"modifierExtensio\\u006e":[{"url":"http://example.org/negated"}],')
        : JSON.stringify(r),
    );
    const file = join(dir, 'escaped.ndjson');
    writeFileSync(file, lines.join('\n'));
    const { results } = await assess(file, AS_OF);
    const parsed = lines.map((l) => JSON.parse(l) as unknown);
    expect(results.map((r) => JSON.stringify(r))).toEqual(reference(parsed));
    expect(JSON.stringify(results)).toContain('has a modifier extension the app does not understand');
  });
});
