/**
 * `tsx scripts/cli-smoke.ts [NODE …]`: runs the compiled CLI (dist-cli/assess.js, from `npm run build:cli`) on one
 * collection Bundle holding every sandbox scenario, under each NODE binary given (default: the node running this),
 * and fails unless it exits 0 and prints one JSON result line per patient, for the bundle's patients in order.
 * `.ci/run` runs it under Node 20 and Node 24. Prints counts and the run time, no patient data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScenarios } from '../sandbox/scenarios/index';
import { compiledCli } from './build-cli';

/**
 * Writes the sandbox scenarios (all, or those named) as one collection Bundle with urn:uuid fullUrls, as an EHR
 * export would be; returns the Patient ids it holds, in order.
 */
export function writeScenarioBundle(file: string, ids?: readonly string[]): string[] {
  const scenarios = buildScenarios().filter((s) => ids === undefined || ids.includes(s.id));
  const resources = scenarios.flatMap((s) => s.resources);
  const entry = resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource }));
  writeFileSync(file, JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry }));
  return resources.filter((r) => r.resourceType === 'Patient').map((r) => r.id ?? '');
}

export interface CompiledRun {
  readonly status: number | null;
  readonly stderr: string;
  /** The result lines parsed as JSON (a line that is not JSON fails the check). */
  readonly results: Record<string, unknown>[];
  readonly seconds: number;
}

/** Runs `node cli bundle --as-of asOf` and parses its stdout, one JSON object per line. */
export function runCompiledCli(node: string, cli: string, bundle: string, asOf: string): CompiledRun {
  const start = performance.now();
  const run = spawnSync(node, [cli, bundle, '--as-of', asOf], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (run.error) throw run.error;
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  const results = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status: run.status, stderr: run.stderr, results, seconds };
}

/** What is wrong with a run that should have printed one result per patient of `patientIds` (empty: nothing). */
export function problemsOf(run: CompiledRun, patientIds: readonly string[]): string[] {
  const problems: string[] = [];
  if (run.status !== 0)
    problems.push(`exit status ${String(run.status)}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
  if (run.results.length !== patientIds.length)
    problems.push(`${run.results.length} result lines for ${patientIds.length} patients`);
  const got = run.results.map((r) => (r.patient as { id?: unknown } | undefined)?.id);
  if (got.some((id, i) => id !== patientIds[i]))
    problems.push('result lines are not the patients of the bundle');
  return problems;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const nodes = process.argv.length > 2 ? process.argv.slice(2) : [process.execPath];
  const dir = mkdtempSync(join(tmpdir(), 'cli-smoke-'));
  let failed = false;
  try {
    const bundle = join(dir, 'scenarios.json');
    const patientIds = writeScenarioBundle(bundle);
    for (const node of nodes) {
      const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
      const run = runCompiledCli(node, compiledCli, bundle, '2026-12-01');
      const problems = problemsOf(run, patientIds);
      failed ||= problems.length > 0;
      console.log(
        `compiled CLI under node ${version}: exit ${String(run.status)}, ${run.results.length} result lines for ` +
          `${patientIds.length} patients, ${run.seconds.toFixed(2)} s${problems.length ? ` — FAILED: ${problems.join('; ')}` : ''}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}
