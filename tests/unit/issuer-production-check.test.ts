import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRegistryFile, productionRegistryProblems } from '../../scripts/check-issuers';

function registry(...issMatches: ({ exact: string } | { pattern: string })[]) {
  return {
    issuers: issMatches.map((issMatch, i) => ({
      id: `ehr-${i}`,
      displayName: `EHR ${i}`,
      ehr: 'other',
      issMatch,
      clientId: 'c',
    })),
  };
}

const dirs: string[] = [];
function publicDirWith(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tace-issuers-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'issuers.json'), JSON.stringify(json));
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The `local-sandbox` entry the registry used to ship: any port on localhost or 127.0.0.1. */
const OLD_SANDBOX_PATTERN = 'http://(localhost|127\\.0\\.0\\.1):[0-9]{2,5}/fhir';

describe('production issuer registry check', () => {
  it('the shipped public/config/issuers.json passes', () => {
    const shipped: unknown = JSON.parse(readFileSync('public/config/issuers.json', 'utf8'));
    expect(productionRegistryProblems(shipped)).toEqual([]);
    expect(checkRegistryFile('public/config/issuers.json', false)).toEqual([]);
  });

  it('refuses the old any-localhost-port sandbox pattern', () => {
    const problems = productionRegistryProblems(registry({ pattern: OLD_SANDBOX_PATTERN }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/ehr-0.*loopback/);
  });

  it('refuses exact loopback issuers in every spelling', () => {
    for (const exact of [
      'http://localhost:4000/fhir',
      'https://LOCALHOST/fhir',
      'http://app.localhost:4000/fhir',
      'http://127.0.0.1:4000/fhir',
      'http://127.8.9.10/fhir',
      'http://2130706433/fhir',
      'http://0.0.0.0:4000/fhir',
      'http://[::1]:4000/fhir',
      'http://[::ffff:127.0.0.1]:4000/fhir',
    ]) {
      expect(productionRegistryProblems(registry({ exact })), exact).toHaveLength(1);
    }
  });

  it('refuses patterns that match loopback or leave the host or port open', () => {
    for (const pattern of [
      'http://127\\.0\\.0\\.1:4000/fhir',
      'http://localhost/fhir',
      'https?://.*',
      'https://ehr\\.example\\.org:[0-9]+/fhir',
      'https://ehr\\.example\\.org(:\\d+)?/fhir',
      'https://[a-z.]+/fhir',
      'https://ehr\\.example\\.org.*/fhir',
      'https://ehr\\.example\\.org/fhir|http://localhost:9/fhir',
      '.*/fhir',
    ]) {
      expect(productionRegistryProblems(registry({ pattern })), pattern).toHaveLength(1);
    }
  });

  it('accepts remote exact issuers and patterns with a literal host and port', () => {
    const ok = registry(
      { exact: 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4' },
      { exact: 'http://ehr.example.org:8080/fhir' },
      { pattern: 'https://ehr\\.example\\.org:8443/fhir/(a|b)/[A-Za-z0-9]+' },
      { pattern: 'https?://launch\\.example\\.org/v/r4/(sim/[A-Za-z0-9_=-]+/)?fhir' },
    );
    expect(productionRegistryProblems(ok)).toEqual([]);
  });

  it('reports an invalid registry rather than passing it', () => {
    expect(productionRegistryProblems({ issuers: [] })).toHaveLength(1);
  });

  it('throws naming the issuer unless the development flag allows it', () => {
    const dir = publicDirWith(
      registry({ exact: 'https://ehr.example.org/fhir' }, { pattern: OLD_SANDBOX_PATTERN }),
    );
    const file = join(dir, 'config', 'issuers.json');
    expect(() => checkRegistryFile(file, false)).toThrow(/not safe to ship[\s\S]*ehr-1/);
    expect(checkRegistryFile(file, true)).toHaveLength(1);
  });

  it('vite build (vite.config.ts) fails before writing anything when the registry trusts loopback', async () => {
    const { build } = await import('vite');
    const publicDir = publicDirWith(registry({ pattern: OLD_SANDBOX_PATTERN }));
    const saved = process.env.TACE_DEV_BUILD;
    delete process.env.TACE_DEV_BUILD;
    try {
      await expect(
        build({
          publicDir,
          logLevel: 'silent',
          build: { outDir: join(publicDir, 'out'), write: false, emptyOutDir: false },
        }),
      ).rejects.toThrow(/not safe to ship/);
    } finally {
      if (saved !== undefined) process.env.TACE_DEV_BUILD = saved;
    }
  }, 30_000);
});
