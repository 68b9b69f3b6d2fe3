/**
 * Production check of an issuer registry: no entry may trust a loopback server (localhost, 127.0.0.0/8, ::1,
 * 0.0.0.0), and no pattern may leave the host or port open. A pattern such as `http://localhost:[0-9]+/fhir`
 * let a fake FHIR server on any other local port receive the bearer token. The sandbox adds its own EXACT
 * entry at run time (sandbox/issuer.ts), so a shipped registry never needs one.
 *
 * `vite build` runs this on `public/config/issuers.json` (vite.config.ts) and fails unless TACE_DEV_BUILD=1.
 *
 *   tsx scripts/check-issuers.ts [path/to/issuers.json]     exit 1 and one line per problem
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseIssuerRegistry } from '../src/config/issuers';

/** WHATWG URL hostnames (already lower-cased, IPv4 forms such as `2130706433` normalised to dotted quads). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(host) || host === '0.0.0.0') return true;
  // IPv6 loopback and unspecified, and IPv4-mapped 127/8 (`::ffff:7f00:1`) or 0.0.0.0.
  return host === '::1' || host === '::' || /^::ffff:(7f[0-9a-f]{2}:|0:0$)/.test(host);
}

function isLoopbackUrl(text: string): boolean {
  try {
    return isLoopbackHost(new URL(text).hostname);
  } catch {
    return false;
  }
}

/**
 * The literal authority (host[:port]) a pattern fixes, or why it does not: the pattern must start with a
 * literal scheme and host (escaped dots, an optional literal port), and have no top-level `|` (an alternative
 * would escape that prefix once the pattern is anchored as `^(?:…)$`).
 */
export function patternAuthority(pattern: string): { authority: string } | { problem: string } {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return { problem: 'has a top-level "|": use one entry per server' };
  }
  const match = /^(?:https\??|http):\/\/((?:[A-Za-z0-9-]|\\\.)+(?::[0-9]+)?)(?:\/|\\\/|$)/.exec(pattern);
  if (!match?.[1])
    return { problem: 'does not fix the host and port (start it with a literal https://host/)' };
  return { authority: match[1].replace(/\\\./g, '.') };
}

/** Sample loopback issuers; any pattern matching one is refused whatever its text looks like. */
const LOOPBACK_PROBES = ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].flatMap((host) =>
  ['http', 'https'].flatMap((scheme) =>
    ['', ':80', ':443', ':4000', ':5173', ':8080', ':65535'].map((port) => `${scheme}://${host}${port}/fhir`),
  ),
);

/** Problems that make a registry unsafe to ship, one line each; empty when it may be deployed. */
export function productionRegistryProblems(json: unknown): string[] {
  const parsed = parseIssuerRegistry(json);
  if (!parsed.ok) return [parsed.reason];
  const problems: string[] = [];
  for (const issuer of parsed.registry.issuers) {
    const name = `issuer "${issuer.id}"`;
    if ('exact' in issuer.issMatch) {
      if (isLoopbackUrl(issuer.issMatch.exact))
        problems.push(`${name} trusts a loopback server (${issuer.issMatch.exact})`);
      continue;
    }
    const { pattern } = issuer.issMatch;
    const regex = new RegExp(`^(?:${pattern})$`);
    const probe = LOOPBACK_PROBES.find((url) => regex.test(url));
    if (probe) {
      problems.push(`${name} pattern matches a loopback server (${probe})`);
      continue;
    }
    const authority = patternAuthority(pattern);
    if ('problem' in authority) problems.push(`${name} pattern ${authority.problem}`);
    else if (isLoopbackUrl(`https://${authority.authority}/`))
      problems.push(`${name} pattern trusts a loopback server (${authority.authority})`);
  }
  return problems;
}

/** Throws with every problem of the registry file unless `devBuild` (TACE_DEV_BUILD=1) allows them. */
export function checkRegistryFile(path: string, devBuild: boolean): string[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `${path}: cannot be read as JSON (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const problems = productionRegistryProblems(json);
  if (problems.length > 0 && !devBuild) {
    throw new Error(
      `${path} is not safe to ship:\n  ${problems.join('\n  ')}\n` +
        'The sandbox adds its own exact entry at run time; set TACE_DEV_BUILD=1 only for a development build.',
    );
  }
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const path = process.argv[2] ?? 'public/config/issuers.json';
  try {
    const problems = checkRegistryFile(path, process.env.TACE_DEV_BUILD === '1');
    for (const problem of problems) console.warn(`warning (TACE_DEV_BUILD=1): ${problem}`);
    if (problems.length === 0) console.log(`${path}: no loopback or open-host issuer`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
