import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIssuerRegistry, type IssuerRegistry } from '../../src/config/issuers';
import {
  authorizeProblem,
  checkTypedIss,
  standaloneChoices,
  storageAvailable,
} from '../../launch/launch-problems';
import { frameAncestorsFromRegistry, securityHeaders } from '../../sandbox/app-server';

const registryJson = {
  issuers: [
    {
      id: 'sandbox',
      displayName: 'Sandbox',
      ehr: 'sandbox',
      issMatch: { pattern: 'http://(localhost|127\\.0\\.0\\.1):[0-9]{2,5}/fhir' },
      clientId: 'c',
      standaloneLaunch: true,
      frameAncestors: ['http://localhost:*'],
    },
    {
      id: 'shi',
      displayName: 'SMART Health IT',
      ehr: 'smarthealthit',
      issMatch: { pattern: 'https://launch\\.smarthealthit\\.org/v/r4/(sim/[A-Za-z0-9_=-]+/)?fhir' },
      clientId: 'c',
      standaloneLaunch: true,
    },
    {
      id: 'epic',
      displayName: 'Epic',
      ehr: 'epic',
      issMatch: { exact: 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4' },
      clientId: 'c',
      standaloneLaunch: true,
      frameAncestors: ['https://hyperspace.example.org', 'http://localhost:*'],
    },
    {
      id: 'oracle',
      displayName: 'Oracle',
      ehr: 'oracle',
      issMatch: { exact: 'https://fhir-ehr-code.cerner.com/r4/x' },
      clientId: 'c',
      standaloneLaunch: false,
    },
  ],
};

function registry(): IssuerRegistry {
  const loaded = parseIssuerRegistry(registryJson);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.registry;
}

describe('storage probe (embedded launch)', () => {
  it('a sessionStorage that throws on access, as in a cross-site frame with third-party storage blocked', () => {
    expect(
      storageAvailable(() => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      }),
    ).toBe(false);
  });

  it('a storage whose setItem throws (quota 0 / disabled) is unavailable; a working one is available', () => {
    const broken = {
      setItem() {
        throw new DOMException('quota', 'QuotaExceededError');
      },
    } as unknown as Storage;
    expect(storageAvailable(() => broken)).toBe(false);
    const map = new Map<string, string>();
    const working = {
      setItem: (k: string, v: string) => map.set(k, v),
      getItem: (k: string) => map.get(k) ?? null,
      removeItem: (k: string) => map.delete(k),
    } as unknown as Storage;
    expect(storageAvailable(() => working)).toBe(true);
    expect(map.size).toBe(0);
  });
});

describe('what a failed authorize means', () => {
  const iss = 'https://fhir.example.test/r4';
  it('a storage SecurityError inside a frame names the frame, not the authorization server', () => {
    const problem = authorizeProblem(
      new DOMException("Failed to read the 'sessionStorage' property from 'Window'", 'SecurityError'),
      iss,
      true,
    );
    expect(problem.testId).toBe('launch-storage-blocked');
    expect(problem.title).toContain('This browser blocks storage for apps inside the EHR’s frame');
    expect(problem.title + problem.detail).not.toContain('could not be reached');
  });

  it('an unreadable SMART configuration is "could not be reached" and names the server', () => {
    const problem = authorizeProblem(
      new Error(
        `Failed to fetch the well-known json "${iss}/.well-known/smart-configuration". Failed to fetch`,
      ),
      iss,
      false,
    );
    expect(problem.testId).toBe('launch-unreachable');
    expect(problem.detail).toContain(iss);
  });

  it('a server without PKCE S256 says so', () => {
    const problem = authorizeProblem(
      new Error(
        "Required PKCE code challenge method (`S256`) was not found in the server's codeChallengeMethods declaration.",
      ),
      iss,
      false,
    );
    expect(problem.testId).toBe('launch-no-pkce');
  });
});

describe('standalone server chooser', () => {
  it('lists every standalone-enabled issuer, pattern ones included, and leaves out the others', () => {
    const { exact, pattern } = standaloneChoices(registry().issuers);
    expect(exact.map((c) => c.issuer.id)).toEqual(['epic']);
    expect(pattern.map((i) => i.id)).toEqual(['sandbox', 'shi']);
  });

  it('a typed URL is accepted only when that issuer’s anchored pattern matches it', () => {
    const reg = registry();
    const shi = reg.issuers.find((i) => i.id === 'shi');
    if (!shi) throw new Error('no shi');
    expect(checkTypedIss(reg, shi, ' https://launch.smarthealthit.org/v/r4/fhir ')).toEqual({
      ok: true,
      iss: 'https://launch.smarthealthit.org/v/r4/fhir',
    });
    expect(checkTypedIss(reg, shi, 'https://launch.smarthealthit.org/v/r4/fhir.attacker.test').ok).toBe(
      false,
    );
    expect(checkTypedIss(reg, shi, 'http://localhost:4000/fhir').ok).toBe(false); // another entry's server
    expect(checkTypedIss(reg, shi, 'launch.smarthealthit.org').ok).toBe(false);
    expect(checkTypedIss(reg, shi, 'javascript:alert(1)').ok).toBe(false);
  });
});

describe('frame-ancestors from the deployment configuration', () => {
  it('issuers’ frameAncestors must be origins: "*" and paths are refused', () => {
    for (const bad of ['*', 'https://ehr.example.org/path', 'ehr.example.org', "'self' *"]) {
      const json = structuredClone(registryJson);
      json.issuers[0]!.frameAncestors = [bad];
      expect(parseIssuerRegistry(json).ok, bad).toBe(false);
    }
  });

  it('the app server reads the union of the registry’s frameAncestors; the header never says "*"', () => {
    const root = mkdtempSync(join(tmpdir(), 'tace-fa-'));
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, 'config', 'issuers.json'), JSON.stringify(registryJson));
    const origins = frameAncestorsFromRegistry(root);
    expect(origins).toEqual(['http://localhost:*', 'https://hyperspace.example.org']);
    const csp = securityHeaders(['https://fhir.example.test'], origins)['Content-Security-Policy'];
    expect(csp).toContain("frame-ancestors 'self' http://localhost:* https://hyperspace.example.org;");
    expect(csp).not.toMatch(/frame-ancestors[^;]*\s\*(\s|;)/);
  });

  it('no configured EHR origin: the app can be framed by itself only', () => {
    const csp = securityHeaders([], frameAncestorsFromRegistry('/nonexistent'))['Content-Security-Policy'];
    expect(csp).toContain("frame-ancestors 'self';");
    expect(() => securityHeaders([], ['*'])).toThrow(/not an origin/);
  });
});
