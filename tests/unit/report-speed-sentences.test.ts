/**
 * Sentence splitting line by line, and the hard-wrap joiner's character tests in place of end-anchored patterns:
 * the same sentences and the same joined text as the earlier implementation (kept here as the reference), on the
 * labelled corpora and on generated texts dense with line breaks, whitespace of every kind, abbreviations,
 * hyphenation, list numbers and field lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64Utf8,
  joinHardWraps,
  readNarrative,
  splitSentences,
} from '../../src/fhir/map/text-normalize';
import { pick, seededRandom } from './seeded-random';

// The earlier implementation, as it was.
const CONTINUES =
  /(?:^|\s)(?:no|not|nor|without|of|the|a|an|in|into|on|at|by|for|from|to|with|within|and|or|but|is|are|was|were|be|been|has|have|measuring|measures|measured|approximately|approx\.?|about|up|than|any|evidence|new|residual|portal|hepatic|vein|segment|seg\.?|which|that|its|their|this|these|both|all|multiple|two|three|four|five)$/i;
const STARTS_ITEM = /^(?:\d{1,2}[.)]\s|[a-z][.)]\s|[-•*–]\s|[A-Z][A-Za-z0-9 ()/,'’-]{0,60}:(?:\s|$))/;
function joinHardWrapsBefore(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    const prev = out[out.length - 1];
    const trimmed = line.trim();
    if (prev === undefined || trimmed === '' || prev.trim() === '') {
      out.push(line);
      continue;
    }
    const p = prev.trimEnd();
    if (/[a-z]-$/i.test(p) && /^[a-z]/.test(trimmed) && !/\s-$/.test(p)) {
      out[out.length - 1] = p.slice(0, -1) + trimmed;
      continue;
    }
    const endsSentence = /[.!?:;]$/.test(p);
    const nextIsItem = STARTS_ITEM.test(trimmed);
    const join =
      !endsSentence &&
      !nextIsItem &&
      (/,$/.test(p) ||
        CONTINUES.test(p) ||
        /^(?:[a-z]|(?:cm|mm|%)\b|%|\)|[<>≤≥~])/.test(trimmed) ||
        (/\d$/.test(p) && /^(?:cm|mm|%|x\s|×)/i.test(trimmed)));
    if (join) out[out.length - 1] = `${p} ${trimmed}`;
    else out.push(line);
  }
  return out.join('\n');
}
const SENTENCE_BREAK =
  /\n+|(?<=[.!?])(?<!\b(?:[Aa]pprox|[Ss]egs?|[Vv]s|e\.g|i\.e|[Cc]f|[Ii]ncl|[Cc]a|[Ee]st|[Ff]ig|Dr|[Rr]esp|[Pp]rev)\.)\s+(?=[A-Z0-9(])/;
function splitSentencesBefore(text: string): string[] {
  const parts = joinHardWrapsBefore(text)
    .split(SENTENCE_BREAK)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const out: string[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last !== undefined && /^(\d{1,2}|[a-z])[.)]$/i.test(last)) out[out.length - 1] = `${last} ${p}`;
    else out.push(p);
  }
  return out;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
function corpusTexts(): string[] {
  const texts: string[] = [];
  for (const dir of ['report-sentences', 'report-sentences-holdout']) {
    for (const file of readdirSync(FIXTURES + dir).filter((f) => f.endsWith('.tsv'))) {
      for (const line of readFileSync(`${FIXTURES}${dir}/${file}`, 'utf8').split('\n')) {
        const text = line.startsWith('#') ? undefined : line.split('\t')[1];
        if (text) texts.push(text.replace(/\\r\\n/g, '\r\n').replace(/\\n/g, '\n'));
      }
    }
  }
  return texts;
}

// prettier-ignore
const TOKENS = [
  'No', 'evidence', 'of', 'portal', 'vein', 'thrombus', 'measuring', '3.1', 'cm', 'mm', '%', '45', 'extra-',
  'hepatic', 'thrombo-', 'sis', 'approx.', 'Approx.', 'e.g.', 'i.e.', 'vs.', 'Dr.', 'seg.', 'Segs.', 'cf.', 'Fig.',
  'prev.', 'etc.', 'A', 'The', 'lesion', 'is', 'new', 'and', 'two', 'with', 'Stable.', 'Done!', 'Why?', 'end.',
  '1.', '2)', 'a)', 'b.', '- item', '• item', '* item', '– item', 'Portal vein invasion: absent', 'IMPRESSION:',
  'Size: 4.6 cm', '(series 5)', '(', ')', '<', '>', '≤', '~', 'x 2', '× 3', ',', ';', ':', '.', '!', '?', 'x',
  '\n', '\n', '\n', '\n\n', '\r\n', '\r', ' ', ' ', '  ', '\t', '\u00a0', '\u2028', '\u3000', ' \n ', '-', 'a-',
  'LIVER', 'Findings', '12', '3rd', 'S8', 'LR-5', 'up', 'to',
  // The abbreviations in every case variant and glued to a word character (no word boundary before them), for the
  // in-line break scan.
  'xapprox.', '9vs.', '_Dr.', 'DR.', 'dr.', 'APPROX.', 'e.g', 'i.e.', 'xe.g.', 'Incl.', 'incl.', 'Ca.', 'ca.', 'CA.',
  'Est.', 'est.', 'Resp.', 'resp.', 'Prev.', 'Segs.', 'segs.', 'Seg.', 'SEG.', 'fig.', 'Fig.', 'Cf.', 'é.', '-vs.',
  '\ufeff', '\u2009', '(b', 'Z', '9', '.\u00a0\u00a0A', '?\tB', '!\u2028(',
];
function generatedText(rnd: () => number): string {
  const n = 1 + Math.floor(rnd() * 30);
  let text = '';
  for (let i = 0; i < n; i += 1) {
    const t = pick(rnd, TOKENS);
    text += t;
    const r = rnd();
    text += r < 0.55 ? ' ' : r < 0.7 ? '\n' : r < 0.75 ? '  ' : '';
  }
  return text;
}

describe('sentence splitting', () => {
  it('the same as before on the corpora (as written, upper and lower case)', () => {
    for (const t of corpusTexts().flatMap((x) => [x, x.toUpperCase(), x.toLowerCase()])) {
      expect(joinHardWraps(t)).toBe(joinHardWrapsBefore(t));
      expect(splitSentences(t)).toEqual(splitSentencesBefore(t));
    }
  });

  it('the same as before on generated texts', () => {
    const rnd = seededRandom(7);
    let joins = 0;
    let breaks = 0;
    for (let i = 0; i < 20000; i += 1) {
      const t = generatedText(rnd);
      const joined = joinHardWrapsBefore(t);
      expect(joinHardWraps(t)).toBe(joined);
      const sentences = splitSentencesBefore(t);
      expect(splitSentences(t)).toEqual(sentences);
      if (joined.split('\n').length < t.split(/\r\n?|\n/).length) joins += 1;
      if (sentences.length > joined.split('\n').filter((l) => l.trim() !== '').length) breaks += 1;
    }
    // The inputs do exercise joins and breaks within a line.
    expect(joins).toBeGreaterThan(1000);
    expect(breaks).toBeGreaterThan(1000);
  });
});

/** looksBinary as it was: every character counted. */
function looksBinaryBefore(body: string): boolean {
  if (body.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13)) bad++;
  }
  return bad / body.length > 0.02;
}

