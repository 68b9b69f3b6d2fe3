/**
 * Report narrative → plain text. HTML is reduced to text with a tag stripper and entity decoding: nothing is
 * parsed into a DOM or executed, and the result is only ever rendered as text (React escapes it), so a leftover
 * "<" is harmless. Script/style content is dropped, not shown.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  deg: '°',
  micro: 'µ',
  plusmn: '±',
  times: '×',
  le: '≤',
  ge: '≥',
  ndash: '–',
  mdash: '—',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      // Only valid, printable scalar values; anything else stays as written.
      if (!Number.isFinite(code) || code < 32 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return whole;
      return String.fromCodePoint(code);
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style|head|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<(script|style)\b[\s\S]*$/gi, ' ') // unterminated: drop the rest
      .replace(/<\s*br\s*\/?>/gi, '\n')
      .replace(/<\/?\s*(p|div|li|ul|ol|tr|table|h[1-6]|section|article|blockquote|pre)\b[^>]*>/gi, '\n')
      .replace(/<\/?\s*(td|th)\b[^>]*>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/<[^>]*$/g, ' '),
  )
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n[ \n]*/g, '\n')
    .trim();
}

/** Strips RTF control words and groups to readable text (minimal: EHR RTF narratives are simple). */
export function rtfToText(rtf: string): string {
  return rtf
    .replace(/\\par[d]?\b ?/g, '\n')
    .replace(/\{\\\*[^{}]*\}/g, '')
    .replace(/\\'[0-9a-f]{2}/gi, (m) => String.fromCharCode(parseInt(m.slice(2), 16)))
    .replace(/\\[a-z]+-?\d* ?/gi, '')
    .replace(/[{}]/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

const HAS_WHITESPACE = /\s/;

// eslint-disable-next-line no-control-regex -- every unit above U+007F
const NON_ASCII = /[^\x00-\x7f]/;

/** One decoder for every call: decode() without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: false });

/** base64 → UTF-8 text; undefined when the data is not valid base64. Uses atob + TextDecoder (browser and Node). */
export function decodeBase64Utf8(data: string): string | undefined {
  try {
    const binary = atob(HAS_WHITESPACE.test(data) ? data.replace(/\s+/g, '') : data);
    // Bytes below 0x80 are UTF-8 for the same ASCII code units (and cannot hold the BOM the decoder would drop),
    // so an all-ASCII body decodes to the binary string itself.
    if (!NON_ASCII.test(binary)) return binary;
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The result of reading one narrative body: its text, or why it cannot be read (for a DataIssue). */
export type NarrativeRead =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** HTML content types read as HTML: `application/xhtml` is how US Core's chest X-ray example labels its XHTML. */
const HTML_TYPES: ReadonlySet<string> = new Set([
  'text/html',
  'application/xhtml+xml',
  'application/xhtml',
  'text/xhtml',
]);
const RTF_TYPES: ReadonlySet<string> = new Set(['text/rtf', 'application/rtf']);

/**
 * HTML left in the text after one pass: a document whose markup was escaped once more (`&lt;html&gt;…`, as Oracle
 * Health's Binary documentation shows its text/html report, R4_BINARY_TR_HTML_ENTRY). Only unmistakable markup
 * counts: a document tag, or two or more block/inline tags; "< 5 cm" never matches.
 */
const DOCUMENT_TAG = /<\s*(?:!DOCTYPE\s+html|html|head|body)\b[^>]*>/i;
const MARKUP_TAG = /<\/?\s*(?:div|p|br|span|table|tr|td|b|i|u|font|li|ul|ol|h[1-6])\b[^<>]*>/gi;

function looksLikeMarkup(text: string): boolean {
  return DOCUMENT_TAG.test(text) || (text.match(MARKUP_TAG)?.length ?? 0) >= 2;
}

/** The characters looksBinary counts (NUL among them); a body without any is text. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const BINARY_CHAR = /[\x00-\x08\x0b\x0e-\x1f\ufffd]/;

/** U+FFFD (undecodable bytes) or control characters other than tab/CR/LF/FF: a binary body, not text. */
function looksBinary(body: string): boolean {
  if (body.length === 0 || !BINARY_CHAR.test(body)) return false;
  let bad = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0) return true;
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13)) bad++;
  }
  return bad / body.length > 0.02;
}

/**
 * A narrative body → text, by what the body is: plain text as is; HTML/XHTML through htmlToText (twice when the
 * markup was escaped once more); RTF through rtfToText (also when mislabelled text/plain but starting `{\rtf`).
 * PDF (by type or by its `%PDF-` signature, whatever the declared type), images, XML/CDA and binary bodies are not
 * readable: the reason says which, and nothing is guessed from them.
 */
export function readNarrative(contentType: string | undefined, body: string): NarrativeRead {
  const declared = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const type = declared === '' ? 'text/plain' : declared;
  const named = declared === '' ? 'no content type' : declared;
  if (/^\s*%PDF-/.test(body) || type === 'application/pdf')
    return {
      ok: false,
      reason: `a PDF document (${named}) is not readable: only text, HTML and RTF are read`,
    };
  if (type.startsWith('image/') || type.startsWith('video/') || type.startsWith('audio/'))
    return { ok: false, reason: `${type} is an image or recording, not text: not readable` };
  if (looksBinary(body))
    return { ok: false, reason: `the content (${named}) is binary, not text: not readable` };
  if (/^\s*\{\\rtf/.test(body) || RTF_TYPES.has(type)) return { ok: true, text: rtfToText(body) };
  if (HTML_TYPES.has(type)) {
    const once = htmlToText(body);
    return { ok: true, text: looksLikeMarkup(once) ? htmlToText(once) : once };
  }
  if (type === 'text/plain') return { ok: true, text: body };
  if (type.endsWith('/xml') || type.endsWith('+xml'))
    return {
      ok: false,
      reason: `an XML document (${type}, e.g. CDA) is not read: only text, HTML and RTF are read`,
    };
  return { ok: false, reason: `content type ${type} is not read: only text, HTML and RTF are read` };
}

/** Text of a narrative by content type; undefined for what is not readable (PDF, images, XML, binary). */
export function narrativeToText(contentType: string | undefined, body: string): string | undefined {
  const read = readNarrative(contentType, body);
  return read.ok ? read.text : undefined;
}

/**
 * Literal `\n` and `\r\n` escapes (a backslash and a letter, as in US Core's observation-xray-chest-findings.json
 * valueString) → line breaks, so the reader sees the lines the author wrote. Other backslashes stay.
 */
export function unescapeLineBreaks(text: string): string {
  return text.replace(/\\r\\n|\\n/g, '\n');
}

/** Words a dictated line may end with only when the sentence goes on (a wrap, not a line of its own). */
const CONTINUES_WORDS = String.raw`(?:no|not|nor|without|of|the|a|an|in|into|on|at|by|for|from|to|with|within|and|or|but|is|are|was|were|be|been|has|have|measuring|measures|measured|approximately|approx\.?|about|up|than|any|evidence|new|residual|portal|hepatic|vein|segment|seg\.?|which|that|its|their|this|these|both|all|multiple|two|three|four|five)`;
const CONTINUES = new RegExp(`(?:^|\\s)${CONTINUES_WORDS}$`, 'i');
/** CONTINUES for a last word without whitespace: the word itself is one of CONTINUES's words. */
const CONTINUES_WORD = new RegExp(`^${CONTINUES_WORDS}$`, 'i');
/** A line that starts a new item: a list number or bullet, or a template field ("Portal vein invasion: absent"). */
const STARTS_ITEM = /^(?:\d{1,2}[.)]\s|[a-z][.)]\s|[-•*–]\s|[A-Z][A-Za-z0-9 ()/,'’-]{0,60}:(?:\s|$))/;
const WHITESPACE = /\s/;

/**
 * CONTINUES.test(line) for a line without trailing whitespace. Its words hold no whitespace, so a match is the
 * line's last word after the last whitespace (or the whole line): after the last space, when no other whitespace
 * follows it, that word alone is tested.
 */
function continuesAfter(line: string): boolean {
  const word = line.slice(line.lastIndexOf(' ') + 1);
  return WHITESPACE.test(word) ? CONTINUES.test(line) : CONTINUES_WORD.test(word);
}

const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Joins hard-wrapped lines back into their sentence before reading, so a negation, number or unit on the next line
 * still belongs to it ("No evidence of portal\nvein thrombus", "measuring 3.1\ncm", "extra-\nhepatic"). CRLF and CR
 * become LF. A line is joined to the next when it does not end a sentence and either ends in a word that cannot end
 * one (a preposition, article, negation, "measuring" …) or a comma, or the next line starts in lower case, with a
 * unit, a percent sign or a closing bracket. A next line that starts a list item or a "Field: value" line, and a
 * line ending in a colon (a heading), are never joined.
 */
export function joinHardWraps(text: string): string {
  return joinedLines(text).join('\n');
}

/** joinHardWraps's lines, before they are joined with line breaks (none of them holds one). */
function joinedLines(text: string): string[] {
  const lines = (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text).split('\n');
  // Every line in `out` ends without whitespace (a trimmed-end line, or a join ending in a trimmed line), so the
  // previous line is blank exactly when it is empty, and it is its own trimEnd.
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd(); // the same characters as /\s+$/ (WhiteSpace and LineTerminator), without a regex
    const prev = out[out.length - 1];
    const trimmed = line.trimStart();
    if (prev === undefined || trimmed === '' || prev === '') {
      out.push(line);
      continue;
    }
    const p = prev;
    // The last character (p is not empty: prev holds more than whitespace) decides the end-anchored tests
    // /[a-z]-$/i, /[.!?:;]$/, /,$/ and /\d$/ (\d is ASCII; [a-z] with the i flag is ASCII letters).
    const last = p[p.length - 1];
    // Hyphenation at a line end: "extra-" + "hepatic" → "extrahepatic"; "thrombo-" + "sis" → "thrombosis".
    if (
      last === '-' &&
      isAsciiLetter(p.charCodeAt(p.length - 2)) &&
      /^[a-z]/.test(trimmed) &&
      !/\s-$/.test(p)
    ) {
      out[out.length - 1] = p.slice(0, -1) + trimmed;
      continue;
    }
    const endsSentence = last === '.' || last === '!' || last === '?' || last === ':' || last === ';';
    const join =
      !endsSentence &&
      !STARTS_ITEM.test(trimmed) &&
      (last === ',' ||
        continuesAfter(p) ||
        /^(?:[a-z]|(?:cm|mm|%)\b|%|\)|[<>≤≥~])/.test(trimmed) ||
        (last !== undefined && last >= '0' && last <= '9' && /^(?:cm|mm|%|x\s|×)/i.test(trimmed)));
    if (join) out[out.length - 1] = `${p} ${trimmed}`;
    else out.push(line);
  }
  return out;
}

