import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildScopes, findIssuer, parseIssuerRegistry, type IssuerRegistry } from '../../src/config/issuers';
import { decideLaunch } from '../../launch/launch-decision';
import { withSandboxIssuer } from '../../sandbox/issuer';

function shippedRegistry(): IssuerRegistry {
  const result = parseIssuerRegistry(JSON.parse(readFileSync('public/config/issuers.json', 'utf8')));
  if (!result.ok) throw new Error(result.reason);
  return result.registry;
}

/** What the sandbox's servers answer `config/issuers.json` with: the shipped file plus its exact entry. */
function sandboxRegistry(fhirBaseUrl = 'http://localhost:4000/fhir'): IssuerRegistry {
  const shipped: unknown = JSON.parse(readFileSync('public/config/issuers.json', 'utf8'));
  const result = parseIssuerRegistry(withSandboxIssuer(shipped, fhirBaseUrl));
  if (!result.ok) throw new Error(result.reason);
  return result.registry;
}

describe('issuer registry', () => {
  it('the shipped config parses and covers SMART Health IT, Epic and Oracle Health, and no local sandbox', () => {
    const registry = shippedRegistry();
    expect(registry.issuers.map((i) => i.ehr).sort()).toEqual(['epic', 'oracle', 'smarthealthit']);
    expect(findIssuer(registry, 'http://localhost:4000/fhir')).toBeUndefined();
    expect(findIssuer(registry, 'http://127.0.0.1:4000/fhir')).toBeUndefined();
  });

  it('the sandbox entry added at run time trusts the sandbox’s exact origin and port only', () => {
    const registry = sandboxRegistry('http://localhost:4123/fhir');
    expect(findIssuer(registry, 'http://localhost:4123/fhir')?.id).toBe('local-sandbox');
    expect(findIssuer(registry, 'http://localhost:4123/fhir/')?.id).toBe('local-sandbox');
    // A fake FHIR server on another local port must not be trusted (it would receive the bearer token).
    expect(findIssuer(registry, 'http://localhost:4124/fhir')).toBeUndefined();
    expect(findIssuer(registry, 'http://localhost:4000/fhir')).toBeUndefined();
    expect(findIssuer(registry, 'http://127.0.0.1:4123/fhir')).toBeUndefined();
    // The shipped entries are kept, the sandbox's once only.
    expect(registry.issuers.map((i) => i.id)).toEqual([
      'local-sandbox',
      ...shippedRegistry().issuers.map((i) => i.id),
    ]);
    const twice = parseIssuerRegistry(
      withSandboxIssuer(withSandboxIssuer(registry, 'http://localhost:1/fhir'), 'http://localhost:4123/fhir'),
    );
    expect(twice.ok && twice.registry.issuers.filter((i) => i.ehr === 'sandbox').length).toBe(1);
  });

  it('rejects a registry with a missing client id and names the field', () => {
    const result = parseIssuerRegistry({
      issuers: [{ id: 'x', displayName: 'X', ehr: 'other', issMatch: { exact: 'https://x.test/fhir' } }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('issuers.0.clientId');
  });

  it('rejects an invalid pattern', () => {
    const result = parseIssuerRegistry({
      issuers: [{ id: 'x', displayName: 'X', ehr: 'other', clientId: 'c', issMatch: { pattern: '(' } }],
    });
    expect(result.ok).toBe(false);
  });

  it('matches exact issuers ignoring only a trailing slash, and anchors patterns', () => {
    const registry = sandboxRegistry();
    expect(findIssuer(registry, 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4/')?.id).toBe(
      'epic-sandbox',
    );
    expect(
      findIssuer(registry, 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4x'),
    ).toBeUndefined();
    expect(findIssuer(registry, 'http://localhost:4000/fhir')?.id).toBe('local-sandbox');
    expect(findIssuer(registry, 'http://localhost:4000/fhir.evil.test')).toBeUndefined();
    expect(findIssuer(registry, 'https://evil.test/?http://localhost:4000/fhir')).toBeUndefined();
  });

  it('requests least-privilege read scopes in v2 form, or v1 when the issuer says so', () => {
    const registry = sandboxRegistry();
    const sandbox = findIssuer(registry, 'http://localhost:4000/fhir');
    if (!sandbox) throw new Error('no sandbox issuer');
    const v2 = buildScopes(sandbox, 'ehr').split(' ');
    expect(v2).toEqual(expect.arrayContaining(['launch', 'openid', 'fhirUser', 'patient/Observation.rs']));
    expect(v2).toContain('patient/DocumentReference.c');
    // Imaging notes are read (DocumentReference search) and narratives fetched by URL (Binary read, no search).
    expect(v2).toEqual(expect.arrayContaining(['patient/DocumentReference.rs', 'patient/Binary.r']));
    expect(v2.some((s) => s.includes('*'))).toBe(false);
    const v1 = buildScopes(
      { ...sandbox, scopeVersion: 'v1', writeBack: { ...sandbox.writeBack, enabled: false } },
      'standalone',
    ).split(' ');
    expect(v1).toContain('launch/patient');
    expect(v1).toContain('patient/Observation.read');
    // Write-back off: DocumentReference is read (imaging notes), never written.
    expect(v1).toEqual(expect.arrayContaining(['patient/DocumentReference.read', 'patient/Binary.read']));
    expect(v1).not.toContain('patient/DocumentReference.write');
  });
});

describe('launch decision', () => {
  const registry = sandboxRegistry();

  it('authorizes a registered EHR launch with the issuer’s client id', () => {
    const decision = decideLaunch(
      new URLSearchParams({ iss: 'http://localhost:4000/fhir', launch: 'L1' }),
      registry,
    );
    expect(decision.kind).toBe('authorize');
    if (decision.kind === 'authorize') {
      expect(decision.issuer.clientId).toBe('tace-navigator');
      expect(decision.launch).toBe('L1');
    }
  });

  it('refuses an unregistered iss', () => {
    const decision = decideLaunch(
      new URLSearchParams({ iss: 'https://attacker.invalid/fhir', launch: 'L1' }),
      registry,
    );
    expect(decision.kind).toBe('refuse');
  });

  it('refuses URL parameters that would override the server or the client id', () => {
    for (const extra of ['fhirServiceUrl', 'clientId', 'patientId']) {
      const params = new URLSearchParams({ iss: 'http://localhost:4000/fhir', launch: 'L1', [extra]: 'x' });
      expect(decideLaunch(params, registry).kind).toBe('refuse');
    }
  });

  it('refuses standalone launch where the issuer does not allow it', () => {
    const iss = 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
    expect(decideLaunch(new URLSearchParams({ iss }), registry).kind).toBe('refuse');
    expect(decideLaunch(new URLSearchParams({ iss, launch: 'x' }), registry).kind).toBe('authorize');
  });

  it('offers the standalone issuers when no iss is given', () => {
    const decision = decideLaunch(new URLSearchParams(), registry);
    expect(decision.kind).toBe('choose-issuer');
  });
});
