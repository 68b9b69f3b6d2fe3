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

/** base64 → UTF-8 text; undefined when the data is not valid base64. Uses atob + TextDecoder (browser and Node). */
export function decodeBase64Utf8(data: string): string | undefined {
  try {
    const binary = atob(data.replace(/\s+/g, ''));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Text of a narrative by content type; undefined for types we do not read (PDF, images). */
export function narrativeToText(contentType: string | undefined, body: string): string | undefined {
  const type = (contentType ?? 'text/plain').split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
  if (type === 'text/plain') return body;
  if (type === 'text/html' || type === 'application/xhtml+xml') return htmlToText(body);
  if (type === 'text/rtf' || type === 'application/rtf') return rtfToText(body);
  return undefined;
}

/**
 * Sentences: split on line breaks and on . ! ? ; followed by a space and a capital/digit; list numbers ("1.") are
 * joined to what follows; decimals ("4.2 cm") never split because no space follows their dot.
 */
export function splitSentences(text: string): string[] {
  const parts = text
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z0-9(])/)
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