/** Abbreviations whose dot does not end a sentence ("approx. 3 cm", "seg. VI", "vs. prior"). */
const ABBREVIATION_DOT =
  /(?<!\b(?:[Aa]pprox|[Ss]egs?|[Vv]s|e\.g|i\.e|[Cc]f|[Ii]ncl|[Cc]a|[Ee]st|[Ff]ig|Dr|[Rr]esp|[Pp]rev)\.)/;

/** Compiled once (split copies it per call, so sharing it keeps no state between calls). */
const SENTENCE_BREAK_IN_LINE = new RegExp(`(?<=[.!?])${ABBREVIATION_DOT.source}\\s+(?=[A-Z0-9(])`);
/** A break within a line needs one of . ! ? and whitespace right after it. */
const MAY_BREAK_IN_LINE = /[.!?]\s/;

/** Whether a UTF-16 unit is one \s matches: ASCII by value, any other by the pattern itself. */
export function isWhitespace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return WHITESPACE.test(String.fromCharCode(c));
}

/**
 * Sentences: hard wraps joined first (joinHardWraps), then split on line breaks and on . ! ? ; followed by a space
 * and a capital/digit — except after common abbreviations; list numbers ("1.") are joined to what follows; decimals
 * ("4.2 cm") never split because no space follows their dot.
 */
export function splitSentences(text: string): string[] {
  // Line by line: splitting the joined text at /\n+|<break in a line>/ gives these parts once trimmed. Every line
  // break is cut; a break in a line matches as in the joined text (its look-behind reads letters and dots, and the
  // line start is a word boundary as the line break before it is); a match that runs on over the line end into
  // the next line's leading whitespace cuts only where the line break is cut anyway.
  const parts: string[] = [];
  for (const line of joinedLines(text)) {
    if (MAY_BREAK_IN_LINE.test(line)) {
      for (const part of line.split(SENTENCE_BREAK_IN_LINE)) {
        const s = part.trim();
        if (s.length > 0) parts.push(s);
      }
    } else {
      const s = line.trim();
      if (s.length > 0) parts.push(s);
    }
  }
  const out: string[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last !== undefined && /^(\d{1,2}|[a-z])[.)]$/i.test(last)) out[out.length - 1] = `${last} ${p}`;
    else out.push(p);
  }
  return out;
}