describe('binary bodies', () => {
  it('a body is read as text exactly when the character count says so', () => {
    const rnd = seededRandom(11);
    const chars = [
      'a',
      ' ',
      '\n',
      '\r',
      '\t',
      '\f',
      '\v',
      '\u0000',
      '\u0001',
      '\u001f',
      '\u007f',
      '\ufffd',
      'é',
      '😀',
    ];
    let binary = 0;
    for (let i = 0; i < 5000; i += 1) {
      const n = Math.floor(rnd() * 200);
      let body = '';
      for (let k = 0; k < n; k += 1) body += rnd() < 0.9 ? 'x' : pick(rnd, chars);
      const read = readNarrative('text/plain', body);
      expect(read.ok).toBe(!looksBinaryBefore(body));
      if (!read.ok) binary += 1;
    }
    expect(binary).toBeGreaterThan(500);
    expect(binary).toBeLessThan(4500);
  });
});

describe('base64 bodies', () => {
  /** decodeBase64Utf8 as first written (the reference): whitespace removed, atob, the bytes decoded as UTF-8. */
  const before = (data: string): string | undefined => {
    try {
      const binary = atob(data.replace(/\s+/g, ''));
      return new TextDecoder('utf-8').decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    } catch {
      return undefined;
    }
  };

  it('decode as before, whitespace removed only where there is some', () => {
    const rnd = seededRandom(3);
    const spaces = [' ', '\n', '\r\n', '\t', '\v', '\u00a0', '\u2028', '='];
    let undecodable = 0;
    for (let i = 0; i < 3000; i += 1) {
      let data = btoa(
        String.fromCharCode(
          ...Array.from({ length: Math.floor(rnd() * 40) }, () => 32 + Math.floor(rnd() * 90)),
        ),
      );
      if (rnd() < 0.5) {
        const at = Math.floor(rnd() * (data.length + 1));
        data = data.slice(0, at) + pick(rnd, spaces) + data.slice(at);
      }
      expect(decodeBase64Utf8(data)).toBe(before(data));
      if (before(data) === undefined) undecodable += 1;
    }
    expect(undecodable).toBeGreaterThan(50);
  });

  it('decode as before for any bytes: ASCII (the binary string itself), UTF-8, a BOM, invalid sequences', () => {
    const rnd = seededRandom(17);
    const utf8 = new TextEncoder();
    // prettier-ignore
    const texts = ['', 'a', 'No ascites.', '\u0000\u0001\u007f', 'é', 'Größe 3 cm', '😀', '\ufeffBOM first', 'x\ufeff',
      '\u00a0', '≤ 5 %'];
    let ascii = 0;
    for (let i = 0; i < 4000; i += 1) {
      const r = rnd();
      let bytes: number[];
      if (r < 0.4) bytes = [...utf8.encode(pick(rnd, texts) + pick(rnd, texts))];
      else if (r < 0.7) bytes = Array.from({ length: Math.floor(rnd() * 30) }, () => Math.floor(rnd() * 128));
      else bytes = Array.from({ length: Math.floor(rnd() * 30) }, () => Math.floor(rnd() * 256));
      if (rnd() < 0.1) bytes.unshift(0xef, 0xbb, 0xbf);
      if (bytes.every((b) => b < 0x80)) ascii += 1;
      const data = btoa(String.fromCharCode(...bytes));
      expect(decodeBase64Utf8(data)).toBe(before(data));
    }
    expect(ascii).toBeGreaterThan(1000);
  });
});
